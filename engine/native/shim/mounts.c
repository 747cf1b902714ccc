#include "mounts.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "kernel_log.h"
#include "rootfs_path.h"
#include "strbuf.h"

struct mount_options {
  unsigned long flags;       /* for mount(2) */
  unsigned long propagation; /* MS_PRIVATE, MS_SLAVE... applied after */
  struct strbuf data;        /* the options the filesystem itself reads */
};

static const struct {
  const char *name;
  bool clear;
  unsigned long flag;
} flag_options[] = {
  {"ro", false, MS_RDONLY}, {"rw", true, MS_RDONLY}, {"nosuid", false, MS_NOSUID}, {"suid", true, MS_NOSUID},
  {"nodev", false, MS_NODEV}, {"dev", true, MS_NODEV}, {"noexec", false, MS_NOEXEC}, {"exec", true, MS_NOEXEC},
  {"sync", false, MS_SYNCHRONOUS}, {"async", true, MS_SYNCHRONOUS}, {"dirsync", false, MS_DIRSYNC},
  {"remount", false, MS_REMOUNT}, {"mand", false, MS_MANDLOCK}, {"nomand", true, MS_MANDLOCK},
  {"atime", true, MS_NOATIME}, {"noatime", false, MS_NOATIME}, {"diratime", true, MS_NODIRATIME},
  {"nodiratime", false, MS_NODIRATIME}, {"relatime", false, MS_RELATIME}, {"norelatime", true, MS_RELATIME},
  {"strictatime", false, MS_STRICTATIME}, {"nostrictatime", true, MS_STRICTATIME},
  {"bind", false, MS_BIND}, {"rbind", false, MS_BIND | MS_REC}, {"defaults", false, 0},
};

static const struct {
  const char *name;
  unsigned long flag;
} propagation_options[] = {
  {"private", MS_PRIVATE}, {"rprivate", MS_PRIVATE | MS_REC}, {"shared", MS_SHARED},
  {"rshared", MS_SHARED | MS_REC}, {"slave", MS_SLAVE}, {"rslave", MS_SLAVE | MS_REC},
  {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

static bool apply_flag_option(const char *opt, struct mount_options *o)
{
  for (size_t i = 0; i < sizeof flag_options / sizeof flag_options[0]; i++)
    if (strcmp(opt, flag_options[i].name) == 0) {
      if (flag_options[i].clear)
        o->flags &= ~flag_options[i].flag;
      else
        o->flags |= flag_options[i].flag;
      return true;
    }
  for (size_t i = 0; i < sizeof propagation_options / sizeof propagation_options[0]; i++)
    if (strcmp(opt, propagation_options[i].name) == 0) {
      o->propagation = propagation_options[i].flag;
      return true;
    }
  return false;
}

static int parse_options(const struct spec_mount *m, struct mount_options *o, struct shim_err *err)
{
  for (const char **opt = m->options; *opt; opt++) {
    if (apply_flag_option(*opt, o))
      continue;
    if ((o->data.len && strbuf_addstr(&o->data, ",") < 0) || strbuf_addstr(&o->data, *opt) < 0)
      return fail_with(err, EXIT_SETUP, ENOMEM, "mount options");
  }
  if (strcmp(m->type, "bind") == 0)
    o->flags |= MS_BIND;
  return 0;
}

static int mount_at_fd(const char *source, int fd, const char *type, unsigned long flags, const char *data)
{
  char target[64];
  snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
  return mount(source, target, type, flags, data);
}

/* Flags such as ro or nosuid only reach a bind mount through a remount of
 * the new mount, so the target is resolved again: the old descriptor still
 * names the directory underneath. */
static int remount_bind(int rootfd, const struct spec_mount *m, unsigned long flags, struct shim_err *err)
{
  autofd fd = rootfs_open(rootfd, m->destination, ROOTFS_EXISTING, err);
  if (fd < 0)
    return -1;
  if (mount_at_fd(NULL, fd, NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0)
    return fail_errno(err, "remount `%s` on `%s`", m->source, m->destination);
  return 0;
}

static int mount_bind(int rootfd, const struct spec_mount *m, const struct mount_options *o, struct shim_err *err)
{
  struct stat st;
  if (stat(m->source, &st) < 0)
    return fail_errno(err, "stat `%s`", m->source);
  autofd fd = rootfs_open(rootfd, m->destination, S_ISDIR(st.st_mode) ? ROOTFS_DIR : ROOTFS_FILE, err);
  if (fd < 0)
    return -1;
  if (mount_at_fd(m->source, fd, NULL, o->flags & (MS_BIND | MS_REC), NULL) < 0)
    return fail_errno(err, "mount `%s` on `%s`", m->source, m->destination);
  unsigned long extra = o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
  return extra ? remount_bind(rootfd, m, extra, err) : 0;
}

static int mount_filesystem(int rootfd, const struct spec_mount *m, const struct mount_options *o,
                            bool *skipped, struct shim_err *err)
{
  autofd fd = rootfs_open(rootfd, m->destination, ROOTFS_DIR, err);
  if (fd < 0)
    return -1;
  if (mount_at_fd(m->source, fd, m->type, o->flags, o->data.len ? o->data.data : NULL) == 0)
    return 0;
  /* A cgroup hierarchy may be unavailable (busy v1 controllers, no
   * cgroup namespace): the container runs without it, as runc allows. */
  if (strcmp(m->type, "cgroup") == 0) {
    *skipped = true;
    return 0;
  }
  return fail_errno(err, "mount `%s` on `%s`", m->type, m->destination);
}

static int apply_propagation(int rootfd, const struct spec_mount *m, unsigned long propagation, struct shim_err *err)
{
  autofd fd = rootfs_open(rootfd, m->destination, ROOTFS_EXISTING, err);
  if (fd < 0)
    return -1;
  if (mount_at_fd(NULL, fd, NULL, propagation, NULL) < 0)
    return fail_errno(err, "make `%s` %s", m->destination, propagation & MS_SHARED ? "shared" : "private");
  return 0;
}

/* The record carries the spec's options as written (flags and data alike),
 * so the shell equivalent `mount -o OPTIONS` can be shown beside it. */
static void record_mount(const struct spec_mount *m, const struct mount_options *o, bool skipped, int sync_fd)
{
  autostrbuf options = STRBUF_INIT;
  for (const char **opt = m->options; *opt; opt++)
    if ((options.len && strbuf_addstr(&options, ",") < 0) || strbuf_addstr(&options, *opt) < 0)
      return;
  kernel_step_send(sync_fd, skipped ? "mount_skipped" : "mount", "type", m->type, "source", m->source, "target",
                   m->destination, "data", o->data.len ? o->data.data : "", "options", options.len ? options.data : "", NULL);
}

int mount_entry(int rootfd, const struct spec_mount *m, int sync_fd, struct shim_err *err)
{
  struct mount_options o = {0};
  bool skipped = false;
  int r = parse_options(m, &o, err);
  if (r == 0 && (o.flags & MS_BIND))
    r = mount_bind(rootfd, m, &o, err);
  else if (r == 0)
    r = mount_filesystem(rootfd, m, &o, &skipped, err);
  if (r == 0 && !skipped && o.propagation)
    r = apply_propagation(rootfd, m, o.propagation, err);
  if (r == 0)
    record_mount(m, &o, skipped, sync_fd);
  strbuf_release(&o.data);
  return r;
}
