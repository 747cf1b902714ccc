/* The program reads the request from its context (struct
 * bpf_cgroup_dev_ctx: access_type = access << 16 | device type, major,
 * minor), then tries each exception of the list in turn:
 *
 *   r2 = access_type; r3 = r2 & 0xffff (type); r4 = r2 >> 16 (access)
 *   r5 = major; r6 = minor
 *   per exception: [type differs -> next] [access does not match -> next]
 *                  [major differs -> next] [minor differs -> next]
 *                  return the exception's verdict
 *   return the default
 *
 * With a deny-all default an exception matches when it allows every access
 * asked for; with an allow-all default when it denies any of them: what the
 * v1 controller does with the same list. Comparisons are 32-bit (JMP32), as
 * the numbers are. */
#include "device_bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "syscalls.h"

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LOAD_U32(dst, off) INSN(BPF_LDX | BPF_W | BPF_MEM, dst, BPF_REG_1, off, 0)
#define MOV_REG(dst, src) INSN(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV_IMM(dst, imm) INSN(BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define ALU_IMM(op, dst, imm) INSN(BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define JUMP_IMM(op, dst, imm) INSN(BPF_JMP32 | (op) | BPF_K, dst, 0, 0, imm) /* offset patched later */
#define EXIT INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

enum { R_TYPE = BPF_REG_3, R_ACCESS = BPF_REG_4, R_MAJOR = BPF_REG_5, R_MINOR = BPF_REG_6, R_SCRATCH = BPF_REG_7 };

/* Most instructions one exception takes, and the header and footer. */
#define PER_EXCEPTION 8
#define FIXED 8

/* Emits one exception's test; its jumps go to the end of the block. */
static size_t emit_exception(const struct spec_device_rule *e, bool default_allow, struct bpf_insn *p)
{
  size_t n = 0, jumps[4], n_jumps = 0;
  if (e->type == 'c' || e->type == 'b') {
    jumps[n_jumps++] = n;
    p[n++] = JUMP_IMM(BPF_JNE, R_TYPE, e->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK);
  }
  if (e->access != DEVICE_ACCESS_ALL) {
    p[n++] = MOV_REG(R_SCRATCH, R_ACCESS);
    if (default_allow) {
      /* a deny exception: it matches when the request asks for any of its access */
      p[n++] = ALU_IMM(BPF_AND, R_SCRATCH, (int32_t) e->access);
      jumps[n_jumps++] = n;
      p[n++] = JUMP_IMM(BPF_JEQ, R_SCRATCH, 0);
    } else {
      /* an allow exception: it matches when it allows all the request asks for */
      p[n++] = ALU_IMM(BPF_AND, R_SCRATCH, (int32_t) (~e->access & DEVICE_ACCESS_ALL));
      jumps[n_jumps++] = n;
      p[n++] = JUMP_IMM(BPF_JNE, R_SCRATCH, 0);
    }
  }
  if (e->major != DEVICE_ANY) {
    jumps[n_jumps++] = n;
    p[n++] = JUMP_IMM(BPF_JNE, R_MAJOR, (int32_t) (uint32_t) e->major);
  }
  if (e->minor != DEVICE_ANY) {
    jumps[n_jumps++] = n;
    p[n++] = JUMP_IMM(BPF_JNE, R_MINOR, (int32_t) (uint32_t) e->minor);
  }
  p[n++] = MOV_IMM(BPF_REG_0, e->allow ? 1 : 0);
  p[n++] = EXIT;
  for (size_t j = 0; j < n_jumps; j++)
    p[jumps[j]].off = (int16_t) (n - jumps[j] - 1);
  return n;
}

int device_bpf_program(const struct device_list *list, struct bpf_insn **out, size_t *len, struct shim_err *err)
{
  struct bpf_insn *p = calloc(FIXED + PER_EXCEPTION * list->n, sizeof *p);
  if (p == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "device program");
  size_t n = 0;
  p[n++] = LOAD_U32(BPF_REG_2, offsetof(struct bpf_cgroup_dev_ctx, access_type));
  p[n++] = MOV_REG(R_TYPE, BPF_REG_2);
  p[n++] = ALU_IMM(BPF_AND, R_TYPE, 0xffff);
  p[n++] = MOV_REG(R_ACCESS, BPF_REG_2);
  p[n++] = ALU_IMM(BPF_RSH, R_ACCESS, 16);
  p[n++] = LOAD_U32(R_MAJOR, offsetof(struct bpf_cgroup_dev_ctx, major));
  p[n++] = LOAD_U32(R_MINOR, offsetof(struct bpf_cgroup_dev_ctx, minor));
  for (size_t i = 0; i < list->n; i++)
    n += emit_exception(&list->exceptions[i], list->default_allow, p + n);
  p[n++] = MOV_IMM(BPF_REG_0, list->default_allow ? 1 : 0);
  p[n++] = EXIT;
  *out = p;
  *len = n;
  return 0;
}

/* The verifier's last words on INSNS, when it refuses them (asked only then:
 * on success a log that outgrows its buffer would itself fail the load). */
static const char *verifier_says(union bpf_attr load, char *log, size_t size)
{
  load.log_buf = (uint64_t) (uintptr_t) log;
  load.log_size = (uint32_t) size;
  load.log_level = 1;
  log[0] = '\0';
  int fd = sys_bpf(BPF_PROG_LOAD, &load, sizeof load);
  if (fd >= 0)
    close(fd);
  size_t n = strlen(log);
  while (n > 0 && log[n - 1] == '\n')
    log[--n] = '\0';
  char *last = strrchr(log, '\n');
  return last ? last + 1 : log;
}

int device_bpf_attach(const char *dir, const struct bpf_insn *insns, size_t len, struct shim_err *err)
{
  union bpf_attr load;
  memset(&load, 0, sizeof load);
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = (uint64_t) (uintptr_t) insns;
  load.insn_cnt = (uint32_t) len;
  load.license = (uint64_t) (uintptr_t) "Apache";
  autofd prog = sys_bpf(BPF_PROG_LOAD, &load, sizeof load);
  if (prog < 0) {
    int errnum = errno;
    char log[4096];
    const char *why = errnum == EINVAL || errnum == EACCES ? verifier_says(load, log, sizeof log) : "";
    return fail_with(err, EXIT_SETUP, errnum, "bpf `BPF_PROG_LOAD cgroup device`%s%s", why[0] ? " " : "", why);
  }
  autofd cgroup = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cgroup < 0)
    return fail_errno(err, "open `%s`", dir);
  union bpf_attr attach;
  memset(&attach, 0, sizeof attach);
  attach.target_fd = (uint32_t) cgroup;
  attach.attach_bpf_fd = (uint32_t) prog;
  attach.attach_type = BPF_CGROUP_DEVICE;
  attach.attach_flags = BPF_F_ALLOW_MULTI;
  if (sys_bpf(BPF_PROG_ATTACH, &attach, sizeof attach) < 0)
    return fail_errno(err, "bpf `BPF_PROG_ATTACH %s`", dir);
  return 0;
}
