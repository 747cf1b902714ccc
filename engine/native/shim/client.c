#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"

struct client *client_new(int fd)
{
  struct client *c = calloc(1, sizeof *c);
  if (c == NULL)
    return NULL;
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
    free(c);
    return NULL;
  }
  c->fd = fd;
  return c;
}

void client_free(struct client *c)
{
  if (c == NULL)
    return;
  close(c->fd);
  outbuf_release(&c->out);
  free(c);
}

int client_send(struct client *c, enum frame_type type, const void *payload, size_t len)
{
  unsigned char header[FRAME_HEADER] = {(unsigned char) type, (unsigned char) (len >> 24),
                                        (unsigned char) (len >> 16), (unsigned char) (len >> 8),
                                        (unsigned char) len};
  bool was_empty = outbuf_empty(&c->out);
  if (outbuf_append2(&c->out, header, sizeof header, payload, len) < 0)
    return -1;
  if (was_empty)
    c->progress_ms = monotonic_ms();
  return client_flush(c);
}

int client_flush(struct client *c)
{
  size_t before = c->out.len;
  if (outbuf_flush(&c->out, c->fd) < 0)
    return -1;
  if (c->out.len < before)
    c->progress_ms = monotonic_ms();
  return 0;
}

static void frame_done(struct client *c, const struct client_sink *sink)
{
  if (c->header[0] == FRAME_RESIZE && c->arg_len == 4)
    sink->resize(sink->ctx, (unsigned) (c->arg[0] << 8 | c->arg[1]), (unsigned) (c->arg[2] << 8 | c->arg[3]));
  else if (c->header[0] == FRAME_CLOSE_STDIN)
    sink->close_stdin(sink->ctx);
  c->header_len = 0;
}

/* Frames may arrive cut anywhere: the header and small arguments are
 * collected, stdin payloads pass straight through. */
static void parse(struct client *c, const struct client_sink *sink, const char *p, size_t n)
{
  while (n > 0) {
    if (c->header_len < FRAME_HEADER) {
      size_t take = FRAME_HEADER - c->header_len < n ? FRAME_HEADER - c->header_len : n;
      memcpy(c->header + c->header_len, p, take);
      c->header_len += take;
      p += take;
      n -= take;
      if (c->header_len < FRAME_HEADER)
        return;
      c->remaining = (uint32_t) c->header[1] << 24 | (uint32_t) c->header[2] << 16 | (uint32_t) c->header[3] << 8
                     | c->header[4];
      c->arg_len = 0;
      if (c->remaining == 0)
        frame_done(c, sink);
      continue;
    }
    size_t take = c->remaining < n ? c->remaining : n;
    if (c->header[0] == FRAME_STDIN)
      sink->stdin_data(sink->ctx, p, take);
    for (size_t i = 0; c->header[0] == FRAME_RESIZE && i < take && c->arg_len < sizeof c->arg; i++)
      c->arg[c->arg_len++] = (unsigned char) p[i];
    c->remaining -= (uint32_t) take;
    p += take;
    n -= take;
    if (c->remaining == 0)
      frame_done(c, sink);
  }
}

int client_receive(struct client *c, const struct client_sink *sink)
{
  char buf[16384];
  for (int rounds = 0; rounds < 4; rounds++) {
    ssize_t n = read(c->fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno == EAGAIN ? 0 : -1;
    if (n == 0) {
      /* Half-closed (done sending, maybe after a close-stdin frame): it
       * still gets output until it goes away completely (POLLHUP). */
      c->read_closed = true;
      return 0;
    }
    parse(c, sink, buf, (size_t) n);
  }
  return 0;
}
