#include "network_cmd.h"

#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "netavark.h"
#include "report.h"

static int run(int argc, char **argv, struct shim_err *err)
{
  const char *dir = NULL, *attachment = NULL;
  if (argc < 1 || (strcmp(argv[0], "setup") != 0 && strcmp(argv[0], "teardown") != 0))
    return fail_with(err, EXIT_SETUP, 0, "network needs setup or teardown");
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--dir") == 0)
      dir = argv[i + 1];
    else if (strcmp(argv[i], "--attachment") == 0)
      attachment = argv[i + 1];
    else
      return fail_with(err, EXIT_SETUP, 0, "unexpected argument `%s`", argv[i]);
  }
  if (dir == NULL || dir[0] != '/' || (argc % 2) == 0)
    return fail_with(err, EXIT_SETUP, 0, "network %s needs --dir DIR (absolute) [--attachment NAME]", argv[0]);
  if (attachment == NULL && strcmp(argv[0], "setup") == 0)
    return fail_with(err, EXIT_SETUP, 0, "network setup needs --attachment NAME");
  struct network_plan plan;
  if (network_plan_load(dir, &plan, err) < 0)
    return -1;
  int r = attachment ? netavark_run(&plan, argv[0], attachment, -1, err) : network_teardown_all(&plan, -1, err);
  if (r < 0 && attachment && strcmp(argv[0], "setup") == 0) {
    /* A failed setup may have done part of its work: undo it, keep its reason. */
    struct shim_err ignored = {0};
    netavark_run(&plan, "teardown", attachment, -1, &ignored);
  }
  network_plan_release(&plan);
  return r;
}

int network_main(int argc, char **argv)
{
  struct shim_err err = {0};
  if (run(argc, argv, &err) < 0) {
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  write_all(STDOUT_FILENO, "{\"ok\":true}\n", 12);
  return 0;
}
