/* GET /api/v1/config: the public settings the front end needs. */
#include "util/common.h"

#include <ctype.h>

#include "api/api.h"
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

	reply_json(req, 200,
	    json_pack("{s:s,s:[s,s],s:s,s:o}", "version", ST_VERSION,
	        "languages", "nl", "en", "default_language", "nl",
	        "allowed_extensions",
	        extension_list(cfg->send_allowed_extensions)));
}
