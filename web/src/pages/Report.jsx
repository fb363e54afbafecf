// "/berichten/:id/rapport" (P3, "Rapportage"): the status of one message and
// the timeline of what happened to it, from GET /api/v1/messages/:id/events
// (sender, or the account recipient's own view), times in Europe/Amsterdam;
// "Download rapportage" fetches the same report as a PDF (P4).
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../components/Form.jsx';
import { api } from '../lib/api.js';
import { withMailbox } from '../lib/mailbox.js';
import { getLang, hasKey, t } from '../lib/i18n.js';
import { StateBadge } from '../lib/states.js';
import { useLang, useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';
import { formatDateTime, formatSize } from '../lib/format.js';
import { RequireLogin } from '../components/RequireLogin.jsx';

const enc = encodeURIComponent;
const KINDS = [
  'created', 'file.uploaded', 'sent', 'mail.queued', 'mail.sent', 'mail.failed', 'sms.queued', 'sms.sent', 'sms.failed', 'link_opened', 'code_sent',
  'code_wrong', 'code_right', 'code_unlocked', 'opened', 'downloaded', 'expired', 'revoked', 'aborted',
];

/** Date and time to the second, in Amsterdam. */
function stamp(ms, lang) {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    timeZone: 'Europe/Amsterdam', dateStyle: 'long', timeStyle: 'medium',
  }).format(new Date(ms));
}

function party(e, m) {
  if (e.by === 'sender') return t('report.by_sender', { name: m.sender.name });
  if (e.by === 'recipient') return t('report.by_recipient', { name: m.recipient.name });
  if (e.by === 'link') return t('report.by_link');
  return t('report.by_system');
}

/** Who did it; for a department mailbox also the member who acted (A7). */
function who(e, m) {
  const p = party(e, m);
  if (!e.member) return p;
  return t('report.by_member', { party: p, name: e.member.name || e.member.email, email: e.member.email });
}

/** A transport's reply: the development transports' tokens in words (as src/report/msg_report.c does), others as they came. */
function replyText(reply) {
  const m = /^250 st:([a-z]+)$/.exec(reply || '');
  return m && hasKey(`report.reply_st_${m[1]}`) ? t(`report.reply_st_${m[1]}`) : reply;
}

function detail(e, files) {
  if (e.file_name) return e.file_name;
  if (Number.isInteger(e.file)) return files.find((f) => f.index === e.file)?.name ?? '';
  if (e.to || e.reply) return [e.to && t('report.to', { to: e.to }), e.reply && t('report.reply', { reply: replyText(e.reply) })].filter(Boolean).join('; ');
  return '';
}

function Facts({ m, lang }) {
  const rows = [
    ['message.state', <StateBadge state={m.state} testid="report-state" />],
    ['compose.subject', m.subject || t('list.no_subject')],
    ['lists.reference', m.reference || '–'],
    ['lists.sender', `${m.sender.name} <${m.sender.email}>`],
    ['lists.recipient', `${m.recipient.name} <${m.recipient.email}>`],
    ['message.delivery', t(`report.delivery_${m.recipient.kind === 'account' ? 'account' : m.delivery === 'strict' ? 'strict' : 'standard'}`)],
    ['report.created_at', formatDateTime(m.created_at, lang)],
    m.sent_at && ['list.sent_at', formatDateTime(m.sent_at, lang)],
    m.expires_at && [m.expires_at * 1000 > Date.now() ? 'report.available_until' : 'report.expired_at', formatDateTime(m.expires_at, lang)],
  ].filter(Boolean);
  return (
    <dl class="st-report-facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{t(k)}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function ReportPage({ id }) {
  const lang = useLang();
  const [doc, setDoc] = useState(null);
  const [error, setError] = useState(null);
  useTitle('page.report');
  useEffect(() => {
    let live = true;
    api.get(`/messages/${enc(id)}/events`).then((r) => live && setDoc(r), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id]);

  if (error)
    return (
      <article class="st-page">
        <h1 class="nl-heading nl-heading--level-1">{t('page.report')}</h1>
        <p class="nl-paragraph">{error.status === 404 ? t('message.not_found') : errorText(error)}</p>
      </article>
    );
  if (!doc)
    return (
      <article class="st-page">
        <h1 class="nl-heading nl-heading--level-1">{t('page.report')}</h1>
        <p class="nl-paragraph" aria-busy="true">{t('app.loading')}</p>
      </article>
    );
  const m = doc.message;
  const back = doc.role === 'sender' ? PATHS.sent : PATHS.received;
  return (
    <article class="st-page st-page--wide">
      <p class="st-back">
        <a class="nl-link" href={back}>
          {t(doc.role === 'sender' ? 'report.back_sent' : 'report.back_received')}
        </a>
      </p>
      <h1 class="nl-heading nl-heading--level-1">{t('page.report')}</h1>
      <Facts m={m} lang={lang} />
      <p class="st-actions">
        <a
          class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action"
          href={withMailbox(`/api/v1/messages/${enc(m.id)}/report.pdf?lang=${getLang()}`)}
          download={`rapportage-${m.id}.pdf`}
          data-testid="download-report"
        >
          {t('report.download')}
        </a>
      </p>
      <section class="st-section" aria-labelledby="files-title">
        <h2 class="nl-heading nl-heading--level-2" id="files-title">{t('report.files')}</h2>
        <ul class="utrecht-unordered-list st-report-files">
          {m.files.map((f) => (
            <li class="utrecht-unordered-list__item" key={f.index}>
              <span class="st-wrap">{f.name}</span> <span class="st-muted st-small">({formatSize(f.size, lang)})</span>
            </li>
          ))}
        </ul>
      </section>
      <section class="st-section" aria-labelledby="timeline-title">
        <h2 class="nl-heading nl-heading--level-2" id="timeline-title">{t('report.timeline')}</h2>
        <div class="utrecht-table-container">
          <table class="utrecht-table utrecht-table--html-table st-stack st-list-table st-list-table--full" aria-labelledby="timeline-title" data-testid="timeline">
            <thead class="utrecht-table__header">
              <tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="col">{t('report.when')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('report.what')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('report.who')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('report.details')}</th>
              </tr>
            </thead>
            <tbody class="utrecht-table__body">
              {doc.events.map((e, i) => (
                <tr class="utrecht-table__row" key={i} data-kind={e.kind}>
                  <td class="utrecht-table__cell st-nowrap">
                    <time dateTime={new Date(e.at_ms).toISOString()}>{stamp(e.at_ms, lang)}</time>
                  </td>
                  <td class="utrecht-table__cell st-keep-words">{KINDS.includes(e.kind) ? t(`report.event_${e.kind.replace('.', '_')}`) : e.kind}</td>
                  <td class="utrecht-table__cell st-who">{who(e, m)}</td>
                  <td class="utrecht-table__cell st-wrap">{detail(e, m.files)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {doc.truncated && <p class="nl-paragraph">{t('report.truncated')}</p>}
        <p class="nl-paragraph st-muted st-small">{t('report.times_note')}</p>
      </section>
    </article>
  );
}

export function Report({ params }) {
  return <RequireLogin>{() => <ReportPage id={params.id} />}</RequireLogin>;
}
