#include "exit_status.h"

#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>

#include "clock.h"
#include "fileio.h"

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

int exit_file_write(int run_fd, int code, int signal, bool oom_killed, struct shim_err *err)
{
  char time[RFC3339NANO_LEN], json[160];
  rfc3339nano(NULL, time);
  int n = snprintf(json, sizeof json, "{\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"finishedAt\":\"%s\"}\n", code,
                   signal, oom_killed ? "true" : "false", time);
  return write_file_atomic(run_fd, "exit.json", json, (size_t) n, err);
}
