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

/* "." and the digits of FRAC (DIGITS wide) without trailing zeros; "" for 0. */
static void fraction(long long frac, int digits, char *out, size_t len)
{
  while (digits > 0 && frac % 10 == 0) {
    frac /= 10;
    digits--;
  }
  if (digits == 0)
    snprintf(out, len, "%s", "");
  else
    snprintf(out, len, ".%0*lld", digits, frac);
}

void go_duration(long long ns, char *out, size_t len)
{
  char frac[16];
  const char *sign = ns < 0 ? "-" : "";
  unsigned long long u = ns < 0 ? -(unsigned long long) ns : (unsigned long long) ns;
  if (u == 0) {
    snprintf(out, len, "0s");
  } else if (u < 1000ULL) {
    snprintf(out, len, "%s%lluns", sign, u);
  } else if (u < 1000000ULL) {
    fraction((long long) (u % 1000), 3, frac, sizeof frac);
    snprintf(out, len, "%s%llu%s\u00b5s", sign, u / 1000, frac);
  } else if (u < 1000000000ULL) {
    fraction((long long) (u % 1000000), 6, frac, sizeof frac);
    snprintf(out, len, "%s%llu%sms", sign, u / 1000000, frac);
  } else {
    unsigned long long s = u / 1000000000ULL;
    fraction((long long) (u % 1000000000ULL), 9, frac, sizeof frac);
    if (s >= 3600)
      snprintf(out, len, "%s%lluh%llum%llu%ss", sign, s / 3600, s / 60 % 60, s % 60, frac);
    else if (s >= 60)
      snprintf(out, len, "%s%llum%llu%ss", sign, s / 60, s % 60, frac);
    else
      snprintf(out, len, "%s%llu%ss", sign, s, frac);
  }
}

long long monotonic_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
