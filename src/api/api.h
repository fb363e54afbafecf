/*
 * The API handlers, one file per resource. Each answers through the
 * reply_* functions of http/request.h; the route table (http/routes.c)
 * says which method and path reaches which handler.
 */
#ifndef ST_API_H
#define ST_API_H

struct request;
struct route_stream;

/* ops.c: health, readiness and metrics (O5). */
void api_healthz(struct request *req);
void api_readyz(struct request *req);
void api_metrics(struct request *req);

/* meta.c: public settings the front end needs. */
void api_config(struct request *req);

/* account.c: who is logged in (with a CSRF token), and the account. */
void api_session_get(struct request *req);
void api_account_get(struct request *req);
void api_account_put(struct request *req);
void api_account_password(struct request *req);

/* sessions.c: the user's own sessions (ASVS 3.3.4). */
void api_sessions_list(struct request *req);
void api_sessions_end(struct request *req);
void api_sessions_end_others(struct request *req);
/* POST /api/v1/session/unlock-share: the session's share of the key that
 * keeps the account keys across reloads (issue 25). */
void api_session_unlock_share(struct request *req);

/* auth.c: registration, verification, login, password reset (A1-A5). */
void api_register(struct request *req);
void api_verify_info(struct request *req);
void api_verify(struct request *req);
void api_verify_resend(struct request *req);
void api_prelogin(struct request *req);
void api_login(struct request *req);
void api_logout(struct request *req);
void api_password_forgot(struct request *req);
void api_reset_info(struct request *req);
void api_reset(struct request *req);

/* log.c: the key-transparency log (docs/transparency.md). */
void api_log_checkpoint(struct request *req);
void api_log_consistency(struct request *req);
void api_log_leaves(struct request *req);
void api_log_history(struct request *req);

/* factors.c: the second factor (A8): the account's own factors, the
 * step-up of a session, and the second step of a login. */
void api_factors_get(struct request *req);
void api_factors_webauthn_options(struct request *req);
void api_factors_webauthn_add(struct request *req);
void api_factors_webauthn_delete(struct request *req);
void api_factors_totp_begin(struct request *req);
void api_factors_totp_confirm(struct request *req);
void api_factors_totp_delete(struct request *req);
void api_factors_recovery(struct request *req);
void api_factors_verify(struct request *req);
void api_login_factor_options(struct request *req);
void api_login_factor(struct request *req);
/* Answers 401 second_factor_required with what the login page offers. */
void api_login_factor_required(struct request *req, const char *token);

/* admin*.c: Beheer (O6). api_admin_gate runs before every route flagged
 * ROUTE_ADMIN: the role, a second factor proved within 15 minutes, the
 * rate limit; -1 when it answered (403, 401 step_up_required, 429). */
int api_admin_gate(struct request *req);
void api_admin_orgs_list(struct request *req);
void api_admin_org_add(struct request *req);
void api_admin_org_get(struct request *req);
void api_admin_org_put(struct request *req);
void api_admin_org_delete(struct request *req);
void api_admin_accounts(struct request *req);
void api_admin_account_get(struct request *req);
void api_admin_account_block(struct request *req);
void api_admin_account_unblock(struct request *req);
void api_admin_account_end_sessions(struct request *req);
void api_admin_account_promote(struct request *req);
void api_admin_account_demote(struct request *req);
void api_admin_account_resend(struct request *req);
void api_admin_mailboxes(struct request *req);
void api_admin_mailbox_create(struct request *req);
void api_admin_audit(struct request *req);
void api_admin_audit_csv(struct request *req);
void api_admin_overview(struct request *req);

/* csp_report.c: Content-Security-Policy violation reports. */
void api_csp_report(struct request *req);

/* messages.c: create, read and send messages (S1-S7). */
void api_message_create(struct request *req);
void api_message_get(struct request *req);
void api_message_send(struct request *req);
void api_message_self_stanza(struct request *req);
/* message_list.c: the home page's lists of sent and received messages. */
void api_messages_list(struct request *req);
/* receive.c: the link flow (R1, R2) and the sender's unlock of it. */
void api_r_open(struct request *req);
void api_r_code(struct request *req);
void api_r_verify(struct request *req);
void api_r_get(struct request *req);
void api_r_file(struct request *req);
void api_message_unlock(struct request *req);
/* download.c: ciphertext with Range; actor NULL records no download. */
struct file_row;
void api_serve_file(
    struct request *req, const struct file_row *f, const char *actor);
void api_message_file(struct request *req);
/* retention.c: the sender withdraws a sent message (R6). */
void api_message_revoke(struct request *req);
/* reports.c: a message's timeline (P3) and PDF report (P4), and the PDF
 * overview of sent messages (P5). */
void api_message_events(struct request *req);
void api_message_report_pdf(struct request *req);
void api_reports_overview_pdf(struct request *req);

/* requests.c: documents from outside (Q1-Q4). api_q_auth acts for the
 * holder of the request token in params[0]: -1 when it answered. */
void api_request_create(struct request *req);
int api_q_auth(struct request *req);
void api_q_get(struct request *req);
void api_q_message_create(struct request *req);
void api_q_send(struct request *req);
void api_dropoff_info(struct request *req);
void api_dropoff_start(struct request *req);
void api_dropoff_verify(struct request *req);

/* contacts.c: the address book (C1, S8) and its CSV import and export. */
void api_contacts_list(struct request *req);
void api_contact_create(struct request *req);
void api_contact_get(struct request *req);
void api_contact_put(struct request *req);
void api_contact_delete(struct request *req);
void api_contacts_import(struct request *req);
void api_contacts_export(struct request *req);
/* templates.c: message templates (T1, S9). */
void api_templates_list(struct request *req);

/* keys.c: the key directory and the account's keyring of pins (1.8). */
void api_keys_get(struct request *req);
void api_keyring_get(struct request *req);
void api_keyring_put(struct request *req);

/* mailboxes.c: department mailboxes (A7). */
void api_mailboxes_list(struct request *req);
void api_mailbox_get(struct request *req);
void api_mailbox_candidate(struct request *req);
void api_mailbox_rekey(struct request *req);
void api_mailbox_add(struct request *req);
void api_template_create(struct request *req);
void api_template_get(struct request *req);
void api_template_put(struct request *req);
void api_template_delete(struct request *req);

/* uploads.c: tus 1.0 (core, creation, termination, expiration). */
void api_tus_options(struct request *req);
void api_tus_create(struct request *req);
void api_tus_head(struct request *req);
void api_tus_patch(struct request *req);
void api_tus_delete(struct request *req);
extern const struct route_stream api_tus_patch_stream;
/* POST: a body makes it a creation with upload (tus_patch.c). */
extern const struct route_stream api_tus_create_stream;

#endif
