#include "network_early.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "kernel_log.h"
#include "netns.h"
#include "strbuf.h"

#define SETUP_OK "ok"

bool network_early(const struct spec *spec, const struct network_plan *plan)
{
  for (size_t i = 0; i < spec->n_namespaces; i++)
    if (spec->namespaces[i].flag == CLONE_NEWNET)
      return spec->namespaces[i].path != NULL && strcmp(spec->namespaces[i].path, plan->netns) == 0;
  return false;
}

static int by_value(const void *a, const void *b)
{
  return *(const int *) a - *(const int *) b;
}

/* Closes every descriptor above stderr but KEEP's: the engine's pipe and the
 * container's are not the setup's to hold open. */
static void close_all_but(int keep[], size_t n)
{
  qsort(keep, n, sizeof *keep, by_value);
  unsigned first = 3;
  for (size_t i = 0; i < n; i++) {
    if (keep[i] < (int) first)
      continue;
    if ((unsigned) keep[i] > first)
      close_range(first, (unsigned) keep[i] - 1, 0);
    first = (unsigned) keep[i] + 1;
  }
  close_range(first, ~0U, 0);
}

/* The setup's own process: it tells its outcome on OUT and ends. */
__attribute__((noreturn)) static void setup_process(const struct network_plan *plan, int kernel_fd, int out)
{
  struct shim_err err = {0};
  if (network_setup_all(plan, kernel_fd, &err) == 0)
    write_all(out, SETUP_OK, strlen(SETUP_OK));
  else
    write_all(out, err.msg, strlen(err.msg));
  _exit(0);
}

int network_begin(const struct network_plan *plan, int kernel_fd, int *result_fd, struct shim_err *err)
{
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return fail_errno(err, "pipe2");
  autofd r = fds[0];
  autofd w = fds[1];
  /* Held by the setup process until it ends: a teardown meanwhile (this
   * monitor dying, the engine cleaning up after it) waits, then finds all
   * that the setup made. */
  autofd lock = network_dir_lock(plan->dir, err);
  if (lock < 0 || netns_create(plan->netns, err) < 0)
    return -1;
  kernel_step_write(kernel_fd, "netns_create", "path", plan->netns, NULL);
  kernel_step_write(kernel_fd, "link_up", "interface", "lo", NULL);
  /* Twice forked, before the monitor becomes a subreaper: aardvark-dns
   * daemonizes to the nearest one, and must not live and die with this
   * container. */
  pid_t middle = fork();
  if (middle == 0) {
    int keep[] = {kernel_fd, w, lock};
    close_all_but(keep, sizeof keep / sizeof *keep);
    pid_t setup = fork();
    if (setup == 0)
      setup_process(plan, kernel_fd, w);
    _exit(setup < 0 ? 1 : 0);
  }
  int status = 0;
  while (middle > 0 && waitpid(middle, &status, 0) < 0 && errno == EINTR)
    ;
  if (middle < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    struct shim_err ignored = {0};
    netns_unbind(plan->netns, &ignored);
    return fail_with(err, EXIT_SETUP, middle < 0 ? errno : 0, "fork `network setup`");
  }
  *result_fd = steal_fd(&r);
  return 0;
}

int network_await(int *result_fd, struct shim_err *err)
{
  autostrbuf out = STRBUF_INIT;
  char buf[512];
  ssize_t n;
  while ((n = read(*result_fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 || strbuf_add(&out, buf, (size_t) n) < 0)
      break;
  }
  close(*result_fd);
  *result_fd = -1;
  if (out.len == strlen(SETUP_OK) && memcmp(out.data, SETUP_OK, out.len) == 0)
    return 0;
  if (out.len == 0)
    return fail_with(err, EXIT_SETUP, 0, "the network setup ended without saying how");
  return fail_with(err, EXIT_SETUP, 0, "%.*s", (int) out.len, out.data);
}
