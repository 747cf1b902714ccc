/* Test fixture, run inside a container: makes the system calls named on its
 * command line and prints, one line each, "NAME RESULT", RESULT being "ok"
 * or the errno's name. Each call is made in a child of its own, so one
 * that succeeds (a new user namespace, a changed personality) changes
 * nothing for the next. Arguments are chosen so that a call the seccomp
 * filter lets through fails (or not) in its own way, mostly before any
 * permission check: EPERM then means the filter said no.
 *
 * NAME=VALUE calls one of the calls of the argument tests with VALUE (a
 * 64-bit number) as the argument the test's profile compares, and a bad
 * descriptor everywhere else (EBADF: let through).
 *
 * Built static at test time: the starter image has no C library. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long call(const char *name)
{
#define IS(n) (strcmp(name, n) == 0)
  if (IS("mount"))
    return syscall(SYS_mount, NULL, NULL, NULL, 0, NULL);
  if (IS("umount2"))
    return syscall(SYS_umount2, NULL, -1);
  if (IS("unshare"))
    return syscall(SYS_unshare, CLONE_IO);
  if (IS("unshare-user"))
    return syscall(SYS_unshare, CLONE_NEWUSER);
  if (IS("keyctl"))
    return syscall(SYS_keyctl, -1, 0, 0, 0, 0);
  if (IS("add_key"))
    return syscall(SYS_add_key, NULL, NULL, NULL, 0, 0);
  if (IS("request_key"))
    return syscall(SYS_request_key, NULL, NULL, NULL, 0);
  if (IS("bpf"))
    return syscall(SYS_bpf, -1, NULL, 0);
  if (IS("kexec_load"))
    return syscall(SYS_kexec_load, 0, 0, NULL, -1);
  if (IS("clock_settime"))
    return syscall(SYS_clock_settime, -1, NULL);
  if (IS("settimeofday"))
    return syscall(SYS_settimeofday, NULL, NULL);
  if (IS("reboot"))
    return syscall(SYS_reboot, 0, 0, 0, NULL);
  if (IS("init_module"))
    return syscall(SYS_init_module, NULL, 0, NULL);
  if (IS("delete_module"))
    return syscall(SYS_delete_module, NULL, 0);
  if (IS("acct"))
    return syscall(SYS_acct, NULL);
  if (IS("ptrace"))
    return syscall(SYS_ptrace, -1, 0, NULL, NULL);
  if (IS("personality"))
    return syscall(SYS_personality, PER_LINUX32);
  if (IS("personality-addr-no-randomize"))
    return syscall(SYS_personality, ADDR_NO_RANDOMIZE);
  if (IS("socket-inet"))
    return syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0);
  if (IS("socket-vsock"))
    return syscall(SYS_socket, 40, SOCK_STREAM, 0);
  if (IS("clone"))
    return syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (IS("clone-newuser"))
    return syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (IS("clone3"))
    return syscall(SYS_clone3, NULL, 0);
  if (IS("setns"))
    return syscall(SYS_setns, -1, 0);
  if (IS("sethostname"))
    return syscall(SYS_sethostname, NULL, 1000);
  if (IS("chroot"))
    return syscall(SYS_chroot, NULL);
  if (IS("quotactl"))
    return syscall(SYS_quotactl, -1, NULL, 0, NULL);
  if (IS("perf_event_open"))
    return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
  if (IS("process_vm_readv"))
    return syscall(SYS_process_vm_readv, 0, NULL, 0, NULL, 0, -1);
  if (IS("get_mempolicy"))
    return syscall(SYS_get_mempolicy, NULL, NULL, 0, NULL, -1);
  if (IS("move_pages"))
    return syscall(SYS_move_pages, 0, 0, NULL, NULL, NULL, 0);
  if (IS("getpid"))
    return syscall(SYS_getpid);
#ifdef SYS_iopl
  if (IS("iopl"))
    return syscall(SYS_iopl, 99);
  if (IS("ioperm"))
    return syscall(SYS_ioperm, 0, 0, 1);
#endif
#undef IS
  fprintf(stderr, "syscall-probe: unknown call %s\n", name);
  exit(2);
}

/* The argument tests: NAME=VALUE with VALUE where the profile looks. */
static long call_with(const char *name, uint64_t v)
{
  char buf[1];
  if (strcmp(name, "lseek") == 0) /* arg 1 */
    return syscall(SYS_lseek, -1, v, 0);
  if (strcmp(name, "pread64") == 0) /* arg 3 */
    return syscall(SYS_pread64, -1, buf, 1, v);
  if (strcmp(name, "pwrite64") == 0) /* arg 3 */
    return syscall(SYS_pwrite64, -1, buf, 1, v);
  if (strcmp(name, "ftruncate") == 0) /* arg 1 */
    return syscall(SYS_ftruncate, -1, v);
  if (strcmp(name, "fallocate") == 0) /* arg 2 */
    return syscall(SYS_fallocate, -1, 0, v, 1);
  if (strcmp(name, "readahead") == 0) /* arg 1 */
    return syscall(SYS_readahead, -1, v, 1);
  if (strcmp(name, "fadvise64") == 0) /* arg 2 */
    return syscall(SYS_fadvise64, -1, 0, v, 0);
  fprintf(stderr, "syscall-probe: unknown argument call %s\n", name);
  exit(2);
}

int main(int argc, char **argv)
{
  for (int i = 1; i < argc; i++) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      char *eq = strchr(argv[i], '=');
      long r;
      if (eq != NULL) {
        *eq = '\0';
        r = call_with(argv[i], strtoull(eq + 1, NULL, 10));
      } else
        r = call(argv[i]);
      /* A clone that worked: parent and new child both leave here. */
      _exit(r < 0 ? (errno & 0xff) : 0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
      printf("%s probe-failed\n", argv[i]);
      continue;
    }
    if (WIFSIGNALED(status))
      printf("%s signal-%d\n", argv[i], WTERMSIG(status));
    else
      printf("%s %s\n", argv[i], WEXITSTATUS(status) == 0 ? "ok" : strerrorname_np(WEXITSTATUS(status)));
  }
  return 0;
}
