#include "kernel_log.h"

#include <stdarg.h>
#include <string.h>

#include "fileio.h"
#include "strbuf.h"
#include "sync.h"

static int format_step(struct strbuf *sb, const char *step, va_list ap)
{
  int r = strbuf_addstr(sb, "{\"step\":");
  r = r ?: strbuf_add_json_string(sb, step, strlen(step));
  r = r ?: strbuf_addstr(sb, ",\"detail\":{");
  const char *key;
  for (int i = 0; r == 0 && (key = va_arg(ap, const char *)) != NULL; i++) {
    const char *value = va_arg(ap, const char *);
    if (value == NULL)
      value = "";
    r = i ? strbuf_addstr(sb, ",") : 0;
    r = r ?: strbuf_add_json_string(sb, key, strlen(key));
    r = r ?: strbuf_addstr(sb, ":");
    r = r ?: strbuf_add_json_string(sb, value, strlen(value));
  }
  return r ?: strbuf_addstr(sb, "}}\n");
}

void kernel_step_send(int sync_fd, const char *step, ...)
{
  autostrbuf sb = STRBUF_INIT;
  va_list ap;
  va_start(ap, step);
  int r = format_step(&sb, step, ap);
  va_end(ap);
  if (r == 0)
    sync_send(sync_fd, SYNC_STEP, sb.data, sb.len);
}

void kernel_step_write(int log_fd, const char *step, ...)
{
  if (log_fd < 0)
    return;
  autostrbuf sb = STRBUF_INIT;
  va_list ap;
  va_start(ap, step);
  int r = format_step(&sb, step, ap);
  va_end(ap);
  if (r == 0)
    write_all(log_fd, sb.data, sb.len);
}

void kernel_line_append(int log_fd, const char *line, size_t len)
{
  /* One write per record on an O_APPEND file: lines never interleave. */
  if (log_fd >= 0 && len > 0 && line[len - 1] == '\n')
    write_all(log_fd, line, len);
}
