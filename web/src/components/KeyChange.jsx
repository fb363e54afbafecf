// The key-change dialog (SECURITY.md §1.8, §3 #26): shown by peerkeys.js
// trustKey() through confirm(change) when a pinned key changed, before
// anything is encrypted to the new key. It shows who, the six words of the
// old and the new key, and what to do: call the colleague on a number you
// already have and compare the words. The safe choice ("Niet versturen") has
// the focus; trusting the new key needs the tick "the words match" first.
// A change that cannot be accepted (a request link's key, a signing key
// that changed under the same key id) only offers "Sluiten".
import { useEffect, useRef, useState } from 'preact/hooks';
import { trustKey } from '../account/page/peerkeys.js';
import { Alert, Checkbox, errorText } from './Form.jsx';
import { Modal } from './Dialog.jsx';
import { getLang, t } from '../lib/i18n.js';
import { formatDateTime } from '../lib/format.js';

const TITLE = {
  key: 'pin.title_key',
  removed: 'pin.title_removed',
  sign: 'pin.title_sign',
  link: 'pin.title_link',
};

function Words({ label, words, since, testid }) {
  return (
    <div class="st-pin__key">
      <p class="nl-paragraph st-pin__label">{label}</p>
      <p class="st-fingerprint" data-testid={testid}>{words || t('pin.no_key')}</p>
      {since ? <p class="nl-paragraph st-muted st-small">{t('pin.since', { date: formatDateTime(since, getLang()) })}</p> : null}
    </div>
  );
}

function Body({ change, onAnswer, introRef }) {
  const [ticked, setTicked] = useState(false);
  const [error, setError] = useState('');
  const who = { name: change.name, address: change.address };
  const removed = change.reason === 'removed';
  const text = change.reason === 'key' ? (change.mailbox ? 'pin.text_mailbox' : `pin.text_${change.purpose}`) : `pin.text_${change.reason}`;
  const trust = () => {
    if (!ticked) {
      setError(t('pin.tick_first'));
      requestAnimationFrame(() => document.getElementById('pin-ticked')?.focus());
      return;
    }
    onAnswer(true);
  };
  return (
    <div class="st-pin" data-testid="key-change">
      <p class="nl-paragraph st-pin__intro" tabIndex={-1} ref={introRef} data-testid="pin-intro">{t(text, who)}</p>
      {change.reason !== 'sign' && ( // the same key id: its words are the same, the signing key is not
        <div class="st-pin__keys">
          <Words label={t(change.reason === 'link' ? 'pin.link_key' : 'pin.old_key')} words={change.old.words} since={change.old.since} testid="pin-old" />
          <Words label={t(change.reason === 'removed' ? 'pin.now' : 'pin.new_key')} words={change.new.words} testid="pin-new" />
        </div>
      )}
      {change.acceptable ? (
        <>
          <p class="nl-paragraph">{t(removed ? 'pin.todo_removed' : change.mailbox ? 'pin.todo_mailbox' : 'pin.todo', who)}</p>
          <p class="nl-paragraph st-strong">{t(`pin.nothing_yet_${change.purpose}`)}</p>
          <Checkbox id="pin-ticked" label={t(removed ? 'pin.tick_removed' : 'pin.tick', who)} checked={ticked} error={error}
            onChange={(v) => { setTicked(v); setError(''); }} />
        </>
      ) : (
        <p class="nl-paragraph">{t(`pin.todo_${change.reason}`, who)}</p>
      )}
      <div class="st-form__actions st-dialog__actions">
        <button type="button" class="utrecht-button utrecht-button--primary-action" data-testid="pin-stop"
          onClick={() => onAnswer(false)}>
          {t(change.acceptable ? `pin.stop_${change.purpose}` : 'pin.close')}
        </button>
        {change.acceptable && (
          <button type="button" class="utrecht-button utrecht-button--secondary-action" data-testid="pin-trust" onClick={trust}>
            {t(removed ? 'pin.trust_removed' : 'pin.trust')}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * [element, confirm]: render element once; `await confirm(change)` (the
 * change of peerkeys.js) resolves true only when the user ticked that the
 * words match and chose to trust the new key.
 */
export function useKeyChange(id = 'key-change') {
  const [change, setChange] = useState(null);
  const resolver = useRef(null);
  const introRef = useRef(null);
  const answer = (v) => {
    const r = resolver.current;
    resolver.current = null;
    setChange(null);
    r?.(v);
  };
  const confirm = (c) =>
    new Promise((resolve) => {
      resolver.current = resolve;
      setChange(c);
    });
  const title = change ? t(TITLE[change.reason] ?? TITLE.key, { name: change.name, address: change.address }) : '';
  const element = (
    <Modal id={id} open={!!change} title={title} onClose={() => answer(false)} initialFocus={introRef} wide>
      {change && <Body key={`${change.address}/${change.new.key_id}`} change={change} onAnswer={answer} introRef={introRef} />}
    </Modal>
  );
  return [element, confirm];
}

/**
 * Renders children (the message: manifest, documents) only once the
 * sender's key passed peerkeys.js (purpose 'receive'): its entry in the
 * key-transparency log (else the message may be forged: receive.kt_failed),
 * then a key id and signing key as pinned, or pinned now on first use, or a
 * change the reader trusted in the dialog. The download Worker then checks that the manifest is
 * signed by exactly that signing key (Received.jsx, `expect.sign_pk`).
 * Outside senders (a key per message) and the reader's own messages pass.
 */
export function TrustedSender({ sender, self, children }) {
  const [dialog, confirm] = useKeyChange('sender-key-change');
  const skip = !sender || sender.kind !== 'account' || self;
  const [state, setState] = useState(skip ? 'ok' : 'pending');
  const [refused, setRefused] = useState(null);
  useEffect(() => {
    if (skip) return undefined;
    let live = true;
    trustKey(sender, { purpose: 'receive', name: sender.name, confirm }).then(
      () => live && setState('ok'),
      (e) => {
        if (!live) return;
        setRefused(e);
        setState('refused');
      },
    );
    return () => { live = false; };
  }, [sender?.email, sender?.key_id, sender?.ed25519_pk, skip]);
  if (state === 'ok') return children;
  return (
    <>
      {dialog}
      {state === 'pending' ? (
        <p class="nl-paragraph" role="status">{t('receive.opening')}</p>
      ) : (
        <Alert type="error" role="alert">
          <p class="nl-paragraph" data-testid="sender-untrusted">
            {refused?.name === 'TransparencyError'
              ? t('receive.kt_failed')
              : refused?.code === 'peer_key_changed'
                ? t('receive.key_untrusted')
                : errorText({ code: refused?.code })}
          </p>
        </Alert>
      )}
    </>
  );
}
