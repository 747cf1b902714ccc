/* Paths inside the container's root, resolved (and created) without ever
 * leaving it: a symlink in an image cannot point a mount, a device node or
 * a directory the launcher creates at the host. */
#ifndef STRATA_SHIM_ROOTFS_PATH_H
#define STRATA_SHIM_ROOTFS_PATH_H

#include "error.h"

enum rootfs_create {
  ROOTFS_EXISTING, /* fail if missing */
  ROOTFS_DIR,      /* create missing directories */
  ROOTFS_FILE,     /* create missing directories, and the last component as an empty file */
};

/* An O_PATH descriptor for PATH (absolute, as seen in the container)
 * inside the directory ROOTFD; -1 with ERR set on failure. */
int rootfs_open(int rootfd, const char *path, enum rootfs_create create, struct shim_err *err);

#endif
