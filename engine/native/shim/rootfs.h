/* The container's root filesystem, built by its first process in its new
 * mount namespace: overlay, the spec's mounts, /dev, pivot_root, then the
 * masked and read-only paths. */
#ifndef STRATA_SHIM_ROOTFS_H
#define STRATA_SHIM_ROOTFS_H

#include "error.h"
#include "spec.h"

/* TTY_FD is the pty slave to bind on /dev/console, or -1. Steps are
 * recorded over SYNC_FD. On success the process's root is the container's. */
int rootfs_setup(const struct spec *spec, int tty_fd, int sync_fd, struct shim_err *err);

/* Mounts the spec's root (the overlay, or a bind of the root on itself) in
 * the current mount namespace; the first step of rootfs_setup. */
int rootfs_mount_root(const struct spec *spec, int sync_fd, struct shim_err *err);

#endif
