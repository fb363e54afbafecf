/* GET /api/v1/config: the public settings the front end needs. */
#include "util/common.h"

#include <ctype.h>

#include "api/api.h"
#include "domain/delivery.h"
#include "domain/orgpolicy.h"
#include "domain/user.h"
#include "http/request.h"
#include "http/server.h"
#include "util/config.h"

/* "eps, GIF ,jpg" -> ["eps","gif","jpg"] */
static json_t *
extension_list(const char *s)
{
	json_t *arr = json_array();

	while (*s != '\0') {
		char ext[32];
		size_t n = 0;

		while (*s == ' ' || *s == ',')
			s++;
		while (*s != '\0' && *s != ',' && *s != ' ') {
			if (n < sizeof(ext) - 1)
				ext[n++] = (char)tolower((unsigned char)*s);
			s++;
		}
		ext[n] = '\0';
		if (n > 0)
			json_array_append_new(arr, json_string(ext));
	}
	return arr;
}

void
api_config(struct request *req)
{
	const struct config *cfg = req->app->cfg;
	struct org_effective *pol = NULL;
	enum delivery_policy p;
	json_t *doc, *policy = NULL;
	int got = -1;

	/* A logged-in sender gets the policy of their organisation: its rules
	 * and its delivery policy (the compose page shows or hides the strict
	 * choice; the server enforces it either way). */
	if (req->user != NULL) {
		pol = xmalloc(sizeof(*pol));
		if (orgpolicy_of_sender(
		        cfg, req->app->db, req->user->email, pol) == -1) {
			free(pol);
			pol = NULL;
		}
		got = delivery_policy_of_sender(
		    req->app->db, req->user->email, &p);
	}
	doc = json_pack("{s:s,s:[s,s],s:s,s:o}", "version", ST_VERSION,
	    "languages", "nl", "en", "default_language", "nl",
	    "allowed_extensions",
	    extension_list(
	        pol != NULL ? pol->extensions : cfg->send_allowed_extensions));
	if (pol != NULL)
		policy = json_pack("{s:I,s:I,s:b,s:s}", "retention_seconds",
		    (json_int_t)pol->retention, "max_message_bytes",
		    (json_int_t)pol->max_message_bytes, "outsiders",
		    pol->outsiders, "sms_prefixes", pol->sms_prefixes);
	if (got == 0) {
		if (policy == NULL)
			policy = json_object();
		json_object_set_new(
		    policy, "delivery", json_string(delivery_policy_name(p)));
	}
	if (policy != NULL)
		json_object_set_new(doc, "policy", policy);
	free(pol);
	reply_json(req, 200, doc);
}
