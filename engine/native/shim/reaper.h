/* --init without a tini on the host: the container's first process stays
 * as its PID 1, reaping every orphan and passing signals on to the
 * container's program, which runs as its child; it exits as that child did
 * (128 + the signal if one killed it), as tini and docker-init do. */
#ifndef STRATA_SHIM_REAPER_H
#define STRATA_SHIM_REAPER_H

#include "error.h"
#include "spec.h"

/* Forks the program (process_start in the child); returns only on a
 * failure before the fork. The init takes the program's user, limits and
 * seccomp filter too. */
int reaper_run(const struct spec *spec, int sync_fd, struct shim_err *err);

#endif
