/* A new network namespace starts with `lo` down; Docker's containers have it up. */
#ifndef STRATA_SHIM_NETWORK_H
#define STRATA_SHIM_NETWORK_H

#include "error.h"

/* SYNC_FD -1: no step is sent (the caller records it). */
int loopback_up(int sync_fd, struct shim_err *err);

#endif
