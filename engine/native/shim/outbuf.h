/* Bytes waiting for a non-blocking descriptor (a client socket, the
 * container's stdin), bounded so a slow reader cannot grow the monitor. */
#ifndef STRATA_SHIM_OUTBUF_H
#define STRATA_SHIM_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>

#define OUTBUF_LIMIT (1u << 20)

struct outbuf {
  unsigned char *data;
  size_t head; /* first unsent byte */
  size_t len;  /* unsent bytes */
  size_t cap;
};

/* 0, -ENOBUFS past OUTBUF_LIMIT (nothing added), or -ENOMEM. */
int outbuf_append(struct outbuf *b, const void *data, size_t len);
int outbuf_append2(struct outbuf *b, const void *a, size_t alen, const void *c, size_t clen);

/* Writes what FD takes now: 0 (maybe still pending), or -errno. */
int outbuf_flush(struct outbuf *b, int fd);

static inline bool outbuf_empty(const struct outbuf *b)
{
  return b->len == 0;
}

void outbuf_release(struct outbuf *b);

#endif
