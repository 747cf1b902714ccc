/* Namespaces: the spec's type names, the clone flags for new ones, joining
 * existing ones (setns) and recording which ones a process is in. */
#ifndef STRATA_SHIM_NAMESPACES_H
#define STRATA_SHIM_NAMESPACES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

struct spec;

/* CLONE_NEW* for a spec type (pid, network, ipc, uts, mount, cgroup), or -1. */
int namespace_flag(const char *type);

/* The CLONE_NEW* flags of the namespaces the spec wants created. */
int namespaces_clone_flags(const struct spec *spec);
/* In the init, once it is in its cgroups: the cgroup namespace the spec asks for. */
int namespaces_unshare_cgroup(const struct spec *spec, int sync_fd, struct shim_err *err);

/* "CLONE_NEWNS|CLONE_NEWPID|..." for FLAGS. */
void namespaces_flag_names(int flags, char *out, size_t len);

/* Joins the spec's namespaces that have a path: only the pid one (in the
 * monitor, before clone, since it applies to children), or all the others
 * (in the container's first process). */
int namespaces_join_paths(const struct spec *spec, bool pid_only, struct shim_err *err);

/* Writes the "namespaces" record (readlink of /proc/PID/ns/\*) to LOG_FD. */
void namespaces_record(pid_t pid, int log_fd);

/* exec: the namespaces of the container's init that differ from ours,
 * opened first, then joined in order (mount last). */
#define NS_JOIN_MAX 6
struct ns_join {
  int fds[NS_JOIN_MAX];
  int types[NS_JOIN_MAX];
  const char *names[NS_JOIN_MAX];
  size_t count;
};
int ns_join_open(pid_t pid, struct ns_join *join, struct shim_err *err);
int ns_join_enter(struct ns_join *join, struct shim_err *err);
void ns_join_close(struct ns_join *join);

#endif
