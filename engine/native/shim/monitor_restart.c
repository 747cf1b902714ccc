/* The restart policy at work, with no daemon: when the container's process
 * ends, the monitor decides as moby's restartmanager does; tells the engine
 * (a `restarting` record in kernel.jsonl, then the exit frame to attached
 * clients, so `run` returns at the first exit as docker's does); waits the
 * back-off; and starts the process again under the same monitor, cgroups,
 * log, attach socket and published ports, which the engine hears of as a
 * `restarted` record.
 *
 * The engine's words to the monitor are two files in the run dir (a start
 * makes a new run dir, so they last one start): `no-restart` before stop,
 * rm -f and a kill with the stop signal or SIGKILL (Docker's ExitOnNext),
 * then SIGUSR1 to wake a monitor in its back-off; `manually-stopped` for
 * every kill, which keeps an unless-stopped container down. */
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "kernel_log.h"
#include "launch.h"
#include "monitor.h"

#define NO_RESTART_FILE "no-restart"
#define MANUALLY_STOPPED_FILE "manually-stopped"

static bool run_file(const struct monitor *m, const char *name)
{
  return faccessat(m->run_fd, name, F_OK, 0) == 0;
}

/* False when the engine asked for no restart meanwhile. */
static bool wait_backoff(struct monitor *m)
{
  long long deadline = monotonic_ms() + m->restart.delay_ms;
  for (;;) {
    if (run_file(m, NO_RESTART_FILE))
      return false;
    long long left = deadline - monotonic_ms();
    if (left <= 0)
      return true;
    struct pollfd signals = {.fd = m->relay.signal_fd, .events = POLLIN};
    if (poll(&signals, 1, (int) left) > 0)
      relay_reap(&m->relay);
  }
}

/* The spec again (it was released while the container ran), new stdio, a new process: another
 * runtime's container is deleted (and its root unmounted) first, then created and started anew. */
static int relaunch(struct monitor *m, struct shim_err *err)
{
  oci_runtime_cleanup(m);
  oci_runtime_release(&m->runtime);
  container_stdio_close(&m->stdio);
  container_stdio_init(&m->stdio);
  relay_rearm(&m->relay);
  m->init_pid = 0;
  if (spec_load(m->args->bundle, m->spec, err) < 0)
    return -1;
  bool oci = m->spec->runtime.name != NULL;
  int r = monitor_network_begin(m, err) < 0 || monitor_stdio(m, err) < 0 || (oci ? oci_runtime_launch(m, err) : launch_container(m, err)) < 0
              ? -1
              : 0;
  spec_release(m->spec);
  malloc_trim(0);
  if (r < 0 && m->init_pid > 0) {
    kill(m->init_pid, SIGKILL);
    waitpid(m->init_pid, NULL, 0);
  }
  return r;
}

bool monitor_restart(struct monitor *m, int code, struct shim_err *err)
{
  health_end(&m->health, false);
  long long ran_ms = monotonic_ms() - m->started_ms;
  if (run_file(m, NO_RESTART_FILE) || !restart_should(&m->restart, code, run_file(m, MANUALLY_STOPPED_FILE), ran_ms))
    return false;
  char code_text[16], count[16], delay[32], time[RFC3339NANO_LEN], pid[16];
  snprintf(code_text, sizeof code_text, "%d", code);
  snprintf(count, sizeof count, "%d", m->restart.count);
  snprintf(delay, sizeof delay, "%lld", m->restart.delay_ms);
  rfc3339nano(NULL, time);
  kernel_step_write(m->kernel_fd, "restarting", "exitCode", code_text, "restartCount", count, "delayMs", delay, "time",
                    time, NULL);
  relay_finish(&m->relay, code);
  /* As dockerd's: the network goes with the process, and comes back with the next one (on the same ports). */
  if (m->network != NULL)
    monitor_network_leave(m);
  if (!wait_backoff(m) || relaunch(m, err) < 0)
    return false;
  snprintf(pid, sizeof pid, "%d", (int) m->init_pid);
  rfc3339nano(NULL, time);
  kernel_step_write(m->kernel_fd, "restarted", "pid", pid, "restartCount", count, "time", time, NULL);
  monitor_running(m);
  return true;
}
