// New password + confirmation with the A2 rules beside the field, checked
// live (each rule says met / not met, for screen readers too).
import { isTooLong, passwordRules } from '../account/page/policy.js';
import { t } from '../lib/i18n.js';
import { TextField } from './Form.jsx';

export function PasswordRules({ id, password, confirm }) {
  const rules = passwordRules(password, confirm);
  const tooLong = isTooLong(password);
  return (
    <div class="st-rules" id={id}>
      <p class="nl-paragraph st-rules__intro">{t('password.rules_intro')}</p>
      <ul class="st-rules__list">
        {rules.map((r) => (
          <li key={r.key} class={`st-rules__item ${r.ok ? 'st-rules__item--ok' : 'st-rules__item--todo'}`}>
            <span class="st-rules__mark" aria-hidden="true">
              {r.ok ? '✓' : '•'}
            </span>{' '}
            {t(`password.rule_${r.key}`)}
            <span class="rhc-visually-hidden"> ({t(r.ok ? 'password.rule_met' : 'password.rule_not_met')})</span>
          </li>
        ))}
        <li class="st-rules__item st-rules__item--note">{t('password.rule_breached')}</li>
      </ul>
      {tooLong && <p class="nl-paragraph st-rules__warn">{t('password.problem_too_long')}</p>}
    </div>
  );
}

/**
 * value: { password, confirm }; onChange(next). errors: { password, confirm }.
 * prefix keeps ids unique when a page has two forms.
 */
export function PasswordFields({ prefix = 'new', value, onChange, errors = {}, labels = {} }) {
  const rulesId = `${prefix}-password-rules`;
  return (
    <div class="st-password-fields">
      <TextField
        id={`${prefix}-password`}
        type="password"
        label={labels.password ?? t('password.new')}
        autocomplete="new-password"
        value={value.password}
        onInput={(password) => onChange({ ...value, password })}
        error={errors.password}
        extraDescribedBy={rulesId}
      />
      <PasswordRules id={rulesId} password={value.password} confirm={value.confirm} />
      <TextField
        id={`${prefix}-password-confirm`}
        type="password"
        label={labels.confirm ?? t('password.confirm')}
        description={t('password.confirm_hint')}
        autocomplete="new-password"
        value={value.confirm}
        onInput={(confirm) => onChange({ ...value, confirm })}
        error={errors.confirm}
      />
    </div>
  );
}

/** Maps a passwordProblem() result to field errors for PasswordFields. */
export function passwordErrors(problem) {
  if (!problem) return {};
  const text = t(`password.problem_${problem}`);
  return problem === 'match' ? { confirm: text } : { password: text };
}
