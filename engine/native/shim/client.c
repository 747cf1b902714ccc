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

static void frame_end(struct frame_reader *r, const struct frame_handler *h)
{
  h->done(h->ctx, (enum frame_type) r->header[0], r->arg, r->arg_len);
  r->header_len = 0;
}

void frame_read(struct frame_reader *r, const struct frame_handler *h, const char *p, size_t n)
{
  while (n > 0) {
    if (r->header_len < FRAME_HEADER) {
      size_t take = FRAME_HEADER - r->header_len < n ? FRAME_HEADER - r->header_len : n;
      memcpy(r->header + r->header_len, p, take);
      r->header_len += take;
      p += take;
      n -= take;
      if (r->header_len < FRAME_HEADER)
        return;
      r->remaining = (uint32_t) r->header[1] << 24 | (uint32_t) r->header[2] << 16 | (uint32_t) r->header[3] << 8
                     | r->header[4];
      r->arg_len = 0;
      if (r->remaining == 0)
        frame_end(r, h);
      continue;
    }
    size_t take = r->remaining < n ? r->remaining : n;
    h->payload(h->ctx, (enum frame_type) r->header[0], p, take);
    for (size_t i = 0; i < take && r->arg_len < sizeof r->arg; i++)
      r->arg[r->arg_len++] = (unsigned char) p[i];
    r->remaining -= (uint32_t) take;
    p += take;
    n -= take;
    if (r->remaining == 0)
      frame_end(r, h);
  }
}

/* Stdin payloads pass straight through; resize and close-stdin act at their end. */
static void client_payload(void *ctx, enum frame_type type, const char *data, size_t len)
{
  const struct client_sink *sink = ctx;
  if (type == FRAME_STDIN)
    sink->stdin_data(sink->ctx, data, len);
}

static void client_frame_done(void *ctx, enum frame_type type, const unsigned char *arg, size_t arg_len)
{
  const struct client_sink *sink = ctx;
  if (type == FRAME_RESIZE && arg_len == 4)
    sink->resize(sink->ctx, (unsigned) (arg[0] << 8 | arg[1]), (unsigned) (arg[2] << 8 | arg[3]));
  else if (type == FRAME_CLOSE_STDIN)
    sink->close_stdin(sink->ctx);
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
    const struct frame_handler handler = {(void *) sink, client_payload, client_frame_done};
    frame_read(&c->reader, &handler, buf, (size_t) n);
  }
  return 0;
}
