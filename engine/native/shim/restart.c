#include "restart.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RESTART_FIRST_DELAY_MS 100
#define RESTART_MAX_DELAY_MS 60000
#define RESTART_RESET_AFTER_MS 10000

int restart_policy_parse(const char *text, struct restart_policy *p, struct shim_err *err)
{
  memset(p, 0, sizeof *p);
  if (text == NULL || strcmp(text, "no") == 0)
    return 0;
  if (strcmp(text, "always") == 0) {
    p->mode = RESTART_ALWAYS;
    return 0;
  }
  if (strcmp(text, "unless-stopped") == 0) {
    p->mode = RESTART_UNLESS_STOPPED;
    return 0;
  }
  if (strncmp(text, "on-failure", 10) != 0 || (text[10] != '\0' && text[10] != ':'))
    return fail_with(err, EXIT_SETUP, 0, "invalid restart policy `%s`", text);
  p->mode = RESTART_ON_FAILURE;
  if (text[10] == '\0')
    return 0;
  char *end;
  errno = 0;
  long n = strtol(text + 11, &end, 10);
  if (errno != 0 || end == text + 11 || *end != '\0' || n < 0 || n > 1000000000)
    return fail_with(err, EXIT_SETUP, 0, "invalid restart policy `%s`", text);
  p->max_retries = (int) n;
  return 0;
}

bool restart_should(struct restart_policy *p, int exit_code, bool manually_stopped, long long ran_ms)
{
  if (p->mode == RESTART_NO)
    return false;
  /* As moby: the delay moves on whether or not this exit restarts. */
  if (ran_ms >= RESTART_RESET_AFTER_MS)
    p->delay_ms = 0;
  p->delay_ms = p->delay_ms == 0 ? RESTART_FIRST_DELAY_MS : p->delay_ms * 2;
  if (p->delay_ms > RESTART_MAX_DELAY_MS)
    p->delay_ms = RESTART_MAX_DELAY_MS;
  bool restart = false;
  switch (p->mode) {
  case RESTART_ALWAYS:
    restart = true;
    break;
  case RESTART_UNLESS_STOPPED:
    restart = !manually_stopped;
    break;
  case RESTART_ON_FAILURE:
    restart = exit_code != 0 && (p->max_retries == 0 || p->count < p->max_retries);
    break;
  case RESTART_NO:
    break;
  }
  if (restart)
    p->count++;
  return restart;
}
