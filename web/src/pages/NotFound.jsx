import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';

export function NotFound() {
  useTitle('notfound.title');
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('notfound.title')}</h1>
      <p class="nl-paragraph">{t('notfound.text')}</p>
      <p class="nl-paragraph">
        <a class="nl-link" href={PATHS.home}>{t('notfound.home')}</a>
      </p>
    </article>
  );
}
