/* The container's network namespace, bound to a file under its run dir
 * (run/<id>/network/netns) so that netavark, and the engine after a crash,
 * can enter it by path as `ip netns` does with /run/netns. */
#ifndef STRATA_SHIM_NETNS_H
#define STRATA_SHIM_NETNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* Bind-mounts /proc/PID/ns/net on FILE (created; it must not exist). */
int netns_bind(pid_t pid, const char *file, struct shim_err *err);

/* Makes a new network namespace (its loopback up) bound on FILE, the caller
 * staying in its own: the namespace exists before the container does, so its
 * network can be set up while the container is being made. */
int netns_create(const char *file, struct shim_err *err);

/* Unmounts and removes FILE; nothing to do when it is not there. */
int netns_unbind(const char *file, struct shim_err *err);

/* Whether FILE is a bound network namespace (and not a plain file left over). */
bool netns_is_bound(const char *file);

#endif
