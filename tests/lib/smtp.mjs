// A real SMTP server on 127.0.0.1 for tests (npm smtp-server + mailparser).
//
//   const smtp = await startSmtp();
//   const srv = await startServer({ config: { mail: { transport: 'smtp',
//     smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_starttls: 'off' } } });
//   const mail = await smtp.waitForMail((m) => m.to.text.includes('jan@example.org'));
//   await smtp.stop();
//
// Every message is parsed (mailparser's ParsedMail plus envelope and raw text)
// and kept in smtp.messages, in arrival order.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/**
 * options: port (default: any free one), starttls (offer STARTTLS; needs key/cert), key, cert,
 *   size (max message size, default 10 MiB), rejectRcpt(address) -> Error|null,
 *   delayMs (answer each message this much later: a slow relay, so that
 *   mail piles up and several outbox workers deliver at once),
 *   beforeReply(msg) (awaited before the 250 for the DATA: a fault injected
 *   there), afterReply(msg) (called right after the 250 is sent).
 */
export async function startSmtp({ port: wantPort = 0, starttls = false, key, cert, size = 10 * 1024 * 1024, rejectRcpt, delayMs = 0, beforeReply, afterReply } = {}) {
  const messages = [];
  const waiters = new Set();
  let connections = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: starttls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(starttls ? { key, cert } : {}),
    size,
    logger: false,
    banner: 'SecureTransfer test SMTP',
    onConnect(session, cb) {
      connections++;
      cb();
    },
    onRcptTo(address, session, cb) {
      const err = rejectRcpt?.(address.address);
      cb(err || undefined);
    },
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', async () => {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        if (stream.sizeExceeded) {
          const err = new Error('message too big');
          err.responseCode = 552;
          return cb(err);
        }
        const raw = Buffer.concat(chunks);
        try {
          const parsed = await simpleParser(raw);
          const msg = Object.assign(parsed, {
            raw: raw.toString('utf8'),
            envelope: {
              from: session.envelope.mailFrom && session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((r) => r.address),
            },
          });
          messages.push(msg);
          for (const w of waiters) w(msg);
          if (beforeReply) await beforeReply(msg);
          cb();
          afterReply?.(msg);
        } catch (err) {
          cb(err);
        }
      });
    },
  });
  server.on('error', () => {}); // client resets are not test failures

  await new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(wantPort, '127.0.0.1', () => {
      server.off('error', rej);
      res();
    });
  });
  const { port } = server.server.address();

  return {
    port,
    host: '127.0.0.1',
    messages,
    /** How many connections were made to it so far. */
    get connections() {
      return connections;
    },
    /** Resolves with the first (already received or future) message matching predicate. */
    waitForMail(predicate = () => true, timeoutMs = 10000) {
      const hit = messages.find(predicate);
      if (hit) return Promise.resolve(hit);
      return new Promise((res, rej) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          rej(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        const check = (m) => {
          if (!predicate(m)) return;
          clearTimeout(timer);
          waiters.delete(check);
          res(m);
        };
        waiters.add(check);
      });
    },
    stop() {
      return new Promise((res) => server.close(() => res()));
    },
  };
}
