/*
 * Every route of the server in one table: method, path pattern, handler,
 * flags, body limit and accepted content types. docs/openapi.yaml
 * documents the /api/v1 routes; scripts/check-source checks that each one
 * is there.
 */
#include "util/common.h"

#include "api/api.h"
#include "http/router.h"
#include "http/static.h"

/* clang-format off */
#define JSON "application/json"
#define TUS "application/offset+octet-stream"
#define R(m, p, h, f, lim, ct) { m, p, h, f, lim, ct, NULL }
#define STREAM(m, p, h, f, ct, s) { m, p, h, f, 0, ct, s }
#define PAGE(p) R("GET", p, static_page, ROUTE_PAGE, 0, NULL)
#define API ROUTE_API
#define AUTH (ROUTE_API | ROUTE_AUTH)
#define QTOKEN (ROUTE_API | ROUTE_REQUEST)
#define MBX (AUTH | ROUTE_MAILBOX)
#define ADMIN (AUTH | ROUTE_ADMIN)
/* tus creation and termination: an unlink and a durable commit each. */
#define SLOW ROUTE_OFFLOAD

const struct route routes[] = {
	/* Operations (O5). */
	R("GET", "/healthz", api_healthz, ROUTE_OPS, 0, NULL),
	/* Readiness asks the database: off the HTTP threads. */
	R("GET", "/readyz", api_readyz, ROUTE_OPS | SLOW, 0, NULL),
	R("GET", "/metrics", api_metrics, ROUTE_OPS, 0, NULL),

	/* Public settings, session, CSP reports. */
	R("GET", "/api/v1/config", api_config, API | ROUTE_SESSION, 0, NULL),
	R("GET", "/api/v1/session", api_session_get, API | ROUTE_SESSION, 0,
	    NULL),
	R("POST", "/api/v1/csp-report", api_csp_report, API | ROUTE_NO_CSRF,
	    16384, "application/csp-report|application/reports+json|" JSON),

	/* The key-transparency log (SECURITY.md 1.8 tier 2): heads and
	 * consistency proofs for anyone, leaves for accounts. */
	R("GET", "/api/v1/log/checkpoint", api_log_checkpoint, API, 0, NULL),
	R("GET", "/api/v1/log/consistency", api_log_consistency, API, 0,
	    NULL),
	R("GET", "/api/v1/log/leaves", api_log_leaves, AUTH, 0, NULL),
	R("GET", "/api/v1/log/history", api_log_history, AUTH, 0, NULL),

	/* Accounts (A1-A6). */
	R("POST", "/api/v1/register", api_register, API, 0, JSON),
	R("POST", "/api/v1/verify/info", api_verify_info, API, 0, JSON),
	R("POST", "/api/v1/verify", api_verify, API, 0, JSON),
	R("POST", "/api/v1/verify/resend", api_verify_resend, API, 0, JSON),
	R("POST", "/api/v1/prelogin", api_prelogin, API, 0, JSON),
	R("POST", "/api/v1/login", api_login, API, 0, JSON),
	R("POST", "/api/v1/login/factor", api_login_factor, API, 64 << 10,
	    JSON),
	R("POST", "/api/v1/login/factor/options", api_login_factor_options,
	    API, 0, JSON),
	R("POST", "/api/v1/logout", api_logout, AUTH, 0, NULL),
	R("POST", "/api/v1/password/forgot", api_password_forgot, API, 0, JSON),
	R("POST", "/api/v1/password/reset-info", api_reset_info, API, 0, JSON),
	R("POST", "/api/v1/password/reset", api_reset, API, 0, JSON),
	R("GET", "/api/v1/account", api_account_get, AUTH, 0, NULL),
	R("PUT", "/api/v1/account", api_account_put, AUTH, 0, JSON),
	R("POST", "/api/v1/account/password", api_account_password, AUTH, 0,
	    JSON),
	R("GET", "/api/v1/account/keyring", api_keyring_get, AUTH, 0, NULL),
	R("PUT", "/api/v1/account/keyring", api_keyring_put, AUTH, 2 << 20,
	    JSON),
	R("GET", "/api/v1/keys", api_keys_get, AUTH, 0, NULL),
	R("GET", "/api/v1/account/sessions", api_sessions_list, AUTH, 0, NULL),
	R("DELETE", "/api/v1/account/sessions", api_sessions_end_others, AUTH,
	    0, NULL),
	R("DELETE", "/api/v1/account/sessions/:id", api_sessions_end, AUTH, 0,
	    NULL),
	R("POST", "/api/v1/session/unlock-share", api_session_unlock_share,
	    AUTH, 0, NULL),

	/* The second factor (A8): the account's own, and the step-up. */
	R("GET", "/api/v1/account/factors", api_factors_get, AUTH, 0, NULL),
	R("POST", "/api/v1/account/factors/webauthn/options",
	    api_factors_webauthn_options, AUTH, 0, JSON),
	R("POST", "/api/v1/account/factors/webauthn",
	    api_factors_webauthn_add, AUTH, 64 << 10, JSON),
	R("DELETE", "/api/v1/account/factors/webauthn/:id",
	    api_factors_webauthn_delete, AUTH, 0, NULL),
	R("POST", "/api/v1/account/factors/totp", api_factors_totp_begin,
	    AUTH, 0, NULL),
	R("POST", "/api/v1/account/factors/totp/confirm",
	    api_factors_totp_confirm, AUTH, 0, JSON),
	R("DELETE", "/api/v1/account/factors/totp", api_factors_totp_delete,
	    AUTH, 0, NULL),
	R("POST", "/api/v1/account/factors/recovery-codes",
	    api_factors_recovery, AUTH, 0, NULL),
	R("POST", "/api/v1/account/factors/verify", api_factors_verify, AUTH,
	    64 << 10, JSON),

	/* Beheer (O6): administrators with a fresh second factor. */
	R("GET", "/api/v1/admin/organisations", api_admin_orgs_list, ADMIN, 0,
	    NULL),
	R("POST", "/api/v1/admin/organisations", api_admin_org_add, ADMIN, 0,
	    JSON),
	R("GET", "/api/v1/admin/organisations/:domain", api_admin_org_get,
	    ADMIN, 0, NULL),
	R("PUT", "/api/v1/admin/organisations/:domain", api_admin_org_put,
	    ADMIN, 0, JSON),
	R("DELETE", "/api/v1/admin/organisations/:domain",
	    api_admin_org_delete, ADMIN, 0, NULL),
	R("GET", "/api/v1/admin/accounts", api_admin_accounts, ADMIN, 0, NULL),
	R("GET", "/api/v1/admin/accounts/:id", api_admin_account_get, ADMIN, 0,
	    NULL),
	R("POST", "/api/v1/admin/accounts/:id/block", api_admin_account_block,
	    ADMIN, 0, NULL),
	R("POST", "/api/v1/admin/accounts/:id/unblock",
	    api_admin_account_unblock, ADMIN, 0, NULL),
	R("POST", "/api/v1/admin/accounts/:id/end-sessions",
	    api_admin_account_end_sessions, ADMIN, 0, NULL),
	R("POST", "/api/v1/admin/accounts/:id/promote",
	    api_admin_account_promote, ADMIN, 0, NULL),
	R("POST", "/api/v1/admin/accounts/:id/demote",
	    api_admin_account_demote, ADMIN, 0, NULL),
	R("POST", "/api/v1/admin/accounts/:id/resend-verification",
	    api_admin_account_resend, ADMIN, 0, NULL),
	R("GET", "/api/v1/admin/mailboxes", api_admin_mailboxes, ADMIN, 0,
	    NULL),
	R("POST", "/api/v1/admin/mailboxes", api_admin_mailbox_create, ADMIN,
	    0, JSON),
	R("GET", "/api/v1/admin/audit", api_admin_audit, ADMIN, 0, NULL),
	R("GET", "/api/v1/admin/audit.csv", api_admin_audit_csv, ADMIN, 0,
	    NULL),
	R("GET", "/api/v1/admin/overview", api_admin_overview, ADMIN, 0, NULL),

	/* Messages (S1-S7) and their uploads (tus 1.0). */
	R("GET", "/api/v1/messages", api_messages_list, MBX, 0, NULL),
	R("POST", "/api/v1/messages", api_message_create, MBX, 4 << 20, JSON),
	R("GET", "/api/v1/messages/:id", api_message_get, MBX, 0, NULL),
	R("GET", "/api/v1/messages/:id/files/:file", api_message_file, MBX, 0,
	    NULL),
	R("POST", "/api/v1/messages/:id/unlock", api_message_unlock, MBX, 0,
	    NULL),
	R("POST", "/api/v1/messages/:id/send", api_message_send, MBX, 2 << 20,
	    JSON),
	R("PUT", "/api/v1/messages/:id/self-stanza", api_message_self_stanza,
	    MBX, 0, JSON),
	R("POST", "/api/v1/messages/:id/revoke", api_message_revoke, MBX, 0,
	    NULL),
	/* Reports (P3-P5). */
	R("GET", "/api/v1/messages/:id/events", api_message_events, MBX, 0,
	    NULL),
	R("GET", "/api/v1/messages/:id/report.pdf", api_message_report_pdf,
	    MBX, 0, NULL),
	R("GET", "/api/v1/reports/overview.pdf", api_reports_overview_pdf, MBX,
	    0, NULL),
	R("OPTIONS", "/api/v1/uploads", api_tus_options, API, 0, NULL),
	STREAM("POST", "/api/v1/uploads", api_tus_create, MBX | SLOW, NULL,
	    &api_tus_create_stream),
	R("HEAD", "/api/v1/uploads/:id", api_tus_head, MBX, 0, NULL),
	STREAM("PATCH", "/api/v1/uploads/:id", api_tus_patch, MBX, TUS,
	    &api_tus_patch_stream),
	R("DELETE", "/api/v1/uploads/:id", api_tus_delete, MBX | SLOW, 0,
	    NULL),

	/* Documents from outside (Q1-Q4): the employee's request, what its
	 * token opens (the same tus handlers, for the token's holder), and
	 * the public drop-off. */
	R("POST", "/api/v1/requests", api_request_create, MBX, 64 << 10,
	    JSON),
	R("GET", "/api/v1/q/:token", api_q_get, API, 0, NULL),
	R("POST", "/api/v1/q/:token/messages", api_q_message_create, API,
	    4 << 20, JSON),
	R("POST", "/api/v1/q/:token/messages/:id/send", api_q_send, API,
	    2 << 20, JSON),
	R("OPTIONS", "/api/v1/q/:token/uploads", api_tus_options, API, 0,
	    NULL),
	STREAM("POST", "/api/v1/q/:token/uploads", api_tus_create,
	    QTOKEN | SLOW, NULL, &api_tus_create_stream),
	R("HEAD", "/api/v1/q/:token/uploads/:id", api_tus_head, QTOKEN, 0,
	    NULL),
	STREAM("PATCH", "/api/v1/q/:token/uploads/:id", api_tus_patch, QTOKEN,
	    TUS, &api_tus_patch_stream),
	R("DELETE", "/api/v1/q/:token/uploads/:id", api_tus_delete,
	    QTOKEN | SLOW, 0,
	    NULL),
	R("GET", "/api/v1/dropoff", api_dropoff_info, API, 0, NULL),
	R("POST", "/api/v1/dropoff", api_dropoff_start, API, 0, JSON),
	R("POST", "/api/v1/dropoff/:token/verify", api_dropoff_verify, API, 0,
	    JSON),

	/* Address book (C1, S8) and templates (T1, S9). */
	R("GET", "/api/v1/contacts", api_contacts_list, MBX, 0, NULL),
	R("POST", "/api/v1/contacts", api_contact_create, MBX, 0, JSON),
	R("GET", "/api/v1/contacts/export", api_contacts_export, MBX, 0,
	    NULL),
	R("POST", "/api/v1/contacts/import", api_contacts_import, MBX,
	    1 << 20, "text/csv"),
	R("GET", "/api/v1/contacts/:id", api_contact_get, MBX, 0, NULL),
	R("PUT", "/api/v1/contacts/:id", api_contact_put, MBX, 0, JSON),
	R("DELETE", "/api/v1/contacts/:id", api_contact_delete, MBX, 0,
	    NULL),
	R("GET", "/api/v1/templates", api_templates_list, MBX, 0, NULL),
	R("POST", "/api/v1/templates", api_template_create, MBX, 256 << 10,
	    JSON),
	R("GET", "/api/v1/templates/:id", api_template_get, MBX, 0, NULL),
	R("PUT", "/api/v1/templates/:id", api_template_put, MBX, 256 << 10,
	    JSON),
	R("DELETE", "/api/v1/templates/:id", api_template_delete, MBX, 0,
	    NULL),

	/* Department mailboxes (A7): the member's own view, never acting
	 * for a mailbox (the mailbox is the path's :id). */
	R("GET", "/api/v1/mailboxes", api_mailboxes_list, AUTH, 0, NULL),
	R("GET", "/api/v1/mailboxes/:id", api_mailbox_get, AUTH, 0, NULL),
	R("GET", "/api/v1/mailboxes/:id/candidate", api_mailbox_candidate,
	    AUTH, 0, NULL),
	R("POST", "/api/v1/mailboxes/:id/keys", api_mailbox_rekey, AUTH,
	    1 << 20, JSON),
	R("POST", "/api/v1/mailboxes/:id/members", api_mailbox_add, AUTH,
	    256 << 10, JSON),

	/* Receiving by link (R1, R2): the link and code gates. */
	R("POST", "/api/v1/r/:id/open", api_r_open, API, 0, JSON),
	R("POST", "/api/v1/r/:id/code", api_r_code, API, 0, JSON),
	R("POST", "/api/v1/r/:id/verify", api_r_verify, API, 0, JSON),
	R("GET", "/api/v1/r/:id", api_r_get, API, 0, NULL),
	R("GET", "/api/v1/r/:id/files/:file", api_r_file, API, 0, NULL),

	/* The front end. The PAGE rows are web/src/paths.js's pages, in its
	 * order: scripts/check-pages.mjs (check-source) fails on any difference. */
	R("GET", "/assets/:name", static_asset, 0, 0, NULL),
	R("GET", "/i18n/:name", static_i18n, 0, 0, NULL),
	PAGE("/"),
	PAGE("/inloggen"),
	PAGE("/registreren"),
	PAGE("/verifieren"),
	PAGE("/wachtwoord-vergeten"),
	PAGE("/wachtwoord-herstellen"),
	PAGE("/account"),
	PAGE("/verstuur"),
	PAGE("/verzoek"),
	PAGE("/r/:id"),
	PAGE("/q/:id"),
	PAGE("/afgeven"),
	PAGE("/adresboek"),
	PAGE("/templates"),
	PAGE("/verzonden"),
	PAGE("/ontvangen"),
	PAGE("/berichten/:id"),
	PAGE("/berichten/:id/rapport"),
	PAGE("/handleiding"),
	PAGE("/postbussen"),
	PAGE("/postbussen/:id"),
	PAGE("/beheer"),
	PAGE("/beheer/organisaties"),
	PAGE("/beheer/organisaties/:domain"),
	PAGE("/beheer/accounts"),
	PAGE("/beheer/accounts/:id"),
	PAGE("/beheer/postbussen"),
	PAGE("/beheer/audit"),
	PAGE("/beheer/overzicht"),
	R("GET", "/:name", static_root_file, 0, 0, NULL),
};
/* clang-format on */

const size_t nroutes = ST_ARRAY_LEN(routes);
