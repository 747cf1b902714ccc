/* `strata-shim exec`: one more process in a running container. */
#ifndef STRATA_SHIM_EXEC_H
#define STRATA_SHIM_EXEC_H

#include "args.h"
#include "container_stdio.h"
#include "json.h"
#include "namespaces.h"
#include "relay.h"
#include "spec.h"

struct exec_ctx {
  struct shim_args args;
  struct json_value *doc; /* the --process file; process points into it */
  struct spec_process process;
  struct spec bundle; /* --bundle's config.json, for its seccomp filter */
  struct ns_join join;
  int cgroup_fds[CGROUPS_MAX];
  int null_fd;
  struct container_stdio stdio;
  struct relay relay;
  int sync_fd;
  pid_t pid;
};

/* strata-shim exec --pid PID --process FILE [--bundle DIR] [--cgroup PATH]... [--attach-fd N] [--detach] */
int exec_main(int argc, char **argv);

/* The forked process, already in the container's namespaces; never returns. */
__attribute__((noreturn)) void exec_child(const struct exec_ctx *x, int sync_fd);

#endif
