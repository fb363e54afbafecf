// "Postbussen" (A7): the department mailboxes this person belongs to, and one
// mailbox's page: its members, "Lid toevoegen" (look up a colleague, compare
// the six fingerprint words with them, then grant the mailbox keys in this
// browser), "Verwijderen" for the owner (a new mailbox key for everyone who
// stays), "Sleutels aanmaken" for the owner of a new mailbox, and the history.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addMailboxMember, fingerprintOf, newMailboxKey, unlockMailbox } from '../account/page/client.js';
import { trustKey } from '../account/page/peerkeys.js';
import { useKeyChange } from '../components/KeyChange.jsx';
import { useConfirm } from '../components/Dialog.jsx';
import { Alert, Checkbox, errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { setMailbox } from '../lib/mailbox.js';
import { useLang, useTitle } from '../lib/page.js';
import { navigate } from '../lib/router.js';
import { mailboxPath, PATHS } from '../paths.js';
import { formatDateTime } from '../lib/format.js';
import { RequireLogin } from '../components/RequireLogin.jsx';
import { Loading } from '../components/Loading.jsx';

const enc = encodeURIComponent;

function MailboxList() {
  useTitle('page.mailboxes');
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api.get('/mailboxes').then((r) => setList(r.mailboxes), setError);
  }, []);
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('page.mailboxes')}</h1>
      <p class="nl-paragraph">{t('mbx.intro')}</p>
      {error && <Alert type="error">{errorText(error)}</Alert>}
      {list && !list.length && <p class="nl-paragraph st-empty">{t('mbx.none')}</p>}
      {list && list.length > 0 && (
        <ul class="st-plain-list" data-testid="mailbox-list">
          {list.map((m) => (
            <li key={m.id}>
              <a class="nl-link" href={mailboxPath(m.id)}>{m.name}</a> <span class="st-muted">&lt;{m.email}&gt;</span>
              {' · '}
              {t(`mbx.role_${m.role}`)}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The owner's first step for a new mailbox: its key pair, made here. */
function MakeKeys({ mb, me, onDone }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const onClick = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      const self = mb.members.find((x) => x.id === me.id);
      await newMailboxKey(mb.id, [self]);
      onDone(t('mbx.keys_made'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="st-section" aria-labelledby="mbx-keys-title">
      <h2 class="nl-heading nl-heading--level-2" id="mbx-keys-title">{t('mbx.keys_title')}</h2>
      <p class="nl-paragraph">{t('mbx.keys_intro')}</p>
      <button type="button" class="utrecht-button utrecht-button--primary-action" onClick={onClick} data-testid="mbx-make-keys">
        {t('mbx.keys_make')}
      </button>
      <Status busy={busy && t('mbx.keys_busy')} error={error} />
    </section>
  );
}

/** Lid toevoegen: look up, compare the words, then grant. */
function AddMember({ mb, onDone, confirmKey }) {
  const [email, setEmail] = useState('');
  const [found, setFound] = useState(null); // { id, name, email, key_id, x25519_pk, words }
  const [compared, setCompared] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const wordsRef = useRef(null);
  const lookUp = async (event) => {
    event.preventDefault();
    setError('');
    setFound(null);
    setCompared(false);
    try {
      const c = await api.get(`/mailboxes/${enc(mb.id)}/candidate?email=${enc(email.trim())}`);
      // The words come from the key itself, not from what the server says its id is.
      const fp = await fingerprintOf(c.x25519_pk);
      if (fp.keyId !== c.key_id) throw Object.assign(new Error('key'), { code: 'member_key_mismatch' });
      // Against the pins too: a colleague whose key changed since we last saw it asks first.
      await trustKey({ kind: 'account', ...c }, { purpose: 'member', name: c.name, confirm: confirmKey });
      setFound({ ...c, words: fp.fingerprint });
      requestAnimationFrame(() => wordsRef.current?.focus());
    } catch (err) {
      setError(errorText(err));
    }
  };
  const add = async (event) => {
    event.preventDefault();
    if (busy) return;
    if (!compared) {
      setError(t('mbx.compare_first'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await addMailboxMember(mb.id, { id: found.id, email: found.email, name: found.name, key_id: found.key_id, x25519_pk: found.x25519_pk, log: found.log },
        { confirm: confirmKey });
      setFound(null);
      setEmail('');
      onDone(t('mbx.added', { name: found.name }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="st-section" aria-labelledby="mbx-add-title">
      <h2 class="nl-heading nl-heading--level-2" id="mbx-add-title">{t('mbx.add_title')}</h2>
      <form class="st-form" onSubmit={lookUp} noValidate>
        <TextField id="mbx-email" type="email" label={t('mbx.add_email')} value={email} onInput={setEmail} autocomplete="off" />
        <div class="st-form__actions">
          <SubmitButton kind="secondary-action">{t('mbx.look_up')}</SubmitButton>
        </div>
      </form>
      {found && (
        <form class="st-form" onSubmit={add} noValidate data-testid="mbx-candidate">
          <p class="nl-paragraph">{t('mbx.compare', { name: found.name, email: found.email })}</p>
          <p class="st-fingerprint" tabIndex={-1} ref={wordsRef} data-testid="mbx-words">{found.words}</p>
          <Checkbox id="mbx-compared" label={t('mbx.compared', { name: found.name })} checked={compared} onChange={(v) => { setCompared(v); setError(''); }} />
          <div class="st-form__actions">
            <SubmitButton busy={busy}>{t('mbx.add')}</SubmitButton>
          </div>
        </form>
      )}
      <Status busy={busy && t('mbx.adding')} error={error} />
    </section>
  );
}

function Members({ mb, me, onRemove }) {
  return (
    <section class="st-section" aria-labelledby="mbx-members-title">
      <h2 class="nl-heading nl-heading--level-2" id="mbx-members-title">{t('mbx.members')}</h2>
      <div class="utrecht-table-container">
        <table class="utrecht-table utrecht-table--html-table st-stack st-list-table" aria-labelledby="mbx-members-title" data-testid="mbx-members">
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">{t('mbx.name')}</th>
              <th class="utrecht-table__header-cell" scope="col">{t('mbx.email')}</th>
              <th class="utrecht-table__header-cell" scope="col">{t('mbx.role')}</th>
              <th class="utrecht-table__header-cell" scope="col"><span class="rhc-visually-hidden">{t('mbx.actions')}</span></th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            {mb.members.map((x) => (
              <tr class="utrecht-table__row" key={x.id}>
                <td class="utrecht-table__cell">{x.name}</td>
                <td class="utrecht-table__cell">{x.email}</td>
                <td class="utrecht-table__cell">
                  {t(`mbx.role_${x.role}`)}
                  {mb.key_id && !x.has_key && <span class="st-muted st-small"> · {t('mbx.key_changed')}</span>}
                </td>
                <td class="utrecht-table__cell">
                  {mb.role === 'owner' && x.id !== me.id && mb.key_id && (
                    <button type="button" class="utrecht-button utrecht-button--subtle st-link-button" onClick={() => onRemove(x)} aria-label={t('mbx.remove_of', { name: x.name })}>
                      {t('mbx.remove')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function History({ mb }) {
  const lang = useLang();
  if (!mb.history.length) return null;
  return (
    <section class="st-section" aria-labelledby="mbx-history-title">
      <h2 class="nl-heading nl-heading--level-2" id="mbx-history-title">{t('mbx.history')}</h2>
      <ul class="st-plain-list" data-testid="mbx-history">
        {mb.history.map((h, i) => (
          <li key={i}>
            {formatDateTime(Math.floor(h.at_ms / 1000), lang)}: {t(`mbx.ev_${h.kind.replace('mailbox.', '')}`, { by: h.by === 'admin-cli' ? t('mbx.by_admin') : h.by, member: h.member ?? '' })}
          </li>
        ))}
      </ul>
    </section>
  );
}

function MailboxPage({ id, me }) {
  const [mb, setMb] = useState(null);
  const [error, setError] = useState(null);
  const [ok, setOk] = useState('');
  const [failure, setFailure] = useState('');
  const [confirm, ask] = useConfirm('mbx-confirm');
  const [keyDialog, confirmKey] = useKeyChange();
  useTitle('page.mailbox');
  const load = () => api.get(`/mailboxes/${enc(id)}`).then(setMb, setError);
  useEffect(() => { load(); }, [id]);
  // The list is reloaded before the result is announced, so what a
  // screen reader hears and what the page shows agree.
  const done = async (text) => {
    await load();
    setOk(text);
  };
  const remove = async (x) => {
    const yes = await ask({ title: t('mbx.remove_title'), text: t('mbx.remove_text', { name: x.name }), yes: t('mbx.remove'), danger: true });
    if (!yes) return;
    setFailure('');
    setOk('');
    try {
      await unlockMailbox(id);
      await newMailboxKey(id, mb.members.filter((m) => m.id !== x.id), x.id, { confirm: confirmKey });
      done(t('mbx.removed', { name: x.name }));
    } catch (err) {
      setFailure(errorText(err));
    }
  };
  const actFor = async () => {
    setFailure('');
    try {
      await unlockMailbox(id);
      setMailbox(mb);
      navigate(PATHS.home);
    } catch (err) {
      setFailure(errorText(err));
    }
  };
  if (error) return <article class="st-page"><Alert type="error">{errorText(error)}</Alert></article>;
  if (!mb) return <Loading />;
  return (
    <article class="st-page st-page--wide">
      <p class="nl-paragraph"><a class="nl-link" href={PATHS.mailboxes}>{t('page.mailboxes')}</a></p>
      <h1 class="nl-heading nl-heading--level-1">{t('mbx.heading', { name: mb.name })}</h1>
      <p class="nl-paragraph">{mb.email}</p>
      <Status ok={ok} error={failure} />
      {mb.key_id ? (
        <p class="st-actions">
          <button type="button" class="utrecht-button utrecht-button--primary-action" onClick={actFor} data-testid="mbx-act">
            {t('mbx.act_for', { name: mb.name })}
          </button>
        </p>
      ) : mb.role === 'owner' ? (
        <MakeKeys mb={mb} me={me} onDone={done} />
      ) : (
        <p class="nl-paragraph">{t('mbx.no_keys_yet')}</p>
      )}
      <Members mb={mb} me={me} onRemove={remove} />
      {mb.key_id && <AddMember mb={mb} onDone={done} confirmKey={confirmKey} />}
      <History mb={mb} />
      {confirm}
      {keyDialog}
    </article>
  );
}

export function Mailboxes() {
  return <RequireLogin>{() => <MailboxList />}</RequireLogin>;
}

export function Mailbox({ params }) {
  return <RequireLogin>{(account) => <MailboxPage id={params.id} me={account.user} />}</RequireLogin>;
}
