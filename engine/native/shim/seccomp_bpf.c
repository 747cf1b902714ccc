/* The program, for a filter with a native and an i386 section:
 *
 *    ld  arch
 *    jeq NATIVE_ARCH ? next : +1      ; conditional jumps reach 255 ahead
 *    ja  native                        ; so the far ones go through ja
 *    jeq AUDIT_ARCH_I386 ? next : +1
 *    ja  i386
 *    ret FOREIGN
 *  native:
 *    ld  nr
 *    jge X32_BIT ? +0 : +1 ; ret FOREIGN        (x86_64: x32 calls)
 *    jeq NR1 ? next : +1 ; ret ACTION          a rule without conditions
 *    jeq NR2 ? next : L  ; <conditions> ; ret ACTION ; ld nr
 *    ...                                       a failed condition lands on
 *    ret DEFAULT                               the `ld nr` that ends its rule
 *  i386: the same, with the 32-bit numbers.
 *
 * A 64-bit argument is compared a word at a time, high word first; the
 * kernel zero-extends a 32-bit ABI's arguments, so one comparison serves
 * both. */
#include "seccomp_bpf.h"

#include <endian.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#define X32_BIT 0x40000000u
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && __BYTE_ORDER == __LITTLE_ENDIAN
#define NATIVE_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define NATIVE_ARCH AUDIT_ARCH_S390X
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#endif

#define NR_OFFSET offsetof(struct seccomp_data, nr)
#define ARCH_OFFSET offsetof(struct seccomp_data, arch)
#if __BYTE_ORDER == __LITTLE_ENDIAN
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (ARG_LO(i) + 4)
#else
#define ARG_HI(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_LO(i) (ARG_HI(i) + 4)
#endif

static int emit(struct bpf_section *s, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k, struct shim_err *err)
{
  if (s->len == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    struct sock_filter *grown = realloc(s->insns, cap * sizeof *grown);
    if (grown == NULL)
      return fail_with(err, EXIT_SETUP, ENOMEM, "seccomp");
    s->insns = grown;
    s->cap = cap;
  }
  s->insns[s->len++] = (struct sock_filter) {code, jt, jf, k};
  return 0;
}

#define LD(s, off) emit(s, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t) (off), err)
#define JMP(s, op, k, jt, jf) emit(s, BPF_JMP | (op) | BPF_K, (uint8_t) (jt), (uint8_t) (jf), (uint32_t) (k), err)
#define RET(s, k) emit(s, BPF_RET | BPF_K, 0, 0, (uint32_t) (k), err)

static size_t cond_length(enum seccomp_op op)
{
  switch (op) {
  case SECCOMP_OP_EQ:
  case SECCOMP_OP_NE:
    return 4;
  case SECCOMP_OP_MASKED_EQ:
    return 6;
  default:
    return 5;
  }
}

/* One condition at s->len; FAIL is the index of the rule's closing `ld nr`.
 * Jumps count from the instruction after the jump. */
static int emit_cond(struct bpf_section *s, const struct seccomp_cond *c, size_t fail, struct shim_err *err)
{
  uint32_t hi = (uint32_t) (c->value >> 32), lo = (uint32_t) c->value;
  size_t at = s->len;
#define TO_FAIL(i) (fail - (at + (i)) - 1)
  int r = LD(s, ARG_HI(c->index));
  switch (c->op) {
  case SECCOMP_OP_EQ:
    r = r ?: JMP(s, BPF_JEQ, hi, 0, TO_FAIL(1));
    r = r ?: LD(s, ARG_LO(c->index));
    return r ?: JMP(s, BPF_JEQ, lo, 0, TO_FAIL(3));
  case SECCOMP_OP_NE:
    r = r ?: JMP(s, BPF_JEQ, hi, 0, 2);
    r = r ?: LD(s, ARG_LO(c->index));
    return r ?: JMP(s, BPF_JEQ, lo, TO_FAIL(3), 0);
  case SECCOMP_OP_GT:
  case SECCOMP_OP_GE:
    r = r ?: JMP(s, BPF_JGT, hi, 3, 0);
    r = r ?: JMP(s, BPF_JEQ, hi, 0, TO_FAIL(2));
    r = r ?: LD(s, ARG_LO(c->index));
    return r ?: JMP(s, c->op == SECCOMP_OP_GT ? BPF_JGT : BPF_JGE, lo, 0, TO_FAIL(4));
  case SECCOMP_OP_LT:
  case SECCOMP_OP_LE:
    r = r ?: JMP(s, BPF_JGT, hi, TO_FAIL(1), 0);
    r = r ?: JMP(s, BPF_JEQ, hi, 0, 2);
    r = r ?: LD(s, ARG_LO(c->index));
    return r ?: JMP(s, c->op == SECCOMP_OP_LT ? BPF_JGE : BPF_JGT, lo, TO_FAIL(4), 0);
  case SECCOMP_OP_MASKED_EQ: {
    uint32_t want_hi = (uint32_t) (c->value_two >> 32), want_lo = (uint32_t) c->value_two;
    r = r ?: emit(s, BPF_ALU | BPF_AND | BPF_K, 0, 0, hi, err);
    r = r ?: JMP(s, BPF_JEQ, want_hi, 0, TO_FAIL(2));
    r = r ?: LD(s, ARG_LO(c->index));
    r = r ?: emit(s, BPF_ALU | BPF_AND | BPF_K, 0, 0, lo, err);
    return r ?: JMP(s, BPF_JEQ, want_lo, 0, TO_FAIL(5));
  }
  }
#undef TO_FAIL
  return fail_with(err, EXIT_SETUP, 0, "seccomp: unknown comparison %d", (int) c->op);
}

int bpf_rule(struct bpf_section *s, uint32_t nr, const struct seccomp_cond *conds, size_t n_conds, uint32_t action,
             struct shim_err *err)
{
  if (n_conds == 0)
    return JMP(s, BPF_JEQ, nr, 0, 1) ?: RET(s, action);
  size_t body = 2; /* ret ACTION; ld nr */
  for (size_t i = 0; i < n_conds; i++)
    body += cond_length(conds[i].op);
  if (JMP(s, BPF_JEQ, nr, 0, body) < 0)
    return -1;
  size_t fail = s->len + body - 1;
  for (size_t i = 0; i < n_conds; i++)
    if (emit_cond(s, &conds[i], fail, err) < 0)
      return -1;
  return RET(s, action) ?: LD(s, NR_OFFSET);
}

/* A section's own head (ld nr, and on x86_64 the x32 check) and tail. */
static int emit_section(struct bpf_section *out, const struct bpf_section *rules, bool native, uint32_t default_action,
                        uint32_t foreign_action, struct shim_err *err)
{
  int r = LD(out, NR_OFFSET);
#ifdef X32_BIT
  if (native)
    r = r ?: JMP(out, BPF_JGE, X32_BIT, 0, 1) ?: RET(out, foreign_action);
#else
  (void) native;
  (void) foreign_action;
#endif
  for (size_t i = 0; r == 0 && i < rules->len; i++)
    r = emit(out, rules->insns[i].code, rules->insns[i].jt, rules->insns[i].jf, rules->insns[i].k, err);
  return r ?: RET(out, default_action);
}

int bpf_assemble(const struct bpf_section *native, const struct bpf_section *i386, uint32_t default_action,
                 uint32_t foreign_action, struct sock_filter **out, size_t *len, struct shim_err *err)
{
#ifndef NATIVE_ARCH
  (void) native, (void) i386, (void) default_action, (void) foreign_action, (void) out, (void) len;
  return fail_with(err, EXIT_SETUP, 0, "seccomp: this build of strata-shim does not know its architecture");
#else
  struct bpf_section prog = {0}, tail = {0};
  /* The tail first, to know how far the head's jumps go. */
  size_t head_len = i386 ? 6 : 4;
  int r = emit_section(&tail, native, true, default_action, foreign_action, err);
  size_t i386_at = tail.len;
  if (r == 0 && i386)
    r = emit_section(&tail, i386, false, default_action, foreign_action, err);
  r = r ?: LD(&prog, ARCH_OFFSET);
  r = r ?: JMP(&prog, BPF_JEQ, NATIVE_ARCH, 0, 1) ?: emit(&prog, BPF_JMP | BPF_JA, 0, 0, (uint32_t) (head_len - 3), err);
  if (i386)
    r = r ?: JMP(&prog, BPF_JEQ, AUDIT_ARCH_I386, 0, 1)
              ?: emit(&prog, BPF_JMP | BPF_JA, 0, 0, (uint32_t) (head_len - 5 + i386_at), err);
  r = r ?: RET(&prog, foreign_action);
  for (size_t i = 0; r == 0 && i < tail.len; i++)
    r = emit(&prog, tail.insns[i].code, tail.insns[i].jt, tail.insns[i].jf, tail.insns[i].k, err);
  bpf_section_release(&tail);
  if (r == 0 && prog.len > BPF_MAXINSNS)
    r = fail_with(err, EXIT_SETUP, 0, "seccomp: the profile needs %zu BPF instructions, more than the kernel's %d",
                  prog.len, BPF_MAXINSNS);
  if (r < 0) {
    bpf_section_release(&prog);
    return -1;
  }
  *out = prog.insns;
  *len = prog.len;
  return 0;
#endif
}

void bpf_section_release(struct bpf_section *s)
{
  free(s->insns);
  memset(s, 0, sizeof *s);
}
