#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

int write_all(int fd, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -errno;
    p += n;
    len -= (size_t) n;
  }
  return 0;
}

int read_file(const char *path, size_t max, char **out, size_t *len, struct shim_err *err)
{
  autofd fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno(err, "open `%s`", path);
  autofree char *buf = NULL;
  size_t used = 0, cap = 0;
  for (;;) {
    if (used == cap) {
      cap = cap ? cap * 2 : 8192;
      char *bigger = realloc(buf, cap + 1);
      if (bigger == NULL)
        return fail_with(err, EXIT_SETUP, ENOMEM, "read `%s`", path);
      buf = bigger;
    }
    ssize_t n = read(fd, buf + used, cap - used);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return fail_errno(err, "read `%s`", path);
    if (n == 0)
      break;
    used += (size_t) n;
    if (used > max)
      return fail_with(err, EXIT_SETUP, EFBIG, "read `%s`", path);
  }
  buf[used] = '\0';
  *out = buf;
  buf = NULL;
  *len = used;
  return 0;
}

int write_file_atomic(int dirfd, const char *name, const char *data, size_t len, struct shim_err *err)
{
  char tmp[NAME_MAX + 1];
  if (snprintf(tmp, sizeof tmp, ".%s.tmp", name) >= (int) sizeof tmp)
    return fail_with(err, EXIT_SETUP, ENAMETOOLONG, "write `%s`", name);
  autofd fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0)
    return fail_errno(err, "open `%s`", tmp);
  int r = write_all(fd, data, len);
  if (r < 0) {
    unlinkat(dirfd, tmp, 0);
    return fail_with(err, EXIT_SETUP, -r, "write `%s`", tmp);
  }
  if (renameat(dirfd, tmp, dirfd, name) < 0) {
    fail_errno(err, "rename `%s`", tmp);
    unlinkat(dirfd, tmp, 0);
    return -1;
  }
  return 0;
}

int path_absolute(const char *path, char **out, struct shim_err *err)
{
  if (path[0] == '/') {
    *out = strdup(path);
  } else {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL)
      return fail_errno(err, "getcwd");
    if (asprintf(out, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path) < 0)
      *out = NULL;
  }
  if (*out == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "path `%s`", path);
  return 0;
}
