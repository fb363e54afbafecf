/* The domain environment of a request (messages and uploads), and the
 * message handlers the request routes share. */
#ifndef ST_API_MSG_ENV_H
#define ST_API_MSG_ENV_H

#include <jansson.h>

#include "domain/messages.h"

struct request;

void api_msg_env(struct request *req, struct msg_env *env);

/* messages.c, shared with the request routes (requests.c). */
/* The most entries a files[] list may have (F_ARR in input_check). */
#define API_MAX_FILES_JSON 10000
/* Reads files[] into in; answers 400 and returns -1 on a bad entry. */
int api_read_files(struct request *req, json_t *arr, struct msg_create_in *in);
/* The answer to a create: ids, sizes, recipient key, upload settings. */
json_t *api_created_json(struct request *req, const struct msg_create_in *in,
    const struct msg_created *out, const char *endpoint);
/* POST .../send for message id as req->user. */
void api_send_message(struct request *req, const char *id);

#endif
