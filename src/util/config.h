/*
 * Configuration: one table (config.c) names every setting with its type,
 * bounds and default. Values come from the defaults, then the INI file,
 * then ST_<SECTION>_<KEY> environment variables. Unknown keys, duplicate
 * keys and out-of-range values are refused with a message naming the key.
 */
#ifndef ST_CONFIG_H
#define ST_CONFIG_H

#include <stdint.h>

struct config {
	/* [server] */
	char *server_listen; /* host:port; port 0 = any */
	char *server_public_url; /* base of links in mails */
	char *server_web_root; /* the built front end */
	int64_t server_threads;
	int64_t server_connection_timeout; /* seconds idle */
	int64_t server_per_ip_connections;
	int64_t server_max_connections;
	int64_t server_body_limit; /* bytes, JSON API bodies */
	int64_t server_drain_seconds; /* SIGTERM grace */
	int64_t server_header_timeout; /* seconds for a whole request head */
	int64_t server_min_body_rate; /* bytes/s a body must keep; 0 = off */
	int64_t server_body_rate_window; /* seconds over which it is measured */
	int server_reuse_port; /* SO_REUSEPORT: share the port on purpose */
	char *server_trusted_proxies; /* addresses/CIDRs (util/netaddr.h) */
	char *server_proxy_header; /* x-forwarded-for | forwarded */
	char *server_secrets_dir; /* pepper and keys, outside the DB */
	char *server_node_id; /* names this node's leases; "" = host/listen */
	/* [database] */
	char *database_driver; /* sqlite | postgres */
	char *database_path; /* sqlite */
	char *database_url; /* postgres: libpq connection string or URI */
	int64_t database_pool;
	int64_t database_lock_timeout; /* ms a write waits for a lock */
	/* [store] */
	char *store_driver; /* fs | s3 */
	char *store_path;
	char
	    *store_s3_endpoint; /* http(s)://host[:port], no slash at the end */
	char *store_s3_region;
	char *store_s3_bucket;
	char *store_s3_url_style; /* path | virtual */
	char *store_s3_access_key; /* secret */
	char *store_s3_secret_key; /* secret */
	char
	    *store_s3_credentials_file; /* "id\nsecret\n", instead of the two */
	int64_t store_s3_part_size; /* bytes, >= 5 MiB */
	int64_t store_s3_timeout; /* seconds per request without progress */
	/* [mail] */
	char *mail_transport; /* file | smtp */
	char *mail_dir;
	char *mail_from;
	char *mail_smtp_host;
	int64_t mail_smtp_port;
	char *mail_smtp_starttls; /* required | optional | off */
	char *mail_smtp_user;
	char *mail_smtp_password;
	/* [sms] */
	char *sms_transport; /* log | http */
	char *sms_log_path;
	char *sms_http_url; /* gateway endpoint, http(s):// */
	char *sms_http_method; /* POST | PUT */
	char *sms_http_auth_header; /* secret: "Name: value" */
	char *sms_http_content_type; /* json and form bodies are escaped */
	char *sms_http_body; /* template: {to} {msisdn} {text} {id} */
	char *sms_http_success; /* comma-separated HTTP status codes */
	int64_t sms_http_timeout; /* seconds per gateway call */
	/* [ops] */
	char *ops_listen; /* internal listener, "" = none */
	char *ops_token; /* bearer token on the main one */
	int ops_expose_on_main; /* development only */
	/* [accounts] */
	int64_t accounts_session_idle; /* seconds */
	int64_t accounts_session_absolute; /* seconds */
	int64_t accounts_verify_ttl; /* seconds */
	int64_t accounts_reset_ttl; /* seconds */
	int64_t accounts_login_failures; /* per account per 15 min */
	int64_t accounts_login_ip_failures; /* per IP per 15 min */
	int64_t accounts_mails_per_hour; /* per address */
	int64_t accounts_mails_per_ip_hour; /* register/resend/forgot per IP */
	int64_t accounts_argon2_parallel; /* 0: one per core */
	/* [send] */
	char *send_allowed_extensions; /* comma-separated, S3 */
	int64_t send_max_message_bytes; /* declared plaintext, S4 */
	int64_t send_max_files;
	int64_t send_upload_window; /* seconds to upload everything, S4 */
	int64_t send_retention; /* seconds a sent message is kept, R6 */
	int64_t send_disk_reserve; /* bytes kept free: 507 below */
	int64_t send_chunk_size; /* tus PATCH size the browser uses */
	int64_t send_parallel_uploads; /* files uploaded at once */
	char *sms_allowed_prefixes; /* country codes SMS may go to */
	int64_t receive_code_ttl; /* seconds an SMS code is valid, R2 */
	int64_t receive_code_attempts; /* wrong codes before the lock */
	int64_t receive_codes_per_hour; /* codes a message may be sent */
	int64_t receive_capability_ttl; /* seconds a correct code opens */
	/* [requests] Q1-Q3 */
	int64_t requests_ttl; /* seconds a request link is valid */
	int64_t requests_per_day; /* requests an employee may send a day */
	int64_t requests_max_message_bytes; /* what an outsider may send */
	/* [dropoff] Q4 */
	char *dropoff_addresses; /* who accepts drop-offs, comma-separated */
	int64_t dropoff_max_message_bytes; /* below send.max_message_bytes */
	int64_t dropoff_code_ttl; /* seconds the e-mail code is valid */
	int64_t dropoff_code_attempts; /* wrong codes before the lock */
	int64_t dropoff_per_ip_hour; /* drop-offs started per IP an hour */
	int64_t dropoff_per_address_day; /* per visitor address a day */
	int64_t dropoff_total_day; /* for the whole service a day */
	int64_t dropoff_pow_bits; /* proof of work: leading zero bits */
	int64_t jobs_interval; /* seconds between background runs */
	/* [bootstrap] */
	char *bootstrap_domains; /* comma-separated, added at start */
	char *bootstrap_admin_email; /* becomes admin once verified */
	/* [testing] */
	char *testing_clock_file; /* refused with an https URL */
	/* [log] */
	char *log_level;
};

/*
 * Fills cfg from defaults, the file at path (NULL: none) and the
 * environment. On failure returns -1 with a one-line reason in err.
 */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);
void config_release(struct config *cfg);

/* Splits "host:port" / "[v6]:port"; host must be a numeric address. */
int config_parse_addr(
    const char *s, char *host, size_t hostlen, uint16_t *port);

/* Writes every setting (secrets masked) as INI to f, for `--print-config`. */
void config_dump(const struct config *cfg, FILE *f);

#endif
