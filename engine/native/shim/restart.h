/* Docker's restart policies, decided by the monitor when the container's
 * process ends (there is no daemon to do it): the rules and the back-off of
 * moby's restartmanager. The delay starts at 100 ms and doubles with each
 * restart up to a minute; a run of 10 s or more starts it over. */
#ifndef STRATA_SHIM_RESTART_H
#define STRATA_SHIM_RESTART_H

#include <stdbool.h>

#include "error.h"

enum restart_mode { RESTART_NO, RESTART_ALWAYS, RESTART_UNLESS_STOPPED, RESTART_ON_FAILURE };

struct restart_policy {
  enum restart_mode mode;
  int max_retries; /* on-failure: 0 means no limit */
  int count;       /* restarts so far (Docker's RestartCount) */
  long long delay_ms;
};

/* "no", "always", "unless-stopped", "on-failure" or "on-failure:N"; NULL is "no". */
int restart_policy_parse(const char *text, struct restart_policy *p, struct shim_err *err);

/* Whether the container restarts after exiting with EXIT_CODE having run
 * RAN_MS; when it does, COUNT is one more and DELAY_MS is the wait. */
bool restart_should(struct restart_policy *p, int exit_code, bool manually_stopped, long long ran_ms);

#endif
