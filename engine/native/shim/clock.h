/* Timestamps as Docker writes them: RFC 3339 in UTC with nanoseconds. */
#ifndef STRATA_SHIM_CLOCK_H
#define STRATA_SHIM_CLOCK_H

#include <stddef.h>
#include <time.h>

#define RFC3339NANO_LEN 40

/* "2026-11-28T03:46:46.123456789Z" for TS (the current time if NULL). */
void rfc3339nano(const struct timespec *ts, char out[RFC3339NANO_LEN]);

/* NS as Go's time.Duration prints it ("300ms", "1m30s", "1.5s"): Docker's words. */
void go_duration(long long ns, char *out, size_t len);

/* Milliseconds on the monotonic clock, for deadlines. */
long long monotonic_ms(void);

/* Microseconds on the monotonic clock, to time a step. */
long long monotonic_us(void);

#endif
