// "/berichten/:id". For the sender (S7): status in words, recipient (masked
// mobile number), subject, reference, the files, the dates in
// Europe/Amsterdam time, "Intrekken" and — when wrong codes locked the link —
// "Ontgrendelen"; a sent message can be read back with the self-stanza. A
// link message sent in strict mode shows the link for the sender to deliver
// (components/LinkDelivery.jsx). A
// message still `uploading` (a reload during the upload) offers "Verder met
// versturen" (components/Resume.jsx). For an account recipient (R3): the
// receive view, K opened by the account Worker and handed to the download
// Worker (components/Received.jsx).
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Alert, errorText } from '../components/Form.jsx';
import { TrustedSender } from '../components/KeyChange.jsx';
import { LinkDelivery } from '../components/LinkDelivery.jsx';
import { Received } from '../components/Received.jsx';
import { Resume } from '../components/Resume.jsx';
import { api } from '../lib/api.js';
import { currentMailbox, withMailbox } from '../lib/mailbox.js';
import { ReceiveWorker } from '../receive/client.js';
import { t } from '../lib/i18n.js';
import { stateKey, stateLabel } from '../lib/states.js';
import { useLang, useTitle } from '../lib/page.js';
import { displayName } from '../lib/filenames.js';
import { formatDateTime, formatSize } from '../lib/format.js';
import { maskPhone } from '../lib/phone.js';
import { reportPath } from '../paths.js';
import { RequireLogin } from '../components/RequireLogin.jsx';
import { Loading } from '../components/Loading.jsx';

const READABLE = ['sent', 'opened', 'downloaded'];
const enc = encodeURIComponent;

/** Download URLs of an account party, by manifest index. */
function accountUrls(m) {
  const urls = {};
  for (const f of m.files) urls[f.index] = withMailbox(`/api/v1/messages/${enc(m.id)}/files/${enc(f.id)}`);
  return urls;
}

/**
 * K from `stanza` (the recipient's stanza or the sender's self-stanza),
 * opened in the account Worker and passed to a fresh download Worker.
 * Renders Received once the Worker holds K.
 */
function WithKey({ m, stanza, expect, heading }) {
  const [worker, setWorker] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const w = new ReceiveWorker();
    let live = true;
    w.accountKey(m.id, stanza).then(() => live && setWorker(w), (e) => live && setError(e));
    return () => {
      live = false;
      w.terminate();
    };
  }, [m.id, stanza]);
  return error ? (
    <Alert type="error" role="alert">
      <p class="nl-paragraph">{error.code === 'stanza_auth' ? t('receive.key_reset') : errorText(error)}</p>
    </Alert>
  ) : !worker ? (
    <p class="nl-paragraph" role="status">{t('receive.opening')}</p>
  ) : (
    <Received msgId={m.id} doc={m} worker={worker} urls={accountUrls(m)} expect={expect} heading={heading} />
  );
}

/*
 * The key the sender must have signed for: the account's own, or for a
 * department mailbox the version its stanza is wrapped to (a stanza opens
 * only with the key its id names, and the Worker holds only versions it was
 * granted).
 */
function ownKeyId(m, account) {
  return currentMailbox() ? m.stanza_key_id : account.user?.key_id;
}

function RecipientView({ m, account }) {
  const problem = !READABLE.includes(m.state)
    ? (m.state === 'revoked' ? 'receive.revoked_title' : 'receive.expired_title')
    : !m.stanza ? 'receive.key_reset' : null;
  return problem ? (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('page.receive')}</h1>
      <Alert type="error" role="alert">
        <p class="nl-paragraph">{t(problem)}</p>
      </Alert>
    </article>
  ) : (
    <article class="st-page st-page--wide">
      <TrustedSender sender={m.sender} self={m.sender?.user_id === account.user?.id}>
        <WithKey
          m={m}
          stanza={m.stanza}
          heading
          expect={m.sender?.kind === 'external'
            ? { external: true, sender_email: m.sender.email, recipient_key_id: ownKeyId(m, account) }
            : { sign_pk: m.sender?.ed25519_pk, sender_email: m.sender?.email, recipient_key_id: ownKeyId(m, account) }}
        />
      </TrustedSender>
    </article>
  );
}

/** Intrekken (with a confirm step) and Ontgrendelen, for the sender. */
function SenderActions({ m, reload }) {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const confirmRef = useRef(null);
  const doneRef = useRef(null);
  useLayoutEffect(() => { if (confirm) confirmRef.current?.focus(); }, [confirm]);
  useLayoutEffect(() => { if (done) doneRef.current?.focus(); }, [done]);

  async function post(path, ok) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/messages/${enc(m.id)}/${path}`);
      // The page shows the new state before the result is announced.
      await reload();
      setConfirm(false);
      setDone(ok);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const canRevoke = READABLE.includes(m.state);
  if (!canRevoke && !m.otp_locked && !done && !error) return null;
  return (
    <section class="st-section" aria-labelledby="actions-title">
      <h2 class="nl-heading nl-heading--level-2" id="actions-title">{t('message.actions')}</h2>
      {m.otp_locked && canRevoke && (
        <Alert type="warning" title={t('message.locked_title')}>
          <p class="nl-paragraph">{t('message.locked_text')}</p>
          <p class="st-actions">
            <button type="button" class="utrecht-button utrecht-button--primary-action" aria-disabled={busy ? 'true' : undefined}
              onClick={() => post('unlock', t('message.unlocked'))}>
              {t('message.unlock')}
            </button>
          </p>
        </Alert>
      )}
      {canRevoke && !confirm && (
        <p class="st-actions">
          <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => setConfirm(true)}>
            {t('message.revoke')}
          </button>
        </p>
      )}
      {canRevoke && confirm && (
        <div class="st-confirm" data-testid="revoke-confirm">
          <Alert type="warning">
            <p class="nl-paragraph" tabIndex={-1} ref={confirmRef}>{t('message.revoke_confirm')}</p>
            <p class="st-actions st-button-row">
              <button type="button" class="utrecht-button utrecht-button--primary-action" aria-disabled={busy ? 'true' : undefined}
                onClick={() => post('revoke', t('message.revoked'))}>
                {t('message.revoke_yes')}
              </button>
              <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => setConfirm(false)}>
                {t('message.cancel')}
              </button>
            </p>
          </Alert>
        </div>
      )}
      <div role="status" aria-live="polite">
        {done && (
          <Alert type="ok"><p class="nl-paragraph" tabIndex={-1} ref={doneRef}>{done}</p></Alert>
        )}
      </div>
      {error && (
        <div role="alert"><Alert type="error"><p class="nl-paragraph">{error}</p></Alert></div>
      )}
    </section>
  );
}

function Item({ label, children, testid }) {
  return (
    <div class="utrecht-data-list__item">
      <dt class="utrecht-data-list__item-key">{label}</dt>
      <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" data-testid={testid}>{children}</dd>
    </div>
  );
}

/** How K reaches the recipient: through their account, or the link (standard or strict). */
const deliveryOf = (m) => (m.recipient.kind === 'account' ? 'account' : m.delivery === 'strict' ? 'strict' : 'standard');

function MessageView({ m, account, reload }) {
  const lang = useLang();
  const state = stateKey(m.state);
  const deliver = deliveryOf(m) === 'strict' && READABLE.includes(m.state);
  // When the sender can open the contents, their document list (with the
  // download buttons) is the one shown; otherwise the server's list.
  const contents = READABLE.includes(m.state) && m.self_stanza && m.manifest;
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{m.subject ? t('message.heading_subject', { subject: m.subject }) : t('page.report')}</h1>
      <p class={`st-state st-state--${state}`} data-testid="message-state">
        <span class="rhc-visually-hidden">{t('message.state')}: </span>
        {stateLabel(state)}
      </p>
      {deliver && <LinkDelivery m={m} />}
      <dl class="utrecht-data-list st-data-list">
        <Item label={t('message.recipient')}>
          {m.recipient.name} <span class="st-muted">&lt;{m.recipient.email}&gt;</span>
        </Item>
        {m.recipient.phone && (
          <Item label={t('message.phone')} testid="message-phone">
            <span translate="no">{maskPhone(m.recipient.phone)}</span>
          </Item>
        )}
        <Item label={t('message.delivery')} testid="message-delivery">{t(`message.delivery_${deliveryOf(m)}`)}</Item>
        <Item label={t('compose.subject')}>{m.subject || <span class="st-muted">{t('message.none')}</span>}</Item>
        <Item label={t('compose.reference')}>{m.reference || <span class="st-muted">{t('message.none')}</span>}</Item>
        <Item label={t('message.created')}>{formatDateTime(m.created_at, lang)}</Item>
        {m.sent_at && <Item label={t('message.sent')}>{formatDateTime(m.sent_at, lang)}</Item>}
        {m.expires_at && <Item label={t('message.expires')} testid="message-expires">{formatDateTime(m.expires_at, lang)}</Item>}
        {m.state === 'uploading' && <Item label={t('message.deadline')}>{formatDateTime(m.upload_deadline, lang)}</Item>}
      </dl>
      {!contents && (
      <section class="st-section" aria-labelledby="files-title">
        <h2 class="nl-heading nl-heading--level-2" id="files-title">{t('compose.documents')}</h2>
        <ul class="st-files">
          {m.files.map((f) => (
            <li class="st-files__item" key={f.id}>
              <span class="st-files__name" translate="no">{displayName(f.name)}</span>
              <span class="st-files__size">{formatSize(f.size, lang)}</span>
              {m.state === 'uploading' && <span class="st-files__state">{t(f.done ? 'message.file_done' : 'message.file_open')}</span>}
            </li>
          ))}
        </ul>
      </section>
      )}
      {m.state === 'uploading' && <Resume message={m} account={account} onDone={reload} />}
      {m.state !== 'uploading' && (
        <p class="st-actions">
          <a class="nl-link" href={reportPath(m.id)}>{t('message.report')}</a>
        </p>
      )}
      <SenderActions m={m} reload={reload} />
      {contents && (
        <WithKey
          m={m}
          stanza={m.self_stanza}
          heading={false}
          expect={{ sign_pk: m.sender?.ed25519_pk, sender_email: m.sender?.email }}
        />
      )}
    </article>
  );
}

function MessagePage({ id, account }) {
  const [m, setM] = useState(null);
  useTitle(m?.role === 'recipient' ? 'page.receive' : 'page.report');
  const [error, setError] = useState(null);
  const load = () =>
    api.get(`/messages/${encodeURIComponent(id)}`).then(setM, (e) => setError(e));
  useEffect(() => {
    setM(null);
    setError(null);
    load();
  }, [id]);
  return error ? (
    <MessageError error={error} />
  ) : !m ? (
    <Loading />
  ) : m.role === 'recipient' ? (
    <RecipientView m={m} account={account} />
  ) : (
    <MessageView m={m} account={account} reload={load} />
  );
}

function MessageError({ error }) {
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('page.report')}</h1>
      <Alert type="error" role="alert">
        <p class="nl-paragraph">{error.status === 404 ? t('message.not_found') : errorText(error)}</p>
      </Alert>
    </article>
  );
}

export function Message({ params }) {
  return <RequireLogin>{(account) => <MessagePage id={params.id} account={account} />}</RequireLogin>;
}
