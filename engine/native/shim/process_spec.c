/* Reading an OCI `process` object: the same shape serves the container's
 * first process (config.json) and every exec. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "spec.h"

int string_array(const struct json_value *v, const char *what, const char ***out, struct shim_err *err)
{
  size_t n = json_is(v, JSON_ARRAY) ? v->len : 0;
  if (v != NULL && v->type != JSON_ARRAY && v->type != JSON_NULL)
    return fail_with(err, EXIT_SETUP, 0, "%s must be an array of strings", what);
  const char **list = calloc(n + 1, sizeof *list);
  if (list == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "%s", what);
  for (size_t i = 0; i < n; i++) {
    list[i] = json_string(v->items[i]);
    if (list[i] == NULL) {
      free(list);
      return fail_with(err, EXIT_SETUP, 0, "%s must be an array of strings", what);
    }
  }
  *out = list;
  return 0;
}

static int id_field(const struct json_value *obj, const char *key, uint32_t *out, struct shim_err *err)
{
  const struct json_value *v = json_get(obj, key);
  uint64_t n = 0;
  if (v != NULL && (json_u64(v, &n) < 0 || n > UINT32_MAX))
    return fail_with(err, EXIT_SETUP, 0, "process.user.%s must be a 32-bit id", key);
  *out = (uint32_t) n;
  return 0;
}

static int parse_user(const struct json_value *user, struct spec_process *p, struct shim_err *err)
{
  uint32_t uid = 0, gid = 0;
  if (id_field(user, "uid", &uid, err) < 0 || id_field(user, "gid", &gid, err) < 0)
    return -1;
  p->uid = uid;
  p->gid = gid;
  const struct json_value *gids = json_get(user, "additionalGids");
  if (!json_is(gids, JSON_ARRAY) || gids->len == 0)
    return 0;
  p->additional_gids = calloc(gids->len, sizeof *p->additional_gids);
  if (p->additional_gids == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "process.user.additionalGids");
  for (size_t i = 0; i < gids->len; i++) {
    uint64_t g;
    if (json_u64(gids->items[i], &g) < 0 || g > UINT32_MAX)
      return fail_with(err, EXIT_SETUP, 0, "process.user.additionalGids must hold 32-bit ids");
    p->additional_gids[p->n_additional_gids++] = (gid_t) g;
  }
  return 0;
}

static int parse_caps(const struct json_value *caps, struct spec_process *p, struct shim_err *err)
{
  static const char *const keys[CAPS_SET_COUNT] = {"bounding", "effective", "permitted", "inheritable", "ambient"};
  if (caps == NULL || caps->type == JSON_NULL)
    return 0;
  if (caps->type != JSON_OBJECT)
    return fail_with(err, EXIT_SETUP, 0, "process.capabilities must be an object");
  p->has_caps = true;
  for (int i = 0; i < CAPS_SET_COUNT; i++)
    if (caps_from_names(json_get(caps, keys[i]), keys[i], &p->caps[i], err) < 0)
      return -1;
  return 0;
}

static int rlimit_resource(const char *name)
{
  static const struct { const char *name; int resource; } table[] = {
    {"RLIMIT_CPU", RLIMIT_CPU}, {"RLIMIT_FSIZE", RLIMIT_FSIZE}, {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_STACK", RLIMIT_STACK}, {"RLIMIT_CORE", RLIMIT_CORE}, {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC}, {"RLIMIT_NOFILE", RLIMIT_NOFILE}, {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_AS", RLIMIT_AS}, {"RLIMIT_LOCKS", RLIMIT_LOCKS}, {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE}, {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
  };
  for (size_t i = 0; name && i < sizeof table / sizeof table[0]; i++)
    if (strcmp(name, table[i].name) == 0)
      return table[i].resource;
  return -1;
}

static int parse_rlimits(const struct json_value *list, struct spec_process *p, struct shim_err *err)
{
  if (!json_is(list, JSON_ARRAY) || list->len == 0)
    return 0;
  p->rlimits = calloc(list->len, sizeof *p->rlimits);
  if (p->rlimits == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "process.rlimits");
  for (size_t i = 0; i < list->len; i++) {
    struct spec_rlimit *r = &p->rlimits[p->n_rlimits++];
    const char *type = json_string(json_get(list->items[i], "type"));
    r->name = type;
    r->resource = rlimit_resource(type);
    if (r->resource < 0)
      return fail_with(err, EXIT_SETUP, 0, "unknown rlimit type `%s`", type ? type : "(none)");
    if (json_u64(json_get(list->items[i], "soft"), &r->soft) < 0
        || json_u64(json_get(list->items[i], "hard"), &r->hard) < 0)
      return fail_with(err, EXIT_SETUP, 0, "rlimit `%s` needs numeric soft and hard values", type);
  }
  return 0;
}

int process_from_json(const struct json_value *v, struct spec_process *p, struct shim_err *err)
{
  memset(p, 0, sizeof *p);
  if (!json_is(v, JSON_OBJECT))
    return fail_with(err, EXIT_SETUP, 0, "process must be an object");
  p->terminal = json_is(json_get(v, "terminal"), JSON_BOOL) && json_get(v, "terminal")->boolean;
  p->no_new_privileges = json_is(json_get(v, "noNewPrivileges"), JSON_BOOL) && json_get(v, "noNewPrivileges")->boolean;
  p->cwd = json_string(json_get(v, "cwd"));
  if (p->cwd == NULL)
    p->cwd = "/";
  if (p->cwd[0] != '/')
    return fail_with(err, EXIT_SETUP, 0, "process.cwd `%s` must be an absolute path", p->cwd);
  if (string_array(json_get(v, "args"), "process.args", &p->args, err) < 0
      || string_array(json_get(v, "env"), "process.env", &p->env, err) < 0)
    return -1;
  if (p->args[0] == NULL || p->args[0][0] == '\0')
    return fail_with(err, EXIT_SETUP, 0, "process.args must not be empty");
  if (parse_user(json_get(v, "user"), p, err) < 0 || parse_caps(json_get(v, "capabilities"), p, err) < 0)
    return -1;
  return parse_rlimits(json_get(v, "rlimits"), p, err);
}

void process_release(struct spec_process *p)
{
  free(p->args);
  free(p->env);
  free(p->additional_gids);
  free(p->rlimits);
  memset(p, 0, sizeof *p);
}
