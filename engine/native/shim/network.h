/* A new network namespace starts with `lo` down; Docker's containers have it up. */
#ifndef STRATA_SHIM_NETWORK_H
#define STRATA_SHIM_NETWORK_H

#include "error.h"

int loopback_up(int sync_fd, struct shim_err *err);

#endif
