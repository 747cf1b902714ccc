/* Whole-file reads and writes the launcher and monitor need. */
#ifndef STRATA_SHIM_FILEIO_H
#define STRATA_SHIM_FILEIO_H

#include <stddef.h>

#include "error.h"

/* Writes all of BUF (retrying short writes and EINTR); 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);

/* Reads PATH (at most MAX bytes) into a NUL-terminated malloc'd buffer. */
int read_file(const char *path, size_t max, char **out, size_t *len, struct shim_err *err);

/* Replaces DIRFD/NAME with DATA so that readers see the old or the new file,
 * never a partial one (write a temporary, then rename). */
int write_file_atomic(int dirfd, const char *name, const char *data, size_t len, struct shim_err *err);

/* PATH made absolute against the current directory (malloc'd). */
int path_absolute(const char *path, char **out, struct shim_err *err);

#endif
