#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "network.h"

static int bind_source(const char *source, const char *file, struct shim_err *err)
{
  int fd = open(file, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0444);
  if (fd < 0)
    return fail_errno(err, "create `%s`", file);
  close(fd);
  if (mount(source, file, NULL, MS_BIND, NULL) < 0) {
    fail_errno(err, "mount `%s` on `%s`", source, file);
    unlink(file);
    return -1;
  }
  return 0;
}

int netns_bind(pid_t pid, const char *file, struct shim_err *err)
{
  char source[64];
  snprintf(source, sizeof source, "/proc/%d/ns/net", (int) pid);
  return bind_source(source, file, err);
}

int netns_create(const char *file, struct shim_err *err)
{
  autofd host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (host < 0)
    return fail_errno(err, "open `/proc/self/ns/net`");
  if (unshare(CLONE_NEWNET) < 0)
    return fail_errno(err, "unshare `CLONE_NEWNET`");
  int r = bind_source("/proc/thread-self/ns/net", file, err);
  if (r == 0 && loopback_up(-1, err) < 0) {
    struct shim_err ignored = {0};
    netns_unbind(file, &ignored);
    r = -1;
  }
  /* Back to the host's: the bridge and its rules are made there. */
  if (setns(host, CLONE_NEWNET) < 0)
    return fail_errno(err, "setns `/proc/self/ns/net`");
  return r;
}

bool netns_is_bound(const char *file)
{
  struct statfs st;
  return statfs(file, &st) == 0 && st.f_type == NSFS_MAGIC;
}

int netns_unbind(const char *file, struct shim_err *err)
{
  /* Detached, so a process still inside (exec'd into it) cannot keep the
   * file busy; the namespace itself goes with its last process. */
  if (netns_is_bound(file) && umount2(file, MNT_DETACH) < 0)
    return fail_errno(err, "umount `%s`", file);
  if (unlink(file) < 0 && errno != ENOENT)
    return fail_errno(err, "unlink `%s`", file);
  return 0;
}
