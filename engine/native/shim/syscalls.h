/* Tiny named wrappers for the raw system calls glibc does not wrap (or
 * wraps in a way the launcher cannot use). Each returns what the kernel
 * returns, with errno set on failure. */
#ifndef STRATA_SHIM_SYSCALLS_H
#define STRATA_SHIM_SYSCALLS_H

#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sys/types.h>

/* fork() that also creates the namespaces in FLAGS (CLONE_NEW*): the child
 * returns 0 and, unlike unshare(2), is itself the first process of a new
 * pid namespace. */
pid_t sys_clone_namespaces(unsigned long flags);

int sys_pivot_root(const char *new_root, const char *put_old);
int sys_openat2(int dirfd, const char *path, struct open_how *how);
int sys_capset(struct __user_cap_header_struct *hdr, const struct __user_cap_data_struct *data);

int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* Marks every descriptor from FIRST up close-on-exec (close_range(2)). */
int sys_cloexec_from(unsigned int first);

#endif
