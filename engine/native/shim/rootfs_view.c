#include "rootfs_view.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "mounts.h"
#include "report.h"
#include "rootfs.h"
#include "spec.h"

#define VIEW_MOUNTS_MAX 256

/* "SRC:DST:ro" or "SRC:DST:rw", split in place; SRC and DST absolute. */
static int parse_mount(char *spec, struct spec_mount *m, const char **options, struct shim_err *err)
{
  char *dst = strchr(spec, ':');
  char *mode = dst ? strchr(dst + 1, ':') : NULL;
  if (dst == NULL || mode == NULL || spec[0] != '/' || dst[1] != '/' || (strcmp(mode + 1, "ro") != 0 && strcmp(mode + 1, "rw") != 0))
    return fail_with(err, EXIT_SETUP, 0, "--mount `%s`: SRC:DST:ro|rw with absolute paths", spec);
  *dst++ = '\0';
  *mode++ = '\0';
  options[0] = "rbind";
  options[1] = strcmp(mode, "ro") == 0 ? "ro" : "rw";
  options[2] = NULL;
  m->source = spec;
  m->destination = dst;
  m->type = "bind";
  m->options = options;
  return 0;
}

/* The running container's root mount alone (not what is mounted beneath it:
 * its /proc, /sys, /dev...), cloned from its mount namespace onto ROOT in
 * ours: the same overlay, never mounted twice. A clone can only be taken
 * from inside the namespace that holds it, so this visits it and returns. */
static int clone_running_root(pid_t pid, const char *root, struct shim_err *err)
{
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int) pid);
  autofd theirs = open(path, O_RDONLY | O_CLOEXEC);
  if (theirs < 0)
    return fail_errno(err, "open `%s`", path);
  autofd ours = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (ours < 0)
    return fail_errno(err, "open `/proc/self/ns/mnt`");
  if (setns(theirs, CLONE_NEWNS) < 0)
    return fail_errno(err, "setns `%s`", path);
  autofd tree = open_tree(AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  int saved = errno;
  if (setns(ours, CLONE_NEWNS) < 0)
    return fail_errno(err, "setns back to our own mount namespace");
  if (tree < 0) {
    errno = saved;
    return fail_errno(err, "open_tree `/` of process %d", (int) pid);
  }
  if (move_mount(tree, "", AT_FDCWD, root, MOVE_MOUNT_F_EMPTY_PATH) < 0)
    return fail_errno(err, "move_mount onto `%s`", root);
  return 0;
}

static int view(int argc, char **argv, struct spec *spec, struct shim_err *err)
{
  const char *bundle = NULL;
  pid_t running = 0;
  struct spec_mount mounts[VIEW_MOUNTS_MAX];
  const char *options[VIEW_MOUNTS_MAX][3];
  size_t n = 0;
  for (int i = 0; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--bundle") == 0)
      bundle = argv[i + 1];
    else if (strcmp(argv[i], "--of") == 0) {
      running = (pid_t) strtol(argv[i + 1], NULL, 10);
      if (running <= 0)
        return fail_with(err, EXIT_SETUP, 0, "--of `%s`: a process id", argv[i + 1]);
    } else if (strcmp(argv[i], "--mount") == 0 && n < VIEW_MOUNTS_MAX) {
      if (parse_mount(argv[i + 1], &mounts[n], options[n], err) < 0)
        return -1;
      n++;
    } else
      return fail_with(err, EXIT_SETUP, 0, "unexpected argument `%s`", argv[i]);
  }
  if (bundle == NULL || bundle[0] != '/' || argc % 2 != 0)
    return fail_with(err, EXIT_SETUP, 0, "rootfs needs --bundle DIR (absolute) [--of PID] [--mount SRC:DST:ro|rw]...");
  if (spec_load(bundle, spec, err) < 0)
    return -1;
  /* Everything from here on is this process's alone, and goes with it. */
  if (unshare(CLONE_NEWNS) < 0)
    return fail_errno(err, "unshare `CLONE_NEWNS`");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return fail_errno(err, "make `/` private");
  if ((running ? clone_running_root(running, spec->root_path, err) : rootfs_mount_root(spec, -1, err)) < 0)
    return -1;
  autofd rootfd = open(spec->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return fail_errno(err, "open `%s`", spec->root_path);
  for (size_t i = 0; i < n; i++)
    if (mount_entry(rootfd, &mounts[i], -1, err) < 0)
      return -1;
  return 0;
}

int rootfs_view_main(int argc, char **argv)
{
  struct shim_err err = {0};
  struct spec spec;
  memset(&spec, 0, sizeof spec);
  if (view(argc, argv, &spec, &err) < 0) {
    report_failure(STDOUT_FILENO, &err);
    spec_release(&spec);
    return 1;
  }
  report_ok(STDOUT_FILENO, getpid(), 0);
  /* Held until the engine is done: its end of our standard input closes. */
  char buf[64];
  ssize_t r;
  do
    r = read(STDIN_FILENO, buf, sizeof buf);
  while (r > 0 || (r < 0 && errno == EINTR));
  spec_release(&spec);
  return 0;
}
