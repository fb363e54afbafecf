/* The code SMS text and the SMS transport table; see sms.h. */
#include "util/common.h"

#include "notify/mailtext.h"
#include "notify/sms.h"
#include "notify/transport.h"
#include "util/config.h"

/* Used when the catalogue has no "sms.code": the code must still arrive. */
#define SMS_CODE_FALLBACK \
	"Uw code voor SecureTransfer is {code}. De code is {minutes} " \
	"minuten geldig. Deel deze code met niemand."

int
sms_number_valid(const char *to)
{
	size_t n;

	if (to == NULL || to[0] != '+' || to[1] < '1' || to[1] > '9')
		return 0;
	n = strspn(to + 1, "0123456789");
	return to[1 + n] == '\0' && n >= 8 && n <= 15;
}

static int
code_valid(const char *code)
{
	size_t n = code != NULL ? strspn(code, "0123456789") : 0;

	return n >= 4 && n <= 10 && code[n] == '\0';
}

/* {name} filled from params without the catalogue (the fallback). */
static int
fill_fallback(const char *code, const char *minutes, char *out, size_t len)
{
	const char *p = SMS_CODE_FALLBACK, *close;
	size_t o = 0, add;

	while (*p != '\0') {
		const char *v = NULL;

		if (*p == '{' && (close = strchr(p, '}')) != NULL) {
			if (strncmp(p, "{code}", 6) == 0)
				v = code;
			else if (strncmp(p, "{minutes}", 9) == 0)
				v = minutes;
		}
		add = v != NULL ? strlen(v) : 1;
		if (add >= len - o)
			return -1;
		memcpy(out + o, v != NULL ? v : p, add);
		o += add;
		p = v != NULL ? close + 1 : p + 1;
	}
	out[o] = '\0';
	return 0;
}

int
sms_code_text(const struct config *cfg, const char *code, int minutes,
    const char *lang, char *out, size_t outlen)
{
	char mins[16];
	const char *params[] = { "code", code, "minutes", mins, NULL };
	char *text;
	size_t n;
	int rc = -1;

	ST_UNUSED(cfg); /* the catalogue was read from its web_root at start */
	if (outlen == 0)
		return -1;
	out[0] = '\0';
	if (!code_valid(code) || minutes < 1 || minutes > 1440)
		return -1;
	snprintf(mins, sizeof(mins), "%d", minutes);
	if ((text = mailtext_plain("sms.code", lang, params)) == NULL)
		return fill_fallback(code, mins, out, outlen);
	/* A catalogue text without {code} would send a useless SMS. */
	if (strstr(text, code) != NULL && (n = strlen(text)) < outlen) {
		memcpy(out, text, n + 1);
		rc = 0;
	}
	free_secret(text, strlen(text));
	return rc;
}

const struct sms_transport *
sms_transport_of(const struct config *cfg)
{
	return strcmp(cfg->sms_transport, "http") == 0 ? &sms_http_transport :
	                                                 &sms_log_transport;
}
