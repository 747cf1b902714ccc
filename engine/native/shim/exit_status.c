#include "exit_status.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "clock.h"
#include "fileio.h"
#include "strbuf.h"

int exit_status_code(int status, int exec_errno, int *signal)
{
  *signal = 0;
  if (exec_errno != 0)
    return exec_errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
  if (WIFSIGNALED(status)) {
    *signal = WTERMSIG(status);
    return 128 + *signal;
  }
  return WEXITSTATUS(status);
}

int exit_file_write(int run_fd, int code, int signal, bool oom_killed, const char *error, struct shim_err *err)
{
  char time[RFC3339NANO_LEN];
  autostrbuf sb = STRBUF_INIT;
  rfc3339nano(NULL, time);
  int r = strbuf_addf(&sb, "{\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"finishedAt\":\"%s\"", code, signal,
                      oom_killed ? "true" : "false", time);
  if (error != NULL) {
    r = r ?: strbuf_addstr(&sb, ",\"error\":");
    r = r ?: strbuf_add_json_string(&sb, error, strlen(error));
  }
  r = r ?: strbuf_addstr(&sb, "}\n");
  if (r < 0)
    return fail_with(err, EXIT_SETUP, -r, "write `exit.json`");
  return write_file_atomic(run_fd, "exit.json", sb.data, sb.len, err);
}
