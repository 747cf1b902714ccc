/* Reading config.json: root, hostname, process, mounts, the linux section
 * and Strata's annotations. Everything is checked here, before any fork,
 * so a bad spec fails with a clear message and nothing changed. */
#include "spec.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "fileio.h"
#include "namespaces.h"

/* A runtime spec is a few kilobytes; this only bounds a hostile file. */
#define SPEC_MAX_BYTES (4 << 20)

static int parse_root(const char *bundle, const struct json_value *root, struct spec *spec, struct shim_err *err)
{
  const char *path = json_string(json_get(root, "path"));
  if (path == NULL || path[0] == '\0')
    return fail_with(err, EXIT_SETUP, 0, "root.path is required");
  spec->root_readonly = json_is(json_get(root, "readonly"), JSON_BOOL) && json_get(root, "readonly")->boolean;
  if (path[0] == '/') {
    spec->root_path = path;
    return 0;
  }
  /* The runtime spec resolves a relative root against the bundle. */
  if (asprintf(&spec->root_path_owned, "%s/%s", bundle, path) < 0)
    return fail_with(err, EXIT_SETUP, ENOMEM, "root.path");
  spec->root_path = spec->root_path_owned;
  return 0;
}

static int parse_mounts(const struct json_value *list, struct spec *spec, struct shim_err *err)
{
  if (!json_is(list, JSON_ARRAY) || list->len == 0)
    return 0;
  spec->mounts = calloc(list->len, sizeof *spec->mounts);
  if (spec->mounts == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "mounts");
  for (size_t i = 0; i < list->len; i++) {
    const struct json_value *m = list->items[i];
    struct spec_mount *out = &spec->mounts[spec->n_mounts++];
    out->destination = json_string(json_get(m, "destination"));
    out->type = json_string(json_get(m, "type"));
    out->source = json_string(json_get(m, "source"));
    if (out->destination == NULL || out->destination[0] != '/')
      return fail_with(err, EXIT_SETUP, 0, "mounts[%zu].destination must be an absolute path", i);
    if (out->type == NULL)
      out->type = "bind";
    if (out->source == NULL)
      out->source = out->type;
    if (string_array(json_get(m, "options"), "mounts[].options", &out->options, err) < 0)
      return -1;
  }
  return 0;
}

static int parse_namespaces(const struct json_value *list, struct spec *spec, struct shim_err *err)
{
  if (!json_is(list, JSON_ARRAY))
    return 0;
  if (list->len > SPEC_MAX_NAMESPACES)
    return fail_with(err, EXIT_SETUP, 0, "too many linux.namespaces");
  for (size_t i = 0; i < list->len; i++) {
    const char *type = json_string(json_get(list->items[i], "type"));
    int flag = type ? namespace_flag(type) : -1;
    if (flag < 0)
      return fail_with(err, EXIT_SETUP, 0, "namespace type `%s` is not supported", type ? type : "(none)");
    const char *path = json_string(json_get(list->items[i], "path"));
    spec->namespaces[spec->n_namespaces].flag = flag;
    spec->namespaces[spec->n_namespaces++].path = path && path[0] ? path : NULL;
  }
  return 0;
}

static int device_type(const char *type, mode_t *out)
{
  if (type == NULL)
    return -1;
  if (strcmp(type, "c") == 0 || strcmp(type, "u") == 0)
    *out = S_IFCHR;
  else if (strcmp(type, "b") == 0)
    *out = S_IFBLK;
  else if (strcmp(type, "p") == 0)
    *out = S_IFIFO;
  else
    return -1;
  return 0;
}

static int parse_device(const struct json_value *d, struct spec_device *out, struct shim_err *err)
{
  uint64_t major = 0, minor = 0, mode = 0666, uid = 0, gid = 0;
  out->path = json_string(json_get(d, "path"));
  if (out->path == NULL || out->path[0] != '/')
    return fail_with(err, EXIT_SETUP, 0, "linux.devices[].path must be an absolute path");
  if (device_type(json_string(json_get(d, "type")), &out->type) < 0)
    return fail_with(err, EXIT_SETUP, 0, "device `%s` has an unknown type", out->path);
  const char *keys[] = {"major", "minor", "fileMode", "uid", "gid"};
  uint64_t *values[] = {&major, &minor, &mode, &uid, &gid};
  for (size_t i = 0; i < 5; i++) {
    const struct json_value *v = json_get(d, keys[i]);
    if (v != NULL && v->type != JSON_NULL && (json_u64(v, values[i]) < 0 || *values[i] > UINT32_MAX))
      return fail_with(err, EXIT_SETUP, 0, "device `%s`: bad %s", out->path, keys[i]);
  }
  out->major = (unsigned) major;
  out->minor = (unsigned) minor;
  out->mode = (mode_t) (mode & 07777);
  out->uid = (uid_t) uid;
  out->gid = (gid_t) gid;
  return 0;
}

/* A rule's major or minor: absent, null or -1 is any. */
static int rule_number(const struct json_value *v, const char *what, int64_t *out, struct shim_err *err)
{
  uint64_t n;
  *out = DEVICE_ANY;
  if (v == NULL || v->type == JSON_NULL || (v->type == JSON_NUMBER && strcmp(v->text, "-1") == 0))
    return 0;
  if (json_u64(v, &n) < 0 || n > UINT32_MAX)
    return fail_with(err, EXIT_SETUP, 0, "linux.resources.devices[].%s must be a 32-bit number", what);
  *out = (int64_t) n;
  return 0;
}

static int parse_device_rule(const struct json_value *r, struct spec_device_rule *out, struct shim_err *err)
{
  const struct json_value *allow = json_get(r, "allow");
  const char *type = json_string(json_get(r, "type"));
  const char *access = json_get(r, "access") ? json_string(json_get(r, "access")) : "rwm";
  if (!json_is(allow, JSON_BOOL))
    return fail_with(err, EXIT_SETUP, 0, "linux.resources.devices[].allow must be true or false");
  out->allow = allow->boolean;
  out->type = type == NULL ? 'a' : type[0];
  if (type != NULL && (strlen(type) != 1 || strchr("acb", type[0]) == NULL))
    return fail_with(err, EXIT_SETUP, 0, "linux.resources.devices[].type `%s` is not a, c or b", type);
  out->access = 0;
  for (const char *c = access; c && *c; c++) {
    const char *at = strchr("mrw", *c);
    if (at == NULL)
      return fail_with(err, EXIT_SETUP, 0, "linux.resources.devices[].access `%s` is not made of r, w and m", access);
    out->access |= 1u << (at - "mrw");
  }
  if (access == NULL || out->access == 0)
    return fail_with(err, EXIT_SETUP, 0, "linux.resources.devices[].access must name r, w or m");
  if (rule_number(json_get(r, "major"), "major", &out->major, err) < 0)
    return -1;
  return rule_number(json_get(r, "minor"), "minor", &out->minor, err);
}

static int parse_device_rules(const struct json_value *resources, struct spec *spec, struct shim_err *err)
{
  const struct json_value *rules = json_get(resources, "devices");
  if (!json_is(rules, JSON_ARRAY))
    return 0;
  spec->has_device_rules = true;
  if (rules->len == 0)
    return 0;
  spec->device_rules = calloc(rules->len, sizeof *spec->device_rules);
  if (spec->device_rules == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "linux.resources.devices");
  for (size_t i = 0; i < rules->len; i++)
    if (parse_device_rule(rules->items[i], &spec->device_rules[spec->n_device_rules++], err) < 0)
      return -1;
  return 0;
}

static int parse_linux(const struct json_value *linux_obj, struct spec *spec, struct shim_err *err)
{
  if (parse_namespaces(json_get(linux_obj, "namespaces"), spec, err) < 0)
    return -1;
  const struct json_value *devices = json_get(linux_obj, "devices");
  if (json_is(devices, JSON_ARRAY) && devices->len > 0) {
    spec->devices = calloc(devices->len, sizeof *spec->devices);
    if (spec->devices == NULL)
      return fail_with(err, EXIT_SETUP, ENOMEM, "linux.devices");
    for (size_t i = 0; i < devices->len; i++)
      if (parse_device(devices->items[i], &spec->devices[spec->n_devices++], err) < 0)
        return -1;
  }
  if (parse_device_rules(json_get(linux_obj, "resources"), spec, err) < 0
      || seccomp_compile(json_get(linux_obj, "seccomp"), &spec->seccomp, err) < 0)
    return -1;
  if (string_array(json_get(linux_obj, "maskedPaths"), "linux.maskedPaths", &spec->masked_paths, err) < 0)
    return -1;
  return string_array(json_get(linux_obj, "readonlyPaths"), "linux.readonlyPaths", &spec->readonly_paths, err);
}

static void parse_annotations(const struct json_value *a, struct spec *spec)
{
  const char *stdin_open = json_string(json_get(a, "org.strata.stdin"));
  const char *init = json_string(json_get(a, "org.strata.init"));
  spec->overlay_data = json_string(json_get(a, "org.strata.overlay"));
  spec->overlay_cwd = json_string(json_get(a, "org.strata.overlay.cwd"));
  spec->open_stdin = stdin_open != NULL && strcmp(stdin_open, "true") == 0;
  const char *format = json_string(json_get(a, "org.strata.log.format"));
  const char *max_size = json_string(json_get(a, "org.strata.log.max-size"));
  const char *max_file = json_string(json_get(a, "org.strata.log.max-file"));
  const char *compress = json_string(json_get(a, "org.strata.log.compress"));
  spec->log.local = format != NULL && strcmp(format, "local") == 0;
  spec->log.max_size = max_size != NULL ? atoll(max_size) : 0;
  spec->log.max_file = max_file != NULL && atoi(max_file) > 0 ? atoi(max_file) : 1;
  spec->log.compress = compress != NULL && strcmp(compress, "true") == 0;
  spec->log.attrs = json_string(json_get(a, "org.strata.log.attrs"));
  spec->runtime.name = json_string(json_get(a, "org.strata.runtime"));
  spec->runtime.path = json_string(json_get(a, "org.strata.runtime.path"));
  if (spec->runtime.name == NULL || spec->runtime.path == NULL || strcmp(spec->runtime.name, "strata") == 0)
    spec->runtime.name = spec->runtime.path = NULL;
  spec->builtin_init = init != NULL && strcmp(init, "builtin") == 0;
  if (spec->overlay_data != NULL && spec->overlay_data[0] == '\0')
    spec->overlay_data = NULL;
}

static int spec_parse(const char *bundle, struct spec *spec, struct shim_err *err)
{
  const struct json_value *doc = spec->doc;
  if (!json_is(doc, JSON_OBJECT))
    return fail_with(err, EXIT_SETUP, 0, "config.json must hold an object");
  if (parse_root(bundle, json_get(doc, "root"), spec, err) < 0)
    return -1;
  spec->hostname = json_string(json_get(doc, "hostname"));
  if (host_settings_parse(doc, &spec->host, err) < 0)
    return -1;
  if (process_from_json(json_get(doc, "process"), &spec->process, err) < 0)
    return -1;
  if (parse_mounts(json_get(doc, "mounts"), spec, err) < 0 || parse_linux(json_get(doc, "linux"), spec, err) < 0)
    return -1;
  parse_annotations(json_get(doc, "annotations"), spec);
  spec->process.seccomp = &spec->seccomp;
  return 0;
}

int spec_load(const char *bundle, struct spec *spec, struct shim_err *err)
{
  char path[PATH_MAX];
  autofree char *text = NULL;
  size_t len;
  memset(spec, 0, sizeof *spec);
  if (snprintf(path, sizeof path, "%s/config.json", bundle) >= (int) sizeof path)
    return fail_with(err, EXIT_SETUP, ENAMETOOLONG, "bundle `%s`", bundle);
  if (read_file(path, SPEC_MAX_BYTES, &text, &len, err) < 0)
    return -1;
  if (json_parse(text, len, &spec->doc, err) < 0 || spec_parse(bundle, spec, err) < 0) {
    char reason[sizeof err->msg];
    snprintf(reason, sizeof reason, "%s", err->msg);
    spec_release(spec);
    return fail_with(err, EXIT_SETUP, 0, "%s: %s", path, reason);
  }
  return 0;
}

void spec_release(struct spec *spec)
{
  for (size_t i = 0; i < spec->n_mounts; i++)
    free(spec->mounts[i].options);
  free(spec->mounts);
  free(spec->devices);
  free(spec->device_rules);
  host_settings_release(&spec->host);
  free(spec->masked_paths);
  free(spec->readonly_paths);
  free(spec->root_path_owned);
  seccomp_release(&spec->seccomp);
  process_release(&spec->process);
  json_free(spec->doc);
  memset(spec, 0, sizeof *spec);
}
