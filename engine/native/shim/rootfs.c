#include "rootfs.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "devices.h"
#include "kernel_log.h"
#include "mounts.h"
#include "syscalls.h"

/* The overlay's lowerdirs are short relative links (l/<id>), resolved
 * against the directory the mount call runs in: hence the chdir. Without
 * the annotation the root is bind-mounted on itself, since pivot_root
 * needs a mount point. */
int rootfs_mount_root(const struct spec *spec, int sync_fd, struct shim_err *err)
{
  const char *root = spec->root_path;
  if (spec->overlay_data == NULL) {
    if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
      return fail_errno(err, "mount `%s` on `%s`", root, root);
    kernel_step_send(sync_fd, "mount", "type", "bind", "source", root, "target", root, NULL);
    return 0;
  }
  if (spec->overlay_cwd != NULL && chdir(spec->overlay_cwd) < 0)
    return fail_errno(err, "chdir `%s`", spec->overlay_cwd);
  if (mount("overlay", root, "overlay", 0, spec->overlay_data) < 0)
    return fail_errno(err, "mount `overlay` on `%s`", root);
  /* cwd: the short lowerdirs (l/...) are relative to it, as the kernel resolved them. */
  kernel_step_send(sync_fd, "mount", "type", "overlay", "source", "overlay", "target", root, "data",
                   spec->overlay_data, "cwd", spec->overlay_cwd ? spec->overlay_cwd : "", NULL);
  return 0;
}

/* Never chroot: pivot_root moves the old root away so it can be detached,
 * leaving nothing of the host reachable. Stacking the old root on the new
 * one (".", ".") needs no directory for it inside the container. */
static int pivot(int rootfd, const char *root, int sync_fd, struct shim_err *err)
{
  if (fchdir(rootfd) < 0)
    return fail_errno(err, "fchdir `%s`", root);
  if (sys_pivot_root(".", ".") < 0)
    return fail_errno(err, "pivot_root `%s`", root);
  if (umount2(".", MNT_DETACH) < 0)
    return fail_errno(err, "umount2 `old root`");
  if (chdir("/") < 0)
    return fail_errno(err, "chdir `/`");
  kernel_step_send(sync_fd, "pivot_root", "new_root", root, "put_old", ".", NULL);
  return 0;
}

/* Files get /dev/null bound over them, directories an empty read-only
 * tmpfs; paths this kernel does not have are skipped. */
static int mask_paths(const char **paths, int sync_fd, struct shim_err *err)
{
  for (; *paths; paths++) {
    struct stat st;
    if (stat(*paths, &st) < 0) {
      if (errno == ENOENT)
        continue;
      return fail_errno(err, "stat `%s`", *paths);
    }
    bool dir = S_ISDIR(st.st_mode);
    if (dir ? mount("tmpfs", *paths, "tmpfs", MS_RDONLY, NULL) : mount("/dev/null", *paths, NULL, MS_BIND, NULL)) {
      if (errno == ENOENT)
        continue;
      return fail_errno(err, "mask `%s`", *paths);
    }
    kernel_step_send(sync_fd, "mask", "path", *paths, "with", dir ? "tmpfs" : "/dev/null", NULL);
  }
  return 0;
}

/* Bind onto itself, then remount read-only, keeping the flags it had;
 * *DONE is false for a path this kernel does not have. */
static int readonly_path(const char *path, bool *done, struct shim_err *err)
{
  struct statvfs sv;
  *done = false;
  if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
    return errno == ENOENT ? 0 : fail_errno(err, "mount `%s` on itself", path);
  unsigned long keep = 0;
  if (statvfs(path, &sv) == 0)
    keep = sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
  if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) < 0)
    return fail_errno(err, "remount `%s` read-only", path);
  *done = true;
  return 0;
}

static int readonly_paths(const char **paths, int sync_fd, struct shim_err *err)
{
  for (; *paths; paths++) {
    bool done;
    if (readonly_path(*paths, &done, err) < 0)
      return -1;
    if (done)
      kernel_step_send(sync_fd, "readonly", "path", *paths, NULL);
  }
  return 0;
}

static int build_tree(const struct spec *spec, int rootfd, int tty_fd, int sync_fd, struct shim_err *err)
{
  for (size_t i = 0; i < spec->n_mounts; i++)
    if (mount_entry(rootfd, &spec->mounts[i], sync_fd, err) < 0)
      return -1;
  if (devices_create(rootfd, spec, sync_fd, err) < 0 || devices_symlinks(rootfd, err) < 0)
    return -1;
  return tty_fd >= 0 ? devices_console(rootfd, tty_fd, err) : 0;
}

int rootfs_setup(const struct spec *spec, int tty_fd, int sync_fd, struct shim_err *err)
{
  /* Nothing mounted from here on may propagate back to the host. */
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return fail_errno(err, "make `/` private");
  if (rootfs_mount_root(spec, sync_fd, err) < 0)
    return -1;
  /* Opened after the mount, so that it names the overlay, not the directory under it. */
  autofd rootfd = open(spec->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return fail_errno(err, "open `%s`", spec->root_path);
  if (build_tree(spec, rootfd, tty_fd, sync_fd, err) < 0 || pivot(rootfd, spec->root_path, sync_fd, err) < 0)
    return -1;
  /* Sysctls go in while /proc/sys can still be written. */
  if (host_settings_sysctls(&spec->host, sync_fd, err) < 0)
    return -1;
  if (mask_paths(spec->masked_paths, sync_fd, err) < 0 || readonly_paths(spec->readonly_paths, sync_fd, err) < 0)
    return -1;
  if (spec->root_readonly && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
    return fail_errno(err, "remount `/` read-only");
  return 0;
}
