/*
 * Every route of the server in one table: method, path pattern, handler,
 * flags, body limit and accepted content types. docs/openapi.yaml
 * documents the /api/v1 routes; a test checks that each one is there.
 */
#include "util/common.h"

#include "api/api.h"
#include "http/router.h"
#include "http/static.h"

/* clang-format off */
#define JSON "application/json"
#define PAGE(p) { "GET", p, static_page, ROUTE_PAGE, 0, NULL }

const struct route routes[] = {
	/* Operations (O5). */
	{ "GET", "/healthz", api_healthz, ROUTE_OPS, 0, NULL },
	{ "GET", "/readyz", api_readyz, ROUTE_OPS, 0, NULL },
	{ "GET", "/metrics", api_metrics, ROUTE_OPS, 0, NULL },

	/* API. */
	{ "GET", "/api/v1/config", api_config, ROUTE_API, 0, NULL },
	{ "GET", "/api/v1/session", api_session_get,
	    ROUTE_API | ROUTE_SESSION, 0, NULL },
	{ "POST", "/api/v1/register", api_register, ROUTE_API, 0, JSON },
	{ "POST", "/api/v1/verify", api_verify, ROUTE_API, 0, JSON },
	{ "POST", "/api/v1/verify/resend", api_verify_resend, ROUTE_API, 0,
	    JSON },
	{ "POST", "/api/v1/prelogin", api_prelogin, ROUTE_API, 0, JSON },
	{ "POST", "/api/v1/login", api_login, ROUTE_API, 0, JSON },
	{ "POST", "/api/v1/logout", api_logout, ROUTE_API | ROUTE_AUTH, 0,
	    NULL },
	{ "POST", "/api/v1/password/forgot", api_password_forgot, ROUTE_API, 0,
	    JSON },
	{ "POST", "/api/v1/password/reset-info", api_reset_info, ROUTE_API, 0,
	    JSON },
	{ "POST", "/api/v1/password/reset", api_reset, ROUTE_API, 0, JSON },
	{ "GET", "/api/v1/account", api_account_get, ROUTE_API | ROUTE_AUTH, 0,
	    NULL },
	{ "PUT", "/api/v1/account", api_account_put, ROUTE_API | ROUTE_AUTH, 0,
	    JSON },
	{ "POST", "/api/v1/account/password", api_account_password,
	    ROUTE_API | ROUTE_AUTH, 0, JSON },
	{ "POST", "/api/v1/csp-report", api_csp_report,
	    ROUTE_API | ROUTE_NO_CSRF, 16384,
	    "application/csp-report|application/reports+json|" JSON },

	/* The front end. */
	{ "GET", "/assets/:name", static_asset, 0, 0, NULL },
	{ "GET", "/i18n/:name", static_i18n, 0, 0, NULL },
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
	PAGE("/handleiding"),
	{ "GET", "/:name", static_root_file, 0, 0, NULL },
};

const size_t nroutes = ST_ARRAY_LEN(routes);
/* clang-format on */
