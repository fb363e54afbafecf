// Strict delivery, the sender's side (SECURITY.md §1.6, docs/receive.md): the
// server never got S, so the sender's page shows the link and three ways to
// deliver it — a draft in the sender's own mail program (mailto:), the
// clipboard, and 24 code words to read out by phone. S comes from the
// sender's sealed copy (link_secret_sealed), opened with K from the
// self-stanza in the key Worker; it lives in this component's state only.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { messageCrypto } from '../account/page/client.js';
import { b64uDecode } from '../crypto/b64u.js';
import { secretWords } from '../crypto/codewords.js';
import { t } from '../lib/i18n.js';
import { formatDateTime } from '../lib/format.js';
import { Alert } from './Form.jsx';

/** The language of the recipient's texts (the recipient's own when the message names one). */
const rcptLang = (m) => (m.recipient?.lang === 'en' ? 'en' : 'nl');

/** A mailto: URL (RFC 6068) with subject and body; CRLF line ends in the body. */
export function mailtoUrl(to, subject, body) {
  const q = (s) => encodeURIComponent(s);
  const addr = q(to).replace(/%40/g, '@');
  return `mailto:${addr}?subject=${q(subject)}&body=${q(body.replace(/\r?\n/g, '\r\n'))}`;
}

function deliveryMail(m, link) {
  const lang = rcptLang(m);
  const params = {
    name: m.recipient.name,
    sender: m.sender?.name || '',
    service: 'SecureTransfer',
    link,
    expires: m.expires_at ? formatDateTime(m.expires_at, lang) : '',
  };
  return mailtoUrl(
    m.recipient.email,
    t('strict.mail_subject', params, lang),
    t(m.recipient.phone ? 'strict.mail_body_sms' : 'strict.mail_body', params, lang),
  );
}

/**
 * "Open in mijn e-mailprogramma" (a mailto: draft) and "Kopieer link", with
 * the result of copying in a polite live region; children go in the same
 * row. Also used for a request link the employee sends (pages/Request.jsx).
 */
export function DeliveryButtons({ link, mailto, name, children }) {
  const [copied, setCopied] = useState(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('ok');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <>
      <p class="st-actions st-button-row">
        <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href={mailto}
          data-native="" data-testid="delivery-mail">
          {t('strict.mail')}
        </a>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={copy}>{t('strict.copy')}</button>
        {children}
      </p>
      <div role="status" aria-live="polite">
        {copied && (
          <Alert type={copied === 'ok' ? 'ok' : 'error'}>
            <p class="nl-paragraph">{t(copied === 'ok' ? 'strict.copied' : 'strict.copy_failed', { name })}</p>
          </Alert>
        )}
      </div>
    </>
  );
}

export function LinkDelivery({ m }) {
  const [secret, setSecret] = useState(null); // null: opening; '': unavailable
  const [words, setWords] = useState(false);
  const wordsRef = useRef(null);
  const name = m.recipient.name;

  useEffect(() => {
    let live = true;
    setSecret(null);
    if (!m.link_secret_sealed || !m.self_stanza || !m.link_url) {
      setSecret('');
      return undefined;
    }
    messageCrypto('msgLinkSecret', { msgId: m.id, stanza: m.self_stanza, sealed: m.link_secret_sealed }).then(
      (r) => live && setSecret(r.secret),
      () => live && setSecret(''),
    );
    return () => {
      live = false;
    };
  }, [m.id, m.link_secret_sealed, m.self_stanza]);

  // In the commit that shows the words (as the dialogs do): the focus is on
  // their heading before anything else can run.
  useLayoutEffect(() => {
    if (words) wordsRef.current?.focus();
  }, [words]);

  const link = secret ? `${m.link_url}#${secret}` : '';

  return (
    <section class="st-section st-delivery" aria-labelledby="delivery-title" data-testid="link-delivery">
      <h2 class="nl-heading nl-heading--level-2" id="delivery-title">{t('strict.title')}</h2>
      {secret === null && <p class="nl-paragraph" role="status">{t('strict.loading')}</p>}
      {secret === '' && (
        <Alert type="warning">
          <p class="nl-paragraph">{t('strict.unavailable')}</p>
        </Alert>
      )}
      {secret && (
        <>
          <Alert type="warning">
            <p class="nl-paragraph">{t('strict.intro', { name })}</p>
          </Alert>
          <p class="nl-paragraph st-delivery__label">{t('strict.link')}</p>
          <p class="st-delivery__link" translate="no" data-testid="delivery-link">
            <code>{link}</code>
          </p>
          <DeliveryButtons link={link} mailto={deliveryMail(m, link)} name={name}>
            <button type="button" class="utrecht-button utrecht-button--secondary-action" aria-expanded={words ? 'true' : 'false'}
              aria-controls="delivery-words" onClick={() => setWords((w) => !w)}>
              {words ? t('strict.hide') : t('strict.read')}
            </button>
          </DeliveryButtons>
          <div id="delivery-words" hidden={!words}>
            {words && (
              <>
                <h3 class="nl-heading nl-heading--level-3" tabIndex={-1} ref={wordsRef}>{t('strict.read_title')}</h3>
                <p class="nl-paragraph">{t('strict.read_text', { name })}</p>
                <ol class="st-delivery__words" translate="no" lang="en" data-testid="delivery-words">
                  {secretWords(b64uDecode(secret)).map((w, i) => <li key={i}>{w}</li>)}
                </ol>
              </>
            )}
          </div>
        </>
      )}
    </section>
  );
}
