/* The per-container monitor: a detached process that starts the container
 * and then owns its stdio, log, attach socket, restarts, health checks and
 * exit record. */
#ifndef STRATA_SHIM_MONITOR_H
#define STRATA_SHIM_MONITOR_H

#include <stdbool.h>
#include <sys/types.h>

#include "args.h"
#include "container_stdio.h"
#include "health.h"
#include "json_log.h"
#include "netavark.h"
#include "oci_runtime.h"
#include "ports.h"
#include "relay.h"
#include "restart.h"
#include "spec.h"

struct monitor {
  const struct shim_args *args;
  struct spec *spec; /* released while the container runs; read again for a restart */
  int report_fd;     /* to the start process, for the ready line */
  int run_fd;
  int kernel_fd; /* kernel.jsonl */
  int sync_fd;   /* to the container's first process */
  pid_t init_pid;
  long long started_ms; /* when the current process started (monotonic) */
  struct container_stdio stdio;
  struct json_log log;
  struct relay relay;
  struct network_plan *network; /* NULL: no networks to set up (none, host, container:) */
  bool network_up;
  int network_setup_fd;         /* the early setup's outcome (network_early.h), until read; else -1 */
  struct held_ports *ports;     /* the published host ports, held until the network is down */
  struct restart_policy restart;
  struct health health;
  struct relay_hook health_hook;
  struct oci_runtime runtime;   /* runc or crun; name NULL for the launcher's own clone */
};

/* Runs in the child of the `start` process; REPORT_FD takes the ready line.
 * Never returns. */
__attribute__((noreturn)) void monitor_main(const struct shim_args *args, struct spec *spec, struct network_plan *network,
                                            struct held_ports *ports, int report_fd);

/* The process's network namespace torn down and unbound; the published
 * ports stay held (a restart sets the network up again for the next one). */
void monitor_network_leave(struct monitor *m);

/* With a namespace the container joins by path (network_early.h): made now, and netavark started on
 * it while the container is made; launch_network_up waits for it. */
int monitor_network_begin(struct monitor *m, struct shim_err *err);

/* The container's stdio for its next process: a pty from the init with -t, else pipes. */
int monitor_stdio(struct monitor *m, struct shim_err *err);

/* The running process's part of the relay and the health checks, once it started. */
void monitor_running(struct monitor *m);

/* After the container's process ended with CODE: true when the restart
 * policy started a new one (monitor_restart.c); false when the container
 * stops here, with ERR set if a restart was due but failed to start. */
bool monitor_restart(struct monitor *m, int code, struct shim_err *err);

#endif
