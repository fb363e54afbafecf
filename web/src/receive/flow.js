// The state machine of the link page (pages/Receive.jsx; R1, R2,
// docs/receive.md): S to the download Worker (link_auth only comes back),
// POST …/open, the SMS code or not, then the message. Steps:
//   start → nokey (no S, or a wrong one) | gate (a code is needed) | view
//   any → invalid | expired | revoked | locked (the end states)
// GET of the page changes nothing: the first state-changing request is the
// POST …/open.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../components/Form.jsx';
import { api, ApiError } from '../lib/api.js';
import { t, tn } from '../lib/i18n.js';
import { secretFromInput } from './linkinput.js';

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

/** The end state an API error means, or null. */
function stopKind(e) {
  if (!(e instanceof ApiError)) return null;
  if (e.status === 404) return 'invalid';
  if (e.status === 410) return e.code === 'revoked' ? 'revoked' : 'expired';
  if (e.status === 423) return 'locked';
  return null;
}

/**
 * The link flow of message id with secret S (null without one) through the
 * download Worker. → {step, busy, error, code, setCode, key, setKey,
 * headingRef, codeRef, sendCode, submitCode, submitKey}.
 */
export function useLinkFlow(id, S, worker) {
  const [step, setStep] = useState({ kind: 'start' });
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [code, setCode] = useState('');
  const [key, setKey] = useState('');
  const auth = useRef(null);
  const headingRef = useRef(null);
  const codeRef = useRef(null);
  const first = useRef(true);

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

  return { step, busy, error, code, setCode, key, setKey, headingRef, codeRef, sendCode, submitCode, submitKey };
}
