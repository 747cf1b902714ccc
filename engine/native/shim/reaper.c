/* Signals: the init blocks them all before the fork (none meant for the
 * program is lost), the child unblocks them before it execs, and the init
 * then takes each with sigwaitinfo: SIGCHLD means reap, anything else goes
 * to the child. As tini does, the signals a fault raises are left out:
 * they are the init's own. A blocked signal reaches a PID 1 from outside
 * its namespace (an unblocked one without a handler would not). */
#include "reaper.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "credentials.h"
#include "kernel_log.h"
#include "process.h"

static void init_signals(sigset_t *set)
{
  static const int own[] = {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS, SIGTTIN, SIGTTOU};
  sigfillset(set);
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
    sigdelset(set, own[i]);
}

__attribute__((noreturn)) static void reap(pid_t child, const sigset_t *set)
{
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(set, &info);
    if (sig > 0 && sig != SIGCHLD)
      kill(child, sig);
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
      if (pid == child)
        _exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
  }
}

int reaper_run(const struct spec *spec, int sync_fd, struct shim_err *err)
{
  sigset_t set, old;
  init_signals(&set);
  kernel_step_send(sync_fd, "init", "kind", "builtin", NULL);
  sigprocmask(SIG_SETMASK, &set, &old);
  pid_t child = fork();
  if (child < 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    return fail_errno(err, "fork `init`");
  }
  if (child == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    return process_start(&spec->process, sync_fd, true, err);
  }
  /* The monitor hears the program's READY, or its end, from the child alone. */
  close(sync_fd);
  prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
  /* PID 1 is held to what the program is held to: its user, limits, capabilities and filter. */
  if (rlimits_apply(&spec->process, -1, err) < 0 || credentials_apply(&spec->process, -1, err) < 0) {
    kill(child, SIGKILL);
    _exit(EXIT_SETUP);
  }
  reap(child, &set);
}
