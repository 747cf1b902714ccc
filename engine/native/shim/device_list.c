#include "device_list.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool same_device(const struct spec_device_rule *a, const struct spec_device_rule *b)
{
  return a->type == b->type && a->major == b->major && a->minor == b->minor;
}

static struct spec_device_rule *find_exception(struct device_list *list, const struct spec_device_rule *rule)
{
  for (size_t i = 0; i < list->n; i++)
    if (same_device(&list->exceptions[i], rule))
      return &list->exceptions[i];
  return NULL;
}

/* The rule agrees with the default: the device's exception loses that access. */
static void narrow(struct device_list *list, const struct spec_device_rule *rule)
{
  struct spec_device_rule *e = find_exception(list, rule);
  if (e == NULL)
    return;
  e->access &= ~rule->access;
  if (e->access == 0)
    *e = list->exceptions[--list->n];
}

int device_list_build(const struct spec_device_rule *rules, size_t n, struct device_list *out, struct shim_err *err)
{
  /* Until a rule says otherwise, a new cgroup allows everything (its parent's list, here "a"). */
  *out = (struct device_list){.default_allow = true};
  out->exceptions = calloc(n ? n : 1, sizeof *out->exceptions);
  if (out->exceptions == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "device rules");
  for (size_t i = 0; i < n; i++) {
    const struct spec_device_rule *rule = &rules[i];
    if (rule->type == 'a') {
      out->default_allow = rule->allow;
      out->n = 0;
    } else if (rule->allow == out->default_allow) {
      narrow(out, rule);
    } else {
      struct spec_device_rule *e = find_exception(out, rule);
      if (e != NULL)
        e->access |= rule->access;
      else
        out->exceptions[out->n++] = *rule;
    }
  }
  return 0;
}

void device_list_release(struct device_list *list)
{
  free(list->exceptions);
  *list = (struct device_list){0};
}

bool device_list_allows_all(const struct device_list *list)
{
  return list->default_allow && list->n == 0;
}

static void number_text(int64_t n, char *buf, size_t size)
{
  if (n == DEVICE_ANY)
    snprintf(buf, size, "*");
  else
    snprintf(buf, size, "%lld", (long long) n);
}

void device_rule_text(const struct spec_device_rule *rule, char *buf, size_t size)
{
  if (rule->type == 'a') {
    snprintf(buf, size, "a");
    return;
  }
  char major[24], minor[24], access[4] = "";
  number_text(rule->major, major, sizeof major);
  number_text(rule->minor, minor, sizeof minor);
  size_t k = 0;
  if (rule->access & DEVICE_ACCESS_READ)
    access[k++] = 'r';
  if (rule->access & DEVICE_ACCESS_WRITE)
    access[k++] = 'w';
  if (rule->access & DEVICE_ACCESS_MKNOD)
    access[k++] = 'm';
  access[k] = '\0';
  snprintf(buf, size, "%c %s:%s %s", rule->type, major, minor, access);
}

void device_list_text(const struct device_list *list, char *buf, size_t size)
{
  size_t used = (size_t) snprintf(buf, size, "%s all%s", list->default_allow ? "allow" : "deny", list->n ? " but " : "");
  for (size_t i = 0; i < list->n && used < size; i++) {
    char rule[64];
    device_rule_text(&list->exceptions[i], rule, sizeof rule);
    used += (size_t) snprintf(buf + used, size - used, "%s%s", i ? ", " : "", rule);
  }
}
