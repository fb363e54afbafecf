// The "Rapport" link of a row in the sent and received lists.
import { t } from '../lib/i18n.js';
import { reportPath } from '../paths.js';

/** The "Rapport" link of a row in a message list, named by its subject. */
export function ReportLink({ m }) {
  return (
    <a class="nl-link st-keep-words" href={reportPath(m.id)} aria-label={t('lists.report_of', { subject: m.subject || t('list.no_subject') })}>
      {t('page.report')}
    </a>
  );
}
