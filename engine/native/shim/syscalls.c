#include "syscalls.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

pid_t sys_clone_namespaces(unsigned long flags)
{
  /* No new stack: like fork, the child runs on a copy of ours. The
   * stack/tid/tls arguments are all zero, so their order, which differs
   * between architectures, does not matter. */
  return (pid_t) syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
}

int sys_pivot_root(const char *new_root, const char *put_old)
{
  return (int) syscall(SYS_pivot_root, new_root, put_old);
}

int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
  return (int) syscall(SYS_openat2, dirfd, path, how, sizeof *how);
}

int sys_capset(struct __user_cap_header_struct *hdr, const struct __user_cap_data_struct *data)
{
  return (int) syscall(SYS_capset, hdr, data);
}

int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
  return (int) syscall(SYS_bpf, cmd, attr, size);
}

int sys_cloexec_from(unsigned int first)
{
  return (int) syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC);
}
