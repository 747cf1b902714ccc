#ifndef STRATA_SHIM_ROOTFS_VIEW_H
#define STRATA_SHIM_ROOTFS_VIEW_H

/* strata-shim rootfs --bundle DIR [--mount SRC:DST:ro|rw]...
 * A stopped container's files as it would see them, for `cp`: in a mount
 * namespace of its own, the container's overlay on its root dir and its
 * volumes and binds inside it. Prints {"ok":true,"pid":N} and holds the view
 * until its standard input closes; the engine reaches it through
 * /proc/N/root, and nothing of it is left mounted on the host, even if the
 * engine dies. */
int rootfs_view_main(int argc, char **argv);

#endif
