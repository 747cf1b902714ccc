#include "args.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

static int parse_number(const char *opt, const char *value, long max, long *out, struct shim_err *err)
{
  char *end;
  errno = 0;
  long n = strtol(value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || n < 0 || n > max)
    return fail_with(err, EXIT_SETUP, 0, "invalid %s `%s`", opt, value);
  *out = n;
  return 0;
}

/* The option's destination if it takes a path, for this command. */
static char **path_option(enum shim_command cmd, const char *opt, struct shim_args *a)
{
  if (strcmp(opt, "--bundle") == 0)
    return &a->bundle;
  if (cmd == SHIM_START && strcmp(opt, "--run") == 0)
    return &a->run;
  if (cmd == SHIM_START && strcmp(opt, "--log") == 0)
    return &a->log;
  if (cmd == SHIM_START && strcmp(opt, "--network") == 0)
    return &a->network;
  if (cmd == SHIM_START && strcmp(opt, "--health-process") == 0)
    return &a->health_process;
  if (cmd == SHIM_EXEC && strcmp(opt, "--process") == 0)
    return &a->process_file;
  if (strcmp(opt, "--cgroup") == 0 && a->n_cgroups < CGROUPS_MAX)
    return &a->cgroups[a->n_cgroups++];
  return NULL;
}

/* The health check's durations, in nanoseconds. */
static long long *duration_option(const char *opt, struct shim_args *a)
{
  if (strcmp(opt, "--health-interval") == 0)
    return &a->health_interval_ns;
  if (strcmp(opt, "--health-timeout") == 0)
    return &a->health_timeout_ns;
  if (strcmp(opt, "--health-start-period") == 0)
    return &a->health_start_period_ns;
  return NULL;
}

static int set_option(enum shim_command cmd, const char *opt, const char *value, struct shim_args *a,
                      struct shim_err *err)
{
  long n = 0;
  if (strcmp(opt, "--attach-fd") == 0) {
    if (parse_number(opt, value, INT_MAX, &n, err) < 0)
      return -1;
    if (fcntl((int) n, F_GETFD) < 0)
      return fail_errno(err, "fcntl `--attach-fd %ld`", n);
    a->attach_fd = (int) n;
    return 0;
  }
  if (cmd == SHIM_EXEC && strcmp(opt, "--pid") == 0) {
    if (parse_number(opt, value, INT_MAX, &n, err) < 0)
      return -1;
    a->pid = (pid_t) n;
    return 0;
  }
  long long *duration = cmd == SHIM_START ? duration_option(opt, a) : NULL;
  if (duration != NULL) {
    if (parse_number(opt, value, LONG_MAX, &n, err) < 0)
      return -1;
    *duration = n;
    return 0;
  }
  if (cmd == SHIM_START && strcmp(opt, "--health-retries") == 0)
    return parse_number(opt, value, INT_MAX, &a->health_retries, err);
  if (cmd == SHIM_START && strcmp(opt, "--restart") == 0) {
    free(a->restart);
    a->restart = strdup(value);
    return a->restart == NULL ? fail_with(err, EXIT_SETUP, ENOMEM, "%s", opt) : 0;
  }
  char **path = path_option(cmd, opt, a);
  if (path == NULL)
    return fail_with(err, EXIT_SETUP, 0, "unknown option `%s`%s", opt,
                     strcmp(opt, "--cgroup") == 0 ? " (too many)" : "");
  free(*path);
  return path_absolute(value, path, err);
}

static int check_required(enum shim_command cmd, const struct shim_args *a, struct shim_err *err)
{
  if (cmd == SHIM_START && (a->bundle == NULL || a->run == NULL))
    return fail_with(err, EXIT_SETUP, 0, "start needs --bundle DIR and --run DIR");
  if (cmd == SHIM_EXEC && (a->pid == 0 || a->process_file == NULL))
    return fail_with(err, EXIT_SETUP, 0, "exec needs --pid PID and --process FILE");
  if (a->health_process != NULL && (a->health_interval_ns <= 0 || a->health_timeout_ns <= 0 || a->health_retries <= 0))
    return fail_with(err, EXIT_SETUP, 0, "--health-process needs --health-interval, --health-timeout and --health-retries above 0");
  return 0;
}

int args_parse(enum shim_command cmd, int argc, char **argv, struct shim_args *a, struct shim_err *err)
{
  memset(a, 0, sizeof *a);
  a->attach_fd = -1;
  for (int i = 0; i < argc; i++) {
    char opt[32];
    const char *arg = argv[i], *value, *eq = strchr(arg, '=');
    if (cmd == SHIM_EXEC && strcmp(arg, "--detach") == 0) {
      a->detach = true;
      continue;
    }
    if (cmd == SHIM_EXEC && strcmp(arg, "--stdin") == 0) {
      a->open_stdin = true;
      continue;
    }
    if (strncmp(arg, "--", 2) != 0 || (eq ? (size_t) (eq - arg) : strlen(arg)) >= sizeof opt)
      return fail_with(err, EXIT_SETUP, 0, "unexpected argument `%s`", arg);
    if (eq != NULL) {
      memcpy(opt, arg, (size_t) (eq - arg));
      opt[eq - arg] = '\0';
      value = eq + 1;
    } else if (i + 1 < argc) {
      snprintf(opt, sizeof opt, "%s", arg);
      value = argv[++i];
    } else
      return fail_with(err, EXIT_SETUP, 0, "option `%s` needs a value", arg);
    if (set_option(cmd, opt, value, a, err) < 0)
      return -1;
  }
  return check_required(cmd, a, err);
}

void args_release(struct shim_args *a)
{
  free(a->bundle);
  free(a->run);
  free(a->log);
  free(a->network);
  free(a->process_file);
  free(a->restart);
  free(a->health_process);
  for (size_t i = 0; i < a->n_cgroups; i++)
    free(a->cgroups[i]);
  memset(a, 0, sizeof *a);
}
