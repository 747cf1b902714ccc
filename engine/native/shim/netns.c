#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

int netns_bind(pid_t pid, const char *file, struct shim_err *err)
{
  char source[64];
  snprintf(source, sizeof source, "/proc/%d/ns/net", (int) pid);
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
