#include "rootfs_path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "syscalls.h"

/* openat2 is Linux 5.6+; without it, symlinks in the path are refused. */
static bool openat2_missing;

static int fail_errnum(int errnum)
{
  errno = errnum;
  return -1;
}

static int open_component_nofollow(int dir, const char *name)
{
  if (strcmp(name, "..") == 0)
    return fail_errnum(EPERM);
  int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
    close(fd);
    return fail_errnum(ELOOP);
  }
  return fd;
}

/* Component by component, refusing symlinks and "..": the fallback walk. */
static int walk_nofollow(int rootfd, const char *rel)
{
  char buf[PATH_MAX];
  if (strlen(rel) >= sizeof buf)
    return fail_errnum(ENAMETOOLONG);
  strcpy(buf, rel);
  int dir = dup(rootfd);
  for (char *save = NULL, *comp = strtok_r(buf, "/", &save); dir >= 0 && comp; comp = strtok_r(NULL, "/", &save)) {
    int next = open_component_nofollow(dir, comp);
    close(dir);
    dir = next;
  }
  return dir;
}

/* Opens REL (relative, inside ROOTFD) as O_PATH; symlinks resolve as if
 * ROOTFD were "/". */
static int resolve(int rootfd, const char *rel)
{
  if (!openat2_missing) {
    struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    int fd = sys_openat2(rootfd, rel[0] ? rel : ".", &how);
    if (fd >= 0 || errno != ENOSYS)
      return fd;
    openat2_missing = true;
  }
  return walk_nofollow(rootfd, rel);
}

/* Creates NAME in the resolved directory PARENT: a directory, or an empty file. */
static int create_in(int parent, const char *name, bool file)
{
  if (!file)
    return mkdirat(parent, name, 0755) < 0 && errno != EEXIST ? -1 : 0;
  int fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return errno == EEXIST ? 0 : -1;
  close(fd);
  return 0;
}

static int open_or_create(int rootfd, const char *path, bool file, int depth);

/* NAME in PARENT is a symlink to something missing (an image's
 * /etc/resolv.conf -> ../run/...): what gets created is its target, read
 * as a path inside the root, followed by REST. */
static int follow_dangling(int rootfd, int parent, const char *dir, size_t dir_len, const char *name,
                           const char *rest, bool file, int depth)
{
  char target[PATH_MAX], next[PATH_MAX];
  ssize_t n = readlinkat(parent, name, target, sizeof target - 1);
  if (n < 0)
    return fail_errnum(ENOENT);
  target[n] = '\0';
  int w = target[0] == '/' ? snprintf(next, sizeof next, "%s%s", target, rest)
                           : snprintf(next, sizeof next, "%.*s%s%s", (int) dir_len, dir, target, rest);
  if (w < 0 || (size_t) w >= sizeof next)
    return fail_errnum(ENAMETOOLONG);
  return open_or_create(rootfd, next, file, depth + 1);
}

/* Walks REL prefix by prefix, creating what is missing; the new entries
 * are made with *at calls in an already-resolved parent, so a name that is
 * a symlink is never followed out. */
static int create_path(int rootfd, char *rel, bool file, int depth)
{
  autofd parent = dup(rootfd);
  if (parent < 0)
    return -1;
  for (char *end = rel;;) {
    while (*end == '/')
      end++;
    char *name = end;
    end += strcspn(end, "/");
    bool last = *end == '\0' || end[strspn(end, "/")] == '\0';
    char saved = *end;
    *end = '\0';
    int fd = resolve(rootfd, rel);
    if (fd < 0 && errno == ENOENT && create_in(parent, name, file && last) == 0)
      fd = resolve(rootfd, rel);
    if (fd < 0 && errno == ENOENT) {
      char rest[PATH_MAX];
      *end = saved;
      snprintf(rest, sizeof rest, "%s", end);
      *end = '\0';
      return follow_dangling(rootfd, parent, rel, (size_t) (name - rel), name, rest, file, depth);
    }
    *end = saved;
    if (fd < 0 || last)
      return fd;
    close(parent);
    parent = fd;
  }
}

static int open_or_create(int rootfd, const char *path, bool file, int depth)
{
  char rel[PATH_MAX];
  if (depth > 40) /* SYMLOOP_MAX */
    return fail_errnum(ELOOP);
  while (*path == '/')
    path++;
  if (strlen(path) >= sizeof rel)
    return fail_errnum(ENAMETOOLONG);
  strcpy(rel, path);
  int fd = resolve(rootfd, rel);
  if (fd < 0 && errno == ENOENT && rel[0])
    fd = create_path(rootfd, rel, file, depth);
  return fd;
}

int rootfs_open(int rootfd, const char *path, enum rootfs_create create, struct shim_err *err)
{
  int fd = create == ROOTFS_EXISTING ? resolve(rootfd, path + strspn(path, "/"))
                                     : open_or_create(rootfd, path, create == ROOTFS_FILE, 0);
  if (fd < 0)
    return fail_errno(err, "open `%s` in the rootfs", path);
  return fd;
}
