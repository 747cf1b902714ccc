/* The error a failing step reports: the exit code Docker would give
 * (125 setup, 126 cannot execute, 127 not found) and one line of text
 * that reads "syscall `argument`: strerror". */
#ifndef STRATA_SHIM_ERROR_H
#define STRATA_SHIM_ERROR_H

#define EXIT_SETUP 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127

struct shim_err {
  int code;
  char msg[1024];
};

/* Records "FMT: strerror(errno)" with code 125; returns -1. */
int fail_errno(struct shim_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records FMT, with ": strerror(ERRNUM)" when ERRNUM is not 0; returns -1. */
int fail_with(struct shim_err *err, int code, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
