/* The container's device rules (linux.resources.devices) put in force by
 * each of its cgroups that can: a v1 devices cgroup through devices.deny
 * and devices.allow, the cgroup v2 one through a BPF program (device_bpf.h).
 * Done by the monitor before the container's first process joins them, so
 * that nothing of the container runs with the host's devices open to it. */
#ifndef STRATA_SHIM_DEVICE_CGROUP_H
#define STRATA_SHIM_DEVICE_CGROUP_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

/* Applies SPEC's rules to the cgroup DIR; *ENFORCED tells whether DIR is a
 * hierarchy that enforces them (a v1 freezer cgroup, say, does not). The
 * step is recorded in KERNEL_FD. */
int cgroup_devices_apply(const char *dir, const struct spec *spec, int kernel_fd, bool *enforced, struct shim_err *err);

/* Whether SPEC's rules restrict anything (--privileged allows every device). */
bool cgroup_devices_restrict(const struct spec *spec);

#endif
