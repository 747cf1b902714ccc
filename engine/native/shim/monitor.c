/* The monitor's life: detach from the engine (setsid, subreaper, stdio on
 * /dev/null, SIGHUP and SIGPIPE ignored) so it survives it; prepare the run
 * dir, the container's stdio and the attach socket; start the container
 * (launch.c); report; relay until the container exits, running its health
 * checks meanwhile; restart it if its policy says so (monitor_restart.c);
 * record the exit; remove the cgroups. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attach_socket.h"
#include "clock.h"
#include "cleanup.h"
#include "exit_status.h"
#include "fileio.h"
#include "kernel_log.h"
#include "launch.h"
#include "netns.h"
#include "network_early.h"
#include "report.h"
#include "signals.h"

static int monitor_detach(struct monitor *m, struct shim_err *err)
{
  if (setsid() < 0)
    return fail_errno(err, "setsid");
  /* The engine's pipes must close when the start process exits. */
  autofd null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0)
    return fail_errno(err, "open `/dev/null`");
  for (int fd = 0; fd < 3; fd++)
    if (dup2(null, fd) < 0)
      return fail_errno(err, "dup2 `/dev/null`");
  return signals_monitor(&m->relay.signal_fd, err);
}

static int write_pid_file(int run_fd, const char *name, pid_t pid, struct shim_err *err)
{
  char text[16];
  int n = snprintf(text, sizeof text, "%d\n", (int) pid);
  return write_file_atomic(run_fd, name, text, (size_t) n, err);
}

static int open_run_dir(struct monitor *m, struct shim_err *err)
{
  if (mkdir(m->args->run, 0700) < 0 && errno != EEXIST)
    return fail_errno(err, "mkdir `%s`", m->args->run);
  m->run_fd = open(m->args->run, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (m->run_fd < 0)
    return fail_errno(err, "open `%s`", m->args->run);
  /* A restarted container: the last run's exit record must not be taken for this one's. */
  if (unlinkat(m->run_fd, "exit.json", 0) < 0 && errno != ENOENT)
    return fail_errno(err, "unlink `%s/exit.json`", m->args->run);
  if (write_pid_file(m->run_fd, "monitor.pid", getpid(), err) < 0)
    return -1;
  m->kernel_fd = openat(m->run_fd, "kernel.jsonl", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (m->kernel_fd < 0)
    return fail_errno(err, "open `%s/kernel.jsonl`", m->args->run);
  return 0;
}

int monitor_stdio(struct monitor *m, struct shim_err *err)
{
  if (m->spec->process.terminal) {
    container_stdio_terminal(&m->stdio);
    return 0;
  }
  return container_stdio_pipes(&m->stdio, m->spec->open_stdin, err);
}

int monitor_network_begin(struct monitor *m, struct shim_err *err)
{
  if (m->network == NULL || !network_early(m->spec, m->network))
    return 0;
  /* Not a subreaper meanwhile (a restart's monitor is one): aardvark-dns daemonizes to the nearest
   * one, and must not live and die with this container. */
  prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
  int r = network_begin(m->network, m->kernel_fd, &m->network_setup_fd, err);
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  return r;
}

static int monitor_prepare(struct monitor *m, struct shim_err *err)
{
  const struct spec *spec = m->spec;
  if (restart_policy_parse(m->args->restart, &m->restart, err) < 0 || open_run_dir(m, err) < 0)
    return -1;
  /* First, so that netavark works while the container is made (and before the container's
   * stdio exists: the setup process holds none of it). */
  if (monitor_network_begin(m, err) < 0)
    return -1;
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    return fail_errno(err, "prctl `PR_SET_CHILD_SUBREAPER`");
  if (m->args->log != NULL && json_log_open(&m->log, m->args->log, &spec->log, err) < 0)
    return -1;
  if (monitor_stdio(m, err) < 0)
    return -1;
  m->relay.listen_fd = attach_socket_listen(m->run_fd, err);
  if (m->relay.listen_fd < 0)
    return -1;
  /* The engine's socket hears the container from its very first byte. */
  if (m->args->attach_fd >= 0 && relay_add_client(&m->relay, m->args->attach_fd) < 0)
    return fail_with(err, EXIT_SETUP, 0, "attach `--attach-fd %d`: not a usable descriptor", m->args->attach_fd);
  if (m->args->attach_fd >= 0 && spec->open_stdin)
    m->relay.stdin_owner = m->relay.clients[m->relay.n_clients - 1];
  if (chdir("/") < 0)
    return fail_errno(err, "chdir `/`");
  return 0;
}

static void remove_cgroups(const struct shim_args *args)
{
  for (size_t i = 0; i < args->n_cgroups; i++)
    cgroup_remove(args->cgroups[i]);
}

void monitor_network_leave(struct monitor *m)
{
  struct shim_err err = {0};
  /* A setup still at work finishes first: what it made is then taken down. */
  if (m->network_setup_fd >= 0)
    m->network_up = network_await(&m->network_setup_fd, &err) == 0;
  if (m->network_up && network_teardown_all(m->network, m->kernel_fd, &err) < 0)
    kernel_step_write(m->kernel_fd, "network_down_failed", "error", err.msg, NULL);
  else if (!m->network_up)
    netns_unbind(m->network->netns, &err);
  m->network_up = false;
}

/* Down before the ports are let go, so no one else's traffic is forwarded
 * meanwhile; a failure is recorded for the kernel view. */
static void network_down(struct monitor *m)
{
  monitor_network_leave(m);
  ports_release(m->ports);
}

/* Leaves things as they were, then tells the engine why. */
__attribute__((noreturn)) static void monitor_abort(struct monitor *m, const struct shim_err *err)
{
  if (m->init_pid > 0) {
    kill(m->init_pid, SIGKILL);
    waitpid(m->init_pid, NULL, 0);
  }
  if (m->network != NULL)
    network_down(m);
  oci_runtime_cleanup(m);
  remove_cgroups(m->args);
  if (m->run_fd >= 0) {
    unlinkat(m->run_fd, ATTACH_SOCKET_NAME, 0);
    unlinkat(m->run_fd, "init.pid", 0);
    unlinkat(m->run_fd, "monitor.pid", 0);
  }
  report_failure(m->report_fd, err);
  _exit(1);
}

void monitor_running(struct monitor *m)
{
  m->relay.child = m->init_pid;
  m->relay.sync_fd = m->sync_fd;
  m->started_ms = monotonic_ms();
  health_begin(&m->health, m->init_pid);
}

__attribute__((noreturn)) static void monitor_serve(struct monitor *m)
{
  struct shim_err err = {0}, ignored;
  int code, signal;
  do {
    relay_run(&m->relay);
    code = exit_status_code(m->relay.status, m->relay.exec_errno, &signal);
    char code_text[16], signal_text[16];
    snprintf(code_text, sizeof code_text, "%d", code);
    snprintf(signal_text, sizeof signal_text, "%d", signal);
    kernel_step_write(m->kernel_fd, "exit", "exitCode", code_text, "signal", signal_text, NULL);
  } while (monitor_restart(m, code, &err));
  health_end(&m->health, true);
  /* Before the exit file: once `stop` or `rm -f` returns, the network is gone (it stays up across
   * restarts); so are another runtime's record and the root it had mounted (rm --rm follows at once). */
  if (m->network != NULL)
    network_down(m);
  oci_runtime_cleanup(m);
  exit_file_write(m->run_fd, code, signal, cgroups_oom_killed(m->args->cgroups, m->args->n_cgroups),
                  err.msg[0] ? err.msg : NULL, &ignored);
  relay_finish(&m->relay, code);
  oci_runtime_release(&m->runtime);
  remove_cgroups(m->args);
  unlinkat(m->run_fd, ATTACH_SOCKET_NAME, 0);
  _exit(0);
}

void monitor_main(const struct shim_args *args, struct spec *spec, struct network_plan *network,
                  struct held_ports *ports, int report_fd)
{
  struct monitor m = {.args = args,
                      .spec = spec,
                      .report_fd = report_fd,
                      .run_fd = -1,
                      .kernel_fd = -1,
                      .sync_fd = -1,
                      .network_setup_fd = -1,
                      .network = network,
                      .ports = ports};
  struct shim_err err = {0};
  container_stdio_init(&m.stdio);
  json_log_init(&m.log);
  relay_init(&m.relay, &m.stdio);
  bool oci = spec->runtime.name != NULL;
  if (monitor_detach(&m, &err) < 0 || monitor_prepare(&m, &err) < 0 || (oci ? oci_runtime_launch(&m, &err) : launch_container(&m, &err)) < 0)
    monitor_abort(&m, &err);
  health_init(&m.health, args, m.kernel_fd);
  /* Before the start is reported: once `start` returns, the check is seen
   * starting, never missing or the last run's verdict. */
  monitor_running(&m);
  report_ok(report_fd, m.init_pid, getpid());
  close(report_fd);
  /* The spec is not needed any more: give its memory back. */
  spec_release(spec);
  malloc_trim(0);
  m.relay.log = args->log != NULL ? &m.log : NULL;
  m.relay.kernel_fd = m.kernel_fd;
  m.health_hook = (struct relay_hook){&m.health, health_poll_set, health_dispatch};
  if (args->health_process != NULL)
    m.relay.hook = &m.health_hook;
  monitor_serve(&m);
}
