/* The handshake, in order (a root engine's networks: the namespace was made
 * and netavark started before the clone, network_early.h; the init joins it
 * by path and the monitor only waits for the setup's outcome):
 *   monitor: clone(CLONE_NEW*)          init: join namespaces given by path
 *                                       init: -> JOINED
 *   monitor: record namespaces, init.pid, cgroup.procs
 *   monitor: bind the net namespace
 *            to its file (networks only)
 *   monitor: -> GO                      init: stdio, hostname, rootfs, pivot_root,
 *   monitor: netavark setup, meanwhile        credentials, find the program
 *   monitor: -> NETWORK                 init: (networks only) wait for NETWORK
 *                                       init: -> PTY (with -t: the master of a pty
 *                                             from its own devpts), STEP...,
 *                                             READY (or FAIL), execve
 * The init is in its cgroups before it runs anything of the container's. */
#include "launch.h"

#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "container_init.h"
#include "container_stdio.h"
#include "device_cgroup.h"
#include "fileio.h"
#include "kernel_log.h"
#include "namespaces.h"
#include "netns.h"
#include "network_early.h"
#include "syscalls.h"
#include "sync.h"

static int write_init_pid(struct monitor *m, struct shim_err *err)
{
  char text[16];
  int n = snprintf(text, sizeof text, "%d\n", (int) m->init_pid);
  return write_file_atomic(m->run_fd, "init.pid", text, (size_t) n, err);
}

/* The device rules go on each cgroup before the init joins it; at least
 * one hierarchy must enforce them, or the container does not start. */
int launch_join_cgroups(struct monitor *m, struct shim_err *err)
{
  char pid[16];
  bool enforced = false;
  snprintf(pid, sizeof pid, "%d", (int) m->init_pid);
  for (size_t i = 0; i < m->args->n_cgroups; i++) {
    const char *dir = m->args->cgroups[i];
    bool here = false;
    if (m->spec->has_device_rules && cgroup_devices_apply(dir, m->spec, m->kernel_fd, &here, err) < 0)
      return -1;
    enforced |= here;
    if (cgroup_join(dir, m->init_pid, err) < 0)
      return -1;
    kernel_step_write(m->kernel_fd, "cgroup", "path", dir, "pid", pid, NULL);
  }
  if (m->spec->has_device_rules && !enforced && cgroup_devices_restrict(m->spec))
    return fail_with(err, EXIT_SETUP, 0, "the device rules cannot be enforced: no devices cgroup (v1) and no cgroup v2 among %zu cgroups",
                     m->args->n_cgroups);
  return 0;
}

static int clone_init(struct monitor *m, int flags, struct shim_err *err)
{
  int fds[2];
  if (sync_pair(fds, err) < 0)
    return -1;
  pid_t pid = sys_clone_namespaces((unsigned long) flags);
  if (pid == 0) {
    close(fds[0]);
    container_init(m->spec, &m->stdio, fds[1], flags, m->network != NULL);
  }
  close(fds[1]);
  m->sync_fd = fds[0];
  char names[128], pid_text[16];
  namespaces_flag_names(flags, names, sizeof names);
  if (pid < 0)
    return fail_errno(err, "clone `%s`", names[0] ? names : "0");
  m->init_pid = pid;
  container_stdio_close_child(&m->stdio);
  snprintf(pid_text, sizeof pid_text, "%d", (int) pid);
  kernel_step_write(m->kernel_fd, "clone", "flags", names, "pid", pid_text, NULL);
  return 0;
}

/* Records the init's steps until it reports READY or a failure. */
static int wait_ready(struct monitor *m, struct shim_err *err)
{
  struct sync_msg msg;
  for (;;) {
    int r = sync_recv(m->sync_fd, &msg);
    if (r < 0)
      return fail_with(err, EXIT_SETUP, -r, "read `sync`");
    if (r == 0)
      return fail_with(err, EXIT_SETUP, 0, "the container's process exited during setup");
    if (msg.type == SYNC_PTY && msg.fd >= 0) {
      if (container_stdio_adopt_master(&m->stdio, msg.fd, m->spec->open_stdin, err) < 0)
        return -1;
      continue;
    }
    if (msg.fd >= 0)
      close(msg.fd);
    if (msg.type == SYNC_READY)
      return 0;
    if (msg.type == SYNC_FAIL)
      return sync_failure(&msg, err);
    if (msg.type == SYNC_STEP)
      kernel_line_append(m->kernel_fd, msg.payload, msg.len);
  }
}

/* While the root is built: netavark wires the namespace, then the init may start its program
 * (another runtime's process: before that runtime's start).
 * aardvark-dns daemonizes to the nearest subreaper: that must not be the monitor, or the
 * network's DNS server would live and die with this one container. */
int launch_network_up(struct monitor *m, struct shim_err *err)
{
  int r;
  if (m->network_setup_fd >= 0) {
    r = network_await(&m->network_setup_fd, err);
  } else {
    prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
    r = network_setup_all(m->network, m->kernel_fd, err);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  }
  if (r < 0)
    return -1;
  m->network_up = true;
  kernel_step_write(m->kernel_fd, "network_up", "netns", m->network->netns, NULL);
  if (m->sync_fd < 0)
    return 0; /* another runtime's process: it waits for its start, not for a message */
  r = sync_send(m->sync_fd, SYNC_NETWORK, NULL, 0);
  return r < 0 ? fail_with(err, EXIT_SETUP, -r, "write `sync`") : 0;
}

int launch_container(struct monitor *m, struct shim_err *err)
{
  /* pid_for_children: joining a pid namespace only works before the clone. */
  if (namespaces_join_paths(m->spec, true, err) < 0)
    return -1;
  if (clone_init(m, namespaces_clone_flags(m->spec), err) < 0 || sync_expect(m->sync_fd, SYNC_JOINED, err) < 0)
    return -1;
  namespaces_record(m->init_pid, m->kernel_fd);
  if (m->network != NULL && m->network_setup_fd < 0) {
    if (netns_bind(m->init_pid, m->network->netns, err) < 0)
      return -1;
    kernel_step_write(m->kernel_fd, "netns_bind", "path", m->network->netns, NULL);
  }
  if (write_init_pid(m, err) < 0 || launch_join_cgroups(m, err) < 0 || host_settings_oom(&m->spec->host, m->init_pid, m->kernel_fd, err) < 0)
    return -1;
  int r = sync_send(m->sync_fd, SYNC_GO, NULL, 0);
  if (r < 0)
    return fail_with(err, EXIT_SETUP, -r, "write `sync`");
  if (m->network != NULL && launch_network_up(m, err) < 0)
    return -1;
  return wait_ready(m, err);
}
