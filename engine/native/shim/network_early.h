/* A container's network set up beside the making of the container: when the
 * engine names the network dir's namespace in the spec (a root engine on
 * netavark's bridges), the monitor makes and binds that namespace first,
 * starts netavark's setup in a process of its own, and goes on making the
 * container, whose init joins the namespace by path and waits for the word
 * that the network is up before it runs anything. */
#ifndef STRATA_SHIM_NETWORK_EARLY_H
#define STRATA_SHIM_NETWORK_EARLY_H

#include <stdbool.h>

#include "netavark.h"
#include "spec.h"

/* Whether the spec joins the plan's own namespace by path. */
bool network_early(const struct spec *spec, const struct network_plan *plan);

/* Makes the namespace and starts the setup; *RESULT_FD reads how it ended. */
int network_begin(const struct network_plan *plan, int kernel_fd, int *result_fd, struct shim_err *err);

/* Waits for the setup started by network_begin (closing *RESULT_FD): 0 when
 * the network is up; after a failure the setup has undone its own work. */
int network_await(int *result_fd, struct shim_err *err);

#endif
