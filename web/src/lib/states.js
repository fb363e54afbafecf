// The one vocabulary of message statuses (issue 25 item 7). A message is in
// one of these states (DESIGN.md §5); its words are the catalogue's
// message.state_<state>, which the server's reports and PDFs read too
// (src/report/words.c), so the home page, the lists, the report page and
// the PDFs always say the same. Nothing else maps states to words.
import { h } from 'preact';
import { t } from './i18n.js';

export const STATES = Object.freeze(['uploading', 'sent', 'opened', 'downloaded', 'expired', 'aborted', 'revoked']);

/** The state itself when known, else 'unknown'. */
export function stateKey(state) {
  return STATES.includes(state) ? state : 'unknown';
}

/** The words for state ("Gedownload"). */
export function stateLabel(state) {
  return t(`message.state_${stateKey(state)}`);
}

/** The status as a coloured badge; small in tables. */
export function StateBadge({ state, small = false, testid }) {
  const k = stateKey(state);
  return h('span', { class: `st-state st-state--${k}${small ? ' st-state--small' : ''}`, 'data-testid': testid }, stateLabel(k));
}
