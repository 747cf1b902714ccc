#include "pty.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"

int pty_open(const char *ptmx, int *master, int *slave, int nonblock, struct shim_err *err)
{
  autofd m = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));
  if (m < 0)
    return fail_errno(err, "open `%s`", ptmx);
  int unlock = 0;
  if (ioctl(m, TIOCSPTLCK, &unlock) < 0)
    return fail_errno(err, "ioctl `TIOCSPTLCK`");
  /* TIOCGPTPEER opens the slave of this very master, whatever devpts
   * instance it lives in, without looking a path up. */
  int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s < 0) {
    unsigned n;
    char path[32];
    if (ioctl(m, TIOCGPTN, &n) < 0)
      return fail_errno(err, "ioctl `TIOCGPTN`");
    snprintf(path, sizeof path, "/dev/pts/%u", n);
    s = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0)
      return fail_errno(err, "open `%s`", path);
  }
  *slave = s;
  *master = steal_fd(&m);
  return 0;
}

int pty_make_controlling(int fd, struct shim_err *err)
{
  if (ioctl(fd, TIOCSCTTY, 0) < 0)
    return fail_errno(err, "ioctl `TIOCSCTTY`");
  return 0;
}
