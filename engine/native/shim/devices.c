#include "devices.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "kernel_log.h"
#include "rootfs_path.h"

/* Splits PATH into its parent directory (opened inside ROOTFD) and NAME. */
static int open_parent(int rootfd, const char *path, char name[NAME_MAX + 1], struct shim_err *err)
{
  char dir[PATH_MAX], base[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", path);
  snprintf(base, sizeof base, "%s", path);
  if (snprintf(name, NAME_MAX + 1, "%s", basename(base)) > NAME_MAX)
    return fail_with(err, EXIT_SETUP, ENAMETOOLONG, "device `%s`", path);
  return rootfs_open(rootfd, dirname(dir), ROOTFS_DIR, err);
}

/* In a user namespace (rootless mode) no device node can be made: the host's
 * own node is bound onto an empty file instead, as runc does there. */
static int bind_device(int dir, const char *name, const struct spec_device *d, struct shim_err *err)
{
  autofd file = openat(dir, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (file < 0)
    return errno == EEXIST ? 0 : fail_errno(err, "create `%s`", d->path);
  char target[64];
  snprintf(target, sizeof target, "/proc/self/fd/%d", file);
  if (mount(d->path, target, NULL, MS_BIND, NULL) < 0)
    return fail_errno(err, "mount `%s` on itself", d->path);
  return 0;
}

static int create_device(int rootfd, const struct spec_device *d, struct shim_err *err)
{
  char name[NAME_MAX + 1];
  autofd dir = open_parent(rootfd, d->path, name, err);
  if (dir < 0)
    return -1;
  /* The init runs with umask 0, so the node gets exactly fileMode. A path the
   * image already has keeps what it is, as runc leaves it: nothing is chowned. */
  if (mknodat(dir, name, d->type | d->mode, makedev(d->major, d->minor)) < 0) {
    if (errno == EPERM)
      return bind_device(dir, name, d, err);
    return errno == EEXIST ? 0 : fail_errno(err, "mknod `%s`", d->path);
  }
  if (fchownat(dir, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
    return fail_errno(err, "chown `%s`", d->path);
  return 0;
}

int devices_create(int rootfd, const struct spec *spec, int sync_fd, struct shim_err *err)
{
  for (size_t i = 0; i < spec->n_devices; i++) {
    const struct spec_device *d = &spec->devices[i];
    if (create_device(rootfd, d, err) < 0)
      return -1;
    char numbers[32], mode[8];
    snprintf(numbers, sizeof numbers, "%u:%u", d->major, d->minor);
    snprintf(mode, sizeof mode, "%04o", (unsigned) d->mode);
    kernel_step_send(sync_fd, "mknod", "path", d->path, "device", numbers, "mode", mode, NULL);
  }
  return 0;
}

int devices_symlinks(int rootfd, struct shim_err *err)
{
  static const char *const links[][2] = {
    {"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"}, {"pts/ptmx", "ptmx"}, {"/proc/kcore", "core"},
  };
  autofd dev = rootfs_open(rootfd, "/dev", ROOTFS_DIR, err);
  if (dev < 0)
    return -1;
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
    /* Like runc: /dev/core only where the kernel has a /proc/kcore. */
    if (strcmp(links[i][1], "core") == 0 && access("/proc/kcore", F_OK) < 0)
      continue;
    if (symlinkat(links[i][0], dev, links[i][1]) < 0 && errno != EEXIST)
      return fail_errno(err, "symlink `/dev/%s`", links[i][1]);
  }
  return 0;
}

int devices_console(int rootfd, int tty_fd, struct shim_err *err)
{
  /* The descriptor's own mount belongs to the monitor's mount namespace,
   * which bind mounts refuse (EINVAL): the same path in our copy of it
   * names the same terminal. */
  char link[64], source[PATH_MAX], target[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", tty_fd);
  ssize_t n = readlink(link, source, sizeof source - 1);
  if (n < 0)
    return fail_errno(err, "readlink `%s`", link);
  source[n] = '\0';
  autofd console = rootfs_open(rootfd, "/dev/console", ROOTFS_FILE, err);
  if (console < 0)
    return -1;
  snprintf(target, sizeof target, "/proc/self/fd/%d", console);
  if (mount(source, target, NULL, MS_BIND, NULL) < 0)
    return fail_errno(err, "mount `%s` on `/dev/console`", source);
  return 0;
}
