#include "clock.h"

#include <stdio.h>

void rfc3339nano(const struct timespec *ts, char out[RFC3339NANO_LEN])
{
  struct timespec now;
  if (ts == NULL) {
    clock_gettime(CLOCK_REALTIME, &now);
    ts = &now;
  }
  struct tm tm;
  gmtime_r(&ts->tv_sec, &tm);
  /* The modulos only bound the fields for the compiler; real values fit. */
  snprintf(out, RFC3339NANO_LEN, "%04u-%02u-%02uT%02u:%02u:%02u.%09uZ", (unsigned) (tm.tm_year + 1900) % 10000u,
           (unsigned) (tm.tm_mon + 1) % 100u, (unsigned) tm.tm_mday % 100u, (unsigned) tm.tm_hour % 100u,
           (unsigned) tm.tm_min % 100u, (unsigned) tm.tm_sec % 100u, (unsigned) (ts->tv_nsec % 1000000000));
}

long long monotonic_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long monotonic_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
