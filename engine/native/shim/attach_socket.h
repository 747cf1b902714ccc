/* run/<id>/attach.sock: where `strata attach` (and the app) connect to a
 * running container's stdio. */
#ifndef STRATA_SHIM_ATTACH_SOCKET_H
#define STRATA_SHIM_ATTACH_SOCKET_H

#include "error.h"

#define ATTACH_SOCKET_NAME "attach.sock"

/* Listens on RUN_FD/attach.sock (mode 0600, a stale one replaced). */
int attach_socket_listen(int run_fd, struct shim_err *err);

/* The next pending connection, or -1 when there is none. */
int attach_socket_accept(int listen_fd);

#endif
