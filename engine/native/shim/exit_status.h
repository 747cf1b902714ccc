/* How a container process ended, in Docker's terms, and run/<id>/exit.json. */
#ifndef STRATA_SHIM_EXIT_STATUS_H
#define STRATA_SHIM_EXIT_STATUS_H

#include <stdbool.h>

#include "error.h"

/* The exit code (the status, or 128 + signal); *SIGNAL the killing signal
 * or 0. EXEC_ERRNO, when execve failed after the ready report, wins:
 * 127 for ENOENT, else 126. */
int exit_status_code(int status, int exec_errno, int *signal);

/* Writes {"exitCode":N,"signal":S,"oomKilled":B,"finishedAt":"<RFC3339Nano>"} atomically,
 * with "error" when ERROR is not NULL (a restart that could not start). */
int exit_file_write(int run_fd, int code, int signal, bool oom_killed, const char *error, struct shim_err *err);

#endif
