#include "netavark.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "command.h"
#include "fileio.h"
#include "isolation.h"
#include "kernel_log.h"
#include "netns.h"
#include "spec.h"
#include "strbuf.h"

#define PLAN_MAX_BYTES (64 << 10)
#define ATTACH_PREFIX "attach-"
#define STATUS_PREFIX "status-"

int network_plan_load(const char *dir, struct network_plan *plan, struct shim_err *err)
{
  autofree char *path = NULL, *text = NULL;
  size_t len;
  memset(plan, 0, sizeof *plan);
  if (asprintf(&path, "%s/plan.json", dir) < 0 || asprintf(&plan->netns, "%s/netns", dir) < 0
      || (plan->dir = strdup(dir)) == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "network `%s`", dir);
  if (read_file(path, PLAN_MAX_BYTES, &text, &len, err) < 0 || json_parse(text, len, &plan->doc, err) < 0)
    return -1;
  plan->lock = json_string(json_get(plan->doc, "lock"));
  if (string_array(json_get(plan->doc, "command"), "command", &plan->command, err) < 0)
    return -1;
  if (plan->lock == NULL || plan->lock[0] != '/' || plan->command[0] == NULL || plan->command[0][0] != '/')
    return fail_with(err, EXIT_SETUP, 0, "%s: needs an absolute \"command\" and \"lock\"", path);
  return 0;
}

void network_plan_release(struct network_plan *plan)
{
  free(plan->command);
  json_free(plan->doc);
  free(plan->netns);
  free(plan->dir);
  memset(plan, 0, sizeof *plan);
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *) a, *(char *const *) b);
}

static bool is_attachment(const char *name)
{
  size_t len = strlen(name);
  return strncmp(name, ATTACH_PREFIX, strlen(ATTACH_PREFIX)) == 0 && len > 5 && strcmp(name + len - 5, ".json") == 0;
}

int network_attachments(const struct network_plan *plan, char ***names, size_t *count, struct shim_err *err)
{
  DIR *d = opendir(plan->dir);
  if (d == NULL)
    return fail_errno(err, "opendir `%s`", plan->dir);
  char **list = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!is_attachment(e->d_name))
      continue;
    char **bigger = realloc(list, (n + 1) * sizeof *list);
    char *copy = bigger ? strdup(e->d_name) : NULL;
    if (bigger)
      list = bigger;
    if (copy == NULL) {
      closedir(d);
      network_names_free(list, n);
      return fail_with(err, EXIT_SETUP, ENOMEM, "list `%s`", plan->dir);
    }
    list[n++] = copy;
  }
  closedir(d);
  if (n > 1)
    qsort(list, n, sizeof *list, by_name);
  *names = list;
  *count = n;
  return 0;
}

void network_names_free(char **names, size_t count)
{
  for (size_t i = 0; i < count; i++)
    free(names[i]);
  free(names);
}

static int take_lock(const char *path, struct shim_err *err)
{
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return fail_errno(err, "open `%s`", path);
  while (flock(fd, LOCK_EX) < 0) {
    if (errno != EINTR) {
      fail_errno(err, "flock `%s`", path);
      close(fd);
      return -1;
    }
  }
  return fd;
}

/* netavark's failure: its {"error": "..."} line, else the last line it printed. */
static int netavark_failure(const char *action, struct strbuf *out, int status, struct shim_err *err)
{
  autojson *doc = NULL;
  struct shim_err ignored = {0};
  while (out->len && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' '))
    out->data[--out->len] = '\0';
  if (out->len && json_parse(out->data, out->len, &doc, &ignored) == 0 && json_string(json_get(doc, "error")))
    return fail_with(err, EXIT_SETUP, 0, "netavark %s: %s", action, json_string(json_get(doc, "error")));
  const char *last = out->len ? strrchr(out->data, '\n') : NULL;
  const char *text = last ? last + 1 : out->len ? out->data : "";
  if (text[0] == '\0')
    return fail_with(err, EXIT_SETUP, 0, "netavark %s: exited with status %d", action, command_exit_code(status));
  return fail_with(err, EXIT_SETUP, 0, "netavark %s: %s", action, text);
}

static long elapsed_ms(const struct timespec *since)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static int save_status(const struct network_plan *plan, const char *attachment, const struct strbuf *out)
{
  autofd dir = open(plan->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  char name[256];
  struct shim_err ignored = {0};
  snprintf(name, sizeof name, STATUS_PREFIX "%s", attachment + strlen(ATTACH_PREFIX));
  return dir < 0 ? -1 : write_file_atomic(dir, name, out->data ? out->data : "", out->len, &ignored);
}

/* Whether the attachment's network is one netavark isolates from the others. */
static int attachment_isolated(const char *path, bool *isolated, struct shim_err *err)
{
  autofree char *text = NULL;
  autojson *doc = NULL;
  size_t len;
  if (read_file(path, PLAN_MAX_BYTES, &text, &len, err) < 0 || json_parse(text, len, &doc, err) < 0)
    return -1;
  *isolated = isolation_applies(doc);
  return 0;
}

int netavark_run(const struct network_plan *plan, const char *action, const char *attachment, int kernel_fd,
                 struct shim_err *err)
{
  char path[4096];
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  if (!is_attachment(attachment) || strchr(attachment, '/') != NULL)
    return fail_with(err, EXIT_SETUP, 0, "`%s` is not a network attachment", attachment);
  snprintf(path, sizeof path, "%s/%s", plan->dir, attachment);
  bool setup = strcmp(action, "setup") == 0, isolated = false;
  if (setup && attachment_isolated(path, &isolated, err) < 0)
    return -1;
  autofd in = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (in < 0)
    return fail_errno(err, "open `%s`", path);
  size_t n = 0;
  while (plan->command[n])
    n++;
  const char *argv[n + 3];
  memcpy(argv, plan->command, n * sizeof *argv);
  argv[n] = action;
  argv[n + 1] = plan->netns;
  argv[n + 2] = NULL;
  autofd lock = take_lock(plan->lock, err);
  if (lock < 0)
    return -1;
  autostrbuf out = STRBUF_INIT;
  int status;
  if (command_run(argv, in, false, &out, &status, err) < 0)
    return -1;
  char ms[24];
  snprintf(ms, sizeof ms, "%ld", elapsed_ms(&start));
  kernel_step_write(kernel_fd, "netavark", "action", action, "attachment", attachment, "ms", ms, NULL);
  if (status != 0)
    return netavark_failure(action, &out, status, err);
  if (setup)
    save_status(plan, attachment, &out);
  return isolated ? isolation_keep(err) : 0;
}

/* Every attachment, each tried; the first failure is the one reported. */
static int teardown_each(const struct network_plan *plan, char **names, size_t count, int kernel_fd,
                         struct shim_err *err)
{
  int result = 0;
  for (size_t i = 0; i < count; i++) {
    struct shim_err one = {0};
    if (netavark_run(plan, "teardown", names[i], kernel_fd, &one) < 0 && result == 0) {
      *err = one;
      result = -1;
    }
  }
  return result;
}

int network_setup_all(const struct network_plan *plan, int kernel_fd, struct shim_err *err)
{
  char **names;
  size_t count;
  if (network_attachments(plan, &names, &count, err) < 0)
    return -1;
  int r = 0;
  for (size_t i = 0; i < count && r == 0; i++)
    r = netavark_run(plan, "setup", names[i], kernel_fd, err);
  if (r < 0) {
    /* A failed setup may have done part of its work: undo all, keep its reason. */
    struct shim_err ignored = {0};
    teardown_each(plan, names, count, kernel_fd, &ignored);
  }
  network_names_free(names, count);
  return r;
}

/* One teardown of a container's network at a time: its monitor and an engine
 * cleaning up after it (a stop racing an exit, a dead monitor) may both come;
 * the second finds the namespace unbound and has nothing left to do. */
int network_dir_lock(const char *dir, struct shim_err *err)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return fail_errno(err, "open `%s`", dir);
  while (flock(fd, LOCK_EX) < 0) {
    if (errno != EINTR) {
      fail_errno(err, "flock `%s`", dir);
      close(fd);
      return -1;
    }
  }
  return fd;
}

int network_teardown_all(const struct network_plan *plan, int kernel_fd, struct shim_err *err)
{
  char **names;
  size_t count;
  autofd held = network_dir_lock(plan->dir, err);
  if (held < 0)
    return -1;
  if (!netns_is_bound(plan->netns))
    return netns_unbind(plan->netns, err); /* torn down already (or never set up) */
  if (network_attachments(plan, &names, &count, err) < 0)
    return -1;
  int r = teardown_each(plan, names, count, kernel_fd, err);
  network_names_free(names, count);
  /* Unbound even after a failure, as Podman does: netavark's teardown starts by
   * deleting the container's interface, so a second one could only fail on it,
   * and a namespace kept for that retry would keep the container from being
   * removed. Its veths go with it; the failure is reported. */
  struct shim_err unbind = {0};
  if (netns_unbind(plan->netns, &unbind) < 0 && r == 0) {
    *err = unbind;
    r = -1;
  }
  return r;
}
