#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int vfail(struct shim_err *err, int code, int errnum, const char *fmt, va_list ap)
{
  int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  if (n < 0)
    n = 0;
  if (errnum != 0 && (size_t) n < sizeof err->msg)
    snprintf(err->msg + n, sizeof err->msg - n, ": %s", strerror(errnum));
  /* The engine reads one line: a newline in a path must not split it. */
  for (char *p = err->msg; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  err->code = code;
  return -1;
}

int fail_errno(struct shim_err *err, const char *fmt, ...)
{
  int errnum = errno;
  va_list ap;
  va_start(ap, fmt);
  vfail(err, EXIT_SETUP, errnum, fmt, ap);
  va_end(ap);
  errno = errnum;
  return -1;
}

int fail_with(struct shim_err *err, int code, int errnum, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vfail(err, code, errnum, fmt, ap);
  va_end(ap);
  return -1;
}
