#include "json_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "fileio.h"
#include "log_rotate.h"

static const char *const stream_names[] = {"stdout", "stderr"};

void json_log_init(struct json_log *l)
{
  memset(l, 0, sizeof *l);
  l->fd = -1;
}

static int open_log(struct json_log *l, int flags, struct shim_err *err)
{
  l->fd = open(l->path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0640);
  if (l->fd < 0)
    return fail_errno(err, "open `%s`", l->path);
  struct stat st;
  l->size = fstat(l->fd, &st) == 0 ? (long long) st.st_size : 0;
  return 0;
}

int json_log_open(struct json_log *l, const char *path, const struct log_settings *settings, struct shim_err *err)
{
  l->path = strdup(path);
  if (l->path == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "log path");
  l->settings = *settings;
  /* The spec's memory goes once the container runs: the log keeps its own copy. */
  if (settings->attrs != NULL && (l->settings.attrs = strdup(settings->attrs)) == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "log attrs");
  return open_log(l, O_APPEND, err);
}

/* A protobuf varint (field numbers, lengths, time_nano). */
static int add_varint(struct strbuf *sb, unsigned long long v)
{
  unsigned char bytes[10];
  size_t n = 0;
  do {
    bytes[n] = (unsigned char) (v & 0x7f);
    v >>= 7;
    if (v != 0)
      bytes[n] |= 0x80;
    n++;
  } while (v != 0);
  return strbuf_add(sb, bytes, n);
}

static int add_u32be(struct strbuf *sb, size_t at, unsigned v)
{
  unsigned char b[4] = {(unsigned char) (v >> 24), (unsigned char) (v >> 16), (unsigned char) (v >> 8), (unsigned char) v};
  if (at == sb->len)
    return strbuf_add(sb, b, 4);
  memcpy(sb->data + at, b, 4);
  return 0;
}

/* LogEntry{source=1, time_nano=2, line=3, partial=4}, proto3: zero values left out. */
static int local_entry(struct strbuf *e, enum log_stream stream, const struct timespec *now, const struct strbuf *line)
{
  bool partial = line->len == 0 || line->data[line->len - 1] != '\n';
  size_t text = partial ? line->len : line->len - 1;
  int r = add_u32be(e, 0, 0);
  size_t start = e->len;
  r = r ?: strbuf_add(e, "\x0a", 1);
  r = r ?: add_varint(e, strlen(stream_names[stream]));
  r = r ?: strbuf_addstr(e, stream_names[stream]);
  r = r ?: strbuf_add(e, "\x10", 1);
  r = r ?: add_varint(e, (unsigned long long) now->tv_sec * 1000000000ull + (unsigned long long) now->tv_nsec);
  if (text > 0) {
    r = r ?: strbuf_add(e, "\x1a", 1);
    r = r ?: add_varint(e, text);
    r = r ?: strbuf_add(e, line->data, text);
  }
  if (partial)
    r = r ?: strbuf_add(e, "\x20\x01", 2);
  if (r != 0)
    return r;
  unsigned size = (unsigned) (e->len - start);
  return add_u32be(e, 0, size) ?: add_u32be(e, e->len, size);
}

static int json_entry(struct strbuf *e, enum log_stream stream, const struct timespec *now, const struct strbuf *line,
                      const char *attrs)
{
  char time[RFC3339NANO_LEN];
  rfc3339nano(now, time);
  int r = strbuf_addstr(e, "{\"log\":");
  r = r ?: strbuf_add_json_string(e, line->data, line->len);
  r = r ?: strbuf_addf(e, ",\"stream\":\"%s\"", stream_names[stream]);
  if (attrs != NULL)
    r = r ?: strbuf_addf(e, ",\"attrs\":%s", attrs);
  return r ?: strbuf_addf(e, ",\"time\":\"%s\"}\n", time);
}

/* Starts a new file when this entry would take the current one past max-size. */
static void rotate_if_full(struct json_log *l, size_t entry_len)
{
  const struct log_settings *s = &l->settings;
  if (s->max_size <= 0 || l->size == 0 || l->size + (long long) entry_len <= s->max_size)
    return;
  close(l->fd);
  l->fd = -1;
  log_rotate(l->path, s->max_file, s->compress);
  struct shim_err err = {0};
  /* A log that cannot be reopened loses lines, never the container. */
  open_log(l, O_TRUNC, &err);
}

static void emit(struct json_log *l, enum log_stream stream, const struct timespec *now)
{
  struct strbuf *line = &l->partial[stream];
  strbuf_reset(&l->entry);
  int r = l->settings.local ? local_entry(&l->entry, stream, now, line) : json_entry(&l->entry, stream, now, line, l->settings.attrs);
  if (r == 0) {
    rotate_if_full(l, l->entry.len);
    /* A full disk loses log lines, never the container. */
    if (l->fd >= 0 && write_all(l->fd, l->entry.data, l->entry.len) == 0)
      l->size += (long long) l->entry.len;
  }
  strbuf_reset(line);
  if (l->entry.cap > 4 * JSON_LOG_LINE_MAX)
    strbuf_release(&l->entry);
}

void json_log_write(struct json_log *l, enum log_stream stream, const char *data, size_t len)
{
  if (l->fd < 0)
    return;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct strbuf *line = &l->partial[stream];
  while (len > 0) {
    const char *nl = memchr(data, '\n', len);
    size_t take = nl ? (size_t) (nl - data) + 1 : len;
    if (take > JSON_LOG_LINE_MAX - line->len)
      take = JSON_LOG_LINE_MAX - line->len;
    if (strbuf_add(line, data, take) < 0)
      return;
    data += take;
    len -= take;
    if (line->data[line->len - 1] == '\n' || line->len >= JSON_LOG_LINE_MAX)
      emit(l, stream, &now);
  }
}

void json_log_flush(struct json_log *l)
{
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  for (int s = 0; l->fd >= 0 && s < 2; s++)
    if (l->partial[s].len > 0)
      emit(l, (enum log_stream) s, &now);
}

void json_log_close(struct json_log *l)
{
  if (l->fd >= 0)
    close(l->fd);
  free(l->path);
  free((char *) l->settings.attrs);
  strbuf_release(&l->partial[0]);
  strbuf_release(&l->partial[1]);
  strbuf_release(&l->entry);
  l->fd = -1;
  l->path = NULL;
}
