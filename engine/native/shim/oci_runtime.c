/* Running the container with another OCI runtime (runc, crun) given the
 * same bundle: the monitor takes conmon's part. In order:
 *   monitor: mount the overlay on root.path (runtimes expect the root ready)
 *   monitor: RUNTIME create --bundle B --pid-file P [--console-socket S] ID,
 *            its stdio the container's pipes (a pty's master comes over S);
 *            it exits once the container's process waits to run, which the
 *            monitor, a subreaper, then inherits
 *   monitor: RUNTIME start ID
 * and at the end RUNTIME delete --force ID, then the overlay goes. The
 * runtime's state is kept in the run dir; its errors come from its log. */
#include "oci_runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "fileio.h"
#include "kernel_log.h"
#include "launch.h"
#include "netns.h"
#include "monitor.h"

#define RUNTIME_CREATE_MS 60000

/* The last error the runtime logged ({"level":"error","msg":"..."}), else its exit status. */
static int runtime_failure(const struct monitor *m, const char *what, int status, struct shim_err *err)
{
  char path[PATH_MAX], *text = NULL;
  size_t len = 0;
  struct shim_err ignored = {0};
  snprintf(path, sizeof path, "%s/runtime.log", m->args->run);
  const char *msg = NULL;
  if (read_file(path, 1 << 20, &text, &len, &ignored) == 0) {
    char *at = NULL;
    for (char *p = strstr(text, "\"msg\":\""); p != NULL; p = strstr(p + 1, "\"msg\":\""))
      at = p + strlen("\"msg\":\"");
    if (at != NULL) {
      char *end = at;
      while (*end != '\0' && !(*end == '"' && end[-1] != '\\'))
        end++;
      *end = '\0';
      msg = at;
    }
  }
  /* As runc's own exit codes for a program that cannot run: 127 missing, 126 not executable. */
  int code = EXIT_SETUP;
  if (msg != NULL && (strstr(msg, "no such file or directory") || strstr(msg, "not found")))
    code = EXIT_NOT_FOUND;
  else if (msg != NULL && strstr(msg, "permission denied"))
    code = EXIT_CANNOT_EXECUTE;
  int r = fail_with(err, code, 0, "%s %s: %s", m->runtime.name, what,
                    msg != NULL ? msg : (WIFEXITED(status) ? "exited with an error" : "killed"));
  free(text);
  return r;
}

/* crun refuses a hybrid host (cgroup v1, and a v2 hierarchy with controllers
 * beside it, as /sys/fs/cgroup/unified here) even when it manages no
 * cgroups: in a mount namespace of its own, that v2 mount is covered. */
static void hide_hybrid_v2(void)
{
  struct statfs root, unified;
  if (statfs("/sys/fs/cgroup", &root) < 0 || root.f_type == CGROUP2_SUPER_MAGIC)
    return;
  if (statfs("/sys/fs/cgroup/unified", &unified) < 0 || unified.f_type != CGROUP2_SUPER_MAGIC)
    return;
  if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
    return;
  mount("tmpfs", "/sys/fs/cgroup/unified", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k");
}

/* Runs RUNTIME --root STATE --log LOG ARGS... with STDIO (NULL: /dev/null) and waits for it.
 * With a console socket, the pty master it sends is taken on the way. */
static int run_runtime(struct monitor *m, const char *const *args, const int *stdio, int console_fd, struct shim_err *err)
{
  char root[PATH_MAX], log[PATH_MAX];
  snprintf(root, sizeof root, "%s/%s", m->args->run, m->runtime.name);
  snprintf(log, sizeof log, "%s/runtime.log", m->args->run);
  const char *argv[24] = {m->runtime.path, "--root", root, "--log", log, "--log-format", "json"};
  size_t n = 7;
  /* crun manages no cgroups here: the monitor puts the process in the engine's, as for its own launch. */
  bool crun = strcmp(m->runtime.name, "crun") == 0;
  if (crun)
    argv[n++] = "--cgroup-manager=disabled";
  for (size_t i = 0; args[i] != NULL && n < 23; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  pid_t pid = fork();
  if (pid < 0)
    return fail_errno(err, "fork `%s`", m->runtime.path);
  if (pid == 0) {
    if (crun)
      hide_hybrid_v2();
    int null = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; fd++)
      dup2(stdio != NULL && stdio[fd] >= 0 ? stdio[fd] : null, fd);
    execv(argv[0], (char *const *) argv);
    _exit(EXIT_CANNOT_EXECUTE);
  }
  long long deadline = monotonic_ms() + RUNTIME_CREATE_MS;
  int status;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid)
      break;
    if (done < 0 && errno != EINTR)
      return fail_errno(err, "waitpid `%s`", m->runtime.name);
    if (monotonic_ms() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return fail_with(err, EXIT_SETUP, 0, "%s %s: no answer after %d s", m->runtime.name, args[0], RUNTIME_CREATE_MS / 1000);
    }
    struct pollfd p = {.fd = console_fd, .events = POLLIN};
    if (poll(&p, console_fd >= 0 ? 1 : 0, 20) > 0 && oci_console_receive(m, console_fd, err) < 0)
      return -1;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return runtime_failure(m, args[0], status, err);
  return 0;
}

int oci_console_receive(struct monitor *m, int listen_fd, struct shim_err *err)
{
  autofd conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0)
    return fail_errno(err, "accept `console-socket`");
  char name[PATH_MAX];
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  struct iovec iov = {.iov_base = name, .iov_len = sizeof name};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
  if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) < 0)
    return fail_errno(err, "recvmsg `console-socket`");
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (c == NULL || c->cmsg_type != SCM_RIGHTS)
    return fail_with(err, EXIT_SETUP, 0, "%s sent no terminal", m->runtime.name);
  int master;
  memcpy(&master, CMSG_DATA(c), sizeof master);
  return container_stdio_adopt_master(&m->stdio, master, m->spec->open_stdin, err);
}

/* A listening unix socket in the run dir for the runtime to send the pty
 * master on, named through the monitor's handle on that dir: a run dir's
 * own path may be longer than a socket address holds. */
static int console_socket(const struct monitor *m, char *path, size_t size, struct shim_err *err)
{
  snprintf(path, size, "/proc/%d/fd/%d/console.sock", (int) getpid(), m->run_fd);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof addr.sun_path)
    return fail_with(err, EXIT_SETUP, 0, "console socket path too long: `%s`", path);
  strcpy(addr.sun_path, path);
  unlink(path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return fail_errno(err, "socket `console-socket`");
  if (bind(fd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(fd, 1) < 0) {
    close(fd);
    return fail_errno(err, "bind `%s`", path);
  }
  return fd;
}

static int mount_root(struct monitor *m, struct shim_err *err)
{
  const struct spec *s = m->spec;
  if (s->overlay_data == NULL)
    return 0;
  /* The lower dirs are short names relative to the layers dir. */
  if (s->overlay_cwd != NULL && chdir(s->overlay_cwd) < 0)
    return fail_errno(err, "chdir `%s`", s->overlay_cwd);
  int r = mount("overlay", s->root_path, "overlay", 0, s->overlay_data);
  int saved = errno;
  if (chdir("/") < 0 && r == 0)
    return fail_errno(err, "chdir `/`");
  if (r < 0) {
    errno = saved;
    return fail_errno(err, "mount `overlay` on `%s`", s->root_path);
  }
  kernel_step_write(m->kernel_fd, "mount", "type", "overlay", "target", s->root_path, "data", s->overlay_data, NULL);
  return 0;
}

static int read_init_pid(struct monitor *m, struct shim_err *err)
{
  char path[PATH_MAX], *text = NULL;
  size_t len = 0;
  snprintf(path, sizeof path, "%s/init.pid", m->args->run);
  if (read_file(path, 64, &text, &len, err) < 0)
    return -1;
  m->init_pid = (pid_t) atoi(text);
  free(text);
  return m->init_pid > 0 ? 0 : fail_with(err, EXIT_SETUP, 0, "%s wrote no pid to `%s`", m->runtime.name, path);
}

int oci_runtime_launch(struct monitor *m, struct shim_err *err)
{
  /* The spec goes once the container runs; what the end needs is kept. */
  m->runtime.name = strdup(m->spec->runtime.name);
  m->runtime.path = strdup(m->spec->runtime.path);
  m->runtime.root_path = strdup(m->spec->root_path);
  if (m->runtime.name == NULL || m->runtime.path == NULL || m->runtime.root_path == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "runtime");
  const char *id = strrchr(m->args->bundle, '/') + 1;
  char pid_file[PATH_MAX], console[PATH_MAX];
  snprintf(pid_file, sizeof pid_file, "%s/init.pid", m->args->run);
  m->sync_fd = -1;
  if (mount_root(m, err) < 0)
    return -1;
  autofd console_fd = -1;
  const char *create[] = {"create", "--bundle", m->args->bundle, "--pid-file", pid_file, id, NULL, NULL, NULL};
  if (m->spec->process.terminal) {
    if ((console_fd = console_socket(m, console, sizeof console, err)) < 0)
      return -1;
    create[5] = "--console-socket";
    create[6] = console;
    create[7] = id;
  }
  int rc = run_runtime(m, create, m->spec->process.terminal ? NULL : m->stdio.child, console_fd, err);
  if (console_fd >= 0)
    unlink(console);
  container_stdio_close_child(&m->stdio);
  if (rc < 0 || read_init_pid(m, err) < 0)
    return -1;
  if (m->spec->process.terminal && m->stdio.stdout_r < 0)
    return fail_with(err, EXIT_SETUP, 0, "%s sent no terminal", m->runtime.name);
  /* Before it runs anything: in the engine's cgroups (runc's own already), with the device rules; its network wired. */
  if (m->network != NULL && m->network_setup_fd < 0) {
    if (netns_bind(m->init_pid, m->network->netns, err) < 0)
      return -1;
    kernel_step_write(m->kernel_fd, "netns_bind", "path", m->network->netns, NULL);
  }
  if (launch_join_cgroups(m, err) < 0 || (m->network != NULL && launch_network_up(m, err) < 0))
    return -1;
  char pid_text[16];
  snprintf(pid_text, sizeof pid_text, "%d", (int) m->init_pid);
  kernel_step_write(m->kernel_fd, "runtime_create", "runtime", m->runtime.name, "pid", pid_text, NULL);
  const char *start[] = {"start", id, NULL};
  if (run_runtime(m, start, NULL, -1, err) < 0)
    return -1;
  kernel_step_write(m->kernel_fd, "runtime_start", "runtime", m->runtime.name, "pid", pid_text, NULL);
  return 0;
}

void oci_runtime_cleanup(struct monitor *m)
{
  if (m->runtime.name == NULL)
    return;
  struct shim_err ignored = {0};
  const char *del[] = {"delete", "--force", strrchr(m->args->bundle, '/') + 1, NULL};
  run_runtime(m, del, NULL, -1, &ignored);
  if (m->runtime.root_path != NULL)
    umount2(m->runtime.root_path, MNT_DETACH);
}

void oci_runtime_release(struct oci_runtime *r)
{
  free(r->name);
  free(r->path);
  free(r->root_path);
  r->name = r->path = r->root_path = NULL;
}
