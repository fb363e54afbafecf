// A person's name and e-mail address as a fieldset of facts ("Uw gegevens",
// "Ontvanger"): on the request page and the outside upload form.
import { t } from '../lib/i18n.js';

/** One fact; `hint` is a line that explains it, in a second <dd>. */
export function Fact({ label, children, testid, hint }) {
  return (
    <div class="utrecht-data-list__item">
      <dt class="utrecht-data-list__item-key">{label}</dt>
      <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" data-testid={testid}>{children}</dd>
      {hint && <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd st-fact-hint" data-testid={testid && `${testid}-hint`}>{hint}</dd>}
    </div>
  );
}

export function Party({ legend, name, email, testid, children }) {
  return (
    <fieldset class="st-fieldset" data-testid={testid}>
      <legend class="nl-heading nl-heading--level-2">{legend}</legend>
      <dl class="utrecht-data-list st-data-list">
        <Fact label={t('request.name')}>{name}</Fact>
        <Fact label={t('request.email')}>{email}</Fact>
        {children}
      </dl>
    </fieldset>
  );
}
