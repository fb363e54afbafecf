// Form building blocks in NL Design System classes: a text field and a text
// area with label, description and error message wired through
// aria-describedby, the signed form of a Begeleidende tekst, an alert,
// the aria-live status region, a checkbox, and the text for an API error.
import { errorText } from '../lib/errors.js';

export { errorText };

export const TEXT_MAX = 10000;
export const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** The Begeleidende tekst as it is signed: LF line ends, no control characters, NFC. */
export const cleanText = (s) => s.replace(/\r\n?/g, '\n').replace(CONTROLS, '').normalize('NFC');

export function TextField({ id, label, type = 'text', value, onInput, autocomplete, description, error, required = true, inputRef, extraDescribedBy, ...rest }) {
  const ids = [description && `${id}-desc`, extraDescribedBy, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class={`utrecht-form-field utrecht-form-field--text${error ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
        </label>
      </div>
      {description && (
        <div class="utrecht-form-field__description utrecht-form-field-description" id={`${id}-desc`}>
          {description}
        </div>
      )}
      {error && (
        <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id={`${id}-error`}>
          {error}
        </div>
      )}
      <div class="utrecht-form-field__input">
        <input
          id={id}
          name={id}
          type={type}
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
          autocomplete={autocomplete}
          aria-required={required ? 'true' : undefined}
          spellcheck={false}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={ids || undefined}
          ref={inputRef}
          class={`utrecht-textbox utrecht-textbox--html-input${type === 'password' ? ' utrecht-textbox--password' : ''}${error ? ' utrecht-textbox--invalid' : ''}`}
          {...rest}
        />
      </div>
    </div>
  );
}

export function TextArea({ id, label, value, onInput, error, description, rows = 6, ...rest }) {
  const ids = [description && `${id}-desc`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class={`utrecht-form-field utrecht-form-field--textarea${error ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>{label}</label>
      </div>
      {description && <div class="utrecht-form-field__description utrecht-form-field-description" id={`${id}-desc`}>{description}</div>}
      {error && <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id={`${id}-error`}>{error}</div>}
      <div class="utrecht-form-field__input">
        <textarea id={id} name={id} rows={rows} value={value} onInput={(e) => onInput(e.currentTarget.value)} {...rest}
          aria-invalid={error ? 'true' : undefined} aria-describedby={ids || undefined}
          class={`utrecht-textarea utrecht-textarea--html-textarea${error ? ' utrecht-textarea--invalid' : ''}`} />
      </div>
    </div>
  );
}

export function Checkbox({ id, label, checked, onChange, error, description }) {
  const ids = [description && `${id}-desc`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class={`utrecht-form-field utrecht-form-field--checkbox${error ? ' utrecht-form-field--invalid' : ''}`}>
      {error && (
        <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id={`${id}-error`}>
          {error}
        </div>
      )}
      <div class="utrecht-form-field__label utrecht-form-field__label--checkbox">
        <label class="utrecht-form-label utrecht-form-label--checkbox" for={id}>
          <input
            id={id}
            name={id}
            type="checkbox"
            class="utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input"
            checked={checked}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={ids || undefined}
            onChange={(e) => onChange(e.currentTarget.checked)}
          />{' '}
          {label}
        </label>
      </div>
      {description && (
        <div class="utrecht-form-field__description utrecht-form-field-description" id={`${id}-desc`}>
          {description}
        </div>
      )}
    </div>
  );
}

/** type: 'info' | 'ok' | 'warning' | 'error'. */
export function Alert({ type = 'info', title, children, role }) {
  return (
    <div class={`utrecht-alert utrecht-alert--${type}`} role={role}>
      <div class="utrecht-alert__content">
        {title && <p class="utrecht-alert__message nl-paragraph st-alert__title">{title}</p>}
        <div class="utrecht-alert__message">{children}</div>
      </div>
    </div>
  );
}

/**
 * The polite live region under a form: progress ("Sleutels worden gemaakt…")
 * and results. error: an error text; busy: a progress text.
 */
export function Status({ busy, error, ok }) {
  return (
    <div class="st-status" role="status" aria-live="polite">
      {busy && <p class="nl-paragraph st-busy">{busy}</p>}
      {error && (
        <Alert type="error">
          <p class="nl-paragraph">{error}</p>
        </Alert>
      )}
      {ok && (
        <Alert type="ok">
          <p class="nl-paragraph">{ok}</p>
        </Alert>
      )}
    </div>
  );
}

export function SubmitButton({ children, busy, kind = 'primary-action' }) {
  return (
    <button
      type="submit"
      class={`utrecht-button utrecht-button--${kind} utrecht-button--submit${busy ? ' utrecht-button--busy' : ''}`}
      aria-disabled={busy ? 'true' : undefined}
    >
      {children}
    </button>
  );
}
