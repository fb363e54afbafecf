/*
 * The settings table and its loader (after redis' static_configs[]).
 * Adding a setting is one line here plus the field in config.h.
 */
#include "util/common.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <ini.h>
#include <stdarg.h>
#include <unistd.h>

#include "util/config.h"
#include "util/config_check.h"
#include "util/netaddr.h"
#include "util/num.h"

/* Where `make install` puts the front end (Makefile DATADIR). */
#ifndef ST_DATADIR
#define ST_DATADIR "/usr/local/share/securetransfer"
#endif

enum cfg_type { CFG_STR, CFG_INT, CFG_BOOL, CFG_ENUM, CFG_ADDR, CFG_URL };

struct cfg_def {
	const char *section;
	const char *key;
	enum cfg_type type;
	size_t off;
	int64_t min, max;
	const char *def;
	const char *const *choices; /* CFG_ENUM, NULL-terminated */
	int secret; /* masked in dumps */
};

static const char *const db_drivers[] = { "sqlite", "postgres", NULL };
static const char *const store_drivers[] = { "fs", "s3", NULL };
static const char *const s3_url_styles[] = { "path", "virtual", NULL };
static const char *const mail_transports[] = { "file", "smtp", NULL };
static const char *const tls_modes[] = { "required", "optional", "off", NULL };
static const char *const sms_transports[] = { "log", "http", NULL };
static const char *const http_methods[] = { "POST", "PUT", NULL };
static const char *const proxy_hdrs[] = { "x-forwarded-for", "forwarded",
	NULL };
static const char *const log_levels[] = { "debug", "info", "warn", "error",
	NULL };

/* clang-format off */
#define OFF(f) offsetof(struct config, f)
#define S(sec, key, f, def) { sec, key, CFG_STR, OFF(f), 0, 0, def, NULL, 0 }
#define I(sec, key, f, min, max, def) \
	{ sec, key, CFG_INT, OFF(f), min, max, def, NULL, 0 }
#define E(sec, key, f, ch, def) { sec, key, CFG_ENUM, OFF(f), 0, 0, def, ch, 0 }

static const struct cfg_def defs[] = {
	{ "server", "listen", CFG_ADDR, OFF(server_listen), 0, 0,
	    "127.0.0.1:8080", NULL, 0 },
	{ "server", "public_url", CFG_URL, OFF(server_public_url), 0, 0,
	    "http://127.0.0.1:8080", NULL, 0 },
	S("server", "web_root", server_web_root, ST_DATADIR "/web"),
	I("server", "threads", server_threads, 1, 256, "8"),
	I("server", "connection_timeout", server_connection_timeout, 1, 3600,
	    "30"),
	I("server", "per_ip_connections", server_per_ip_connections, 0,
	    1000000, "256"),
	I("server", "max_connections", server_max_connections, 16, 1000000,
	    "20000"),
	I("server", "body_limit", server_body_limit, 1024, 16777216, "65536"),
	I("server", "drain_seconds", server_drain_seconds, 1, 600, "15"),
	I("server", "header_timeout", server_header_timeout, 1, 3600, "30"),
	I("server", "min_body_rate", server_min_body_rate, 0, 1 << 30, "4096"),
	I("server", "body_rate_window", server_body_rate_window, 1, 600, "20"),
	{ "server", "reuse_port", CFG_BOOL, OFF(server_reuse_port), 0, 1,
	    "false", NULL, 0 },
	S("server", "trusted_proxies", server_trusted_proxies, ""),
	E("server", "proxy_header", server_proxy_header, proxy_hdrs,
	    "x-forwarded-for"),
	S("server", "secrets_dir", server_secrets_dir, "./data/secrets"),
	S("server", "node_id", server_node_id, ""),
	E("database", "driver", database_driver, db_drivers, "sqlite"),
	S("database", "path", database_path, "./data/securetransfer.db"),
	{ "database", "url", CFG_STR, OFF(database_url), 0, 0, "", NULL, 1 },
	I("database", "pool", database_pool, 1, 256, "8"),
	I("database", "lock_timeout", database_lock_timeout, 100, 60000,
	    "2000"),
	E("store", "driver", store_driver, store_drivers, "fs"),
	S("store", "path", store_path, "./data/blobs"),
	S("store", "s3_endpoint", store_s3_endpoint, ""),
	S("store", "s3_region", store_s3_region, "us-east-1"),
	S("store", "s3_bucket", store_s3_bucket, ""),
	E("store", "s3_url_style", store_s3_url_style, s3_url_styles, "path"),
	{ "store", "s3_access_key", CFG_STR, OFF(store_s3_access_key), 0, 0,
	    "", NULL, 1 },
	{ "store", "s3_secret_key", CFG_STR, OFF(store_s3_secret_key), 0, 0,
	    "", NULL, 1 },
	S("store", "s3_credentials_file", store_s3_credentials_file, ""),
	I("store", "s3_part_size", store_s3_part_size, 5 * 1048576,
	    INT64_C(5) << 30, "8388608"),
	I("store", "s3_timeout", store_s3_timeout, 1, 3600, "60"),
	E("mail", "transport", mail_transport, mail_transports, "file"),
	S("mail", "dir", mail_dir, "./data/outbox"),
	S("mail", "from", mail_from,
	    "SecureTransfer <noreply@securetransfer.invalid>"),
	S("mail", "smtp_host", mail_smtp_host, "127.0.0.1"),
	I("mail", "smtp_port", mail_smtp_port, 1, 65535, "25"),
	E("mail", "smtp_starttls", mail_smtp_starttls, tls_modes, "required"),
	S("mail", "smtp_user", mail_smtp_user, ""),
	{ "mail", "smtp_password", CFG_STR, OFF(mail_smtp_password), 0, 0, "",
	    NULL, 1 },
	E("sms", "transport", sms_transport, sms_transports, "log"),
	S("sms", "log_path", sms_log_path, "./data/sms.log"),
	S("sms", "http_url", sms_http_url, ""),
	E("sms", "http_method", sms_http_method, http_methods, "POST"),
	{ "sms", "http_auth_header", CFG_STR, OFF(sms_http_auth_header), 0, 0,
	    "", NULL, 1 },
	S("sms", "http_content_type", sms_http_content_type,
	    "application/json"),
	S("sms", "http_body", sms_http_body,
	    "{\"to\":\"{to}\",\"text\":\"{text}\"}"),
	S("sms", "http_success", sms_http_success, "200,201,202"),
	I("sms", "http_timeout", sms_http_timeout, 1, 120, "10"),
	{ "ops", "listen", CFG_ADDR, OFF(ops_listen), 0, 0, "", NULL, 0 },
	{ "ops", "token", CFG_STR, OFF(ops_token), 0, 0, "", NULL, 1 },
	{ "ops", "expose_on_main", CFG_BOOL, OFF(ops_expose_on_main), 0, 1,
	    "false", NULL, 0 },
	I("accounts", "session_idle", accounts_session_idle, 60, 86400, "1800"),
	I("accounts", "session_absolute", accounts_session_absolute, 300,
	    604800, "43200"),
	I("accounts", "verify_ttl", accounts_verify_ttl, 60, 604800, "86400"),
	I("accounts", "reset_ttl", accounts_reset_ttl, 60, 86400, "3600"),
	I("accounts", "login_failures", accounts_login_failures, 1, 1000,
	    "10"),
	I("accounts", "login_ip_failures", accounts_login_ip_failures, 1,
	    100000, "100"),
	I("accounts", "mails_per_hour", accounts_mails_per_hour, 1, 1000, "5"),
	I("accounts", "mails_per_ip_hour", accounts_mails_per_ip_hour, 1,
	    100000, "30"),
	I("accounts", "argon2_parallel", accounts_argon2_parallel, 0, 256,
	    "0"),
	S("send", "allowed_extensions", send_allowed_extensions,
	    "eps, gif, jpeg, jpg, png, doc, docx, odt, xls, xlsx, ods, pps, "
	    "ppsx, ppt, pptx, odp, zip, rar, 7z, gz, tgz, lzma, cab, gzip, "
	    "bzip2, z, bz2, pdf, txt"),
	I("send", "max_message_bytes", send_max_message_bytes, 1,
	    INT64_C(1) << 50, "100000000000"),
	I("send", "max_files", send_max_files, 1, 10000, "500"),
	I("send", "upload_window", send_upload_window, 1, 7 * 86400, "3600"),
	I("send", "retention", send_retention, 60, 366 * 86400, "432000"),
	I("send", "disk_reserve", send_disk_reserve, 0, INT64_C(1) << 50,
	    "1073741824"),
	I("send", "chunk_size", send_chunk_size, 65536, 1073741824,
	    "16777216"),
	I("send", "parallel_uploads", send_parallel_uploads, 1, 16, "2"),
	S("sms", "allowed_prefixes", sms_allowed_prefixes, "+31"),
	I("receive", "code_ttl", receive_code_ttl, 60, 3600, "600"),
	I("receive", "code_attempts", receive_code_attempts, 1, 100, "5"),
	I("receive", "codes_per_hour", receive_codes_per_hour, 1, 100, "3"),
	I("receive", "capability_ttl", receive_capability_ttl, 60, 86400,
	    "1800"),
	I("requests", "ttl", requests_ttl, 3600, 366 * 86400, "1209600"),
	I("requests", "per_day", requests_per_day, 1, 10000, "50"),
	I("requests", "max_message_bytes", requests_max_message_bytes, 1,
	    INT64_C(1) << 50, "2147483648"),
	S("dropoff", "addresses", dropoff_addresses, ""),
	I("dropoff", "max_message_bytes", dropoff_max_message_bytes, 1,
	    INT64_C(1) << 50, "524288000"),
	I("dropoff", "code_ttl", dropoff_code_ttl, 60, 3600, "600"),
	I("dropoff", "code_attempts", dropoff_code_attempts, 1, 100, "5"),
	I("dropoff", "per_ip_hour", dropoff_per_ip_hour, 1, 100000, "10"),
	I("dropoff", "per_address_day", dropoff_per_address_day, 1, 10000,
	    "5"),
	I("dropoff", "total_day", dropoff_total_day, 1, 1000000, "500"),
	I("dropoff", "pow_bits", dropoff_pow_bits, 0, 28, "18"),
	I("jobs", "interval", jobs_interval, 1, 3600, "30"),
	S("bootstrap", "domains", bootstrap_domains, ""),
	S("bootstrap", "admin_email", bootstrap_admin_email, ""),
	S("testing", "clock_file", testing_clock_file, ""),
	E("log", "level", log_level, log_levels, "info"),
};
/* clang-format on */

#define MAX_VALUE 4096
#define CFG_URL_MAX 256

struct load_state {
	struct config *cfg;
	char *err;
	size_t errlen;
	unsigned char seen[ST_ARRAY_LEN(defs)];
	int failed;
};

static void set_err(struct load_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_err(struct load_state *st, const char *fmt, ...)
{
	va_list ap;

	if (st->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(st->err, st->errlen, fmt, ap);
	va_end(ap);
	st->failed = 1;
}

int
config_parse_addr(const char *s, char *host, size_t hostlen, uint16_t *port)
{
	const char *colon, *h = s;
	size_t hl;
	uint64_t p;
	unsigned char tmp[16];

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return -1;
		h = s + 1;
		hl = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -1;
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= hostlen)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, tmp) != 1 &&
	    inet_pton(AF_INET6, host, tmp) != 1)
		return -1;
	if (num_parse_u64(colon + 1, 0, 65535, &p) == -1)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static int
valid_text(const char *v)
{
	for (; *v != '\0'; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return 0;
	return 1;
}

/* "one of: a, b, c" for an enum's reason. */
static const char *
choices_reason(const struct cfg_def *d, char *why, size_t whylen)
{
	size_t i, at;

	at = (size_t)snprintf(why, whylen, "expected one of:");
	for (i = 0; d->choices[i] != NULL && at < whylen; i++)
		at += (size_t)snprintf(why + at, whylen - at, "%s %s",
		    i ? "," : "", d->choices[i]);
	return why;
}

/*
 * Parses v into the field of d; returns a reason (the allowed values or
 * range, written to why when it needs formatting) or NULL.
 */
static const char *
apply(struct config *cfg, const struct cfg_def *d, const char *v, char *why,
    size_t whylen)
{
	char *base = (char *)cfg;
	uint64_t n;
	char host[64];
	uint16_t port;
	size_t i;

	if (strlen(v) > MAX_VALUE || !valid_text(v))
		return "value too long or has control characters";
	switch (d->type) {
	case CFG_INT:
		if (num_parse_u64(v, (uint64_t)d->min, (uint64_t)d->max, &n) ==
		    -1) {
			snprintf(why, whylen,
			    "expected a whole number from %" PRId64
			    " to %" PRId64,
			    d->min, d->max);
			return why;
		}
		*(int64_t *)(void *)(base + d->off) = (int64_t)n;
		return NULL;
	case CFG_BOOL:
		if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
		    strcmp(v, "1") == 0)
			*(int *)(void *)(base + d->off) = 1;
		else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
		    strcmp(v, "0") == 0)
			*(int *)(void *)(base + d->off) = 0;
		else
			return "expected true or false";
		return NULL;
	case CFG_ENUM:
		for (i = 0; d->choices[i] != NULL; i++)
			if (strcmp(v, d->choices[i]) == 0)
				break;
		if (d->choices[i] == NULL)
			return choices_reason(d, why, whylen);
		break;
	case CFG_ADDR:
		if (*v != '\0' &&
		    config_parse_addr(v, host, sizeof(host), &port) == -1)
			return "expected a numeric address and port, "
			       "like 127.0.0.1:8080";
		break;
	case CFG_URL:
		if (strncmp(v, "http://", 7) != 0 &&
		    strncmp(v, "https://", 8) != 0)
			return "expected an http:// or https:// URL";
		if (v[strlen(v) - 1] == '/')
			return "must not end with a slash";
		/* The links in mails are public_url plus a path, an id and a
		 * secret in 512 bytes (domain/messages.c, requests.c). */
		if (strlen(v) > CFG_URL_MAX)
			return "longer than 256 characters";
		break;
	case CFG_STR:
		break;
	}
	free(*(char **)(void *)(base + d->off));
	*(char **)(void *)(base + d->off) = xstrdup(v);
	return NULL;
}

static const struct cfg_def *
find_def(const char *section, const char *key, size_t *idx)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(defs); i++)
		if (strcmp(defs[i].section, section) == 0 &&
		    strcmp(defs[i].key, key) == 0) {
			*idx = i;
			return &defs[i];
		}
	return NULL;
}

static int
on_ini_line(void *user, const char *section, const char *key, const char *value)
{
	struct load_state *st = user;
	const struct cfg_def *d;
	const char *why;
	char whybuf[256];
	size_t idx;

	if ((d = find_def(section, key, &idx)) == NULL) {
		set_err(st, "%s.%s: unknown setting", section, key);
		return 0;
	}
	if (st->seen[idx]) {
		set_err(st, "%s.%s: set twice", section, key);
		return 0;
	}
	st->seen[idx] = 1;
	if ((why = apply(st->cfg, d, value, whybuf, sizeof(whybuf))) != NULL) {
		set_err(st, "%s.%s: %s", section, key, why);
		return 0;
	}
	return 1;
}

static void
env_name(const struct cfg_def *d, char *out, size_t len)
{
	size_t i;

	snprintf(out, len, "ST_%s_%s", d->section, d->key);
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)toupper((unsigned char)out[i]);
}

/* ST_CONFIG names the file; every other ST_* must be a setting. */
static void
check_env_names(struct load_state *st)
{
	extern char **environ;
	char name[96];
	size_t i, n;
	char **e;

	for (e = environ; e != NULL && *e != NULL && !st->failed; e++) {
		if (strncmp(*e, "ST_", 3) != 0)
			continue;
		n = strcspn(*e, "=");
		if (n == 9 && strncmp(*e, "ST_CONFIG", 9) == 0)
			continue;
		for (i = 0; i < ST_ARRAY_LEN(defs); i++) {
			env_name(&defs[i], name, sizeof(name));
			if (strlen(name) == n && strncmp(*e, name, n) == 0)
				break;
		}
		if (i == ST_ARRAY_LEN(defs))
			set_err(st,
			    "%.*s: unknown setting in the environment "
			    "(ST_<SECTION>_<KEY> of a key in the sample "
			    "config, or ST_CONFIG)",
			    (int)(n > 64 ? 64 : n), *e);
	}
}

/*
 * A node's name for its PATCH leases and job claims, stable across its
 * restarts: the host name and the listen address, unless set.
 */
static void
default_node_id(struct config *cfg)
{
	char host[256], id[320];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(id, sizeof(id), "%s/%s", host, cfg->server_listen);
	free(cfg->server_node_id);
	cfg->server_node_id = xstrdup(id);
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	struct load_state st = { .cfg = cfg, .err = err, .errlen = errlen };
	struct netaddr_list nets;
	const char *why;
	char name[96], whybuf[256];
	size_t i;
	int line;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < ST_ARRAY_LEN(defs); i++)
		if ((why = apply(cfg, &defs[i], defs[i].def, whybuf,
		         sizeof(whybuf))) != NULL)
			abort(); /* a default that fails its own rule */
	if (path != NULL) {
		line = ini_parse(path, on_ini_line, &st);
		if (line == -1)
			set_err(
			    &st, "%s: cannot open: %s", path, strerror(errno));
		else if (line > 0 && !st.failed)
			set_err(&st, "%s:%d: syntax error", path, line);
	}
	check_env_names(&st);
	for (i = 0; i < ST_ARRAY_LEN(defs) && !st.failed; i++) {
		const char *v;

		env_name(&defs[i], name, sizeof(name));
		if ((v = getenv(name)) == NULL)
			continue;
		if ((why = apply(cfg, &defs[i], v, whybuf, sizeof(whybuf))) !=
		    NULL)
			set_err(&st, "%s: %s", name, why);
	}
	if (!st.failed && (why = config_check_sms_http(cfg)) != NULL)
		set_err(&st, "%s", why);
	if (!st.failed && (why = config_check_database(cfg)) != NULL)
		set_err(&st, "%s", why);
	if (!st.failed && cfg->server_node_id[0] == '\0')
		default_node_id(cfg);
	if (!st.failed && (why = config_check_store_s3(cfg)) != NULL)
		set_err(&st, "%s", why);
	if (!st.failed &&
	    netaddr_list_parse(cfg->server_trusted_proxies, &nets, &why) == -1)
		set_err(&st, "server.trusted_proxies: %s", why);
	if (!st.failed && cfg->testing_clock_file[0] != '\0' &&
	    strncmp(cfg->server_public_url, "https://", 8) == 0)
		set_err(&st,
		    "testing.clock_file: not allowed with an https "
		    "public_url (production)");
	if (st.failed) {
		config_release(cfg);
		return -1;
	}
	return 0;
}

void
config_release(struct config *cfg)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(defs); i++) {
		char **p;

		if (defs[i].type == CFG_INT || defs[i].type == CFG_BOOL)
			continue;
		p = (char **)(void *)((char *)cfg + defs[i].off);
		if (defs[i].secret && *p != NULL)
			free_secret(*p, strlen(*p));
		else
			free(*p);
		*p = NULL;
	}
}

void
config_dump(const struct config *cfg, FILE *f)
{
	const char *last = "";
	const char *base = (const char *)cfg;
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(defs); i++) {
		const struct cfg_def *d = &defs[i];

		if (strcmp(last, d->section) != 0)
			fprintf(f, "%s[%s]\n", i ? "\n" : "", d->section);
		last = d->section;
		if (d->type == CFG_INT)
			fprintf(f, "%s = %" PRId64 "\n", d->key,
			    *(const int64_t *)(const void *)(base + d->off));
		else if (d->type == CFG_BOOL)
			fprintf(f, "%s = %s\n", d->key,
			    *(const int *)(const void *)(base + d->off) ?
			        "true" :
			        "false");
		else if (d->secret)
			fprintf(f, "%s = %s\n", d->key,
			    **(char *const *)(const void *)(base + d->off) ?
			        "(set)" :
			        "");
		else
			fprintf(f, "%s = %s\n", d->key,
			    *(char *const *)(const void *)(base + d->off));
	}
}
