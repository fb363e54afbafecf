// The recovery key, shown once (SECURITY.md §1.7): the 52 base32 characters
// in groups of four, a .txt download, a print button, and a checkbox the user
// must tick before going on. The key lives only in this component's props.
import { Fragment } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import { Alert, Checkbox } from './Form.jsx';

function download(text) {
  const blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = 'securetransfer-herstelsleutel.txt';
  a.dataset.native = '';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function RecoveryKey({ recoveryKey, email, onDone, continueLabel }) {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState('');
  const heading = useRef(null);
  useLayoutEffect(() => heading.current?.focus(), []);

  const fileText = [
    t('recovery.file_title'),
    email ? t('recovery.file_account', { email }) : '',
    '',
    recoveryKey,
    '',
    t('recovery.file_note'),
    '',
  ].join('\n');

  const onContinue = (event) => {
    event.preventDefault();
    if (!saved) {
      setError(t('recovery.must_confirm'));
      return;
    }
    onDone();
  };

  return (
    <section class="st-recovery" aria-labelledby="recovery-title">
      <h2 class="nl-heading nl-heading--level-2" id="recovery-title" tabIndex={-1} ref={heading}>
        {t('recovery.title')}
      </h2>
      <p class="nl-paragraph">{t('recovery.intro')}</p>
      <Alert type="warning">
        <p class="nl-paragraph">{t('recovery.once')}</p>
      </Alert>
      <p class="st-recovery__key" aria-label={t('recovery.key_label')} data-testid="recovery-key" translate="no">
        <code class="st-recovery__code">
          {recoveryKey.split('-').map((group, i, all) => (
            <Fragment key={i}>
              <span class="st-recovery__group">
                {group}
                {i < all.length - 1 ? '-' : ''}
              </span>
              <wbr />
            </Fragment>
          ))}
        </code>
      </p>
      <p class="st-actions st-recovery__buttons">
        <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => download(fileText)}>
          {t('recovery.download')}
        </button>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => window.print()}>
          {t('recovery.print')}
        </button>
      </p>
      <form class="st-form" onSubmit={onContinue} noValidate>
        <Checkbox
          id="recovery-saved"
          label={t('recovery.confirm')}
          checked={saved}
          onChange={(v) => {
            setSaved(v);
            if (v) setError('');
          }}
          error={error}
        />
        <div class="st-form__actions">
          <button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">
            {continueLabel ?? t('recovery.continue')}
          </button>
        </div>
      </form>
    </section>
  );
}
