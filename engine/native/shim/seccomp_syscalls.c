/* Syscall names to numbers, from the tables syscall-table.sh generated out
 * of the kernel headers this shim was built with (both sorted by name). */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "seccomp.h"
#include "syscall_table.h"

struct syscall_number {
  const char *name;
  int number;
};

#define NATIVE_ENTRY(name) {#name, __NR_##name},
static const struct syscall_number native_table[] = {NATIVE_SYSCALLS(NATIVE_ENTRY)};

#define I386_ENTRY(name, number) {#name, number},
static const struct syscall_number i386_table[] = {COMPAT_I386_SYSCALLS(I386_ENTRY){NULL, -1}};

static int by_name(const void *key, const void *entry)
{
  return strcmp(key, ((const struct syscall_number *) entry)->name);
}

static int lookup(const struct syscall_number *table, size_t n, const char *name)
{
  const struct syscall_number *hit = bsearch(name, table, n, sizeof *table, by_name);
  return hit ? hit->number : -1;
}

void seccomp_syscall_numbers(const char *name, int *native, int *i386)
{
  *native = lookup(native_table, sizeof native_table / sizeof native_table[0], name);
  /* The last entry only keeps the array non-empty off x86_64. */
  *i386 = lookup(i386_table, sizeof i386_table / sizeof i386_table[0] - 1, name);
}
