/* strata-shim: the namespace launcher and per-container monitor of the
 * Strata engine. Every outcome is one JSON line on stdout (see report.h). */
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "exec.h"
#include "network_cmd.h"
#include "pasta.h"
#include "rootfs_view.h"
#include "report.h"
#include "start.h"
#include "userns.h"

int main(int argc, char **argv)
{
  if (argc >= 2 && strcmp(argv[1], "start") == 0)
    return start_main(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "exec") == 0)
    return exec_main(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "network") == 0)
    return network_main(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "rootfs") == 0)
    return rootfs_view_main(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "pasta") == 0)
    return pasta_main(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "userns") == 0)
    return userns_main(argc - 2, argv + 2);
  struct shim_err err = {EXIT_SETUP, "usage: strata-shim start --bundle DIR --run DIR [--cgroup PATH]... "
                                     "[--attach-fd N] [--log FILE] [--network DIR] | strata-shim exec --pid PID "
                                     "--process FILE [--bundle DIR] [--cgroup PATH]... [--attach-fd N] [--detach] | "
                                     "strata-shim network setup|teardown --dir DIR [--attachment NAME] | "
                                     "strata-shim rootfs --bundle DIR [--of PID] [--mount SRC:DST:ro|rw]... | "
                                     "strata-shim userns -- PROG [ARG]... | strata-shim pasta [PASTA-OPTION]... setup|teardown NETNS"};
  report_failure(STDOUT_FILENO, &err);
  return 1;
}
