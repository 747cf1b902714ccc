/* Cleanup attributes, so that early returns never leak a descriptor or memory. */
#ifndef STRATA_SHIM_CLEANUP_H
#define STRATA_SHIM_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_fdp(int *fd)
{
  if (*fd >= 0) {
    int saved = errno; /* close must not clobber the errno a caller is about to report */
    close(*fd);
    errno = saved;
  }
}

static inline void cleanup_freep(void *p)
{
  free(*(void **) p);
}

static inline void cleanup_fclosep(FILE **f)
{
  if (*f != NULL)
    fclose(*f);
}

#define autofd __attribute__((cleanup(cleanup_fdp))) int
#define autofclose __attribute__((cleanup(cleanup_fclosep)))
#define autofree __attribute__((cleanup(cleanup_freep)))

/* Hands the descriptor to the caller: the cleanup attribute then sees -1. */
static inline int steal_fd(int *fd)
{
  int r = *fd;
  *fd = -1;
  return r;
}

#endif
