/* Published ports: netavark forwards them but binds nothing, so a host
 * program on the same port would silently lose its traffic. The launcher
 * binds each host port itself before anything else is set up (a port in use
 * fails the start with nothing made) and the monitor holds the sockets for
 * the container's life, as docker-proxy does; `ss -ltnp` shows the owner. */
#ifndef STRATA_SHIM_PORTS_H
#define STRATA_SHIM_PORTS_H

#include <stddef.h>

#include "error.h"
#include "netavark.h"

struct held_ports {
  int *fds;
  size_t count;
};

/* Binds every host port of every attachment's port_mappings (close-on-exec). */
int ports_hold(const struct network_plan *plan, struct held_ports *held, struct shim_err *err);
void ports_release(struct held_ports *held);

#endif
