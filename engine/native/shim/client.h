/* An attached client and the frame protocol it speaks, in both directions:
 * 1 byte type, 4 bytes big-endian payload length, payload.
 *   monitor -> client: 1 stdout bytes, 2 stderr bytes, 3 exit (int32 BE);
 *   client -> monitor: 0 stdin bytes, 4 resize (u16 BE rows, u16 BE cols),
 *                      5 close stdin. */
#ifndef STRATA_SHIM_CLIENT_H
#define STRATA_SHIM_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"

enum frame_type {
  FRAME_STDIN = 0,
  FRAME_STDOUT = 1,
  FRAME_STDERR = 2,
  FRAME_EXIT = 3,
  FRAME_RESIZE = 4,
  FRAME_CLOSE_STDIN = 5,
};

#define FRAME_HEADER 5

/* Frames read from bytes that arrive cut anywhere: PAYLOAD gets each piece
 * of a frame's payload as it comes, DONE each frame's end with the first
 * (up to 4) bytes of its payload (a resize's sizes, an exit code). */
struct frame_reader {
  unsigned char header[FRAME_HEADER];
  size_t header_len;
  uint32_t remaining; /* payload bytes still to come for the current frame */
  unsigned char arg[4];
  size_t arg_len;
};

struct frame_handler {
  void *ctx;
  void (*payload)(void *ctx, enum frame_type type, const char *data, size_t len);
  void (*done)(void *ctx, enum frame_type type, const unsigned char *arg, size_t arg_len);
};

void frame_read(struct frame_reader *r, const struct frame_handler *h, const char *p, size_t n);

/* Queued output past which a client holds the container's output back. */
#define CLIENT_BACKLOG (OUTBUF_LIMIT / 2)

/* What the client's frames do; CTX is the relay. */
struct client_sink {
  void *ctx;
  void (*stdin_data)(void *ctx, const char *data, size_t len);
  void (*resize)(void *ctx, unsigned rows, unsigned cols);
  void (*close_stdin)(void *ctx);
};

struct client {
  int fd;
  struct outbuf out;
  struct frame_reader reader;
  bool read_closed; /* sent EOF: no more input, output still wanted */
  bool gone;        /* to be dropped by its owner */
  long long progress_ms; /* when its queue last started or shrank (monotonic) */
};

/* Takes FD (made non-blocking and close-on-exec). */
struct client *client_new(int fd);
void client_free(struct client *c);

/* Queues a frame; -1 when it does not fit (callers stop feeding a backlogged client first). */
int client_send(struct client *c, enum frame_type type, const void *payload, size_t len);
/* 0, or -1 when the client is gone. */
int client_flush(struct client *c);

/* Far enough behind that the relay waits for it before reading more output. */
static inline bool client_backlogged(const struct client *c)
{
  return !c->gone && c->out.len >= CLIENT_BACKLOG;
}
/* Reads what is there and acts on complete frames; -1 when the client is gone. */
int client_receive(struct client *c, const struct client_sink *sink);

#endif
