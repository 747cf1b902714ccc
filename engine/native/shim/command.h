/* A host program run to its end, its output collected: netavark, and the
 * iptables command beside it. They are looked up in the standard
 * directories, whatever PATH the engine had. */
#ifndef STRATA_SHIM_COMMAND_H
#define STRATA_SHIM_COMMAND_H

#include <stdbool.h>

#include "error.h"
#include "strbuf.h"

/* Runs ARGV (NULL-terminated; ARGV[0] a path or a name to look up) with IN_FD
 * as its stdin (-1: /dev/null) and collects its stdout (and its stderr when
 * WITH_STDERR) into OUT, at most 256 KiB of it; *STATUS is waitpid's. A
 * program that cannot be executed exits 127 after printing why. */
int command_run(const char *const argv[], int in_fd, bool with_stderr, struct strbuf *out, int *status,
                struct shim_err *err);

/* The exit code, or 128 + the signal that ended it. */
int command_exit_code(int status);

#endif
