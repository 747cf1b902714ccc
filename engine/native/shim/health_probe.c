#include "health_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "json.h"
#include "signals.h"
#include "syscalls.h"

/* The check's own fd 3 in the shim: its --attach-fd. */
#define PROBE_ATTACH_FD 3

static void close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

void health_probe_init(struct health_probe *p)
{
  memset(p, 0, sizeof *p);
  p->report_fd = p->frames_fd = -1;
}

/* In the forked child: stdout to the report pipe, the socket as fd 3, then
 * this very program again as `strata-shim exec`. Never returns. */
__attribute__((noreturn)) static void exec_shim(int report_w, int frames, pid_t pid, const char *process_file,
                                                const struct shim_args *args)
{
  char pid_text[16];
  const char *argv[12 + 2 * CGROUPS_MAX];
  size_t n = 0;
  snprintf(pid_text, sizeof pid_text, "%d", (int) pid);
  argv[n++] = "strata-shim";
  argv[n++] = "exec";
  argv[n++] = "--pid";
  argv[n++] = pid_text;
  argv[n++] = "--process";
  argv[n++] = process_file;
  /* The container's seccomp filter, as Docker's checks run as execs do. */
  argv[n++] = "--bundle";
  argv[n++] = args->bundle;
  for (size_t i = 0; i < args->n_cgroups; i++) {
    argv[n++] = "--cgroup";
    argv[n++] = args->cgroups[i];
  }
  argv[n++] = "--attach-fd";
  argv[n++] = "3";
  argv[n] = NULL;
  signals_reset();
  /* A monitor that dies takes its check along. */
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  /* Above every descriptor we place, so no dup2 below overwrites it first. */
  int attach = fcntl(frames, F_DUPFD, 10);
  if (attach < 0 || dup2(report_w, STDOUT_FILENO) < 0 || dup2(attach, PROBE_ATTACH_FD) < 0)
    _exit(EXIT_SETUP);
  sys_cloexec_from(PROBE_ATTACH_FD + 1);
  execv("/proc/self/exe", (char *const *) argv);
  _exit(EXIT_SETUP);
}

int health_probe_start(struct health_probe *p, pid_t pid, const char *process_file, const struct shim_args *args,
                       struct shim_err *err)
{
  int report[2], frames[2];
  health_probe_init(p);
  rfc3339nano(NULL, p->started);
  p->started_ms = monotonic_ms();
  if (pipe2(report, O_CLOEXEC) < 0)
    return fail_errno(err, "pipe2");
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, frames) < 0) {
    close(report[0]);
    close(report[1]);
    return fail_errno(err, "socketpair");
  }
  pid_t child = fork();
  if (child == 0)
    exec_shim(report[1], frames[1], pid, process_file, args);
  close(report[1]);
  close(frames[1]);
  p->report_fd = report[0];
  p->frames_fd = frames[0];
  if (child < 0) {
    health_probe_stop(p);
    return fail_errno(err, "fork");
  }
  p->shim = child;
  if (fcntl(p->report_fd, F_SETFL, O_NONBLOCK) < 0 || fcntl(p->frames_fd, F_SETFL, O_NONBLOCK) < 0) {
    health_probe_stop(p);
    return fail_errno(err, "fcntl `O_NONBLOCK`");
  }
  return 0;
}

size_t health_probe_poll_set(const struct health_probe *p, struct pollfd *fds)
{
  size_t n = 0;
  if (p->report_fd >= 0)
    fds[n++] = (struct pollfd){.fd = p->report_fd, .events = POLLIN};
  if (p->frames_fd >= 0)
    fds[n++] = (struct pollfd){.fd = p->frames_fd, .events = POLLIN};
  return n;
}

/* {"ok":true,"pid":N}: the check's pid, for a timeout to kill it. */
static void take_report(struct health_probe *p)
{
  char *nl = memchr(p->report, '\n', p->report_len);
  autojson *doc = NULL;
  struct shim_err ignored;
  uint64_t pid;
  if (nl != NULL && json_parse(p->report, (size_t) (nl - p->report), &doc, &ignored) == 0
      && json_u64(json_get(doc, "pid"), &pid) == 0)
    p->pid = (pid_t) pid;
}

static void read_report(struct health_probe *p)
{
  for (;;) {
    size_t room = sizeof p->report - 1 - p->report_len;
    ssize_t n = room > 0 ? read(p->report_fd, p->report + p->report_len, room) : 0;
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      return;
    if (n <= 0) {
      close_fd(&p->report_fd);
      p->report[p->report_len] = '\0';
      take_report(p);
      return;
    }
    p->report_len += (size_t) n;
    if (p->pid == 0)
      take_report(p);
  }
}

static void append_output(struct health_probe *p, const char *data, size_t len)
{
  size_t room = sizeof p->output - p->output_len;
  if (len > room)
    len = room;
  memcpy(p->output + p->output_len, data, len);
  p->output_len += len;
}

static void probe_payload(void *ctx, enum frame_type type, const char *data, size_t len)
{
  if (type == FRAME_STDOUT || type == FRAME_STDERR)
    append_output(ctx, data, len);
}

static void probe_frame_done(void *ctx, enum frame_type type, const unsigned char *arg, size_t arg_len)
{
  struct health_probe *p = ctx;
  if (type != FRAME_EXIT || arg_len != 4)
    return;
  p->exited = true;
  p->exit_code = (int) ((uint32_t) arg[0] << 24 | (uint32_t) arg[1] << 16 | (uint32_t) arg[2] << 8 | arg[3]);
}

static void read_frames(struct health_probe *p)
{
  const struct frame_handler handler = {p, probe_payload, probe_frame_done};
  char buf[8192];
  for (;;) {
    ssize_t n = read(p->frames_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      return;
    if (n <= 0) {
      close_fd(&p->frames_fd);
      return;
    }
    frame_read(&p->frames, &handler, buf, (size_t) n);
  }
}

bool health_probe_dispatch(struct health_probe *p, const struct pollfd *fds, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (fds[i].revents == 0)
      continue;
    if (fds[i].fd == p->report_fd)
      read_report(p);
    else if (fds[i].fd == p->frames_fd)
      read_frames(p);
  }
  /* The shim closes both as it exits, whether the check ran or not. */
  if (p->report_fd >= 0 || p->frames_fd >= 0)
    return false;
  p->pid = 0; /* gone, and maybe reaped: its number may be someone else's now */
  return true;
}

int health_probe_result(struct health_probe *p)
{
  if (p->exited)
    return p->exit_code;
  /* The shim failed: its report is the reason, as dockerd's exec error is. */
  autojson *doc = NULL;
  struct shim_err ignored;
  const char *error = NULL;
  if (json_parse(p->report, strcspn(p->report, "\n"), &doc, &ignored) == 0)
    error = json_string(json_get(doc, "error"));
  if (error == NULL)
    error = "the health check ended without an exit code";
  p->output_len = 0;
  append_output(p, error, strlen(error));
  return -1;
}

void health_probe_stop(struct health_probe *p)
{
  if (p->pid > 0)
    kill(p->pid, SIGKILL);
  if (p->shim > 0)
    kill(p->shim, SIGKILL);
  p->pid = p->shim = 0;
  close_fd(&p->report_fd);
  close_fd(&p->frames_fd);
}
