/* Starting the container from the monitor: clone into new namespaces, then
 * the handshake with the container's first process over the sync channel. */
#ifndef STRATA_SHIM_LAUNCH_H
#define STRATA_SHIM_LAUNCH_H

#include "error.h"
#include "monitor.h"

/* On success the process has reported SYNC_READY and is about to execve;
 * m->init_pid and m->sync_fd are set (init_pid also on most failures, for
 * the cleanup). */
int launch_container(struct monitor *m, struct shim_err *err);

/* Puts m->init_pid in the engine's cgroups, each one's device rules set
 * first (also for a process another runtime made, before it runs). */
int launch_join_cgroups(struct monitor *m, struct shim_err *err);

/* netavark wires the namespace bound for m->network (the init told when its own). */
int launch_network_up(struct monitor *m, struct shim_err *err);

#endif
