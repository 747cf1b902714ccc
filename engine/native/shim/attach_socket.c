#include "attach_socket.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"

int attach_socket_listen(int run_fd, struct shim_err *err)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  /* Through the run dir's descriptor: the dir's own path may be longer
   * than sun_path allows. */
  snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", run_fd, ATTACH_SOCKET_NAME);
  autofd fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return fail_errno(err, "socket `%s`", ATTACH_SOCKET_NAME);
  if (unlinkat(run_fd, ATTACH_SOCKET_NAME, 0) < 0 && errno != ENOENT)
    return fail_errno(err, "unlink `%s`", ATTACH_SOCKET_NAME);
  /* The umask makes the socket 0600 from the start: no window where
   * another user could connect. */
  mode_t old = umask(0177);
  int r = bind(fd, (struct sockaddr *) &addr, sizeof addr);
  umask(old);
  if (r < 0)
    return fail_errno(err, "bind `%s`", ATTACH_SOCKET_NAME);
  if (listen(fd, 16) < 0)
    return fail_errno(err, "listen `%s`", ATTACH_SOCKET_NAME);
  return steal_fd(&fd);
}

int attach_socket_accept(int listen_fd)
{
  int fd;
  do
    fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  while (fd < 0 && errno == EINTR);
  return fd;
}
