/* Command lines:
 *   strata-shim start --bundle DIR --run DIR [--cgroup PATH]... [--attach-fd N] [--log FILE] [--network DIR]
 *                     [--restart POLICY] [--health-process FILE --health-interval NS
 *                      --health-timeout NS --health-start-period NS --health-retries N]
 *   strata-shim exec --pid PID --process FILE [--bundle DIR] [--cgroup PATH]... [--attach-fd N] [--stdin] [--detach]
 * exec's --bundle: the container's, whose seccomp filter the process runs under. */
#ifndef STRATA_SHIM_ARGS_H
#define STRATA_SHIM_ARGS_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroups.h"
#include "error.h"

enum shim_command { SHIM_START, SHIM_EXEC };

struct shim_args {
  /* Paths are absolute: the monitor moves to "/" and outlives the caller's cwd. */
  char *bundle, *run, *log, *process_file;
  char *network; /* the container's network dir (netavark.h), when it has networks to join */
  char *cgroups[CGROUPS_MAX];
  size_t n_cgroups;
  int attach_fd; /* -1 when not given */
  pid_t pid;
  bool detach;
  bool open_stdin; /* exec: a stdin pipe fed from the clients' frames; else /dev/null */
  /* start: Docker's restart policy ("no", "always", "unless-stopped", "on-failure[:N]"), NULL for no */
  char *restart;
  /* start: the health check's process (an OCI `process`, run as exec runs one), NULL for none */
  char *health_process;
  long long health_interval_ns, health_timeout_ns, health_start_period_ns;
  long health_retries;
};

int args_parse(enum shim_command cmd, int argc, char **argv, struct shim_args *a, struct shim_err *err);
void args_release(struct shim_args *a);

#endif
