#include "process.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credentials.h"
#include "kernel_log.h"
#include "lookpath.h"
#include "syscalls.h"
#include "sync.h"

/* Runs after pivot_root, so the path cannot leave the container. */
static int mkdir_all(const char *path, struct shim_err *err)
{
  char buf[PATH_MAX];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int) sizeof buf)
    return fail_with(err, EXIT_SETUP, ENAMETOOLONG, "mkdir `%s`", path);
  for (char *p = buf + 1;; p++) {
    if (*p != '/' && *p != '\0')
      continue;
    char saved = *p;
    *p = '\0';
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
      return fail_errno(err, "mkdir `%s`", buf);
    *p = saved;
    if (saved == '\0')
      return 0;
  }
}

static void exec_or_report(const char *path, const struct spec_process *p, int sync_fd)
{
  /* Only the sync socket (close-on-exec) and stdio survive into the program. */
  sys_cloexec_from(3);
  execve(path, (char *const *) p->args, (char *const *) p->env);
  int errnum = errno;
  sync_send(sync_fd, SYNC_EXEC_ERRNO, &errnum, sizeof errnum);
  dprintf(STDERR_FILENO, "exec `%s`: %s\n", path, strerror(errnum));
  _exit(errnum == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
}

int process_start(const struct spec_process *p, int sync_fd, bool create_cwd, struct shim_err *err)
{
  char path[PATH_MAX];
  umask(022); /* Docker's; the setup before ran with 0 to create nodes with exact modes */
  if (create_cwd && mkdir_all(p->cwd, err) < 0)
    return -1;
  if (rlimits_apply(p, sync_fd, err) < 0 || credentials_apply(p, sync_fd, err) < 0)
    return -1;
  if (chdir(p->cwd) < 0)
    return fail_with(err, EXIT_CANNOT_EXECUTE, errno, "chdir `%s`", p->cwd);
  if (lookpath(p->args[0], p->env, path, sizeof path, err) < 0)
    return -1;
  kernel_step_send(sync_fd, "exec", "path", path, NULL);
  /* Before READY: the parent may exit as soon as it has it (exec --detach). */
  prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
  int r = sync_send(sync_fd, SYNC_READY, NULL, 0);
  if (r < 0)
    return fail_with(err, EXIT_SETUP, -r, "write `sync`");
  exec_or_report(path, p, sync_fd);
  return -1;
}
