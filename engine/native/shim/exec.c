/* `strata-shim exec`: joins the namespaces of the container's init
 * (mount last), forks the process into them, puts it in the cgroups and
 * prints the ready line. Then either relays its stdio on --attach-fd until
 * it exits, or (--detach) leaves it running with /dev/null as stdio. */
#include "exec.h"

#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "exit_status.h"
#include "fileio.h"
#include "report.h"
#include "signals.h"
#include "sync.h"

/* A process object is small; this only bounds a hostile file. */
#define PROCESS_MAX_BYTES (1 << 20)

static int load_process(struct exec_ctx *x, struct shim_err *err)
{
  autofree char *text = NULL;
  size_t len;
  if (read_file(x->args.process_file, PROCESS_MAX_BYTES, &text, &len, err) < 0)
    return -1;
  if (json_parse(text, len, &x->doc, err) < 0 || process_from_json(x->doc, &x->process, err) < 0) {
    char reason[sizeof err->msg];
    memcpy(reason, err->msg, sizeof reason);
    return fail_with(err, EXIT_SETUP, 0, "%s: %s", x->args.process_file, reason);
  }
  return 0;
}

/* Everything that needs the host's view, before any setns. */
static int exec_prepare(struct exec_ctx *x, int argc, char **argv, struct shim_err *err)
{
  if (args_parse(SHIM_EXEC, argc, argv, &x->args, err) < 0 || load_process(x, err) < 0)
    return -1;
  /* The container's seccomp filter, compiled from its spec as at its start. */
  if (x->args.bundle != NULL && spec_load(x->args.bundle, &x->bundle, err) < 0)
    return -1;
  x->process.seccomp = &x->bundle.seccomp;
  if (ns_join_open(x->args.pid, &x->join, err) < 0)
    return -1;
  for (size_t i = 0; i < x->args.n_cgroups; i++) {
    x->cgroup_fds[i] = cgroup_open_procs(x->args.cgroups[i], err);
    if (x->cgroup_fds[i] < 0)
      return -1;
  }
  x->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (x->null_fd < 0)
    return fail_errno(err, "open `/dev/null`");
  return 0;
}

/* Until READY: the pty master (exec -t), then the process's report. */
static int exec_handshake(struct exec_ctx *x, struct shim_err *err)
{
  struct sync_msg msg;
  if (x->process.terminal && !x->args.detach) {
    int r = sync_recv(x->sync_fd, &msg);
    if (r <= 0 || msg.type != SYNC_PTY || msg.fd < 0)
      return r > 0 && msg.type == SYNC_FAIL ? sync_failure(&msg, err)
                                           : fail_with(err, EXIT_SETUP, 0, "exec: no terminal from the process");
    if (container_stdio_adopt_master(&x->stdio, msg.fd, x->args.open_stdin, err) < 0)
      return -1;
  }
  for (size_t i = 0; i < x->args.n_cgroups; i++)
    if (cgroup_write_pid(x->cgroup_fds[i], x->args.cgroups[i], x->pid, err) < 0)
      return -1;
  int r = sync_send(x->sync_fd, SYNC_GO, NULL, 0);
  if (r < 0)
    return fail_with(err, EXIT_SETUP, -r, "write `sync`");
  for (;;) {
    r = sync_recv(x->sync_fd, &msg);
    if (r <= 0)
      return fail_with(err, EXIT_SETUP, 0, "exec: the process exited during setup");
    if (msg.fd >= 0)
      close(msg.fd);
    if (msg.type == SYNC_READY)
      return 0;
    if (msg.type == SYNC_FAIL)
      return sync_failure(&msg, err);
  }
}

static int exec_launch(struct exec_ctx *x, struct shim_err *err)
{
  int fds[2];
  if (sync_pair(fds, err) < 0 || ns_join_enter(&x->join, err) < 0)
    return -1;
  x->pid = fork();
  if (x->pid == 0) {
    close(fds[0]);
    exec_child(x, fds[1]);
  }
  close(fds[1]);
  x->sync_fd = fds[0];
  if (x->pid < 0)
    return fail_errno(err, "fork");
  container_stdio_close_child(&x->stdio);
  if (exec_handshake(x, err) < 0) {
    kill(x->pid, SIGKILL);
    waitpid(x->pid, NULL, 0);
    return -1;
  }
  return 0;
}

static int exec_attached(struct exec_ctx *x)
{
  struct shim_err err = {0};
  int signal;
  relay_init(&x->relay, &x->stdio);
  if (signals_monitor(&x->relay.signal_fd, &err) < 0
      || (!x->process.terminal && container_stdio_pipes(&x->stdio, x->args.open_stdin, &err) < 0)
      || (x->args.attach_fd >= 0 && relay_add_client(&x->relay, x->args.attach_fd) < 0)
      || exec_launch(x, &err) < 0) {
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  report_ok(STDOUT_FILENO, x->pid, 0);
  /* The ready line is all the caller reads there: let its pipe close. */
  dup2(x->null_fd, STDOUT_FILENO);
  x->relay.child = x->pid;
  x->relay.sync_fd = x->sync_fd;
  relay_run(&x->relay);
  relay_finish(&x->relay, exit_status_code(x->relay.status, x->relay.exec_errno, &signal));
  return 0;
}

/* Double fork: the middle process starts a new session and exits once the
 * process runs; the process then belongs to no caller (it is re-parented
 * to the host's init or the nearest subreaper). */
static int exec_detached(struct exec_ctx *x)
{
  struct shim_err err = {0};
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) {
    fail_errno(&err, "pipe2");
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    setsid();
    for (int fd = 0; fd < 3; fd++)
      dup2(x->null_fd, fd);
    if (container_stdio_null(&x->stdio, &err) < 0 || exec_launch(x, &err) < 0)
      report_failure(fds[1], &err);
    else
      report_ok(fds[1], x->pid, 0);
    _exit(0);
  }
  close(fds[1]);
  if (pid < 0) {
    fail_errno(&err, "fork");
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  return report_forward(fds[0]);
}

int exec_main(int argc, char **argv)
{
  struct exec_ctx x;
  struct shim_err err = {0};
  memset(&x, 0, sizeof x);
  x.null_fd = x.sync_fd = -1;
  container_stdio_init(&x.stdio);
  if (exec_prepare(&x, argc, argv, &err) < 0) {
    report_failure(STDOUT_FILENO, &err);
    return 1;
  }
  return x.args.detach ? exec_detached(&x) : exec_attached(&x);
}
