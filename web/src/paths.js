// The page paths of the front end, in one place. Plain data: main.jsx maps each
// name to its page component; the server's PAGE rows in src/http/routes.c
// (index.html for these paths, 404 for any other non-API path) must list the
// same paths in the same order, which scripts/check-pages.mjs (check-source)
// enforces. Dutch paths; `:id` is one segment.
export const PATHS = Object.freeze({
  home: '/',
  login: '/inloggen',
  register: '/registreren',
  verify: '/verifieren',
  forgot: '/wachtwoord-vergeten',
  reset: '/wachtwoord-herstellen',
  account: '/account',
  compose: '/verstuur',
  request: '/verzoek',
  receive: '/r/:id',
  requestUpload: '/q/:id',
  dropoff: '/afgeven',
  contacts: '/adresboek',
  templates: '/templates',
  sent: '/verzonden',
  received: '/ontvangen',
  report: '/berichten/:id',
  messageReport: '/berichten/:id/rapport',
  manual: '/handleiding',
  mailboxes: '/postbussen',
  mailbox: '/postbussen/:id',
  admin: '/beheer',
  adminOrgs: '/beheer/organisaties',
  adminOrg: '/beheer/organisaties/:domain',
  adminAccounts: '/beheer/accounts',
  adminAccount: '/beheer/accounts/:id',
  adminMailboxes: '/beheer/postbussen',
  adminAudit: '/beheer/audit',
  adminOverview: '/beheer/overzicht',
});

/** The page of department mailbox id (A7). */
export const mailboxPath = (id) => `/postbussen/${encodeURIComponent(id)}`;

/** The report page of message id (P3). */
export const reportPath = (id) => `/berichten/${encodeURIComponent(id)}/rapport`;
