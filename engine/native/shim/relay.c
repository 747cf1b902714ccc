#include "relay.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "attach_socket.h"
#include "clock.h"
#include "kernel_log.h"
#include "sync.h"

/* After the process exits, output still in flight gets this long. In a pid
 * namespace the kernel has killed every other holder of the pipes by then,
 * so EOF comes at once; without one, a leftover daemon must not keep the
 * monitor (and the exit record) waiting. */
#define RELAY_DRAIN_MS 500
/* How long a client that takes nothing of its queue may hold things up:
 * the container's output while it runs, the exit frame at the end. A
 * client that reads, however slowly, is waited for. */
#define RELAY_STALL_MS 10000
#define RELAY_FINISH_MS 2000

enum { SLOT_SIGNAL, SLOT_SYNC, SLOT_STDOUT, SLOT_STDERR, SLOT_STDIN, SLOT_LISTEN, SLOT_CLIENTS };

static void close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

void relay_init(struct relay *r, struct container_stdio *stdio)
{
  memset(r, 0, sizeof *r);
  r->stdio = stdio;
  r->signal_fd = r->sync_fd = r->listen_fd = r->kernel_fd = -1;
}

void relay_rearm(struct relay *r)
{
  outbuf_release(&r->stdin_buf);
  close_fd(&r->sync_fd);
  r->child = 0;
  r->child_exited = false;
  r->status = r->exec_errno = 0;
  r->drain_deadline = 0;
  r->stdin_closing = false;
  r->stdin_owner = NULL;
}

int relay_add_client(struct relay *r, int fd)
{
  struct client *c = r->n_clients < RELAY_MAX_CLIENTS ? client_new(fd) : NULL;
  if (c == NULL) {
    close(fd);
    return -1;
  }
  r->clients[r->n_clients++] = c;
  return 0;
}

static void broadcast(struct relay *r, enum frame_type type, const char *data, size_t len)
{
  for (size_t i = 0; i < r->n_clients; i++)
    if (!r->clients[i]->gone && client_send(r->clients[i], type, data, len) < 0)
      r->clients[i]->gone = true;
}

/* Output is read only as fast as the slowest client takes it, as Docker's
 * attach does: the process then blocks on its full pipe. Dropping a client
 * that falls behind instead would cut the output of any reader slower than
 * the process (a browser, a pipe into gzip) after a megabyte. */
static bool held_back(const struct relay *r)
{
  for (size_t i = 0; i < r->n_clients; i++)
    if (client_backlogged(r->clients[i]))
      return true;
  return false;
}

/* Drops the clients that took nothing for STALL_MS while output waited for
 * them; returns how long until the next one would be (-1: none waits). */
static int drop_stalled(struct relay *r, long long now, long long stall_ms, bool backlogged_only)
{
  int next = -1;
  for (size_t i = 0; i < r->n_clients; i++) {
    struct client *c = r->clients[i];
    if (c->gone || outbuf_empty(&c->out) || (backlogged_only && !client_backlogged(c)))
      continue;
    long long left = c->progress_ms + stall_ms - now;
    if (left <= 0)
      c->gone = true; /* a hung client: the container goes on without it */
    else if (next < 0 || left < next)
      next = (int) left;
  }
  return next;
}

static void on_close_stdin(void *ctx);

static void drop_gone_clients(struct relay *r)
{
  size_t kept = 0;
  for (size_t i = 0; i < r->n_clients; i++) {
    /* As moby: a terminal's stdin stays open (a detach with ctrl-p ctrl-q
     * must leave the shell running); a pipe's closes. */
    if (r->clients[i]->gone && r->clients[i] == r->stdin_owner) {
      r->stdin_owner = NULL;
      if (!r->stdio->terminal)
        on_close_stdin(r);
    }
    if (r->clients[i]->gone)
      client_free(r->clients[i]);
    else
      r->clients[kept++] = r->clients[i];
  }
  r->n_clients = kept;
}

static void close_stdin(struct relay *r)
{
  close_fd(&r->stdio->stdin_w);
  outbuf_release(&r->stdin_buf);
}

static void flush_stdin(struct relay *r)
{
  if (r->stdio->stdin_w < 0)
    return;
  if (outbuf_flush(&r->stdin_buf, r->stdio->stdin_w) < 0)
    close_stdin(r); /* the process closed its stdin: the rest has nowhere to go */
  else if (r->stdin_closing && outbuf_empty(&r->stdin_buf))
    close_stdin(r);
}

static void on_stdin(void *ctx, const char *data, size_t len)
{
  struct relay *r = ctx;
  if (r->stdio->stdin_w < 0 || r->stdin_closing)
    return;
  if (outbuf_append(&r->stdin_buf, data, len) == 0)
    flush_stdin(r);
}

static void on_resize(void *ctx, unsigned rows, unsigned cols)
{
  struct relay *r = ctx;
  struct winsize ws = {.ws_row = (unsigned short) rows, .ws_col = (unsigned short) cols};
  if (r->stdio->terminal && r->stdio->stdout_r >= 0)
    ioctl(r->stdio->stdout_r, TIOCSWINSZ, &ws);
}

/* A pipe is closed; a terminal cannot be, so it gets its EOF character
 * (^D), which ends the input of whatever reads it in canonical mode. */
static void on_close_stdin(void *ctx)
{
  struct relay *r = ctx;
  if (r->stdio->stdin_w < 0 || r->stdin_closing)
    return;
  if (!r->stdio->terminal) {
    r->stdin_closing = true;
    flush_stdin(r);
    return;
  }
  struct termios t;
  char eof = tcgetattr(r->stdio->stdin_w, &t) == 0 ? (char) t.c_cc[VEOF] : 4;
  on_stdin(r, &eof, 1);
}

static void read_output(struct relay *r, int *fd, enum log_stream stream)
{
  char buf[32768];
  for (int rounds = 0; rounds < 8 && !held_back(r); rounds++) {
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      return;
    if (n <= 0) { /* EOF, or EIO: the last holder of the pty slave is gone */
      close_fd(fd);
      return;
    }
    if (r->log != NULL)
      json_log_write(r->log, stream, buf, (size_t) n);
    broadcast(r, stream == LOG_STDOUT ? FRAME_STDOUT : FRAME_STDERR, buf, (size_t) n);
  }
}

/* Every child, not only ours: the monitor is a subreaper, so orphans of a
 * container without its own pid namespace end up here. */
void relay_reap(struct relay *r)
{
  struct signalfd_siginfo si;
  while (read(r->signal_fd, &si, sizeof si) > 0)
    ;
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
    if (pid == r->child) {
      r->child_exited = true;
      r->status = status;
      r->drain_deadline = monotonic_ms() + RELAY_DRAIN_MS;
    }
}

static void read_sync(struct relay *r)
{
  struct sync_msg msg;
  if (sync_recv(r->sync_fd, &msg) <= 0) {
    close_fd(&r->sync_fd); /* EOF: execve succeeded, or the process is gone */
    return;
  }
  if (msg.fd >= 0)
    close(msg.fd);
  if (msg.type == SYNC_STEP)
    kernel_line_append(r->kernel_fd, msg.payload, msg.len);
  if (msg.type == SYNC_EXEC_ERRNO && msg.len == sizeof r->exec_errno) {
    memcpy(&r->exec_errno, msg.payload, sizeof r->exec_errno);
    kernel_step_write(r->kernel_fd, "exec_failed", "error", strerror(r->exec_errno), NULL);
  }
}

static void accept_clients(struct relay *r)
{
  int fd;
  while ((fd = attach_socket_accept(r->listen_fd)) >= 0)
    relay_add_client(r, fd);
}

static size_t poll_set(struct relay *r, struct pollfd *fds, bool held)
{
  /* Input waits in the clients' sockets while the process is not reading. */
  short client_input = r->stdin_buf.len >= OUTBUF_LIMIT / 2 ? 0 : POLLIN;
  fds[SLOT_SIGNAL] = (struct pollfd){.fd = r->signal_fd, .events = POLLIN};
  fds[SLOT_SYNC] = (struct pollfd){.fd = r->sync_fd, .events = POLLIN};
  /* Output waits in the process's pipe while a client catches up. */
  fds[SLOT_STDOUT] = (struct pollfd){.fd = held ? -1 : r->stdio->stdout_r, .events = POLLIN};
  fds[SLOT_STDERR] = (struct pollfd){.fd = held ? -1 : r->stdio->stderr_r, .events = POLLIN};
  fds[SLOT_STDIN] = (struct pollfd){.fd = outbuf_empty(&r->stdin_buf) ? -1 : r->stdio->stdin_w, .events = POLLOUT};
  fds[SLOT_LISTEN] = (struct pollfd){.fd = r->listen_fd, .events = POLLIN};
  for (size_t i = 0; i < r->n_clients; i++) {
    struct client *c = r->clients[i];
    short events = (short) ((c->read_closed ? 0 : client_input) | (outbuf_empty(&c->out) ? 0 : POLLOUT));
    fds[SLOT_CLIENTS + i] = (struct pollfd){.fd = c->fd, .events = events};
  }
  return SLOT_CLIENTS + r->n_clients;
}

static void serve_clients(struct relay *r, const struct pollfd *fds, size_t count)
{
  const struct client_sink sink = {r, on_stdin, on_resize, on_close_stdin};
  for (size_t i = 0; i < count; i++) {
    struct client *c = r->clients[i];
    short ev = fds[i].revents;
    if ((ev & POLLIN) && !c->gone && client_receive(c, &sink) < 0)
      c->gone = true;
    if ((ev & POLLOUT) && !c->gone && client_flush(c) < 0)
      c->gone = true;
    if (ev & (POLLHUP | POLLERR))
      c->gone = true; /* a detach: the container keeps running */
  }
}

static void dispatch(struct relay *r, const struct pollfd *fds, size_t count)
{
  if (fds[SLOT_SIGNAL].revents)
    relay_reap(r);
  if (fds[SLOT_SYNC].revents)
    read_sync(r);
  if (fds[SLOT_STDOUT].revents)
    read_output(r, &r->stdio->stdout_r, LOG_STDOUT);
  if (fds[SLOT_STDERR].revents)
    read_output(r, &r->stdio->stderr_r, LOG_STDERR);
  if (fds[SLOT_STDIN].revents)
    flush_stdin(r);
  /* Before accepting: the clients' slots describe the clients polled. */
  serve_clients(r, fds + SLOT_CLIENTS, count - SLOT_CLIENTS);
  if (fds[SLOT_LISTEN].revents)
    accept_clients(r);
  drop_gone_clients(r);
}

static bool drained(const struct relay *r)
{
  return r->child_exited && r->stdio->stdout_r < 0 && r->stdio->stderr_r < 0 && r->sync_fd < 0;
}

void relay_run(struct relay *r)
{
  struct pollfd fds[SLOT_CLIENTS + RELAY_MAX_CLIENTS + RELAY_HOOK_FDS];
  while (!drained(r)) {
    long long now = monotonic_ms();
    int timeout = drop_stalled(r, now, RELAY_STALL_MS, true);
    drop_gone_clients(r);
    bool held = held_back(r);
    if (r->child_exited && held) {
      /* The drain's time runs only while the monitor can read: what the
       * process wrote before it exited is all delivered. */
      r->drain_deadline = now + RELAY_DRAIN_MS;
    } else if (r->child_exited) {
      long long left = r->drain_deadline - now;
      if (left <= 0)
        break;
      timeout = (int) left;
    }
    size_t count = poll_set(r, fds, held);
    size_t hooked = r->hook ? r->hook->poll_set(r->hook->ctx, fds + count, &timeout) : 0;
    for (size_t i = 0; i < count + hooked; i++)
      fds[i].revents = 0;
    if (poll(fds, count + hooked, timeout) > 0)
      dispatch(r, fds, count);
    if (r->hook)
      r->hook->dispatch(r->hook->ctx, fds + count, hooked);
  }
  if (r->log != NULL)
    json_log_flush(r->log);
}

/* The clients with output still queued, as poll entries; their count. */
static size_t clients_pending(struct relay *r, struct pollfd *fds)
{
  size_t n = 0;
  for (size_t i = 0; i < r->n_clients; i++)
    if (!r->clients[i]->gone && !outbuf_empty(&r->clients[i]->out))
      fds[n++] = (struct pollfd){.fd = r->clients[i]->fd, .events = POLLOUT};
  return n;
}

void relay_finish(struct relay *r, int exit_code)
{
  uint32_t code = (uint32_t) exit_code;
  unsigned char payload[4] = {(unsigned char) (code >> 24), (unsigned char) (code >> 16), (unsigned char) (code >> 8),
                              (unsigned char) code};
  broadcast(r, FRAME_EXIT, (const char *) payload, sizeof payload);
  struct pollfd fds[RELAY_MAX_CLIENTS];
  size_t pending;
  /* Each client gets what is queued for it while it keeps reading. */
  while (drop_stalled(r, monotonic_ms(), RELAY_FINISH_MS, false) >= 0 && (pending = clients_pending(r, fds)) > 0) {
    poll(fds, pending, 50);
    for (size_t i = 0; i < r->n_clients; i++)
      if (!r->clients[i]->gone && client_flush(r->clients[i]) < 0)
        r->clients[i]->gone = true;
  }
  for (size_t i = 0; i < r->n_clients; i++)
    client_free(r->clients[i]);
  r->n_clients = 0;
}
