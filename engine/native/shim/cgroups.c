#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"

/* How long rmdir waits for the last processes to leave: 50 x 10 ms. */
#define REMOVE_TRIES 50
#define REMOVE_PAUSE_NS 10000000L

int cgroup_open_procs(const char *dir, struct shim_err *err)
{
  char path[PATH_MAX];
  if (snprintf(path, sizeof path, "%s/cgroup.procs", dir) >= (int) sizeof path)
    return fail_with(err, EXIT_SETUP, ENAMETOOLONG, "cgroup `%s`", dir);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno(err, "open `%s`", path);
  return fd;
}

int cgroup_write_pid(int fd, const char *dir, pid_t pid, struct shim_err *err)
{
  char text[16];
  int n = snprintf(text, sizeof text, "%d", (int) pid);
  if (write(fd, text, (size_t) n) != n)
    return fail_errno(err, "write `%s/cgroup.procs`", dir);
  return 0;
}

int cgroup_join(const char *dir, pid_t pid, struct shim_err *err)
{
  autofd fd = cgroup_open_procs(dir, err);
  if (fd < 0)
    return -1;
  return cgroup_write_pid(fd, dir, pid, err);
}

static bool oom_kills_in(const char *dir, const char *name)
{
  char path[PATH_MAX];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int) sizeof path)
    return false;
  autofclose FILE *f = fopen(path, "re");
  char key[32];
  unsigned long long n;
  while (f != NULL && fscanf(f, "%31s %llu", key, &n) == 2)
    if (strcmp(key, "oom_kill") == 0)
      return n > 0;
  return false;
}

bool cgroups_oom_killed(char *const *dirs, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (oom_kills_in(dirs[i], "memory.oom_control") || oom_kills_in(dirs[i], "memory.events"))
      return true;
  return false;
}

void cgroup_remove(const char *dir)
{
  struct timespec pause = {0, REMOVE_PAUSE_NS};
  for (int i = 0; i < REMOVE_TRIES; i++) {
    if (rmdir(dir) == 0 || errno != EBUSY)
      return;
    nanosleep(&pause, NULL);
  }
}

/* The start of DIR/NAME (at most LEN - 1 bytes, NUL-terminated); "" when unreadable. */
static void read_head(const char *dir, const char *name, char *out, size_t len)
{
  char path[PATH_MAX];
  out[0] = '\0';
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int) sizeof path)
    return;
  autofd fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read(fd, out, len - 1) : -1;
  out[n > 0 ? n : 0] = '\0';
}

bool cgroups_frozen(char *const *dirs, size_t n)
{
  char text[256];
  for (size_t i = 0; i < n; i++) {
    read_head(dirs[i], "freezer.state", text, sizeof text);
    if (strncmp(text, "FROZEN", 6) == 0 || strncmp(text, "FREEZING", 8) == 0)
      return true;
    read_head(dirs[i], "cgroup.events", text, sizeof text);
    if (strstr(text, "frozen 1") != NULL)
      return true;
  }
  return false;
}
