/* Pseudo-terminals for `-t`. */
#ifndef STRATA_SHIM_PTY_H
#define STRATA_SHIM_PTY_H

#include "error.h"

/* Opens a new pty through PTMX ("/dev/ptmx"): *MASTER (close-on-exec,
 * non-blocking if NONBLOCK) and its *SLAVE (close-on-exec, not our
 * controlling terminal). */
int pty_open(const char *ptmx, int *master, int *slave, int nonblock, struct shim_err *err);

/* Makes FD the controlling terminal of the calling session leader. */
int pty_make_controlling(int fd, struct shim_err *err);

#endif
