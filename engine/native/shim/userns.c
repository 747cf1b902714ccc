/* Rootless mode's way in: `strata-shim userns -- PROG ARGS...` runs PROG as
 * root of the user's own user namespace (engine/rootless.ts says what then
 * differs). One namespace per user, held open by a keeper process
 * (`strata-userns`, its pid in RUNDIR/userns.pid), so that every command of
 * that user meets the same ids and may signal the same containers, as
 * rootless Podman's pause process does. The keeper holds a mount namespace
 * too: the mounts the engine makes (a container's bound network namespace)
 * must outlive the command that made them, and the host's are not the user's. The namespace maps 0 to the user and
 * 1... to the user's range in /etc/subuid and /etc/subgid through newuidmap
 * and newgidmap; without a range, only the user's own id (a single-id map). */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"

#define KEEPER_NAME "strata-userns"

/* The user's runtime dir: $XDG_RUNTIME_DIR/strata, else /tmp/strata-UID; made 0700 and checked to be
 * the user's own directory (a /tmp name another user made first must not be used). */
static int runtime_dir(char *out, size_t len, struct shim_err *err)
{
  const char *xdg = getenv("XDG_RUNTIME_DIR");
  int n = xdg && xdg[0] == '/' ? snprintf(out, len, "%s/strata", xdg) : snprintf(out, len, "/tmp/strata-%u", getuid());
  if (n < 0 || (size_t) n >= len)
    return fail_with(err, EXIT_SETUP, ENAMETOOLONG, "runtime dir");
  if (mkdir(out, 0700) < 0 && errno != EEXIST)
    return fail_errno(err, "mkdir `%s`", out);
  struct stat st;
  if (lstat(out, &st) < 0)
    return fail_errno(err, "lstat `%s`", out);
  if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 0077) != 0)
    return fail_with(err, EXIT_SETUP, 0, "%s is not a private directory of this user (mode 0700, owned by uid %u)",
                     out, getuid());
  return 0;
}

/* The user's first range in FILE (/etc/subuid or /etc/subgid), by name or number. */
static bool subordinate_range(const char *file, const char *name, unsigned id, unsigned long *start,
                              unsigned long *count)
{
  autofclose FILE *f = fopen(file, "re");
  char line[512];
  while (f != NULL && fgets(line, sizeof line, f) != NULL) {
    char who[256];
    if (sscanf(line, "%255[^:]:%lu:%lu", who, start, count) != 3 || *count == 0)
      continue;
    char *end;
    unsigned long as_number = strtoul(who, &end, 10);
    if ((name != NULL && strcmp(who, name) == 0) || (*end == '\0' && as_number == id))
      return true;
  }
  return false;
}

static int run_helper(const char *helper, pid_t pid, unsigned id, unsigned long start, unsigned long count,
                      struct shim_err *err)
{
  char spid[16], sid[16], sstart[24], scount[24];
  snprintf(spid, sizeof spid, "%d", (int) pid);
  snprintf(sid, sizeof sid, "%u", id);
  snprintf(sstart, sizeof sstart, "%lu", start);
  snprintf(scount, sizeof scount, "%lu", count);
  pid_t child = fork();
  if (child < 0)
    return fail_errno(err, "fork");
  if (child == 0) {
    execlp(helper, helper, spid, "0", sid, "1", "1", sstart, scount, (char *) NULL);
    _exit(127);
  }
  int status;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return fail_with(err, EXIT_SETUP, 0, "%s %s 0 %s 1 1 %s %s failed (is the uidmap package installed?)", helper,
                     spid, sid, sstart, scount);
  return 0;
}

static int write_file(const char *path, const char *text, struct shim_err *err)
{
  autofd fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno(err, "open `%s`", path);
  if (write(fd, text, strlen(text)) != (ssize_t) strlen(text))
    return fail_errno(err, "write `%s`", path);
  return 0;
}

/* Maps PID's new namespace: the subordinate ranges when the user has both, else the user's own ids. */
static int map_ids(pid_t pid, struct shim_err *err)
{
  struct passwd *pw = getpwuid(getuid());
  unsigned long ustart, ucount, gstart, gcount;
  if (subordinate_range("/etc/subuid", pw ? pw->pw_name : NULL, getuid(), &ustart, &ucount) &&
      subordinate_range("/etc/subgid", pw ? pw->pw_name : NULL, getuid(), &gstart, &gcount)) {
    if (run_helper("newuidmap", pid, getuid(), ustart, ucount, err) < 0)
      return -1;
    return run_helper("newgidmap", pid, getgid(), gstart, gcount, err);
  }
  char path[64], line[64];
  snprintf(path, sizeof path, "/proc/%d/setgroups", (int) pid);
  if (write_file(path, "deny", err) < 0)
    return -1;
  snprintf(path, sizeof path, "/proc/%d/uid_map", (int) pid);
  snprintf(line, sizeof line, "0 %u 1\n", getuid());
  if (write_file(path, line, err) < 0)
    return -1;
  snprintf(path, sizeof path, "/proc/%d/gid_map", (int) pid);
  snprintf(line, sizeof line, "0 %u 1\n", getgid());
  return write_file(path, line, err);
}

/* The keeper: unshares, waits to be mapped, then holds the namespace open for good. */
static void keeper(int ready_fd, int mapped_fd)
{
  setsid();
  prctl(PR_SET_NAME, KEEPER_NAME);
  char ok = unshare(CLONE_NEWUSER) == 0 ? 'u' : 'e';
  /* The mount namespace is made once mapped, so that it belongs to the new user namespace. */
  if (write(ready_fd, &ok, 1) != 1 || ok != 'u' || read(mapped_fd, &ok, 1) != 1)
    _exit(1);
  ok = setresuid(0, 0, 0) == 0 && unshare(CLONE_NEWNS) == 0 ? 'n' : 'e';
  if (write(ready_fd, &ok, 1) != 1 || ok != 'n')
    _exit(1);
  /* Nothing of the caller's stays open here, least of all the lock on the pid file. */
  close_range(3, ~0U, 0);
  int null = open("/dev/null", O_RDWR);
  for (int fd = 0; fd < 3; fd++)
    dup2(null, fd);
  if (chdir("/") < 0)
    _exit(1);
  sigset_t all;
  sigfillset(&all);
  sigdelset(&all, SIGTERM);
  sigdelset(&all, SIGKILL);
  sigprocmask(SIG_SETMASK, &all, NULL);
  for (;;)
    pause();
}

/* Starts a keeper (a grandchild, so it is nobody's child to reap) and maps its namespace; its pid. */
static pid_t start_keeper(struct shim_err *err)
{
  int ready[2], mapped[2], report[2];
  if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(mapped, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0)
    return fail_errno(err, "pipe");
  pid_t middle = fork();
  if (middle < 0)
    return fail_errno(err, "fork");
  if (middle == 0) {
    pid_t k = fork();
    if (k == 0)
      keeper(ready[1], mapped[0]);
    if (write(report[1], &k, sizeof k) != sizeof k)
      _exit(1);
    _exit(0);
  }
  close(ready[1]);
  close(mapped[0]);
  close(report[1]);
  waitpid(middle, NULL, 0);
  pid_t pid = -1;
  char ok = 0;
  if (read(report[0], &pid, sizeof pid) != sizeof pid || pid <= 0 || read(ready[0], &ok, 1) != 1 || ok != 'u') {
    close(mapped[1]);
    return fail_with(err, EXIT_SETUP, 0,
                     "unshare `CLONE_NEWUSER` failed: this kernel does not let users create user namespaces");
  }
  int r = map_ids(pid, err);
  if (r == 0 && write(mapped[1], "m", 1) != 1)
    r = fail_errno(err, "write");
  if (r == 0 && (read(ready[0], &ok, 1) != 1 || ok != 'n'))
    r = fail_with(err, EXIT_SETUP, 0, "unshare `CLONE_NEWNS` failed in the new user namespace");
  close(mapped[1]);
  close(ready[0]);
  close(report[0]);
  if (r < 0) {
    kill(pid, SIGKILL);
    return -1;
  }
  return pid;
}

/* The keeper named in PIDFILE, if it is still this user's keeper. */
static pid_t live_keeper(const char *pidfile)
{
  autofclose FILE *f = fopen(pidfile, "re");
  int pid;
  if (f == NULL || fscanf(f, "%d", &pid) != 1 || pid <= 0)
    return -1;
  char path[64], comm[32] = "";
  snprintf(path, sizeof path, "/proc/%d/comm", pid);
  autofclose FILE *c = fopen(path, "re");
  struct stat st;
  snprintf(path, sizeof path, "/proc/%d", pid);
  if (c == NULL || fgets(comm, sizeof comm, c) == NULL || strncmp(comm, KEEPER_NAME, strlen(KEEPER_NAME)) != 0 ||
      stat(path, &st) < 0 || st.st_uid != getuid())
    return -1;
  return pid;
}

/* Joins the keeper's namespace (starting one first when there is none) as its root. */
static int enter(struct shim_err *err)
{
  char dir[PATH_MAX - 32], pidfile[PATH_MAX], lockfile[PATH_MAX];
  if (runtime_dir(dir, sizeof dir, err) < 0)
    return -1;
  snprintf(pidfile, sizeof pidfile, "%s/userns.pid", dir);
  snprintf(lockfile, sizeof lockfile, "%s/userns.lock", dir);
  autofd lock = open(lockfile, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lock < 0 || flock(lock, LOCK_EX) < 0)
    return fail_errno(err, "lock `%s`", lockfile);
  pid_t pid = live_keeper(pidfile);
  if (pid < 0) {
    if ((pid = start_keeper(err)) < 0)
      return -1;
    char tmp[PATH_MAX + 8], text[16];
    snprintf(tmp, sizeof tmp, "%s.tmp", pidfile);
    snprintf(text, sizeof text, "%d\n", (int) pid);
    autofd out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0 || write(out, text, strlen(text)) != (ssize_t) strlen(text) || rename(tmp, pidfile) < 0)
      return fail_errno(err, "write `%s`", pidfile);
  }
  char path[64], mnt_path[64], cwd[PATH_MAX];
  snprintf(path, sizeof path, "/proc/%d/ns/user", (int) pid);
  snprintf(mnt_path, sizeof mnt_path, "/proc/%d/ns/mnt", (int) pid);
  autofd ns = open(path, O_RDONLY | O_CLOEXEC);
  autofd mnt = open(mnt_path, O_RDONLY | O_CLOEXEC);
  if (ns < 0 || mnt < 0 || setns(ns, CLONE_NEWUSER) < 0)
    return fail_errno(err, "setns `%s`", path);
  /* Joining a mount namespace moves to its root: the caller's directory is taken along. */
  if (getcwd(cwd, sizeof cwd) == NULL)
    snprintf(cwd, sizeof cwd, "/");
  if (setns(mnt, CLONE_NEWNS) < 0)
    return fail_errno(err, "setns `%s`", mnt_path);
  if (chdir(cwd) < 0)
    return fail_errno(err, "chdir `%s`", cwd);
  /* setgroups is denied in a single-id namespace: there the supplementary groups simply stay. */
  if (setresgid(0, 0, 0) < 0 || (setgroups(0, NULL) < 0 && errno != EPERM) || setresuid(0, 0, 0) < 0)
    return fail_errno(err, "setresuid `0`");
  return 0;
}

int userns_main(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[0], "--") != 0) {
    fprintf(stderr, "usage: strata-shim userns -- PROG [ARG]...\n");
    return EXIT_SETUP;
  }
  struct shim_err err = {0};
  if (enter(&err) < 0) {
    /* PROG still runs, outside any namespace, to say in its own words what the user cannot do. */
    setenv("STRATA_USERNS_ERROR", err.msg, 1);
  }
  execvp(argv[1], argv + 1);
  fprintf(stderr, "strata-shim: exec `%s`: %s\n", argv[1], strerror(errno));
  return EXIT_NOT_FOUND;
}
