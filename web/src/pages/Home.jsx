// The public start page (anonymous), as on the old service.
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';

export function Home() {
  useTitle('home.title');
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('home.title')}</h1>
      <p class="nl-paragraph nl-paragraph--lead">{t('home.intro')}</p>
      <p class="nl-paragraph">{t('home.encrypted')}</p>
      <p class="nl-paragraph">{t('home.recipients')}</p>
      <p class="nl-paragraph">{t('home.staff')}</p>
      <p class="st-actions">
        <a
          class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action"
          href={PATHS.login}
        >
          {t('home.login')}
        </a>
      </p>
    </article>
  );
}
