#include "caps.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>

#include "syscalls.h"

/* Index = capability number (linux/capability.h). */
static const char *const cap_names[] = {
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
  "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
  "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
  "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
  "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
  "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};
#define CAP_COUNT (sizeof cap_names / sizeof cap_names[0])

static int cap_number(const char *name)
{
  if (strncasecmp(name, "CAP_", 4) == 0)
    name += 4;
  for (size_t i = 0; i < CAP_COUNT; i++)
    if (strcasecmp(name, cap_names[i]) == 0)
      return (int) i;
  return -1;
}

int caps_from_names(const struct json_value *names, const char *what, uint64_t *mask, struct shim_err *err)
{
  *mask = 0;
  if (names == NULL || names->type == JSON_NULL)
    return 0;
  if (names->type != JSON_ARRAY)
    return fail_with(err, EXIT_SETUP, 0, "process.capabilities.%s must be an array", what);
  for (size_t i = 0; i < names->len; i++) {
    const char *name = json_string(names->items[i]);
    int cap = name ? cap_number(name) : -1;
    if (cap < 0)
      return fail_with(err, EXIT_SETUP, 0, "unknown capability `%s`", name ? name : "(not a string)");
    *mask |= UINT64_C(1) << cap;
  }
  return 0;
}

/* The capabilities this kernel knows: the bounding set answers EINVAL past them. */
static int last_cap(void)
{
  int cap = 0;
  while (cap < 63 && prctl(PR_CAPBSET_READ, cap + 1, 0, 0, 0) >= 0)
    cap++;
  return cap;
}

int caps_limit_bounding(uint64_t mask, struct shim_err *err)
{
  int last = last_cap();
  for (int cap = 0; cap <= last; cap++) {
    if (mask & (UINT64_C(1) << cap))
      continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
      return fail_errno(err, "prctl `PR_CAPBSET_DROP %d`", cap);
  }
  return 0;
}

static int caps_set_ambient(uint64_t ambient, struct shim_err *err)
{
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return fail_errno(err, "prctl `PR_CAP_AMBIENT_CLEAR_ALL`");
  for (int cap = 0; cap < 64; cap++) {
    if (!(ambient & (UINT64_C(1) << cap)))
      continue;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
      return fail_errno(err, "prctl `PR_CAP_AMBIENT_RAISE CAP_%s`", (size_t) cap < CAP_COUNT ? cap_names[cap] : "?");
  }
  return 0;
}

int caps_apply(const uint64_t sets[CAPS_SET_COUNT], struct shim_err *err)
{
  /* Bits the kernel does not know would make capset fail with EINVAL. */
  int last = last_cap();
  uint64_t known = last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  const enum cap_set order[3] = {CAPS_EFFECTIVE, CAPS_PERMITTED, CAPS_INHERITABLE};
  uint32_t words[3][2];
  for (int i = 0; i < 3; i++) {
    uint64_t v = sets[order[i]] & known;
    words[i][0] = (uint32_t) v;
    words[i][1] = (uint32_t) (v >> 32);
  }
  for (int w = 0; w < 2; w++) {
    data[w].effective = words[0][w];
    data[w].permitted = words[1][w];
    data[w].inheritable = words[2][w];
  }
  if (sys_capset(&hdr, data) < 0)
    return fail_errno(err, "capset");
  return caps_set_ambient(sets[CAPS_AMBIENT] & known, err);
}
