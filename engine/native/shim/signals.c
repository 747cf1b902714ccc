#include "signals.h"

#include <signal.h>
#include <stddef.h>
#include <sys/signalfd.h>

int signals_monitor(int *fd, struct shim_err *err)
{
  sigset_t set;
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGUSR1);
  if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
    return fail_errno(err, "sigprocmask `SIGCHLD`");
  *fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (*fd < 0)
    return fail_errno(err, "signalfd `SIGCHLD|SIGUSR1`");
  return 0;
}

void signals_reset(void)
{
  sigset_t none;
  signal(SIGHUP, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}
