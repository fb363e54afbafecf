// "/r/:id#<S>": the link page of a recipient without an account (R1, R2;
// docs/receive.md). S is taken from the fragment and dropped from the
// address bar at once; it goes to the download Worker, which answers only
// link_auth. Then: the sender, expiry and masked mobile number; "Verstuur
// code"; the 6-digit code; and the receive view. GET of this page changes
// nothing: the first state-changing request is the POST …/open.
// Without S (strict delivery: the server's mail names only /r/<id>, and the
// sender delivers the link or reads out the code words) the page asks for
// the link or the words (receive/linkinput.js); a wrong one is refused with
// the same words whether or not the message exists.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Alert, Status, SubmitButton, TextArea, TextField, errorText } from '../components/Form.jsx';
import { Received } from '../components/Received.jsx';
import { TrustedSender } from '../components/KeyChange.jsx';
import { api, ApiError } from '../lib/api.js';
import { takeFragment } from '../lib/fragment.js';
import { t, tn } from '../lib/i18n.js';
import { useLang, useTitle } from '../lib/page.js';
import { ReceiveWorker } from '../receive/client.js';
import { secretFromInput } from '../receive/linkinput.js';
import { formatDateTime } from '../send/names.js';
import { PATHS } from '../paths.js';
import { RECIPIENT_ANCHOR } from './Manual.jsx';
import { timeLeft } from '../components/Received.jsx';

const ID = /^[A-Za-z0-9_-]{22}$/;
const enc = encodeURIComponent;

/** The text for what was wrong with a pasted link or the typed words. */
function inputError(e) {
  switch (e?.code) {
    case 'words_unknown':
      return t('receive.words_unknown', { word: e.word, position: e.position });
    case 'words_count':
      return t('receive.words_count', { count: e.count });
    case 'words_check':
    case 'other_message':
    case 'no_secret':
    case 'empty':
      return t(`receive.${e.code}`);
    default:
      return t('receive.key_bad');
  }
}

/** The recipients' part of the manual, in a new tab: this page's link key is
 * gone from the address bar, so leaving it would lose the message. */
function ManualLink() {
  return (
    <p class="nl-paragraph st-manual-link">
      <a class="nl-link" href={`${PATHS.manual}#${RECIPIENT_ANCHOR}`} target="_blank" rel="noopener">
        {t('receive.manual')}
      </a>
    </p>
  );
}

function Page({ title, children, headingRef, testid }) {
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
function Stop({ kind, headingRef }) {
  return (
    <Page title={t(`receive.${kind}_title`)} headingRef={headingRef} testid={`receive-${kind}`}>
      <Alert type={kind === 'locked' ? 'warning' : 'error'} role="alert">
        <p class="nl-paragraph">{t(`receive.${kind}_text`)}</p>
      </Alert>
    </Page>
  );
}

function stopKind(e) {
  if (!(e instanceof ApiError)) return null;
  if (e.status === 404) return 'invalid';
  if (e.status === 410) return e.code === 'revoked' ? 'revoked' : 'expired';
  if (e.status === 423) return 'locked';
  return null;
}

export function Receive({ params }) {
  useTitle('page.receive');
  const lang = useLang();
  const id = params.id;
  const [S] = useState(() => takeFragment()); // read once, gone from the URL
  const [worker] = useState(() => new ReceiveWorker());
  const [step, setStep] = useState({ kind: 'start' });
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [code, setCode] = useState('');
  const [key, setKey] = useState('');
  const auth = useRef(null);
  const headingRef = useRef(null);
  const codeRef = useRef(null);
  const first = useRef(true);

  useEffect(() => () => worker.terminate(), [worker]);

  // Focus moves to the heading of each new step (not on the first load),
  // in the commit that shows it: the field that had it is gone by then.
  useLayoutEffect(() => {
    if (first.current) {
      first.current = step.kind === 'start';
      return;
    }
    if (step.kind !== 'view') headingRef.current?.focus();
  }, [step.kind]);

  function fail(e) {
    const kind = stopKind(e);
    if (kind) setStep({ kind });
    else setError(errorText(e));
  }

  async function load() {
    const doc = await api.get(`/r/${enc(id)}`);
    await worker.linkKey(id, doc);
    setStep({ kind: 'view', doc });
  }

  async function verify(withCode) {
    await api.post(`/r/${enc(id)}/verify`, withCode ? { link_auth: auth.current, code: withCode } : { link_auth: auth.current });
    await load();
  }

  // pasted: S came from the form, so a wrong one asks again (the server's
  // 404 is the same for a wrong S and an unknown message).
  async function begin(secret, pasted = false) {
    setError(null);
    if (!ID.test(id)) return setStep({ kind: 'invalid' });
    if (!secret) return setStep({ kind: 'nokey' });
    setBusy(t('receive.checking'));
    try {
      try {
        auth.current = await worker.linkAuth(id, secret);
      } catch {
        setStep({ kind: 'nokey', bad: t('receive.key_bad') });
        return;
      }
      let o;
      try {
        o = await api.post(`/r/${enc(id)}/open`, { link_auth: auth.current });
      } catch (e) {
        if (pasted && e instanceof ApiError && e.status === 404) {
          setStep({ kind: 'nokey', bad: t('receive.key_bad') });
          return;
        }
        throw e;
      }
      setKey('');
      if (o.locked) return setStep({ kind: 'locked' });
      if (o.open) return await load();
      if (!o.code_required) return await verify(null);
      setStep({ kind: 'gate', open: o, sent: false });
    } catch (e) {
      if (e?.code === 'stanza_auth') setStep({ kind: 'invalid' });
      else fail(e);
    } finally {
      setBusy(null);
    }
  }

  useEffect(() => {
    begin(S);
  }, [id]);

  async function sendCode(event) {
    event?.preventDefault();
    if (busy) return;
    setError(null);
    setBusy(t('receive.sending_code'));
    try {
      await api.post(`/r/${enc(id)}/code`, { link_auth: auth.current });
      setCode('');
      setStep((s) => ({ ...s, sent: true, sentAt: Date.now() }));
      setTimeout(() => codeRef.current?.focus(), 0);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  }

  async function submitCode(event) {
    event.preventDefault();
    if (busy) return;
    const c = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(c)) {
      setError(t('receive.code_format'));
      codeRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(t('receive.checking_code'));
    try {
      await verify(c);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && (e.code === 'wrong_code' || e.code === 'code_expired')) {
        const left = e.details?.attempts_left;
        setError(
          e.code === 'code_expired' ? t('receive.code_expired')
            : Number.isInteger(left) ? tn('receive.code_wrong', left)
              : t('receive.code_wrong_plain'),
        );
        setCode('');
        codeRef.current?.focus();
      } else if (e instanceof ApiError && e.code === 'no_code') {
        setError(t('receive.code_none'));
      } else fail(e);
    } finally {
      setBusy(null);
    }
  }

  function submitKey(event) {
    event.preventDefault();
    if (busy) return;
    let s;
    try {
      s = secretFromInput(key, id);
    } catch (e) {
      setStep({ kind: 'nokey', bad: inputError(e) });
      return;
    }
    begin(s, true);
  }

  switch (step.kind) {
    case 'invalid':
    case 'expired':
    case 'revoked':
    case 'locked':
      return <Stop kind={step.kind} headingRef={headingRef} />;
    case 'view': {
      const doc = step.doc;
      const urls = {};
      for (const f of doc.files) urls[f.index] = `/api/v1/r/${enc(id)}/files/${enc(f.id)}`;
      return (
        <article class="st-page st-page--wide">
          <TrustedSender sender={doc.sender}>
            <Received
              msgId={id}
              doc={doc}
              worker={worker}
              urls={urls}
              expect={{ sign_pk: doc.sender?.ed25519_pk, sender_email: doc.sender?.email, recipient_key_id: 'link' }}
            />
          </TrustedSender>
          <ManualLink />
        </article>
      );
    }
    case 'nokey':
      return (
        <Page title={t('receive.nokey_title')} headingRef={headingRef} testid="receive-nokey">
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
        </Page>
      );
    case 'gate': {
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
        <Page title={t(step.sent ? 'receive.code_title' : 'page.receive')} headingRef={headingRef} testid="receive-gate">
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
        </Page>
      );
    }
    default:
      return (
        <Page title={t('page.receive')} headingRef={headingRef}>
          <Status busy={busy || t('receive.checking')} error={error} />
        </Page>
      );
  }
}
