/* Rotating a log file as Docker's loggerutils does: FILE becomes FILE.1,
 * FILE.1 FILE.2 and so on, up to MAX_FILE files in all (the oldest goes);
 * with COMPRESS the rotated files are FILE.N.gz. MAX_FILE below 2 keeps
 * nothing: the caller starts FILE afresh. */
#ifndef STRATA_SHIM_LOG_ROTATE_H
#define STRATA_SHIM_LOG_ROTATE_H

#include <stdbool.h>

void log_rotate(const char *path, int max_file, bool compress);

#endif
