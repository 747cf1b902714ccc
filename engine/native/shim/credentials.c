/* Order matters here:
 *  1. the bounding set is cut while we are still root with every capability
 *     (PR_CAPBSET_DROP needs CAP_SETPCAP);
 *  2. setgroups/setgid/setuid; for a non-root user PR_SET_KEEPCAPS keeps the
 *     permitted set across setuid, which would otherwise clear it;
 *  3. capset sets effective/permitted/inheritable from what was kept, then
 *     the ambient set (needs each capability permitted and inheritable);
 *  4. no_new_privs last: nothing after it needs privileges.
 * The seccomp filter goes on where runc puts it: without no_new_privs,
 * before the user switch, while CAP_SYS_ADMIN still allows it (the filter
 * must then let the switch through, as Docker's does); with it, after
 * no_new_privs, as close to execve as it can. */
#include "credentials.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kernel_log.h"

/* Raising a hard limit needs CAP_SYS_RESOURCE, which the host itself may
 * lack (a runtime inside a container): the limit is then raised as far as
 * the current hard limit allows, and the record says so. */
static int rlimit_apply(const struct spec_rlimit *lim, int sync_fd, struct shim_err *err)
{
  struct rlimit want = {.rlim_cur = lim->soft, .rlim_max = lim->hard}, now;
  if (setrlimit(lim->resource, &want) == 0)
    return 0;
  if (errno != EPERM || getrlimit(lim->resource, &now) < 0 || now.rlim_max >= want.rlim_max)
    return fail_errno(err, "setrlimit `%s`", lim->name);
  struct rlimit clamped = {.rlim_cur = want.rlim_cur < now.rlim_max ? want.rlim_cur : now.rlim_max,
                           .rlim_max = now.rlim_max};
  if (setrlimit(lim->resource, &clamped) < 0)
    return fail_errno(err, "setrlimit `%s`", lim->name);
  char soft[24], hard[24];
  snprintf(soft, sizeof soft, "%llu", (unsigned long long) clamped.rlim_cur);
  snprintf(hard, sizeof hard, "%llu", (unsigned long long) clamped.rlim_max);
  kernel_step_send(sync_fd, "rlimit_clamped", "type", lim->name, "soft", soft, "hard", hard, NULL);
  return 0;
}

int rlimits_apply(const struct spec_process *p, int sync_fd, struct shim_err *err)
{
  for (size_t i = 0; i < p->n_rlimits; i++)
    if (rlimit_apply(&p->rlimits[i], sync_fd, err) < 0)
      return -1;
  return 0;
}

/* A user namespace that maps a single id (rootless mode without a subordinate
 * range) denies setgroups: there, as crun does, the groups stay as they are. */
static bool setgroups_denied(void)
{
  char text[8] = "";
  FILE *f = fopen("/proc/self/setgroups", "re");
  if (f == NULL)
    return false;
  bool denied = fgets(text, sizeof text, f) != NULL && strncmp(text, "deny", 4) == 0;
  fclose(f);
  return denied;
}

static int switch_user(const struct spec_process *p, struct shim_err *err)
{
  if (setgroups(p->n_additional_gids, p->additional_gids) < 0 && !(errno == EPERM && setgroups_denied()))
    return fail_errno(err, "setgroups `%zu groups`", p->n_additional_gids);
  if (setgid(p->gid) < 0)
    return fail_errno(err, "setgid `%u`", (unsigned) p->gid);
  if (setuid(p->uid) < 0)
    return fail_errno(err, "setuid `%u`", (unsigned) p->uid);
  return 0;
}

int credentials_apply(const struct spec_process *p, int sync_fd, struct shim_err *err)
{
  bool keep = p->uid != 0 && p->has_caps;
  if (p->has_caps && caps_limit_bounding(p->caps[CAPS_BOUNDING], err) < 0)
    return -1;
  if (!p->no_new_privileges && seccomp_install(p->seccomp, sync_fd, err) < 0)
    return -1;
  if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return fail_errno(err, "prctl `PR_SET_KEEPCAPS`");
  if (switch_user(p, err) < 0)
    return -1;
  if (keep && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return fail_errno(err, "prctl `PR_SET_KEEPCAPS`");
  if (p->has_caps && caps_apply(p->caps, err) < 0)
    return -1;
  if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return fail_errno(err, "prctl `PR_SET_NO_NEW_PRIVS`");
  if (p->no_new_privileges && seccomp_install(p->seccomp, sync_fd, err) < 0)
    return -1;
  char uid[16], gid[16], effective[24], bounding[24];
  snprintf(uid, sizeof uid, "%u", (unsigned) p->uid);
  snprintf(gid, sizeof gid, "%u", (unsigned) p->gid);
  snprintf(effective, sizeof effective, "%016llx", (unsigned long long) p->caps[CAPS_EFFECTIVE]);
  snprintf(bounding, sizeof bounding, "%016llx", (unsigned long long) p->caps[CAPS_BOUNDING]);
  kernel_step_send(sync_fd, "credentials", "uid", uid, "gid", gid, "cap_effective", p->has_caps ? effective : "",
                   "cap_bounding", p->has_caps ? bounding : "", NULL);
  return 0;
}
