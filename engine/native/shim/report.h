/* The one JSON line the engine reads on the shim's stdout:
 *   {"ok":true,"pid":<pid>,"monitor":<pid>}   (monitor only for start)
 *   {"ok":false,"code":<125|126|127>,"error":"<one line>"} */
#ifndef STRATA_SHIM_REPORT_H
#define STRATA_SHIM_REPORT_H

#include <sys/types.h>

#include "error.h"

/* MONITOR 0 leaves the field out. */
void report_ok(int fd, pid_t pid, pid_t monitor);
void report_failure(int fd, const struct shim_err *err);

/* Copies the line a child writes on FROM to stdout; the process exit
 * status to use (0 for ok, 1 otherwise). */
int report_forward(int from);

#endif
