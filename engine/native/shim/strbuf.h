/* A growable byte buffer, and JSON string output escaped the way Go's
 * encoding/json (and so Docker's json-file logger) escapes it. */
#ifndef STRATA_SHIM_STRBUF_H
#define STRATA_SHIM_STRBUF_H

#include <stddef.h>

struct strbuf {
  char *data; /* always NUL-terminated once anything was added */
  size_t len;
  size_t cap;
};

#define STRBUF_INIT {NULL, 0, 0}
#define autostrbuf __attribute__((cleanup(strbuf_release))) struct strbuf

/* All return 0, or -ENOMEM. */
int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends DATA as a quoted JSON string: ", \ and control characters escaped
 * (\n \r \t or \u00XX), < > & as \u003c \u003e \u0026, U+2028/U+2029 as
 * \u2028/\u2029, and every byte of invalid UTF-8 as \ufffd. */
int strbuf_add_json_string(struct strbuf *sb, const char *data, size_t len);

void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

#endif
