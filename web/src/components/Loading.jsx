// "Laden…" as a whole page, while a page waits for what it shows.
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';

export function Loading() {
  useTitle('app.loading');
  return (
    <article class="st-page" aria-busy="true">
      <p class="nl-paragraph" role="status">
        {t('app.loading')}
      </p>
    </article>
  );
}
