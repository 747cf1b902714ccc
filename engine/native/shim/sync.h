/* The sync channel between the monitor (or exec shim) and the process it
 * starts: a SOCK_SEQPACKET pair, one message per send, close-on-exec so a
 * successful execve shows up as end-of-file. */
#ifndef STRATA_SHIM_SYNC_H
#define STRATA_SHIM_SYNC_H

#include <stddef.h>

#include "error.h"

enum sync_type {
  SYNC_JOINED = 'J',     /* child -> parent: the namespaces given by path are joined */
  SYNC_GO = 'G',         /* parent -> child: pid files and cgroups are done, go on */
  SYNC_NETWORK = 'N',    /* parent -> child: the network is up, the program may start */
  SYNC_STEP = 'S',       /* child -> parent: one kernel.jsonl record */
  SYNC_PTY = 'P',        /* child -> parent: the pty master (SCM_RIGHTS), exec -t */
  SYNC_READY = 'R',      /* child -> parent: everything is set, execve comes next */
  SYNC_FAIL = 'F',       /* child -> parent: exit code byte + message */
  SYNC_EXEC_ERRNO = 'E', /* child -> parent: execve failed with this errno (int) */
};

#define SYNC_PAYLOAD_MAX 8192

struct sync_msg {
  char type;
  size_t len;
  int fd; /* a received descriptor, or -1 */
  char payload[SYNC_PAYLOAD_MAX + 1]; /* NUL-terminated */
};

int sync_pair(int fds[2], struct shim_err *err);

/* 0, or -errno. */
int sync_send(int fd, char type, const void *payload, size_t len);
int sync_send_fd(int fd, char type, int passed_fd);
int sync_send_fail(int fd, const struct shim_err *err);

/* 1 with a message, 0 at end-of-file, -errno on error. */
int sync_recv(int fd, struct sync_msg *msg);

/* Waits for a message of TYPE, failing on anything else. */
int sync_expect(int fd, char type, struct shim_err *err);

/* The failure a SYNC_FAIL message carries, as our own error (returns -1). */
int sync_failure(const struct sync_msg *msg, struct shim_err *err);

#endif
