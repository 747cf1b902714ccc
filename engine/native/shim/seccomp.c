/* Reading linux.seccomp as runc does (names, actions, errnoRet, argument
 * conditions, architectures, flags) and installing the compiled program.
 * A name this build's headers do not know is skipped, as runc skips what
 * libseccomp does not know: profiles list calls of every arch. */
#include "seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "kernel_log.h"
#include "seccomp_bpf.h"

static const struct {
  const char *name;
  uint32_t ret;
  bool takes_errno;
} actions[] = {
  {"SCMP_ACT_KILL", SECCOMP_RET_KILL_THREAD, false},
  {"SCMP_ACT_KILL_THREAD", SECCOMP_RET_KILL_THREAD, false},
  {"SCMP_ACT_KILL_PROCESS", SECCOMP_RET_KILL_PROCESS, false},
  {"SCMP_ACT_TRAP", SECCOMP_RET_TRAP, false},
  {"SCMP_ACT_ERRNO", SECCOMP_RET_ERRNO, true},
  {"SCMP_ACT_TRACE", SECCOMP_RET_TRACE, true},
  {"SCMP_ACT_ALLOW", SECCOMP_RET_ALLOW, false},
  {"SCMP_ACT_LOG", SECCOMP_RET_LOG, false},
};

static const char *const op_names[] = {
  [SECCOMP_OP_NE] = "SCMP_CMP_NE", [SECCOMP_OP_LT] = "SCMP_CMP_LT", [SECCOMP_OP_LE] = "SCMP_CMP_LE",
  [SECCOMP_OP_EQ] = "SCMP_CMP_EQ", [SECCOMP_OP_GE] = "SCMP_CMP_GE", [SECCOMP_OP_GT] = "SCMP_CMP_GT",
  [SECCOMP_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

/* Every name the runtime spec allows; only the native one and (on x86_64)
 * SCMP_ARCH_X86 get a section, the others share the foreign action. */
static const char *const arch_names[] = {
  "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",
  "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
  "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
  "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
};

static const struct {
  const char *name;
  unsigned flag;
} flag_names[] = {
  {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
  {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
  {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The return value for an action name, with ERRNO_V (errnoRet, or the
 * default EPERM) for the actions that carry one. */
static int parse_action(const char *name, const struct json_value *errno_v, uint32_t *out, struct shim_err *err)
{
  for (size_t i = 0; name != NULL && i < COUNT(actions); i++) {
    if (strcmp(name, actions[i].name) != 0)
      continue;
    uint64_t data = EPERM;
    if (actions[i].takes_errno && errno_v != NULL && errno_v->type != JSON_NULL
        && (json_u64(errno_v, &data) < 0 || data > 0xffff))
      return fail_with(err, EXIT_SETUP, 0, "seccomp: errnoRet of %s must be a number up to 65535", name);
    *out = actions[i].ret | (actions[i].takes_errno ? (uint32_t) data : 0);
    return 0;
  }
  if (name != NULL && strcmp(name, "SCMP_ACT_NOTIFY") == 0)
    return fail_with(err, EXIT_SETUP, 0, "seccomp: SCMP_ACT_NOTIFY is not supported");
  return fail_with(err, EXIT_SETUP, 0, "seccomp: `%s` is not a valid action", name ? name : "(none)");
}

static int parse_cond(const struct json_value *a, struct seccomp_cond *c, struct shim_err *err)
{
  uint64_t index;
  const char *op = json_string(json_get(a, "op"));
  if (json_u64(json_get(a, "index"), &index) < 0 || index >= 6)
    return fail_with(err, EXIT_SETUP, 0, "seccomp: an argument's index must be 0 to 5");
  c->index = (unsigned) index;
  if (json_u64(json_get(a, "value"), &c->value) < 0)
    return fail_with(err, EXIT_SETUP, 0, "seccomp: an argument's value must be a 64-bit unsigned number");
  const struct json_value *two = json_get(a, "valueTwo");
  c->value_two = 0;
  if (two != NULL && two->type != JSON_NULL && json_u64(two, &c->value_two) < 0)
    return fail_with(err, EXIT_SETUP, 0, "seccomp: an argument's valueTwo must be a 64-bit unsigned number");
  for (size_t i = 0; op != NULL && i < COUNT(op_names); i++)
    if (strcmp(op, op_names[i]) == 0) {
      c->op = (enum seccomp_op) i;
      return 0;
    }
  return fail_with(err, EXIT_SETUP, 0, "seccomp: `%s` is not a valid comparison", op ? op : "(none)");
}

struct compile {
  struct bpf_section native, i386;
  bool has_i386;
  struct seccomp_program *out;
};

/* One entry of linux.seccomp.syscalls: its action for each of its names. */
static int compile_syscall(struct compile *c, const struct json_value *sc, struct shim_err *err)
{
  struct seccomp_cond conds[SECCOMP_MAX_CONDS];
  size_t n_conds = 0;
  uint32_t action;
  const struct json_value *names = json_get(sc, "names"), *args = json_get(sc, "args");
  if (!json_is(names, JSON_ARRAY))
    return fail_with(err, EXIT_SETUP, 0, "seccomp: each syscalls entry needs a names array");
  if (parse_action(json_string(json_get(sc, "action")), json_get(sc, "errnoRet"), &action, err) < 0)
    return -1;
  if (json_is(args, JSON_ARRAY)) {
    if (args->len > SECCOMP_MAX_CONDS)
      return fail_with(err, EXIT_SETUP, 0, "seccomp: at most %d argument conditions per entry", SECCOMP_MAX_CONDS);
    for (; n_conds < args->len; n_conds++)
      if (parse_cond(args->items[n_conds], &conds[n_conds], err) < 0)
        return -1;
  }
  for (size_t i = 0; i < names->len; i++) {
    const char *name = json_string(names->items[i]);
    int native, i386;
    if (name == NULL)
      return fail_with(err, EXIT_SETUP, 0, "seccomp: syscall names must be strings");
    seccomp_syscall_numbers(name, &native, &i386);
    if (native < 0 && (i386 < 0 || !c->has_i386)) {
      c->out->n_unknown++;
      continue;
    }
    c->out->n_syscalls++;
    if (native >= 0 && bpf_rule(&c->native, (uint32_t) native, conds, n_conds, action, err) < 0)
      return -1;
    if (c->has_i386 && i386 >= 0 && bpf_rule(&c->i386, (uint32_t) i386, conds, n_conds, action, err) < 0)
      return -1;
  }
  return 0;
}

/* Whether linux.seccomp.architectures asks for the 32-bit x86 section. */
static int parse_arches(const struct json_value *list, bool *i386, struct shim_err *err)
{
  *i386 = false;
  for (size_t i = 0; json_is(list, JSON_ARRAY) && i < list->len; i++) {
    const char *name = json_string(list->items[i]);
    size_t k = 0;
    while (name != NULL && k < COUNT(arch_names) && strcmp(name, arch_names[k]) != 0)
      k++;
    if (name == NULL || k == COUNT(arch_names))
      return fail_with(err, EXIT_SETUP, 0, "seccomp: `%s` is not a valid architecture", name ? name : "(none)");
#ifdef __x86_64__
    *i386 |= strcmp(name, "SCMP_ARCH_X86") == 0;
#endif
  }
  return 0;
}

static int parse_flags(const struct json_value *list, unsigned *flags, struct shim_err *err)
{
  *flags = 0;
  for (size_t i = 0; json_is(list, JSON_ARRAY) && i < list->len; i++) {
    const char *name = json_string(list->items[i]);
    size_t k = 0;
    while (name != NULL && k < COUNT(flag_names) && strcmp(name, flag_names[k].name) != 0)
      k++;
    if (name == NULL || k == COUNT(flag_names))
      return fail_with(err, EXIT_SETUP, 0, "seccomp: flag `%s` is not supported", name ? name : "(none)");
    *flags |= flag_names[k].flag;
  }
  return 0;
}

static int compile_all(const struct json_value *v, struct compile *c, struct shim_err *err)
{
  uint32_t default_action;
  const struct json_value *syscalls = json_get(v, "syscalls");
  const char *listener = json_string(json_get(v, "listenerPath"));
  if (listener != NULL && listener[0] != '\0')
    return fail_with(err, EXIT_SETUP, 0, "seccomp: listenerPath (SCMP_ACT_NOTIFY) is not supported");
  if (parse_action(json_string(json_get(v, "defaultAction")), json_get(v, "defaultErrnoRet"), &default_action, err) < 0
      || parse_arches(json_get(v, "architectures"), &c->has_i386, err) < 0
      || parse_flags(json_get(v, "flags"), &c->out->flags, err) < 0)
    return -1;
  if (syscalls != NULL && syscalls->type != JSON_NULL && syscalls->type != JSON_ARRAY)
    return fail_with(err, EXIT_SETUP, 0, "seccomp: syscalls must be an array");
  for (size_t i = 0; json_is(syscalls, JSON_ARRAY) && i < syscalls->len; i++)
    if (compile_syscall(c, syscalls->items[i], err) < 0)
      return -1;
  c->out->default_action = json_string(json_get(v, "defaultAction"));
  c->out->with_i386 = c->has_i386;
  /* A call of an arch without a section is refused as unknown, never let through. */
  return bpf_assemble(&c->native, c->has_i386 ? &c->i386 : NULL, default_action, SECCOMP_RET_ERRNO | ENOSYS,
                      &c->out->insns, &c->out->len, err);
}

int seccomp_compile(const struct json_value *v, struct seccomp_program *out, struct shim_err *err)
{
  memset(out, 0, sizeof *out);
  if (v == NULL || v->type == JSON_NULL)
    return 0;
  if (v->type != JSON_OBJECT)
    return fail_with(err, EXIT_SETUP, 0, "linux.seccomp must be an object");
  struct compile c = {.out = out};
  long long started = monotonic_us();
  int r = compile_all(v, &c, err);
  out->compile_us = monotonic_us() - started;
  bpf_section_release(&c.native);
  bpf_section_release(&c.i386);
  if (r < 0)
    seccomp_release(out);
  return r;
}

void seccomp_release(struct seccomp_program *p)
{
  free(p->insns);
  memset(p, 0, sizeof *p);
}

int seccomp_install(const struct seccomp_program *p, int sync_fd, struct shim_err *err)
{
  if (p == NULL || p->insns == NULL)
    return 0;
  struct sock_fprog prog = {.len = (unsigned short) p->len, .filter = p->insns};
  long long started = monotonic_us();
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->flags, &prog) < 0)
    return fail_errno(err, "seccomp `SECCOMP_SET_MODE_FILTER`");
  char syscalls[24], insns[24], compile[24], install[24];
  snprintf(install, sizeof install, "%lld", monotonic_us() - started);
  snprintf(compile, sizeof compile, "%lld", p->compile_us);
  snprintf(syscalls, sizeof syscalls, "%zu", p->n_syscalls);
  snprintf(insns, sizeof insns, "%zu", p->len);
  kernel_step_send(sync_fd, "seccomp", "syscalls", syscalls, "instructions", insns, "defaultAction", p->default_action,
                   "arches", p->with_i386 ? "native,x86" : "native", "compileMicros", compile, "installMicros", install, NULL);
  return 0;
}
