// Staff login. A placeholder until the accounts issue: the form is complete,
// the submit only says that logging in is not available yet.
import { useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';

function Field({ id, label, type, autocomplete }) {
  return (
    <div class="utrecht-form-field utrecht-form-field--text">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
        </label>
      </div>
      <div class="utrecht-form-field__input">
        <input
          id={id}
          name={id}
          type={type}
          autocomplete={autocomplete}
          required
          spellcheck={false}
          class={`utrecht-textbox utrecht-textbox--html-input${type === 'password' ? ' utrecht-textbox--password' : ''}`}
        />
      </div>
    </div>
  );
}

export function Login() {
  useTitle('login.title');
  const [notice, setNotice] = useState(false);
  const onSubmit = (event) => {
    event.preventDefault();
    setNotice(true);
  };
  return (
    <article class="st-page st-page--narrow">
      <h1 class="nl-heading nl-heading--level-1">{t('login.title')}</h1>
      <form class="st-form" method="post" action={PATHS.login} onSubmit={onSubmit}>
        <Field id="email" type="email" label={t('login.email')} autocomplete="username" />
        <Field id="password" type="password" label={t('login.password')} autocomplete="current-password" />
        <div class="st-form__actions">
          <button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">
            {t('login.submit')}
          </button>
        </div>
        <div class="st-status" role="status" aria-live="polite">
          {notice && (
            <div class="utrecht-alert utrecht-alert--info">
              <div class="utrecht-alert__content">
                <p class="utrecht-alert__message nl-paragraph">{t('login.unavailable')}</p>
              </div>
            </div>
          )}
        </div>
        <ul class="st-links">
          <li>
            <a class="nl-link" href={PATHS.forgot}>{t('login.forgot')}</a>
          </li>
          <li>
            <a class="nl-link" href={PATHS.register}>{t('login.register')}</a>
          </li>
        </ul>
      </form>
    </article>
  );
}
