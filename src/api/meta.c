/* GET /api/v1/config: the public settings the front end needs. */
#include "util/common.h"

#include <ctype.h>

#include "api/api.h"
#include "db/db.h"
#include "domain/delivery.h"
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
	enum delivery_policy p;
	struct db_conn *c;
	json_t *doc;
	int got;

	doc = json_pack("{s:s,s:[s,s],s:s,s:o}", "version", ST_VERSION,
	    "languages", "nl", "en", "default_language", "nl",
	    "allowed_extensions", extension_list(cfg->send_allowed_extensions));
	/* A logged-in sender gets their organisation's delivery policy: the
	 * compose page shows or hides the strict choice (the server enforces
	 * it either way). */
	if (req->user != NULL) {
		c = db_get(req->app->db);
		got = delivery_policy_of(c, req->user->email, &p);
		db_put(c);
		if (got == 0)
			json_object_set_new(doc, "policy",
			    json_pack(
			        "{s:s}", "delivery", delivery_policy_name(p)));
	}
	reply_json(req, 200, doc);
}
