/* The device list a sequence of linux.resources.devices rules leaves, as the
 * cgroup v1 devices controller computes it: a default (allow or deny every
 * device) and the exceptions to it. cgroup v2 has no such controller; its
 * BPF program (device_bpf.h) is generated from this list, so that both
 * hierarchies enforce exactly the same thing. */
#ifndef STRATA_SHIM_DEVICE_LIST_H
#define STRATA_SHIM_DEVICE_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "spec.h"

struct device_list {
  bool default_allow;
  struct spec_device_rule *exceptions; /* each with allow = !default_allow */
  size_t n;
};

/* Plays RULES in order: a rule of type 'a' resets the list; a rule that
 * agrees with the default takes its access away from the same device's
 * exception; one that disagrees adds (or widens) an exception. */
int device_list_build(const struct spec_device_rule *rules, size_t n, struct device_list *out, struct shim_err *err);
void device_list_release(struct device_list *list);

/* True when the list lets the container use every device. */
bool device_list_allows_all(const struct device_list *list);

/* RULE in the devices.allow syntax: "c 1:3 rwm", "b *:* m", "a". */
void device_rule_text(const struct spec_device_rule *rule, char *buf, size_t size);

/* The list for people: "deny all but c *:* m, c 1:3 rwm, ..." (cut at SIZE). */
void device_list_text(const struct device_list *list, char *buf, size_t size);

#endif
