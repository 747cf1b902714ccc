#include "network.h"

#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "cleanup.h"
#include "kernel_log.h"

int loopback_up(int sync_fd, struct shim_err *err)
{
  struct ifreq ifr;
  autofd fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return fail_errno(err, "socket `AF_INET`");
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
    return fail_errno(err, "ioctl `SIOCGIFFLAGS lo`");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
    return fail_errno(err, "ioctl `SIOCSIFFLAGS lo`");
  if (sync_fd >= 0)
    kernel_step_send(sync_fd, "link_up", "interface", "lo", NULL);
  return 0;
}
