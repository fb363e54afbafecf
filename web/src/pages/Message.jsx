// "/berichten/:id" for the sender (S7): status, recipient (masked mobile
// number), subject, reference, the files, and the dates in Europe/Amsterdam
// time. A message still `uploading` (a reload during the upload) offers
// "Verder met versturen" (components/Resume.jsx). The full report comes later.
import { useEffect, useState } from 'preact/hooks';
import { Alert, errorText } from '../components/Form.jsx';
import { Resume } from '../components/Resume.jsx';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { useLang, useTitle } from '../lib/page.js';
import { displayName, formatDateTime, formatSize, maskPhone } from '../send/names.js';
import { RequireLogin } from './Account.jsx';
import { Loading } from './Home.jsx';

const STATES = ['uploading', 'sent', 'opened', 'downloaded', 'expired', 'aborted', 'revoked'];

function Item({ label, children, testid }) {
  return (
    <div class="utrecht-data-list__item">
      <dt class="utrecht-data-list__item-key">{label}</dt>
      <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" data-testid={testid}>{children}</dd>
    </div>
  );
}

function MessageView({ m, account, reload }) {
  const lang = useLang();
  const state = STATES.includes(m.state) ? m.state : 'unknown';
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{m.subject ? t('message.heading_subject', { subject: m.subject }) : t('page.report')}</h1>
      <p class={`st-state st-state--${state}`} data-testid="message-state">
        <span class="rhc-visually-hidden">{t('message.state')}: </span>
        {t(`message.state_${state}`)}
      </p>
      <dl class="utrecht-data-list st-data-list">
        <Item label={t('message.recipient')}>
          {m.recipient.name} <span class="st-muted">&lt;{m.recipient.email}&gt;</span>
        </Item>
        {m.recipient.phone && (
          <Item label={t('message.phone')} testid="message-phone">
            <span translate="no">{maskPhone(m.recipient.phone)}</span>
          </Item>
        )}
        <Item label={t('compose.subject')}>{m.subject || <span class="st-muted">{t('message.none')}</span>}</Item>
        <Item label={t('compose.reference')}>{m.reference || <span class="st-muted">{t('message.none')}</span>}</Item>
        <Item label={t('message.created')}>{formatDateTime(m.created_at, lang)}</Item>
        {m.sent_at && <Item label={t('message.sent')}>{formatDateTime(m.sent_at, lang)}</Item>}
        {m.expires_at && <Item label={t('message.expires')} testid="message-expires">{formatDateTime(m.expires_at, lang)}</Item>}
        {m.state === 'uploading' && <Item label={t('message.deadline')}>{formatDateTime(m.upload_deadline, lang)}</Item>}
      </dl>
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
      {m.state === 'uploading' && <Resume message={m} account={account} onDone={reload} />}
    </article>
  );
}

function MessagePage({ id, account }) {
  useTitle('page.report');
  const [m, setM] = useState(null);
  const [error, setError] = useState(null);
  const load = () =>
    api.get(`/messages/${encodeURIComponent(id)}`).then(setM, (e) => setError(e));
  useEffect(() => {
    setM(null);
    setError(null);
    load();
  }, [id]);
  if (error) return <MessageError error={error} />;
  return m ? <MessageView m={m} account={account} reload={load} /> : <Loading />;
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
