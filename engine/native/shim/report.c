#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "strbuf.h"

void report_ok(int fd, pid_t pid, pid_t monitor)
{
  char line[96];
  int n = monitor > 0 ? snprintf(line, sizeof line, "{\"ok\":true,\"pid\":%d,\"monitor\":%d}\n", (int) pid, (int) monitor)
                      : snprintf(line, sizeof line, "{\"ok\":true,\"pid\":%d}\n", (int) pid);
  write_all(fd, line, (size_t) n);
}

void report_failure(int fd, const struct shim_err *err)
{
  autostrbuf sb = STRBUF_INIT;
  const char *msg = err->msg[0] ? err->msg : "failed";
  int r = strbuf_addf(&sb, "{\"ok\":false,\"code\":%d,\"error\":", err->code ? err->code : EXIT_SETUP);
  r = r ?: strbuf_add_json_string(&sb, msg, strlen(msg));
  r = r ?: strbuf_addstr(&sb, "}\n");
  if (r == 0)
    write_all(fd, sb.data, sb.len);
}

int report_forward(int from)
{
  char line[2048];
  size_t len = 0;
  while (len < sizeof line) {
    ssize_t n = read(from, line + len, sizeof line - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    len += (size_t) n;
    if (memchr(line, '\n', len) != NULL)
      break;
  }
  if (len == 0 || line[len - 1] != '\n') {
    struct shim_err err = {EXIT_SETUP, "strata-shim: the monitor exited before the container started"};
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  write_all(STDOUT_FILENO, line, len);
  return strncmp(line, "{\"ok\":true", 10) == 0 ? 0 : 1;
}
