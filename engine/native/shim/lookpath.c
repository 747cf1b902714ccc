#include "lookpath.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DOCKER_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *env_path(const char *const *env)
{
  for (; env && *env; env++)
    if (strncmp(*env, "PATH=", 5) == 0)
      return *env + 5;
  return DOCKER_DEFAULT_PATH;
}

/* 0 if PATH is a file this process may execute, else the errno Go's
 * exec.LookPath would see. */
static int executable(const char *path)
{
  struct stat st;
  if (stat(path, &st) < 0)
    return errno;
  if (S_ISDIR(st.st_mode))
    return EISDIR;
  if (!(st.st_mode & 0111) || access(path, X_OK) < 0)
    return EACCES;
  return 0;
}

/* Go's error texts are lower case: "no such file or directory". */
static void lower_strerror(int errnum, char *out, size_t len)
{
  snprintf(out, len, "%s", strerror(errnum));
  if (out[0] >= 'A' && out[0] <= 'Z')
    out[0] = (char) (out[0] - 'A' + 'a');
}

static int check_path(const char *path, char *out, size_t len, struct shim_err *err)
{
  int e = executable(path);
  if (e == ENOENT || e == ENOTDIR) {
    char reason[128];
    lower_strerror(e, reason, sizeof reason);
    return fail_with(err, 127, 0, "exec: \"%s\": stat %s: %s", path, path, reason);
  }
  if (e != 0)
    return fail_with(err, 126, 0, "exec: \"%s\": permission denied", path);
  if (snprintf(out, len, "%s", path) >= (int) len)
    return fail_with(err, 127, ENAMETOOLONG, "exec: \"%s\"", path);
  return 0;
}

int lookpath(const char *name, const char *const *env, char *out, size_t len, struct shim_err *err)
{
  if (strchr(name, '/') != NULL)
    return check_path(name, out, len, err);
  const char *dirs = env_path(env);
  for (;;) {
    size_t n = strcspn(dirs, ":");
    /* An empty PATH element means the current directory. */
    int w = n ? snprintf(out, len, "%.*s/%s", (int) n, dirs, name) : snprintf(out, len, "./%s", name);
    if (w > 0 && (size_t) w < len && executable(out) == 0)
      return 0;
    if (dirs[n] == '\0')
      break;
    dirs += n + 1;
  }
  return fail_with(err, 127, 0, "exec: \"%s\": executable file not found in $PATH", name);
}
