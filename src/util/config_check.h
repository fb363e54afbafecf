/*
 * Cross-key checks of the configuration (config_check.c), run by
 * config_load once every key is set. Each returns NULL when the settings
 * are consistent, else a one-line reason that names the key.
 */
#ifndef ST_CONFIG_CHECK_H
#define ST_CONFIG_CHECK_H

struct config;

/* sms.http_*: only with sms.transport = http. */
const char *config_check_sms_http(const struct config *cfg);
/* store.s3_*: only with store.driver = s3. */
const char *config_check_store_s3(const struct config *cfg);
/* database.url: required with database.driver = postgres. */
const char *config_check_database(const struct config *cfg);

#endif
