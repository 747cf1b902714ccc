/* /dev inside the container: the spec's device nodes and the standard
 * symlinks (fd, stdin, stdout, stderr, ptmx, core), and /dev/console. */
#ifndef STRATA_SHIM_DEVICES_H
#define STRATA_SHIM_DEVICES_H

#include "error.h"
#include "spec.h"

/* mknod each of SPEC's devices under ROOTFD, owned and moded as given. */
int devices_create(int rootfd, const struct spec *spec, int sync_fd, struct shim_err *err);

/* The symlinks every container's /dev has. */
int devices_symlinks(int rootfd, struct shim_err *err);

/* Binds the terminal TTY_FD (the pty slave) onto /dev/console. */
int devices_console(int rootfd, int tty_fd, struct shim_err *err);

#endif
