/* Finding the program to run the way Docker does, with Docker's messages
 * and exit codes: 127 when it does not exist, 126 when it cannot run. */
#ifndef STRATA_SHIM_LOOKPATH_H
#define STRATA_SHIM_LOOKPATH_H

#include <stddef.h>

#include "error.h"

/* Resolves NAME (args[0]) against PATH from ENV (Docker's default PATH if
 * unset) into OUT. Names with a '/' are used as they are. */
int lookpath(const char *name, const char *const *env, char *out, size_t len, struct shim_err *err);

#endif
