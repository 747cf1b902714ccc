/* `strata-shim start`: the process the engine spawns. It checks the spec,
 * takes the published host ports (a port in use fails here, before anything
 * is made), forks the monitor, prints the monitor's ready line and exits, so
 * the engine is never the parent of a running container. */
#include "start.h"

#include <fcntl.h>
#include <unistd.h>

#include "args.h"
#include "monitor.h"
#include "report.h"
#include "spec.h"

int start_main(int argc, char **argv)
{
  struct shim_args args;
  struct spec spec;
  struct network_plan network;
  struct held_ports ports = {0};
  struct shim_err err = {0};
  int fds[2];
  if (args_parse(SHIM_START, argc, argv, &args, &err) < 0 || spec_load(args.bundle, &spec, &err) < 0) {
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  if (args.network != NULL
      && (network_plan_load(args.network, &network, &err) < 0 || ports_hold(&network, &ports, &err) < 0)) {
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  if (pipe2(fds, O_CLOEXEC) < 0) {
    fail_errno(&err, "pipe2");
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    monitor_main(&args, &spec, args.network ? &network : NULL, &ports, fds[1]);
  }
  close(fds[1]);
  ports_release(&ports); /* the monitor holds them now */
  if (pid < 0) {
    fail_errno(&err, "fork");
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  return report_forward(fds[0]);
}
