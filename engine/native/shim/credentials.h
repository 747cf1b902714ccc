/* Who the process runs as: limits, user and groups, capabilities and
 * no_new_privs, applied in the one order that works (see credentials.c). */
#ifndef STRATA_SHIM_CREDENTIALS_H
#define STRATA_SHIM_CREDENTIALS_H

#include "error.h"
#include "spec.h"

int rlimits_apply(const struct spec_process *p, int sync_fd, struct shim_err *err);

/* Switches to P's user and capabilities; SYNC_FD receives the record. */
int credentials_apply(const struct spec_process *p, int sync_fd, struct shim_err *err);

#endif
