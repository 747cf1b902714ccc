/* Health checks, run by the monitor as Docker's daemon runs them: the first
 * one an interval after the start, each next one an interval after the last
 * ended; a check that outlives its timeout is killed and counts as failed.
 * The status (starting, healthy, unhealthy), the failing streak and the last
 * five results are kept in the container's health.json (what inspect shows
 * as State.Health); each change of status is a `health_status` record in
 * kernel.jsonl, which the engine turns into Docker's event. Checks wait
 * while the container is frozen (paused), as Docker's do. */
#ifndef STRATA_SHIM_HEALTH_H
#define STRATA_SHIM_HEALTH_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

#include "args.h"
#include "health_probe.h"

#define HEALTH_LOG_MAX 5
#define HEALTH_POLL_FDS 2

enum health_status { HEALTH_STARTING, HEALTH_HEALTHY, HEALTH_UNHEALTHY };

struct health_entry {
  char start[RFC3339NANO_LEN], end[RFC3339NANO_LEN];
  int exit_code;
  char *output;
};

struct health {
  const struct shim_args *args; /* NULL: the container has no health check */
  int record_fd;                /* kernel.jsonl */
  pid_t init_pid;
  long long started_ms, next_ms;
  enum health_status status;
  int failing_streak;
  struct health_entry log[HEALTH_LOG_MAX];
  size_t n_log;
  bool probing;
  struct health_probe probe;
};

/* With --health-process: the results of earlier runs are read back from health.json. */
void health_init(struct health *h, const struct shim_args *args, int record_fd);

/* The container's process PID has just started: status starting, first check an interval away. */
void health_begin(struct health *h, pid_t pid);

/* The process ended: a running check is killed; stopped for good, the status is unhealthy (as Docker 20.10). */
void health_end(struct health *h, bool stopped);

/* For the relay's loop (see relay_hook). */
size_t health_poll_set(void *h, struct pollfd *fds, int *timeout_ms);
void health_dispatch(void *h, const struct pollfd *fds, size_t n);

#endif
