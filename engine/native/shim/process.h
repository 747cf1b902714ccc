/* The last steps of every container process, first or exec'd: working
 * directory, limits, credentials, finding the program, then execve. */
#ifndef STRATA_SHIM_PROCESS_H
#define STRATA_SHIM_PROCESS_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

/* Reports SYNC_READY (or the failure, returned in ERR) over SYNC_FD and
 * execs P. Returns only on a failure before execve; if execve itself
 * fails, the errno goes over SYNC_FD and the process exits 126 (127 for
 * ENOENT). CREATE_CWD: mkdir -p the cwd first, as Docker does for WORKDIR. */
int process_start(const struct spec_process *p, int sync_fd, bool create_cwd, struct shim_err *err);

#endif
