#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "kernel_log.h"
#include "spec.h"

static const struct {
  const char *type;      /* in config.json */
  const char *proc_name; /* in /proc/PID/ns */
  int flag;
  const char *flag_name;
} kinds[] = {
  {"mount", "mnt", CLONE_NEWNS, "CLONE_NEWNS"},
  {"uts", "uts", CLONE_NEWUTS, "CLONE_NEWUTS"},
  {"ipc", "ipc", CLONE_NEWIPC, "CLONE_NEWIPC"},
  {"pid", "pid", CLONE_NEWPID, "CLONE_NEWPID"},
  {"network", "net", CLONE_NEWNET, "CLONE_NEWNET"},
  {"cgroup", "cgroup", CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
};
#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

int namespace_flag(const char *type)
{
  for (size_t i = 0; i < KIND_COUNT; i++)
    if (strcmp(type, kinds[i].type) == 0)
      return kinds[i].flag;
  return -1;
}

int namespaces_clone_flags(const struct spec *spec)
{
  int flags = 0;
  for (size_t i = 0; i < spec->n_namespaces; i++)
    if (spec->namespaces[i].path == NULL)
      flags |= spec->namespaces[i].flag;
  /* A new cgroup namespace is rooted where its creator is: the init makes
   * it once the monitor has put it in its cgroups (namespaces_unshare_cgroup). */
  return flags & ~CLONE_NEWCGROUP;
}

int namespaces_unshare_cgroup(const struct spec *spec, int sync_fd, struct shim_err *err)
{
  for (size_t i = 0; i < spec->n_namespaces; i++) {
    if (spec->namespaces[i].flag != CLONE_NEWCGROUP || spec->namespaces[i].path != NULL)
      continue;
    if (unshare(CLONE_NEWCGROUP) < 0)
      return fail_errno(err, "unshare `CLONE_NEWCGROUP`");
    kernel_step_send(sync_fd, "unshare", "flags", "CLONE_NEWCGROUP", NULL);
  }
  return 0;
}

void namespaces_flag_names(int flags, char *out, size_t len)
{
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < KIND_COUNT; i++) {
    if (!(flags & kinds[i].flag))
      continue;
    int n = snprintf(out + used, len - used, "%s%s", used ? "|" : "", kinds[i].flag_name);
    if (n < 0 || (size_t) n >= len - used)
      return;
    used += (size_t) n;
  }
}

static int join_path(const char *path, int flag, struct shim_err *err)
{
  autofd fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno(err, "open `%s`", path);
  if (setns(fd, flag) < 0)
    return fail_errno(err, "setns `%s`", path);
  return 0;
}

int namespaces_join_paths(const struct spec *spec, bool pid_only, struct shim_err *err)
{
  for (size_t i = 0; i < spec->n_namespaces; i++) {
    const struct spec_namespace *ns = &spec->namespaces[i];
    if (ns->path == NULL || (ns->flag == CLONE_NEWPID) != pid_only)
      continue;
    if (join_path(ns->path, ns->flag, err) < 0)
      return -1;
  }
  return 0;
}

void namespaces_record(pid_t pid, int log_fd)
{
  char links[KIND_COUNT][64];
  for (size_t i = 0; i < KIND_COUNT; i++) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/%s", (int) pid, kinds[i].proc_name);
    ssize_t n = readlink(path, links[i], sizeof links[i] - 1);
    links[i][n < 0 ? 0 : n] = '\0';
  }
  kernel_step_write(log_fd, "namespaces", kinds[0].proc_name, links[0], kinds[1].proc_name, links[1],
                    kinds[2].proc_name, links[2], kinds[3].proc_name, links[3], kinds[4].proc_name, links[4],
                    kinds[5].proc_name, links[5], NULL);
}

/* Whether two /proc/.../ns files name the same namespace. */
static bool same_namespace(int fd, const char *own_path)
{
  struct stat a, b;
  return fstat(fd, &a) == 0 && stat(own_path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int ns_join_open(pid_t pid, struct ns_join *join, struct shim_err *err)
{
  /* The order they are joined in: mount last, once nothing else needs the host's /proc. */
  static const char *const order[] = {"ipc", "uts", "net", "pid", "cgroup", "mnt"};
  static const int types[] = {CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWPID, CLONE_NEWCGROUP, CLONE_NEWNS};
  join->count = 0;
  for (size_t i = 0; i < NS_JOIN_MAX; i++) {
    char path[64], own[64];
    snprintf(path, sizeof path, "/proc/%d/ns/%s", (int) pid, order[i]);
    snprintf(own, sizeof own, "/proc/self/ns/%s", order[i]);
    autofd fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && i > 0)
      continue; /* a kernel without this namespace type */
    if (fd < 0) {
      ns_join_close(join);
      return fail_errno(err, "open `%s`", path);
    }
    if (same_namespace(fd, own))
      continue;
    join->fds[join->count] = steal_fd(&fd);
    join->types[join->count] = types[i];
    join->names[join->count++] = order[i];
  }
  return 0;
}

int ns_join_enter(struct ns_join *join, struct shim_err *err)
{
  for (size_t i = 0; i < join->count; i++)
    if (setns(join->fds[i], join->types[i]) < 0)
      return fail_errno(err, "setns `%s`", join->names[i]);
  return 0;
}

void ns_join_close(struct ns_join *join)
{
  for (size_t i = 0; i < join->count; i++)
    close(join->fds[i]);
  join->count = 0;
}
