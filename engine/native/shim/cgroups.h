/* The container's cgroups, one directory per hierarchy (a v1 freezer dir,
 * the v2 unified dir...), created by the engine beforehand. The monitor
 * puts the process in them and removes them once the container is gone. */
#ifndef STRATA_SHIM_CGROUPS_H
#define STRATA_SHIM_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

#define CGROUPS_MAX 16

/* Opens DIR/cgroup.procs for writing (before joining the container's
 * mount namespace, where the host's cgroup tree is out of sight). */
int cgroup_open_procs(const char *dir, struct shim_err *err);

/* Moves PID into the cgroup whose cgroup.procs is FD. */
int cgroup_write_pid(int fd, const char *dir, pid_t pid, struct shim_err *err);

/* Both at once. */
int cgroup_join(const char *dir, pid_t pid, struct shim_err *err);

/* Whether any of the N cgroups DIRS is frozen (v1 freezer.state, v2 cgroup.events): a paused container. */
bool cgroups_frozen(char *const *dirs, size_t n);
/* Whether the kernel's OOM killer killed a process of the container: the
 * oom_kill count of memory.oom_control (v1) or memory.events (v2) in any
 * of its cgroups. Read before they are removed. */
bool cgroups_oom_killed(char *const *dirs, size_t n);

/* rmdir DIR, retrying while exiting processes still hold it (EBUSY). */
void cgroup_remove(const char *dir);

#endif
