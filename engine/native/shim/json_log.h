/* The container log, as Docker's log drivers write it:
 *  - json-file: one object per line of output,
 *    {"log":"text\n","stream":"stdout","time":"<RFC3339Nano>"};
 *  - local: each line a protobuf LogEntry {source, time_nano, line,
 *    partial}, framed by its length (4 bytes, big-endian) before and after.
 * A line longer than 16 KiB is cut into partial entries, as Docker does.
 * With a max size the file is rotated before an entry would take it past
 * that size (FILE.1, FILE.2 ... up to max-file files in all, the oldest
 * dropped; gzip-compressed as FILE.N.gz with compress). */
#ifndef STRATA_SHIM_JSON_LOG_H
#define STRATA_SHIM_JSON_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

#define JSON_LOG_LINE_MAX (16u << 10)

enum log_stream { LOG_STDOUT, LOG_STDERR };

/* How the log is written: the spec's org.strata.log.* annotations. */
struct log_settings {
  bool local;         /* the local driver's format, else json-file's */
  long long max_size; /* bytes a file may hold; 0: no rotation */
  int max_file;       /* files in all, the one written included */
  bool compress;      /* rotated files gzip-compressed */
  const char *attrs;  /* json-file: the "attrs" object of every entry, as JSON text; NULL: none (the log's own copy once open) */
};

struct json_log {
  int fd; /* -1: no log */
  char *path;
  struct log_settings settings;
  long long size; /* bytes in the file being written */
  struct strbuf partial[2]; /* the unfinished line of each stream */
  struct strbuf entry;
};

void json_log_init(struct json_log *l);
int json_log_open(struct json_log *l, const char *path, const struct log_settings *settings, struct shim_err *err);
/* Logs DATA read from STREAM just now. */
void json_log_write(struct json_log *l, enum log_stream stream, const char *data, size_t len);
/* Writes out unfinished lines (end of output). */
void json_log_flush(struct json_log *l);
void json_log_close(struct json_log *l);

#endif
