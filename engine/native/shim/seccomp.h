/* Seccomp: the runtime spec's linux.seccomp (the OCI form the engine writes,
 * with Docker's profile already resolved against the container's
 * capabilities) compiled here into a classic BPF program, and installed in
 * the container's process just before it becomes the container's program.
 *
 * Why our own BPF and not libseccomp: the shim must build on a machine with
 * only a C compiler and libc headers (npm install), and start without a
 * library it cannot count on; the program is small (two instructions per
 * allowed call) and compiling it takes microseconds, so a start pays
 * nothing measurable for it. What libseccomp adds that we do not: arches
 * other than this build's own and, on x86_64, the 32-bit one (x32 and the
 * rest answer ENOSYS), and SCMP_ACT_NOTIFY. */
#ifndef STRATA_SHIM_SECCOMP_H
#define STRATA_SHIM_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "json.h"

struct seccomp_program {
  struct sock_filter *insns; /* NULL: no filter */
  size_t len;
  unsigned flags;     /* SECCOMP_FILTER_FLAG_* */
  size_t n_syscalls;  /* syscall rules compiled, over every arch */
  size_t n_unknown;   /* names no arch here knows (skipped, as runc does) */
  const char *default_action; /* its name, in the spec's JSON */
  long long compile_us;       /* what compiling it took (kernel.jsonl shows it, the benchmark reads it) */
  bool with_i386;             /* a section for 32-bit x86 calls */
};

/* Compiles linux.seccomp (V; NULL or null: no filter). */
int seccomp_compile(const struct json_value *v, struct seccomp_program *out, struct shim_err *err);
void seccomp_release(struct seccomp_program *p);

/* Installs P in the calling thread (a no-op without a filter). Needs
 * CAP_SYS_ADMIN or no_new_privs; SYNC_FD receives the record. */
int seccomp_install(const struct seccomp_program *p, int sync_fd, struct shim_err *err);

/* The syscall numbers NAME has here: native ABI (-1 if unknown) and, on
 * x86_64, the 32-bit one (-1 if none). */
void seccomp_syscall_numbers(const char *name, int *native, int *i386);

#endif
