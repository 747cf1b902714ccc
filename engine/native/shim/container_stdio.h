/* The container process's stdin, stdout and stderr: pipes the monitor
 * reads and writes, or one pty with `-t`. Created by the monitor before
 * the process exists; the process installs its ends as fds 0, 1 and 2. */
#ifndef STRATA_SHIM_CONTAINER_STDIO_H
#define STRATA_SHIM_CONTAINER_STDIO_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

struct container_stdio {
  bool terminal;
  int stdin_w;  /* client input goes here: pipe write end, a dup of the pty master, or -1 */
  int stdout_r; /* pipe read end, or the pty master */
  int stderr_r; /* pipe read end, -1 with a pty */
  int child[3]; /* the process's stdin, stdout, stderr */
};

void container_stdio_init(struct container_stdio *s);

/* Pipes for stdout and stderr; stdin a pipe if OPEN_STDIN, else /dev/null. */
int container_stdio_pipes(struct container_stdio *s, bool open_stdin, struct shim_err *err);
/* A terminal that the container's init opens in its own devpts instance
 * (so the process sees /dev/pts/0, as with runc); the monitor adopts the
 * master when the init sends it. */
void container_stdio_terminal(struct container_stdio *s);
/* All three /dev/null (detached exec). */
int container_stdio_null(struct container_stdio *s, struct shim_err *err);
/* Takes MASTER, a pty master opened inside the container (exec -t). */
int container_stdio_adopt_master(struct container_stdio *s, int master, bool open_stdin, struct shim_err *err);
/* In the init: a pty from the container's /dev/ptmx, its master sent to the monitor over SYNC_FD. */
int container_stdio_open_terminal(struct container_stdio *s, int sync_fd, struct shim_err *err);

/* In the process: setsid, the ends as 0/1/2, the pty as controlling
 * terminal owned by UID. */
int container_stdio_install(const struct container_stdio *s, uid_t uid, struct shim_err *err);

/* In the monitor, once the process has its copies. */
void container_stdio_close_child(struct container_stdio *s);
void container_stdio_close(struct container_stdio *s);

#endif
