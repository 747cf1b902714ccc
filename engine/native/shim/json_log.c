#include "json_log.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "fileio.h"

static const char *const stream_names[] = {"stdout", "stderr"};

void json_log_init(struct json_log *l)
{
  memset(l, 0, sizeof *l);
  l->fd = -1;
}

int json_log_open(struct json_log *l, const char *path, struct shim_err *err)
{
  l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (l->fd < 0)
    return fail_errno(err, "open `%s`", path);
  return 0;
}

static void emit(struct json_log *l, enum log_stream stream, const char *time)
{
  struct strbuf *line = &l->partial[stream];
  strbuf_reset(&l->entry);
  int r = strbuf_addstr(&l->entry, "{\"log\":");
  r = r ?: strbuf_add_json_string(&l->entry, line->data, line->len);
  r = r ?: strbuf_addf(&l->entry, ",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream_names[stream], time);
  /* A full disk loses log lines, never the container. */
  if (r == 0)
    write_all(l->fd, l->entry.data, l->entry.len);
  strbuf_reset(line);
  if (l->entry.cap > 4 * JSON_LOG_LINE_MAX)
    strbuf_release(&l->entry);
}

void json_log_write(struct json_log *l, enum log_stream stream, const char *data, size_t len)
{
  if (l->fd < 0)
    return;
  char time[RFC3339NANO_LEN];
  rfc3339nano(NULL, time);
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
      emit(l, stream, time);
  }
}

void json_log_flush(struct json_log *l)
{
  char time[RFC3339NANO_LEN];
  rfc3339nano(NULL, time);
  for (int s = 0; l->fd >= 0 && s < 2; s++)
    if (l->partial[s].len > 0)
      emit(l, (enum log_stream) s, time);
}

void json_log_close(struct json_log *l)
{
  if (l->fd >= 0)
    close(l->fd);
  strbuf_release(&l->partial[0]);
  strbuf_release(&l->partial[1]);
  strbuf_release(&l->entry);
  l->fd = -1;
}
