-- Languages (U1, issue 25). An account's language for its pages and the
-- mails it gets; the language an outside recipient gets the message's
-- mail and SMS in, chosen by the sender (an account recipient gets their
-- own); the language of the person outside a request or drop-off writes in.
-- Dutch is the default everywhere.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'nl';
ALTER TABLE messages ADD COLUMN rcpt_lang TEXT NOT NULL DEFAULT 'nl';
ALTER TABLE requests ADD COLUMN lang TEXT NOT NULL DEFAULT 'nl';
