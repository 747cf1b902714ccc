/* In order: join the namespaces given by path and tell the monitor (it
 * records them), wait until the monitor has written init.pid and put us in
 * the cgroups, take the stdio, set the hostname, build the root and pivot
 * into it, bring up lo, then become the container's process. With a
 * terminal, the stdio comes after pivot_root: a pty of the container's own
 * devpts, its master sent to the monitor. A container on networks waits for
 * the monitor's word that they are up, so its program never starts unwired.
 * With --init and no tini on the host, it stays as PID 1 and the program
 * runs as its child (reaper.c). */
#include "container_init.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices.h"
#include "kernel_log.h"
#include "namespaces.h"
#include "network.h"
#include "process.h"
#include "reaper.h"
#include "rootfs.h"
#include "signals.h"
#include "sync.h"

static int wait_for_monitor(const struct spec *spec, int sync_fd, struct shim_err *err)
{
  if (namespaces_join_paths(spec, false, err) < 0)
    return -1;
  int r = sync_send(sync_fd, SYNC_JOINED, NULL, 0);
  if (r < 0)
    return fail_with(err, EXIT_SETUP, -r, "write `sync`");
  if (sync_expect(sync_fd, SYNC_GO, err) < 0)
    return -1;
  return namespaces_unshare_cgroup(spec, sync_fd, err);
}

static bool has_namespace(const struct spec *spec, int flag)
{
  for (size_t i = 0; i < spec->n_namespaces; i++)
    if (spec->namespaces[i].flag == flag)
      return true;
  return false;
}

static int set_hostname(const struct spec *spec, int sync_fd, struct shim_err *err)
{
  if (spec->hostname == NULL || spec->hostname[0] == '\0')
    return 0;
  /* Without its own uts namespace the container would rename the host. */
  if (!has_namespace(spec, CLONE_NEWUTS))
    return fail_with(err, EXIT_SETUP, 0, "sethostname `%s`: the container has no uts namespace", spec->hostname);
  if (sethostname(spec->hostname, strlen(spec->hostname)) < 0)
    return fail_errno(err, "sethostname `%s`", spec->hostname);
  kernel_step_send(sync_fd, "sethostname", "hostname", spec->hostname, NULL);
  return host_settings_domainname(&spec->host, sync_fd, err);
}

/* /dev/console is the terminal too, as runc makes it (after pivot_root: "/" is the container's). */
static int console_on(int tty_fd, struct shim_err *err)
{
  int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return fail_errno(err, "open `/`");
  int r = devices_console(root, tty_fd, err);
  close(root);
  return r;
}

static int init_run(const struct spec *spec, const struct container_stdio *stdio, int sync_fd, int clone_flags,
                    bool wait_network, struct shim_err *err)
{
  signals_reset();
  /* If the monitor dies during setup, so do we; cleared before execve. */
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  /* Device nodes and mount points get exactly the modes asked for. */
  umask(0);
  if (wait_for_monitor(spec, sync_fd, err) < 0)
    return -1;
  if (stdio->terminal) {
    /* The terminal comes from the container's own devpts, so its root must exist first. */
    if (set_hostname(spec, sync_fd, err) < 0 || rootfs_setup(spec, -1, sync_fd, err) < 0)
      return -1;
    struct container_stdio tty = *stdio;
    if (container_stdio_open_terminal(&tty, sync_fd, err) < 0 || console_on(tty.child[0], err) < 0
        || container_stdio_install(&tty, spec->process.uid, err) < 0)
      return -1;
  } else if (container_stdio_install(stdio, spec->process.uid, err) < 0 || set_hostname(spec, sync_fd, err) < 0
             || rootfs_setup(spec, -1, sync_fd, err) < 0)
    return -1;
  if ((clone_flags & CLONE_NEWNET) && loopback_up(sync_fd, err) < 0)
    return -1;
  if (wait_network && sync_expect(sync_fd, SYNC_NETWORK, err) < 0)
    return -1;
  return spec->builtin_init ? reaper_run(spec, sync_fd, err) : process_start(&spec->process, sync_fd, true, err);
}

void container_init(const struct spec *spec, const struct container_stdio *stdio, int sync_fd, int clone_flags,
                    bool wait_network)
{
  struct shim_err err = {0};
  init_run(spec, stdio, sync_fd, clone_flags, wait_network, &err);
  sync_send_fail(sync_fd, &err);
  _exit(err.code ? err.code : EXIT_SETUP);
}
