/* The resume record of a send; see sendstate.h. */
#include "util/common.h"

#include <fcntl.h>
#include <jansson.h>
#include <unistd.h>

#include "cli/sendstate.h"
#include "util/fsutil.h"

static void
put_b64(json_t *o, const char *key, const unsigned char *p, size_t n)
{
	char s[64];

	b64u_encode(s, sizeof(s), p, n);
	json_object_set_new(o, key, json_string(s));
}

static json_t *
file_json(const struct send_file *f)
{
	json_t *o = json_pack("{s:s,s:s,s:I,s:s,s:I,s:b}", "path", f->path,
	    "name", f->name, "size", (json_int_t)f->size, "id", f->id,
	    "ciphertext_size", (json_int_t)f->csize, "done", f->done);

	if (f->has_salt)
		put_b64(o, "salt", f->salt, 32);
	if (f->has_pending) {
		json_t *p = json_pack("{s:I,s:I}", "from",
		    (json_int_t)f->pend_from, "to", (json_int_t)f->pend_to);

		put_b64(p, "sha256", f->pend_hash, 32);
		json_object_set_new(o, "pending", p);
	}
	if (f->done)
		json_object_set_new(
		    o, "header_sha256", json_string(f->header_sha256));
	return o;
}

int
sendstate_save(const struct send_state *s)
{
	json_t *doc, *files = json_array();
	char tmp[4200], *text;
	size_t i, len;
	int fd, rc = -1;

	for (i = 0; i < s->nfiles; i++)
		json_array_append_new(files, file_json(&s->files[i]));
	doc = json_pack(
	    "{s:i,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:o}", "v",
	    1, "msg_id", s->msg_id, "idempotency_key", s->idem_key, "server",
	    s->server, "subject", s->subject, "reference", s->reference,
	    "text_file", s->text_file, "to", s->to, "name", s->rcpt_name,
	    "phone", s->phone, "key_id", s->rcpt_kid, "lang", s->rcpt_lang,
	    "files", files);
	if (s->strict)
		json_object_set_new(doc, "strict", json_true());
	text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	if (text == NULL || mkdir_parent(s->path, 0700) != 0)
		goto out;
	snprintf(tmp, sizeof(tmp), "%s.tmp", s->path);
	(void)unlink(tmp);
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1)
		goto out;
	len = strlen(text);
	if (write(fd, text, len) == (ssize_t)len && fsync(fd) == 0) {
		close(fd);
		rc = rename(tmp, s->path);
	} else
		close(fd);
out:
	free(text);
	return rc;
}

static int
get_b64(const json_t *o, const char *key, unsigned char *out, size_t n)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL && b64u_decode(out, n, v, strlen(v)) == (long)n ? 0 :
	                                                                   -1;
}

static char *
dup_str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL ? xstrdup(v) : NULL;
}

static int
load_file(const json_t *o, struct send_file *f, int made)
{
	const char *id = json_string_value(json_object_get(o, "id"));
	const char *name = json_string_value(json_object_get(o, "name"));
	const char *hs = json_string_value(json_object_get(o, "header_sha256"));
	json_t *size = json_object_get(o, "size");
	json_t *cs = json_object_get(o, "ciphertext_size");
	json_t *p = json_object_get(o, "pending");

	/* Before the message is made its files have no ids yet. */
	if ((f->path = dup_str(o, "path")) == NULL || id == NULL ||
	    (made ? !rand_id_valid(id) : *id != '\0') || name == NULL ||
	    strlen(name) > NAMES_MAX || !json_is_integer(size) ||
	    !json_is_integer(cs) || json_integer_value(size) < 0 ||
	    json_integer_value(cs) < 0)
		return -1;
	snprintf(f->id, sizeof(f->id), "%s", id);
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->size = (uint64_t)json_integer_value(size);
	f->csize = (uint64_t)json_integer_value(cs);
	f->has_salt = get_b64(o, "salt", f->salt, 32) == 0;
	f->done = json_is_true(json_object_get(o, "done"));
	if (f->done && (hs == NULL || strlen(hs) != RAND_TOKEN_LEN))
		return -1;
	if (f->done)
		memcpy(f->header_sha256, hs, RAND_TOKEN_LEN + 1);
	if (json_is_object(p) && json_is_integer(json_object_get(p, "from")) &&
	    json_is_integer(json_object_get(p, "to")) &&
	    get_b64(p, "sha256", f->pend_hash, 32) == 0) {
		f->pend_from = (uint64_t)json_integer_value(
		    json_object_get(p, "from"));
		f->pend_to = (uint64_t)json_integer_value(
		    json_object_get(p, "to"));
		f->has_pending = 1;
	}
	return 0;
}

int
sendstate_load(const char *path, struct send_state *s)
{
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	json_t *files = json_object_get(doc, "files"), *one;
	const char *id = json_string_value(json_object_get(doc, "msg_id"));
	const char *key = json_string_value(
	    json_object_get(doc, "idempotency_key"));
	size_t i;
	int made;

	memset(s, 0, sizeof(*s));
	s->path = xstrdup(path);
	/* A message made, or (with its key) one being made. */
	made = id != NULL && rand_id_valid(id);
	if (doc == NULL || (!made && (key == NULL || !rand_id_valid(key))) ||
	    !json_is_array(files) || json_array_size(files) == 0 ||
	    json_array_size(files) > 10000)
		goto fail;
	if (made)
		memcpy(s->msg_id, id, RAND_ID_LEN + 1);
	if (key != NULL && rand_id_valid(key))
		memcpy(s->idem_key, key, RAND_ID_LEN + 1);
	s->to = dup_str(doc, "to");
	s->rcpt_name = dup_str(doc, "name");
	s->phone = dup_str(doc, "phone");
	s->rcpt_kid = dup_str(doc, "key_id");
	s->strict = json_is_true(json_object_get(doc, "strict"));
	s->rcpt_lang = dup_str(doc, "lang");
	if (!made && s->to == NULL)
		goto fail;
	s->server = dup_str(doc, "server");
	s->subject = dup_str(doc, "subject");
	s->reference = dup_str(doc, "reference");
	s->text_file = dup_str(doc, "text_file");
	if (s->server == NULL || s->subject == NULL || s->reference == NULL)
		goto fail;
	s->nfiles = json_array_size(files);
	s->files = xcalloc(s->nfiles, sizeof(*s->files));
	json_array_foreach(files, i, one)
	{
		if (load_file(one, &s->files[i], made) != 0)
			goto fail;
	}
	json_decref(doc);
	return 0;
fail:
	json_decref(doc);
	sendstate_release(s);
	return -1;
}

void
sendstate_release(struct send_state *s)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		free(s->files[i].path);
	free(s->files);
	free(s->path);
	free(s->server);
	free(s->subject);
	free(s->reference);
	free(s->text_file);
	free(s->to);
	free(s->rcpt_name);
	free(s->phone);
	free(s->rcpt_kid);
	free(s->rcpt_lang);
	memset(s, 0, sizeof(*s));
}
