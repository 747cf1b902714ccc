#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"

#define OUTPUT_MAX_BYTES (256 << 10)

static int read_all(int fd, struct strbuf *out)
{
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return n < 0 ? -errno : 0;
    if (out->len < OUTPUT_MAX_BYTES && strbuf_add(out, buf, (size_t) n) < 0)
      return -ENOMEM;
  }
}

static __attribute__((noreturn)) void exec_child(const char *const argv[], int in_fd, bool with_stderr, int out)
{
  int null = open("/dev/null", O_RDWR);
  if (dup2(in_fd >= 0 ? in_fd : null, 0) < 0 || dup2(out, 1) < 0 || dup2(with_stderr || null < 0 ? out : null, 2) < 0)
    _exit(127);
  setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
  execvp(argv[0], (char *const *) argv);
  dprintf(1, "exec `%s`: %s\n", argv[0], strerror(errno));
  _exit(127);
}

int command_run(const char *const argv[], int in_fd, bool with_stderr, struct strbuf *out, int *status,
                struct shim_err *err)
{
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) < 0)
    return fail_errno(err, "pipe2");
  autofd out_r = pipe_fds[0];
  autofd out_w = pipe_fds[1];
  pid_t pid = fork();
  if (pid < 0)
    return fail_errno(err, "fork `%s`", argv[0]);
  if (pid == 0)
    exec_child(argv, in_fd, with_stderr, out_w);
  close(steal_fd(&out_w));
  int r = read_all(out_r, out);
  close(steal_fd(&out_r)); /* after a failed read, the program must not block on a full pipe */
  while (waitpid(pid, status, 0) < 0)
    if (errno != EINTR)
      return fail_errno(err, "waitpid `%s`", argv[0]);
  return r < 0 ? fail_with(err, EXIT_SETUP, -r, "read `%s`", argv[0]) : 0;
}

int command_exit_code(int status)
{
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
