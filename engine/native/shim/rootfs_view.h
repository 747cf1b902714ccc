#ifndef STRATA_SHIM_ROOTFS_VIEW_H
#define STRATA_SHIM_ROOTFS_VIEW_H

/* strata-shim rootfs --bundle DIR [--of PID] [--mount SRC:DST:ro|rw]...
 * A container's files as Docker's `cp` shows them: in a mount namespace of
 * its own, the container's overlay on its root dir (a stopped container's
 * mounted afresh, a running one's — process PID — cloned from its mount
 * namespace, without its /proc, /sys or /dev) and its volumes, binds and
 * name files inside it. Prints {"ok":true,"pid":N} and holds the view
 * until its standard input closes; the engine reaches it through
 * /proc/N/root, and nothing of it is left mounted on the host, even if the
 * engine dies. */
int rootfs_view_main(int argc, char **argv);

#endif
