// The steps of the link page (pages/Receive.jsx, state in receive/flow.js):
// the page frame with the manual link, the end states, the form for a
// link or code words (strict delivery), and the SMS code gate.
import { Alert, Status, SubmitButton, TextArea, TextField } from './Form.jsx';
import { timeLeft } from './Received.jsx';
import { t } from '../lib/i18n.js';
import { useLang } from '../lib/page.js';
import { formatDateTime } from '../lib/format.js';
import { PATHS } from '../paths.js';
import { RECIPIENT_ANCHOR } from '../pages/Manual.jsx';

/** The recipients' part of the manual, in a new tab: this page's link key is
 * gone from the address bar, so leaving it would lose the message. */
export function ManualLink() {
  return (
    <p class="nl-paragraph st-manual-link">
      <a class="nl-link" href={`${PATHS.manual}#${RECIPIENT_ANCHOR}`} target="_blank" rel="noopener">
        {t('receive.manual')}
      </a>
    </p>
  );
}

export function ReceivePage({ title, children, headingRef, testid }) {
  return (
    <article class="st-page" data-testid={testid}>
      <h1 class="nl-heading nl-heading--level-1 st-focus-heading" tabIndex={-1} ref={headingRef}>
        {title}
      </h1>
      {children}
      <ManualLink />
    </article>
  );
}

/** The end states: invalid link, expired, withdrawn, locked. */
export function Stop({ kind, headingRef }) {
  return (
    <ReceivePage title={t(`receive.${kind}_title`)} headingRef={headingRef} testid={`receive-${kind}`}>
      <Alert type={kind === 'locked' ? 'warning' : 'error'} role="alert">
        <p class="nl-paragraph">{t(`receive.${kind}_text`)}</p>
      </Alert>
    </ReceivePage>
  );
}

/** No link key in the address: paste the link or type the code words (strict delivery). */
export function KeyForm({ flow }) {
  const { step, busy, error, key, setKey, headingRef, submitKey } = flow;
  return (
    <ReceivePage title={t('receive.nokey_title')} headingRef={headingRef} testid="receive-nokey">
      <p class="nl-paragraph">{t('receive.nokey_text')}</p>
      <form class="st-form" onSubmit={submitKey} noValidate>
        <TextArea
          id="link-key"
          label={t('receive.key')}
          description={t('receive.key_hint')}
          value={key}
          onInput={setKey}
          rows={4}
          spellcheck={false}
          autocomplete="off"
          autocapitalize="off"
          error={step.bad || null}
        />
        <SubmitButton busy={!!busy}>{t('receive.key_submit')}</SubmitButton>
      </form>
      <Status busy={busy} error={error} />
    </ReceivePage>
  );
}

/** The SMS code: send it, type it, or type one sent earlier that is still good. */
export function CodeGate({ flow }) {
  const lang = useLang();
  const { step, busy, error, code, setCode, headingRef, codeRef, sendCode, submitCode } = flow;
  const o = step.open;
  const left = o.expires_at ? timeLeft(o.expires_at) : null;
  // A code sent earlier (another visit) that is still good: type it here
  // instead of costing another SMS (issue 25 item 5).
  const have = !step.sent && Number.isInteger(o.code_expires_at) && o.code_expires_at * 1000 > Date.now();
  const codeForm = (
    <form class="st-form" onSubmit={submitCode} noValidate>
      <TextField
        id="otp"
        label={t('receive.code')}
        description={t('receive.code_hint')}
        value={code}
        onInput={setCode}
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]*"
        maxLength={6}
        inputRef={codeRef}
        error={error}
      />
      <SubmitButton busy={!!busy}>{t('receive.code_submit')}</SubmitButton>
      <div class="rhc-visually-hidden" role="alert">{error}</div>
    </form>
  );
  return (
    <ReceivePage title={t(step.sent ? 'receive.code_title' : 'page.receive')} headingRef={headingRef} testid="receive-gate">
      <p class="nl-paragraph nl-paragraph--lead">{t('receive.gate_intro', { sender: o.sender?.name || '' })}</p>
      <dl class="utrecht-data-list st-data-list">
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">{t('receive.sender')}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">{o.sender?.name}</dd>
        </div>
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">{t('receive.expires_at')}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">
            {formatDateTime(o.expires_at, lang)}
            {left && <span class="st-muted"> ({t('receive.left', { left })})</span>}
          </dd>
        </div>
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">{t('message.phone')}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" data-testid="receive-phone">
            <span translate="no">{o.phone_masked}</span>
          </dd>
        </div>
      </dl>
      {step.sent ? (
        <>
          <p class="nl-paragraph">{t('receive.code_sent', { phone: o.phone_masked })}</p>
          {codeForm}
          <form class="st-form st-form--secondary" onSubmit={sendCode}>
            <SubmitButton busy={!!busy} kind="secondary-action">{t('receive.send_again')}</SubmitButton>
          </form>
        </>
      ) : have ? (
        <>
          <section class="st-section" aria-labelledby="have-code" data-testid="receive-have-code">
            <h2 class="nl-heading nl-heading--level-2" id="have-code">{t('receive.have_code')}</h2>
            <p class="nl-paragraph">
              {t('receive.have_code_text', { phone: o.phone_masked, until: formatDateTime(o.code_expires_at, lang) })}
            </p>
            {codeForm}
          </section>
          <form class="st-form st-form--secondary" onSubmit={sendCode}>
            <p class="nl-paragraph">{t('receive.have_code_new')}</p>
            <SubmitButton busy={!!busy} kind="secondary-action">{t('receive.send_again')}</SubmitButton>
          </form>
        </>
      ) : (
        <form class="st-form" onSubmit={sendCode}>
          <p class="nl-paragraph">{t('receive.code_explain', { phone: o.phone_masked })}</p>
          <SubmitButton busy={!!busy}>{t('receive.send_code')}</SubmitButton>
        </form>
      )}
      <Status busy={busy} error={step.sent || have ? null : error} />
    </ReceivePage>
  );
}
