/* The event loop a monitor (and a non-detached exec shim) runs: container
 * output to the log and to every attached client, client input to the
 * container, the attach socket, and the end of the process. */
#ifndef STRATA_SHIM_RELAY_H
#define STRATA_SHIM_RELAY_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

#include "client.h"
#include "container_stdio.h"
#include "json_log.h"
#include "outbuf.h"

#define RELAY_MAX_CLIENTS 64
#define RELAY_HOOK_FDS 2

/* Something else the loop serves while the process runs (the health checks):
 * its descriptors (at most RELAY_HOOK_FDS) and its next deadline, lowering
 * *TIMEOUT_MS (-1: none); dispatch runs after every wake, timeouts included. */
struct relay_hook {
  void *ctx;
  size_t (*poll_set)(void *ctx, struct pollfd *fds, int *timeout_ms);
  void (*dispatch)(void *ctx, const struct pollfd *fds, size_t n);
};

struct relay {
  struct container_stdio *stdio;
  struct json_log *log; /* NULL: output is not logged */
  int signal_fd;        /* SIGCHLD */
  int sync_fd;          /* the process's sync channel: an execve errno, then EOF */
  int listen_fd;        /* attach.sock, or -1 */
  int kernel_fd;        /* kernel.jsonl, or -1 */
  pid_t child;
  bool child_exited;
  int status;
  int exec_errno;
  long long drain_deadline;
  struct outbuf stdin_buf;
  bool stdin_closing;
  /* Docker's StdinOnce: the stdin of `run -i` closes when the client that
   * started it goes away. NULL when no client holds it. */
  struct client *stdin_owner;
  struct client *clients[RELAY_MAX_CLIENTS];
  size_t n_clients;
  const struct relay_hook *hook; /* NULL: none */
};

void relay_init(struct relay *r, struct container_stdio *stdio);

/* Ready for the next process on the same stdio struct (a restart): the
 * listening socket, log, signals and hook stay; the rest starts over. */
void relay_rearm(struct relay *r);

/* Attaches the client on FD from now on; FD is closed if there is no room. */
int relay_add_client(struct relay *r, int fd);

/* Reads the pending signals and reaps every exited child (CHILD's status kept). */
void relay_reap(struct relay *r);

/* Runs until CHILD has exited and its output is drained. */
void relay_run(struct relay *r);

/* Sends the exit frame to every client, lets them read it, closes them. */
void relay_finish(struct relay *r, int exit_code);

#endif
