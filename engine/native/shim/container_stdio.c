#include "container_stdio.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "pty.h"
#include "sync.h"

void container_stdio_init(struct container_stdio *s)
{
  s->terminal = false;
  s->stdin_w = s->stdout_r = s->stderr_r = -1;
  s->child[0] = s->child[1] = s->child[2] = -1;
}

/* A pipe whose read (or write) end stays with the monitor, non-blocking. */
static int make_pipe(int *monitor_end, int *child_end, bool child_reads, struct shim_err *err)
{
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return fail_errno(err, "pipe2");
  *monitor_end = child_reads ? fds[1] : fds[0];
  *child_end = child_reads ? fds[0] : fds[1];
  if (fcntl(*monitor_end, F_SETFL, O_NONBLOCK) < 0)
    return fail_errno(err, "fcntl `O_NONBLOCK`");
  return 0;
}

int container_stdio_pipes(struct container_stdio *s, bool open_stdin, struct shim_err *err)
{
  if (make_pipe(&s->stdout_r, &s->child[1], false, err) < 0 || make_pipe(&s->stderr_r, &s->child[2], false, err) < 0)
    return -1;
  if (open_stdin)
    return make_pipe(&s->stdin_w, &s->child[0], true, err);
  s->child[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
  return s->child[0] < 0 ? fail_errno(err, "open `/dev/null`") : 0;
}

void container_stdio_terminal(struct container_stdio *s)
{
  s->terminal = true;
}

int container_stdio_open_terminal(struct container_stdio *s, int sync_fd, struct shim_err *err)
{
  int master, slave;
  if (pty_open("/dev/ptmx", &master, &slave, 0, err) < 0)
    return -1;
  int r = sync_send_fd(sync_fd, SYNC_PTY, master);
  close(master);
  if (r < 0) {
    close(slave);
    return fail_with(err, EXIT_SETUP, -r, "send `pty master`");
  }
  s->terminal = true;
  s->child[0] = slave;
  s->child[1] = s->child[2] = slave;
  return 0;
}

int container_stdio_null(struct container_stdio *s, struct shim_err *err)
{
  for (int i = 0; i < 3; i++) {
    s->child[i] = open("/dev/null", (i ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
    if (s->child[i] < 0)
      return fail_errno(err, "open `/dev/null`");
  }
  return 0;
}

int container_stdio_adopt_master(struct container_stdio *s, int master, bool open_stdin, struct shim_err *err)
{
  s->terminal = true;
  s->stdout_r = master;
  if (fcntl(master, F_SETFL, O_NONBLOCK) < 0)
    return fail_errno(err, "fcntl `O_NONBLOCK`");
  if (!open_stdin)
    return 0; /* input frames are ignored; resize still reaches the master */
  s->stdin_w = fcntl(master, F_DUPFD_CLOEXEC, 3);
  return s->stdin_w < 0 ? fail_errno(err, "dup `pty`") : 0;
}

int container_stdio_install(const struct container_stdio *s, uid_t uid, struct shim_err *err)
{
  if (setsid() < 0)
    return fail_errno(err, "setsid");
  if (s->terminal) {
    if (pty_make_controlling(s->child[0], err) < 0)
      return -1;
    /* Like runc: the user may then reopen and chmod its own terminal. */
    if (uid != 0 && fchown(s->child[0], uid, (gid_t) -1) < 0)
      return fail_errno(err, "fchown `pty`");
  }
  for (int i = 0; i < 3; i++)
    if (dup2(s->child[i], i) < 0)
      return fail_errno(err, "dup2 `%d`", i);
  return 0;
}

static void close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

void container_stdio_close_child(struct container_stdio *s)
{
  for (int i = 0; i < 3; i++)
    close_fd(&s->child[i]);
}

void container_stdio_close(struct container_stdio *s)
{
  container_stdio_close_child(s);
  close_fd(&s->stdin_w);
  close_fd(&s->stdout_r);
  close_fd(&s->stderr_r);
}
