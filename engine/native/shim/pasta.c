/* `strata-shim pasta [PASTA-OPTION]... setup|teardown NETNS`: the network
 * plan's command in rootless mode, called as netavark is (action, then the
 * bound namespace). setup starts pasta on that namespace with the engine's
 * options (explicit ports and addresses only: pasta's defaults would forward
 * every port on every host address) and returns once pasta has configured it
 * and gone to the background; teardown stops that pasta (its pid beside the
 * namespace file). pasta would also quit by itself once the file is gone. */
#include "pasta.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

#define PASTA "/usr/bin/pasta"

static void pid_file(const char *netns, char *out, size_t len)
{
  snprintf(out, len, "%s.pasta.pid", netns);
}

static int teardown(const char *netns)
{
  char path[4096];
  pid_file(netns, path, sizeof path);
  FILE *f = fopen(path, "re");
  int pid = 0;
  if (f != NULL) {
    if (fscanf(f, "%d", &pid) != 1)
      pid = 0;
    fclose(f);
  }
  if (pid > 0 && kill(pid, SIGTERM) < 0 && errno != ESRCH) {
    printf("{\"error\":\"kill pasta %d: %s\"}\n", pid, strerror(errno));
    return 1;
  }
  unlink(path);
  return 0;
}

int pasta_main(int argc, char **argv)
{
  if (argc < 2 || (strcmp(argv[argc - 2], "setup") != 0 && strcmp(argv[argc - 2], "teardown") != 0)) {
    fprintf(stderr, "usage: strata-shim pasta [PASTA-OPTION]... setup|teardown NETNS\n");
    return EXIT_SETUP;
  }
  const char *netns = argv[argc - 1];
  if (strcmp(argv[argc - 2], "teardown") == 0)
    return teardown(netns);
  char pid_path[4096];
  pid_file(netns, pid_path, sizeof pid_path);
  const char *args[argc + 9];
  int n = 0;
  args[n++] = PASTA;
  for (int i = 0; i < argc - 2; i++)
    args[n++] = argv[i];
  args[n++] = "--pid";
  args[n++] = pid_path;
  /* The namespace's own file, already in our user namespace: pasta must not look for another one. */
  args[n++] = "--netns-only";
  args[n++] = "--netns";
  args[n++] = netns;
  args[n] = NULL;
  pid_t pid = fork();
  if (pid < 0) {
    printf("{\"error\":\"fork: %s\"}\n", strerror(errno));
    return 1;
  }
  if (pid == 0) {
    /* pasta's own messages are its error: the caller reports the last line on stdout. */
    dup2(STDOUT_FILENO, STDERR_FILENO);
    /* The monitor blocks SIGCHLD and ignores SIGPIPE for itself; pasta needs both as usual. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    execv(PASTA, (char *const *) args);
    printf("{\"error\":\"exec %s: %s (install the passt package)\"}\n", PASTA, strerror(errno));
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
