/* The exec'd process between fork and execve: it is already in the
 * container's namespaces (the pid one took effect at fork). With a
 * terminal, the pty comes from the container's own devpts instance and
 * the master goes to the shim over the sync channel. */
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "exec.h"
#include "process.h"
#include "pty.h"
#include "signals.h"
#include "sync.h"

static int exec_child_run(const struct exec_ctx *x, int sync_fd, struct shim_err *err)
{
  struct container_stdio stdio = x->stdio;
  signals_reset();
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (x->process.terminal && !x->args.detach && container_stdio_open_terminal(&stdio, sync_fd, err) < 0)
    return -1;
  if (container_stdio_install(&stdio, x->process.uid, err) < 0)
    return -1;
  /* The shim puts us in the cgroups meanwhile. */
  if (sync_expect(sync_fd, SYNC_GO, err) < 0)
    return -1;
  return process_start(&x->process, sync_fd, false, err);
}

void exec_child(const struct exec_ctx *x, int sync_fd)
{
  struct shim_err err = {0};
  exec_child_run(x, sync_fd, &err);
  sync_send_fail(sync_fd, &err);
  _exit(err.code ? err.code : EXIT_SETUP);
}
