/* Signal dispositions: the monitor's (SIGCHLD and SIGUSR1 through a
 * signalfd, SIGHUP and SIGPIPE ignored) and the clean slate a container
 * process starts from. The engine sends SIGUSR1 to a monitor waiting to
 * restart its container after it asked for no restart (monitor_restart.c). */
#ifndef STRATA_SHIM_SIGNALS_H
#define STRATA_SHIM_SIGNALS_H

#include "error.h"

/* Ignores SIGHUP/SIGPIPE and blocks SIGCHLD and SIGUSR1; *FD reads them. */
int signals_monitor(int *fd, struct shim_err *err);

/* Undoes signals_monitor in a child: ignored signals stay ignored across
 * execve, and a container whose SIGPIPE is ignored breaks `yes | head`. */
void signals_reset(void);

#endif
