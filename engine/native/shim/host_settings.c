#include "host_settings.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "kernel_log.h"

int host_settings_parse(const struct json_value *doc, struct host_settings *h, struct shim_err *err)
{
  memset(h, 0, sizeof *h);
  const char *domain = json_string(json_get(doc, "domainname"));
  h->domainname = domain != NULL && domain[0] != '\0' ? domain : NULL;
  const struct json_value *oom = json_get(json_get(doc, "process"), "oomScoreAdj");
  if (oom != NULL) {
    char *end;
    long v = json_is(oom, JSON_NUMBER) ? strtol(oom->text, &end, 10) : LONG_MAX;
    if (v < -1000 || v > 1000 || *end != '\0')
      return fail_with(err, EXIT_SETUP, 0, "process.oomScoreAdj must be an integer from -1000 to 1000");
    h->has_oom_score_adj = true;
    h->oom_score_adj = (int) v;
  }
  const struct json_value *sysctl = json_get(json_get(doc, "linux"), "sysctl");
  if (!json_is(sysctl, JSON_OBJECT) || sysctl->len == 0)
    return 0;
  h->sysctls = calloc(sysctl->len, sizeof *h->sysctls);
  if (h->sysctls == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "linux.sysctl");
  for (size_t i = 0; i < sysctl->len; i++) {
    const char *key = sysctl->members[i].key, *value = json_string(sysctl->members[i].value);
    /* A key is a path under /proc/sys: no way up or out of it. */
    if (value == NULL || key[0] == '\0' || key[0] == '.' || strstr(key, "..") != NULL || strchr(key, '/') != NULL)
      return fail_with(err, EXIT_SETUP, 0, "linux.sysctl `%s`: not a sysctl name with a string value", key);
    h->sysctls[h->n_sysctls++] = (struct sysctl_setting){key, value};
  }
  return 0;
}

void host_settings_release(struct host_settings *h)
{
  free(h->sysctls);
  memset(h, 0, sizeof *h);
}

int host_settings_domainname(const struct host_settings *h, int sync_fd, struct shim_err *err)
{
  if (h->domainname == NULL)
    return 0;
  if (setdomainname(h->domainname, strlen(h->domainname)) < 0)
    return fail_errno(err, "setdomainname `%s`", h->domainname);
  kernel_step_send(sync_fd, "setdomainname", "domainname", h->domainname, NULL);
  return 0;
}

int host_settings_sysctls(const struct host_settings *h, int sync_fd, struct shim_err *err)
{
  for (size_t i = 0; i < h->n_sysctls; i++) {
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "/proc/sys/%s", h->sysctls[i].key);
    if (n < 0 || (size_t) n >= sizeof path)
      return fail_with(err, EXIT_SETUP, 0, "sysctl `%s`: name too long", h->sysctls[i].key);
    for (char *p = path + strlen("/proc/sys/"); *p; p++)
      if (*p == '.')
        *p = '/';
    autofd fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
      return fail_errno(err, "open `%s`", path);
    if (write_all(fd, h->sysctls[i].value, strlen(h->sysctls[i].value)) < 0)
      return fail_errno(err, "write `%s`", path);
    kernel_step_send(sync_fd, "sysctl", "key", h->sysctls[i].key, "value", h->sysctls[i].value, NULL);
  }
  return 0;
}

int host_settings_oom(const struct host_settings *h, pid_t pid, int kernel_fd, struct shim_err *err)
{
  if (!h->has_oom_score_adj)
    return 0;
  char path[64], pid_text[16], value[16];
  snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int) pid);
  snprintf(pid_text, sizeof pid_text, "%d", (int) pid);
  int n = snprintf(value, sizeof value, "%d", h->oom_score_adj);
  autofd fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno(err, "open `%s`", path);
  if (write_all(fd, value, (size_t) n) < 0)
    return fail_errno(err, "write `%s`", path);
  kernel_step_write(kernel_fd, "oom_score_adj", "pid", pid_text, "value", value, NULL);
  return 0;
}
