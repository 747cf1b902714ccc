/* The container log in Docker's json-file format: one object per line of
 * output, {"log":"text\n","stream":"stdout","time":"<RFC3339Nano>"}. A
 * line longer than 16 KiB is cut into partial entries, as Docker does. */
#ifndef STRATA_SHIM_JSON_LOG_H
#define STRATA_SHIM_JSON_LOG_H

#include <stddef.h>

#include "error.h"
#include "strbuf.h"

#define JSON_LOG_LINE_MAX (16u << 10)

enum log_stream { LOG_STDOUT, LOG_STDERR };

struct json_log {
  int fd; /* -1: no log */
  struct strbuf partial[2]; /* the unfinished line of each stream */
  struct strbuf entry;
};

void json_log_init(struct json_log *l);
int json_log_open(struct json_log *l, const char *path, struct shim_err *err);
/* Logs DATA read from STREAM just now. */
void json_log_write(struct json_log *l, enum log_stream stream, const char *data, size_t len);
/* Writes out unfinished lines (end of output). */
void json_log_flush(struct json_log *l);
void json_log_close(struct json_log *l);

#endif
