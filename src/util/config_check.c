/*
 * The checks of the configuration that span several keys: a backend's
 * settings are only checked when that backend is chosen.
 */
#include "util/common.h"

#include "util/config.h"
#include "util/config_check.h"
#include "util/num.h"

/* Comma-separated HTTP status codes (100-599), at least one. */
static int
valid_status_list(const char *s)
{
	uint64_t code;
	char one[8];
	size_t n;

	for (;;) {
		s += strspn(s, " ");
		n = strcspn(s, ", ");
		if (n == 0 || n >= sizeof(one))
			return 0;
		memcpy(one, s, n);
		one[n] = '\0';
		if (num_parse_u64(one, 100, 599, &code) == -1)
			return 0;
		s += n;
		s += strspn(s, " ");
		if (*s == '\0')
			return 1;
		if (*s++ != ',')
			return 0;
	}
}

/* The [sms] http_* settings only matter, and are only checked, for http. */
const char *
config_check_sms_http(const struct config *cfg)
{
	const char *url = cfg->sms_http_url, *h = cfg->sms_http_auth_header;

	if (strcmp(cfg->sms_transport, "http") != 0)
		return NULL;
	if (url[0] == '\0')
		return "sms.http_url: required with sms.transport = http";
	else if (strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "http://", 7) != 0)
		return "sms.http_url: expected an http:// or https:// URL";
	else if (strchr(url, ' ') != NULL)
		return "sms.http_url: must not contain spaces";
	else if (h[0] != '\0' &&
	    (strchr(h, ':') == NULL || h[0] == ':' || h[0] == ' '))
		return "sms.http_auth_header: expected a header line like "
		       "\"Authorization: Bearer ...\"";
	else if (cfg->sms_http_content_type[0] == '\0')
		return "sms.http_content_type: must not be empty";
	else if (strstr(cfg->sms_http_body, "{text}") == NULL ||
	    (strstr(cfg->sms_http_body, "{to}") == NULL &&
	        strstr(cfg->sms_http_body, "{msisdn}") == NULL))
		return "sms.http_body: must contain {text} and {to} or "
		       "{msisdn}";
	else if (!valid_status_list(cfg->sms_http_success))
		return "sms.http_success: expected HTTP status codes like "
		       "200,201,202";
	return NULL;
}

/* A bucket name that is also a DNS label sequence (virtual-host style). */
static int
valid_bucket(const char *b)
{
	size_t i, n = strlen(b);

	if (n < 3 || n > 63)
		return 0;
	for (i = 0; i < n; i++)
		if (!((b[i] >= 'a' && b[i] <= 'z') ||
		        (b[i] >= '0' && b[i] <= '9') || b[i] == '-' ||
		        b[i] == '.'))
			return 0;
	return b[0] != '-' && b[0] != '.' && b[n - 1] != '-' && b[n - 1] != '.';
}

/* The [store] s3_* settings only matter, and are only checked, for s3. */
const char *
config_check_store_s3(const struct config *cfg)
{
	const char *e = cfg->store_s3_endpoint;

	if (strcmp(cfg->store_driver, "s3") != 0)
		return NULL;
	if (strncmp(e, "https://", 8) != 0 && strncmp(e, "http://", 7) != 0)
		return "store.s3_endpoint: required with store.driver = s3: "
		       "an http:// or https:// URL";
	else if (strchr(e + 8, '/') != NULL || strchr(e, '?') != NULL ||
	    strchr(e, '@') != NULL || strchr(e, ' ') != NULL)
		return "store.s3_endpoint: scheme, host and port only, like "
		       "https://s3.example.org";
	else if (!valid_bucket(cfg->store_s3_bucket))
		return "store.s3_bucket: required with store.driver = s3: 3-63 "
		       "lowercase letters, digits, dots and hyphens";
	else if (cfg->store_s3_region[0] == '\0' ||
	    strchr(cfg->store_s3_region, ':') != NULL)
		return "store.s3_region: expected a region like eu-west-1";
	else if (cfg->store_s3_credentials_file[0] != '\0' &&
	    (cfg->store_s3_access_key[0] != '\0' ||
	        cfg->store_s3_secret_key[0] != '\0'))
		return "store.s3_credentials_file: set either it or "
		       "s3_access_key and s3_secret_key";
	else if (cfg->store_s3_credentials_file[0] == '\0' &&
	    (cfg->store_s3_access_key[0] == '\0' ||
	        cfg->store_s3_secret_key[0] == '\0'))
		return "store.s3_access_key: s3_access_key and s3_secret_key "
		       "(or "
		       "s3_credentials_file) are required with store.driver = "
		       "s3";
	else if (strchr(cfg->store_s3_access_key, ':') != NULL)
		return "store.s3_access_key: must not contain ':'";
	return NULL;
}

/* PostgreSQL needs somewhere to connect to. */
const char *
config_check_database(const struct config *cfg)
{
	if (strcmp(cfg->database_driver, "postgres") == 0 &&
	    cfg->database_url[0] == '\0')
		return "database.url: required with database.driver = "
		       "postgres";
	return NULL;
}
