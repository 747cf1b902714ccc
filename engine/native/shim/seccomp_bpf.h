/* Emitting the classic BPF program a seccomp filter is: one section of
 * rules per architecture, and a head that sends each call to its arch's
 * section by seccomp_data.arch. */
#ifndef STRATA_SHIM_SECCOMP_BPF_H
#define STRATA_SHIM_SECCOMP_BPF_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* libseccomp's comparisons (enum scmp_compare), on the 64-bit argument. */
enum seccomp_op { SECCOMP_OP_NE, SECCOMP_OP_LT, SECCOMP_OP_LE, SECCOMP_OP_EQ, SECCOMP_OP_GE, SECCOMP_OP_GT,
                  SECCOMP_OP_MASKED_EQ };

struct seccomp_cond {
  unsigned index; /* argument 0..5 */
  enum seccomp_op op;
  uint64_t value, value_two; /* MASKED_EQ: (arg & value) == value_two */
};

#define SECCOMP_MAX_CONDS 6

struct bpf_section {
  struct sock_filter *insns;
  size_t len, cap;
};

/* Appends: if the call is NR and every condition holds, return ACTION. */
int bpf_rule(struct bpf_section *s, uint32_t nr, const struct seccomp_cond *conds, size_t n_conds, uint32_t action,
             struct shim_err *err);

/* The whole program: native calls by NATIVE, 32-bit x86 ones by I386 (NULL:
 * none), each ending in DEFAULT_ACTION; any other arch (and x32) gets
 * FOREIGN_ACTION. *OUT is malloc'd. */
int bpf_assemble(const struct bpf_section *native, const struct bpf_section *i386, uint32_t default_action,
                 uint32_t foreign_action, struct sock_filter **out, size_t *len, struct shim_err *err);

void bpf_section_release(struct bpf_section *s);

#endif
