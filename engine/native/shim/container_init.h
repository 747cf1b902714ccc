/* The container's first process, from clone(2) to execve(2). */
#ifndef STRATA_SHIM_CONTAINER_INIT_H
#define STRATA_SHIM_CONTAINER_INIT_H

#include <stdbool.h>

#include "container_stdio.h"
#include "spec.h"

/* Runs in the child of clone(CLONE_FLAGS); never returns. Setup failures
 * go to the monitor over SYNC_FD (SYNC_FAIL) before exiting. With
 * WAIT_NETWORK the program starts only once the monitor says the network is
 * up (SYNC_NETWORK): netavark works while the root is built. */
__attribute__((noreturn)) void container_init(const struct spec *spec, const struct container_stdio *stdio,
                                              int sync_fd, int clone_flags, bool wait_network);

#endif
