/* One run of a health check: `strata-shim exec` started by the monitor (so
 * the check joins the container's namespaces and cgroups exactly as `exec`
 * does), its ready line read from a pipe and its output and exit code read
 * as attach frames from a socket pair. */
#ifndef STRATA_SHIM_HEALTH_PROBE_H
#define STRATA_SHIM_HEALTH_PROBE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "args.h"
#include "client.h"
#include "clock.h"

/* Docker keeps the first 4 KiB of a check's output. */
#define HEALTH_OUTPUT_MAX 4096

struct health_probe {
  pid_t shim;    /* the exec shim, 0 when none runs */
  pid_t pid;     /* the check's process, once its ready line came */
  int report_fd; /* the shim's stdout */
  int frames_fd; /* our end of its --attach-fd */
  char report[512];
  size_t report_len;
  struct frame_reader frames;
  bool exited;
  int exit_code;
  char output[HEALTH_OUTPUT_MAX];
  size_t output_len;
  char started[RFC3339NANO_LEN];
  long long started_ms;
};

void health_probe_init(struct health_probe *p);

/* Starts the check described by PROCESS_FILE in the container whose init is PID. */
int health_probe_start(struct health_probe *p, pid_t pid, const char *process_file, const struct shim_args *args,
                       struct shim_err *err);

/* Its descriptors, to poll; their count (at most 2). */
size_t health_probe_poll_set(const struct health_probe *p, struct pollfd *fds);

/* Reads what is there; true once the check is over (exited, or its shim failed). */
bool health_probe_dispatch(struct health_probe *p, const struct pollfd *fds, size_t n);

/* The check's end: its exit code, or -1 with the shim's error as output. */
int health_probe_result(struct health_probe *p);

/* Kills the check and its shim (a timeout, or the container ended). */
void health_probe_stop(struct health_probe *p);

#endif
