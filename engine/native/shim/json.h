/* A small JSON reader: the whole document becomes a tree of values, enough
 * for an OCI runtime spec. Numbers keep their text, so 64-bit limits such as
 * RLIM_INFINITY survive without passing through a double. */
#ifndef STRATA_SHIM_JSON_H
#define STRATA_SHIM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_member;

struct json_value {
  enum json_type type;
  bool boolean;
  char *text; /* JSON_STRING: the decoded UTF-8 (NUL-terminated); JSON_NUMBER: the literal */
  size_t len; /* bytes in text, or items in items/members */
  struct json_value **items;
  struct json_member *members;
};

struct json_member {
  char *key;
  struct json_value *value;
};

/* Parses TEXT; on success *OUT owns the tree (json_free). */
int json_parse(const char *text, size_t len, struct json_value **out, struct shim_err *err);
void json_free(struct json_value *v);
static inline void json_freep(struct json_value **v)
{
  json_free(*v);
}
#define autojson __attribute__((cleanup(json_freep))) struct json_value

/* The member KEY of object OBJ (the last one if repeated), or NULL. */
const struct json_value *json_get(const struct json_value *obj, const char *key);
/* V's text if V is a string, else NULL. */
const char *json_string(const struct json_value *v);
/* V as an unsigned integer; -1 if V is not a non-negative integral number. */
int json_u64(const struct json_value *v, uint64_t *out);
static inline bool json_is(const struct json_value *v, enum json_type t)
{
  return v != NULL && v->type == t;
}

#endif
