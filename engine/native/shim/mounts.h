/* The spec's `mounts`, each mounted inside the new root before pivot_root. */
#ifndef STRATA_SHIM_MOUNTS_H
#define STRATA_SHIM_MOUNTS_H

#include "error.h"
#include "spec.h"

/* Mounts M under the root ROOTFD (creating its mount point there) and
 * records it over SYNC_FD. A cgroup mount the kernel refuses is skipped. */
int mount_entry(int rootfd, const struct spec_mount *m, int sync_fd, struct shim_err *err);

#endif
