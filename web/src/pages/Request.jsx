// "Verstuur verzoek tot insturen bericht" (Q1): an employee asks someone
// outside the connected organisations to send documents. The link in the
// mail carries this browser's own key id (from the key Worker, not from the
// server) as its fragment, so the uploader's browser can refuse a key the
// server swapped (SECURITY.md §1.6). Under strict delivery (the
// organisation's policy, or the employee's choice under sender-choice) the
// server mails nothing: the page shows the link with the fragment made here
// and the employee sends it from their own mail program, so no link the
// server wrote reaches the outside person.
import { useEffect, useRef, useState } from 'preact/hooks';
import { fingerprint } from '../account/page/client.js';
import { currentMailbox } from '../lib/mailbox.js';
import { Alert, Checkbox, cleanText, errorText, SubmitButton, TextArea, TEXT_MAX, TextField } from '../components/Form.jsx';
import { DeliveryButtons, mailtoUrl } from '../components/LinkDelivery.jsx';
import { Party } from '../components/Party.jsx';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { useLang, useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';
import { validEmail } from '../lib/email.js';
import { formatDateTime } from '../lib/format.js';
import { RequireLogin } from '../components/RequireLogin.jsx';
import { RecipientLanguage } from './Compose.jsx';

const FIELD_OF = { connected_domain: 'email', bad_email: 'email', bad_name: 'name', bad_text: 'text' };

function check(d) {
  const e = {};
  if (!d.name.trim()) e.name = t('compose.name_required');
  else if (d.name.trim().length > 100) e.name = t('compose.name_too_long');
  if (!d.email.trim()) e.email = t('compose.email_required');
  else if (!validEmail(d.email.trim())) e.email = t('compose.email_invalid');
  if (d.text.length > TEXT_MAX) e.text = t('compose.too_long', { max: TEXT_MAX });
  return e;
}

/** The mailto: draft of a request link, in Dutch (the outside person's page language is theirs to pick). */
function requestMail(done, sender) {
  const params = { name: done.name, service: 'SecureTransfer', text: done.text, link: done.link, expires: formatDateTime(done.expires, 'nl'), sender };
  const body = t('request.mail_body', params, 'nl').replace(/\n{3,}/g, '\n\n');
  return mailtoUrl(done.email, t('request.mail_subject', params, 'nl'), body);
}

function RequestForm({ account }) {
  useTitle('page.request');
  const lang = useLang();
  const [policy, setPolicy] = useState('standard');
  const [strict, setStrict] = useState(false);
  useEffect(() => {
    api.get('/config').then((c) => {
      if (['standard', 'strict', 'sender-choice'].includes(c?.policy?.delivery)) setPolicy(c.policy.delivery);
    }).catch(() => {});
  }, []);
  const [d, setD] = useState({ name: '', email: '', text: '', lang: 'nl' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const [done, setDone] = useState(null);
  const form = useRef(null);
  const doneRef = useRef(null);
  const set = (k) => (v) => {
    setD((x) => ({ ...x, [k]: v }));
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
  };
  const focusFirstError = () => requestAnimationFrame(() => form.current?.querySelector('[aria-invalid="true"]')?.focus());

  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    setFailure('');
    const next = check(d);
    setErrors(next);
    if (Object.keys(next).length) return focusFirstError();
    setBusy(true);
    try {
      const { keyId } = await fingerprint();
      const email = d.email.trim();
      const asked = policy === 'strict' || (policy === 'sender-choice' && strict);
      const text = cleanText(d.text);
      const r = await api.post('/requests', { name: d.name.trim(), email, text, fp: keyId, lang: d.lang, ...(asked ? { delivery: 'strict' } : {}) });
      // The link's fragment is this browser's own key id, never the server's.
      const link = r.delivery === 'strict' && typeof r.link_url === 'string' ? `${r.link_url}#${keyId}` : null;
      setDone({ email, name: d.name.trim(), text, expires: r.expires_at, link, mismatch: asked && !link });
      setD({ name: '', email: '', text: '', lang: 'nl' });
      requestAnimationFrame(() => doneRef.current?.focus());
    } catch (err) {
      const field = FIELD_OF[err?.code];
      if (field) {
        setErrors({ [field]: err.code === 'connected_domain' ? t('request.connected_domain') : errorText(err) });
        focusFirstError();
      } else setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{t('request.title')}</h1>
      <p class="nl-paragraph nl-paragraph--lead">{t('request.intro')}</p>
      {done && !done.link && (
        <div ref={doneRef} tabIndex={-1} class="st-failure" data-testid="request-sent">
          <Alert type={done.mismatch ? 'warning' : 'ok'} role="status" title={t('request.sent_title')}>
            <p class="nl-paragraph">{t('request.sent_text', { email: done.email, date: formatDateTime(done.expires, lang) })}</p>
            {done.mismatch && <p class="nl-paragraph">{t('error.delivery_mismatch')}</p>}
            <p class="nl-paragraph"><a class="nl-link" href={PATHS.home}>{t('placeholder.home')}</a></p>
          </Alert>
        </div>
      )}
      {done?.link && (
        <section ref={doneRef} tabIndex={-1} class="st-section st-delivery" data-testid="request-link" aria-labelledby="request-link-title">
          <h2 class="nl-heading nl-heading--level-2" id="request-link-title">{t('request.link_title', { name: done.name })}</h2>
          <Alert type="warning">
            <p class="nl-paragraph">{t('request.link_text', { name: done.name, email: done.email, date: formatDateTime(done.expires, lang) })}</p>
          </Alert>
          <p class="st-delivery__link" translate="no" data-testid="delivery-link"><code>{done.link}</code></p>
          <DeliveryButtons link={done.link} name={done.name}
            mailto={requestMail(done, currentMailbox()?.name ?? account.user.name)} />
        </section>
      )}
      {failure && (
        <Alert type="error" role="alert"><p class="nl-paragraph">{failure}</p></Alert>
      )}
      <form class="st-form" ref={form} onSubmit={onSubmit} noValidate aria-busy={busy ? 'true' : undefined}>
        <Party legend={t('request.yours')} name={currentMailbox()?.name ?? account.user.name} email={currentMailbox()?.email ?? account.user.email} />
        <fieldset class="st-fieldset" disabled={busy}>
          <legend class="nl-heading nl-heading--level-2">{t('request.recipient')}</legend>
          <TextField id="req-name" label={t('request.rcpt_name')} autocomplete="off" value={d.name} onInput={set('name')} error={errors.name} maxLength={100} />
          <TextField id="req-email" type="email" label={t('request.rcpt_email')} autocomplete="off" value={d.email} onInput={set('email')} error={errors.email} maxLength={254}
            description={t('request.rcpt_email_hint')} />
          <RecipientLanguage id="req-lang" value={d.lang} onChange={set('lang')} />
        </fieldset>
        <fieldset class="st-fieldset" disabled={busy}>
          <legend class="nl-heading nl-heading--level-2">{t('request.message')}</legend>
          <TextArea id="req-text" label={t('compose.text')} value={d.text} onInput={set('text')} error={errors.text} description={t('request.text_hint')} />
        </fieldset>
        {policy === 'sender-choice' && (
          <Checkbox id="req-strict" label={t('request.strict')} description={t('request.strict_hint')} checked={strict} onChange={setStrict} />
        )}
        {policy === 'strict' && <p class="nl-paragraph" data-testid="strict-policy">{t('request.strict_policy')}</p>}
        <Alert type="info">
          <p class="nl-paragraph" data-testid="request-note">
            {t(policy === 'strict' || (policy === 'sender-choice' && strict) ? 'request.note_strict' : 'request.note')}
          </p>
        </Alert>
        <div class="st-form__actions">
          <SubmitButton busy={busy}>{t('request.submit')}</SubmitButton>
        </div>
      </form>
    </article>
  );
}

export function Request() {
  return <RequireLogin>{(account) => <RequestForm account={account} />}</RequireLogin>;
}
