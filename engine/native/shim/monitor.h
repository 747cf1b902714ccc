/* The per-container monitor: a detached process that starts the container
 * and then owns its stdio, log, attach socket and exit record. */
#ifndef STRATA_SHIM_MONITOR_H
#define STRATA_SHIM_MONITOR_H

#include <stdbool.h>
#include <sys/types.h>

#include "args.h"
#include "container_stdio.h"
#include "json_log.h"
#include "netavark.h"
#include "oci_runtime.h"
#include "ports.h"
#include "relay.h"
#include "spec.h"

struct monitor {
  const struct shim_args *args;
  struct spec *spec; /* released once the container runs */
  int report_fd;     /* to the start process, for the ready line */
  int run_fd;
  int kernel_fd; /* kernel.jsonl */
  int sync_fd;   /* to the container's first process */
  pid_t init_pid;
  struct container_stdio stdio;
  struct json_log log;
  struct relay relay;
  struct network_plan *network; /* NULL: no networks to set up (none, host, container:) */
  bool network_up;
  int network_setup_fd;         /* the early setup's outcome (network_early.h), until read; else -1 */
  struct held_ports *ports;     /* the published host ports, held until the network is down */
  struct oci_runtime runtime;   /* runc or crun; name NULL for the launcher's own clone */
};

/* Runs in the child of the `start` process; REPORT_FD takes the ready line.
 * Never returns. */
__attribute__((noreturn)) void monitor_main(const struct shim_args *args, struct spec *spec, struct network_plan *network,
                                            struct held_ports *ports, int report_fd);

#endif
