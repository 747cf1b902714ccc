#include "device_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "device_bpf.h"
#include "device_list.h"
#include "kernel_log.h"

static bool has_file(const char *dir, const char *name)
{
  char path[PATH_MAX];
  return snprintf(path, sizeof path, "%s/%s", dir, name) < (int) sizeof path && access(path, F_OK) == 0;
}

/* v1: the rules as written, in order; the kernel keeps the same list device_list_build computes. */
static int apply_v1(const char *dir, const struct spec *spec, struct shim_err *err)
{
  char allow[PATH_MAX], deny[PATH_MAX];
  snprintf(allow, sizeof allow, "%s/devices.allow", dir);
  snprintf(deny, sizeof deny, "%s/devices.deny", dir);
  autofd allow_fd = open(allow, O_WRONLY | O_CLOEXEC);
  autofd deny_fd = open(deny, O_WRONLY | O_CLOEXEC);
  if (allow_fd < 0 || deny_fd < 0)
    return fail_errno(err, "open `%s`", allow_fd < 0 ? allow : deny);
  for (size_t i = 0; i < spec->n_device_rules; i++) {
    const struct spec_device_rule *rule = &spec->device_rules[i];
    char text[64];
    device_rule_text(rule, text, sizeof text);
    ssize_t len = (ssize_t) strlen(text);
    if (write(rule->allow ? allow_fd : deny_fd, text, (size_t) len) != len)
      return fail_errno(err, "write `%s` to `%s`", text, rule->allow ? allow : deny);
  }
  return 0;
}

/* v2: a program only when there is something to refuse. */
static int apply_v2(const char *dir, const struct device_list *list, struct shim_err *err)
{
  if (device_list_allows_all(list))
    return 0;
  autofree struct bpf_insn *insns = NULL;
  size_t len;
  if (device_bpf_program(list, &insns, &len, err) < 0)
    return -1;
  return device_bpf_attach(dir, insns, len, err);
}

int cgroup_devices_apply(const char *dir, const struct spec *spec, int kernel_fd, bool *enforced, struct shim_err *err)
{
  bool v1 = has_file(dir, "devices.allow");
  bool v2 = !v1 && has_file(dir, "cgroup.controllers");
  *enforced = v1 || v2;
  if (!*enforced)
    return 0;
  struct device_list list;
  if (device_list_build(spec->device_rules, spec->n_device_rules, &list, err) < 0)
    return -1;
  int r = v1 ? apply_v1(dir, spec, err) : apply_v2(dir, &list, err);
  if (r == 0) {
    char text[1024];
    device_list_text(&list, text, sizeof text);
    kernel_step_write(kernel_fd, "devices", "cgroup", dir, "by", v1 ? "devices.allow" : "bpf", "list", text, NULL);
  }
  device_list_release(&list);
  return r;
}

bool cgroup_devices_restrict(const struct spec *spec)
{
  struct device_list list;
  struct shim_err ignored;
  if (device_list_build(spec->device_rules, spec->n_device_rules, &list, &ignored) < 0)
    return true;
  bool restricts = !device_list_allows_all(&list);
  device_list_release(&list);
  return restricts;
}
