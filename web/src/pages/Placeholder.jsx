// Stands in for a page that a later issue builds; titled from page.<name>.
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';

export function placeholder(name) {
  const key = `page.${name}`;
  function Placeholder() {
    useTitle(key);
    return (
      <article class="st-page">
        <h1 class="nl-heading nl-heading--level-1">{t(key)}</h1>
        <p class="nl-paragraph">{t('placeholder.text')}</p>
        <p class="nl-paragraph">
          <a class="nl-link" href={PATHS.home}>{t('placeholder.home')}</a>
        </p>
      </article>
    );
  }
  Placeholder.displayName = `Placeholder(${name})`;
  return Placeholder;
}
