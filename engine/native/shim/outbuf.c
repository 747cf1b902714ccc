#include "outbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Buffers bigger than this are given back once drained, so one burst does
 * not keep the monitor's memory up. */
#define OUTBUF_KEEP (64u << 10)

static int reserve(struct outbuf *b, size_t len)
{
  if (b->len + len > OUTBUF_LIMIT)
    return -ENOBUFS;
  if (b->head + b->len + len <= b->cap)
    return 0;
  if (b->head > 0) {
    memmove(b->data, b->data + b->head, b->len);
    b->head = 0;
  }
  if (b->len + len <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + len)
    cap *= 2;
  unsigned char *data = realloc(b->data, cap);
  if (data == NULL)
    return -ENOMEM;
  b->data = data;
  b->cap = cap;
  return 0;
}

int outbuf_append2(struct outbuf *b, const void *a, size_t alen, const void *c, size_t clen)
{
  int r = reserve(b, alen + clen);
  if (r < 0)
    return r;
  memcpy(b->data + b->head + b->len, a, alen);
  if (clen)
    memcpy(b->data + b->head + b->len + alen, c, clen);
  b->len += alen + clen;
  return 0;
}

int outbuf_append(struct outbuf *b, const void *data, size_t len)
{
  return outbuf_append2(b, data, len, NULL, 0);
}

int outbuf_flush(struct outbuf *b, int fd)
{
  while (b->len > 0) {
    ssize_t n = write(fd, b->data + b->head, b->len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno == EAGAIN ? 0 : -errno;
    b->head += (size_t) n;
    b->len -= (size_t) n;
  }
  b->head = 0;
  if (b->cap > OUTBUF_KEEP)
    outbuf_release(b);
  return 0;
}

void outbuf_release(struct outbuf *b)
{
  free(b->data);
  b->data = NULL;
  b->head = b->len = b->cap = 0;
}
