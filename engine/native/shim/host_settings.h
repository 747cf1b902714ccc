/* What a container asks of the host beyond its namespaces and mounts:
 * its NIS domain name, namespaced sysctls and its OOM score adjustment. */
#ifndef STRATA_SHIM_HOST_SETTINGS_H
#define STRATA_SHIM_HOST_SETTINGS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"

struct sysctl_setting {
  const char *key, *value; /* "net.ipv4.ip_forward", "1" (point into the spec) */
};

struct host_settings {
  const char *domainname; /* NULL: none */
  struct sysctl_setting *sysctls;
  size_t n_sysctls;
  bool has_oom_score_adj;
  int oom_score_adj;
};

/* Reads domainname, linux.sysctl and process.oomScoreAdj from the spec DOC. */
int host_settings_parse(const struct json_value *doc, struct host_settings *h, struct shim_err *err);
void host_settings_release(struct host_settings *h);

/* In the init, in the container's uts namespace. */
int host_settings_domainname(const struct host_settings *h, int sync_fd, struct shim_err *err);
/* In the init, after pivot_root and before /proc/sys is made read-only: /proc/sys is the container's. */
int host_settings_sysctls(const struct host_settings *h, int sync_fd, struct shim_err *err);
/* In the monitor, before the init runs anything: /proc/PID/oom_score_adj. */
int host_settings_oom(const struct host_settings *h, pid_t pid, int kernel_fd, struct shim_err *err);

#endif
