#include "isolation.h"

#include <string.h>

#include "command.h"
#include "strbuf.h"

/* The rule after `iptables -t filter -C|-I FORWARD [1]`. */
#define GUARD_RULE "-m", "comment", "--comment", "strata: keeps isolated networks apart", "-j", "NETAVARK_ISOLATION_1", NULL

bool isolation_applies(const struct json_value *options)
{
  const struct json_value *networks = json_get(options, "network_info");
  if (!json_is(networks, JSON_OBJECT))
    return false;
  for (size_t i = 0; i < networks->len; i++) {
    const struct json_value *n = networks->members[i].value;
    const struct json_value *internal = json_get(n, "internal");
    const char *isolate = json_string(json_get(json_get(n, "options"), "isolate"));
    if (!(json_is(internal, JSON_BOOL) && internal->boolean) && isolate != NULL && strcmp(isolate, "true") == 0)
      return true;
  }
  return false;
}

int isolation_keep(struct shim_err *err)
{
  static const char *const check[] = {"iptables", "-w", "-t", "filter", "-C", "FORWARD", GUARD_RULE};
  static const char *const insert[] = {"iptables", "-w", "-t", "filter", "-I", "FORWARD", "1", GUARD_RULE};
  autostrbuf out = STRBUF_INIT;
  int status;
  if (command_run(check, -1, true, &out, &status, err) < 0)
    return -1;
  if (status == 0)
    return 0;
  /* Absent, or -C could not tell: the insert says why if it cannot be done. */
  strbuf_reset(&out);
  if (command_run(insert, -1, true, &out, &status, err) < 0)
    return -1;
  if (status != 0)
    return fail_with(err, EXIT_SETUP, 0, "iptables -I FORWARD 1 -j NETAVARK_ISOLATION_1: %s",
                     out.len ? out.data : "failed");
  return 0;
}
