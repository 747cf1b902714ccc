/* The parts of an OCI runtime spec (config.json) the launcher uses. Strings
 * point into the parsed JSON tree, which the spec owns. */
#ifndef STRATA_SHIM_SPEC_H
#define STRATA_SHIM_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "caps.h"
#include "error.h"
#include "host_settings.h"
#include "json_log.h"
#include "json.h"
#include "seccomp.h"

struct spec_rlimit {
  const char *name; /* RLIMIT_NOFILE... */
  int resource;
  uint64_t soft, hard;
};

struct spec_process {
  bool terminal;
  uid_t uid;
  gid_t gid;
  gid_t *additional_gids;
  size_t n_additional_gids;
  const char **args; /* NULL-terminated, never empty */
  const char **env;  /* NULL-terminated */
  const char *cwd;
  bool has_caps; /* without a capabilities object the sets are left as they are */
  uint64_t caps[CAPS_SET_COUNT];
  struct spec_rlimit *rlimits;
  size_t n_rlimits;
  bool no_new_privileges;
  const struct seccomp_program *seccomp; /* the container's filter (NULL: none), set by the spec's owner */
};

struct spec_mount {
  const char *destination, *type, *source;
  const char **options; /* NULL-terminated */
};

struct spec_namespace {
  int flag; /* CLONE_NEW* */
  const char *path; /* join this one instead of creating it */
};

struct spec_device {
  const char *path;
  mode_t type; /* S_IFCHR, S_IFBLK or S_IFIFO */
  unsigned major, minor;
  mode_t mode;
  uid_t uid;
  gid_t gid;
};

/* A linux.resources.devices rule: later rules override earlier ones. */
#define DEVICE_ANY (-1)
enum { DEVICE_ACCESS_MKNOD = 1, DEVICE_ACCESS_READ = 2, DEVICE_ACCESS_WRITE = 4, DEVICE_ACCESS_ALL = 7 };

struct spec_device_rule {
  bool allow;
  char type;           /* 'a' (any: resets the list), 'c' or 'b' */
  int64_t major, minor; /* DEVICE_ANY or the number */
  unsigned access;     /* DEVICE_ACCESS_* bits (the kernel's BPF_DEVCG_ACC_* values) */
};

#define SPEC_MAX_NAMESPACES 8

struct spec {
  struct json_value *doc;
  const char *root_path; /* absolute */
  bool root_readonly;
  const char *hostname;
  struct host_settings host; /* domainname, linux.sysctl, process.oomScoreAdj */
  struct spec_process process;
  struct spec_mount *mounts;
  size_t n_mounts;
  struct spec_namespace namespaces[SPEC_MAX_NAMESPACES];
  size_t n_namespaces;
  struct spec_device *devices;
  size_t n_devices;
  bool has_device_rules; /* without linux.resources.devices the cgroups are left as they are */
  struct spec_device_rule *device_rules;
  size_t n_device_rules;
  const char **masked_paths;   /* NULL-terminated */
  const char **readonly_paths; /* NULL-terminated */
  const char *overlay_data, *overlay_cwd; /* annotations org.strata.overlay(.cwd) */
  bool open_stdin;                        /* annotation org.strata.stdin */
  struct log_settings log;                /* annotations org.strata.log.* */
  struct {
    const char *name, *path; /* org.strata.runtime(.path): runc or crun; NULL: the launcher's own */
  } runtime;
  bool builtin_init;                      /* annotation org.strata.init = builtin: --init without tini */
  struct seccomp_program seccomp;         /* linux.seccomp, compiled */
  char *root_path_owned;
};

/* Reads and checks BUNDLE/config.json. */
int spec_load(const char *bundle, struct spec *spec, struct shim_err *err);
void spec_release(struct spec *spec);

/* A `process` object, as in config.json or the file `exec --process` reads. */
int process_from_json(const struct json_value *v, struct spec_process *p, struct shim_err *err);
void process_release(struct spec_process *p);

/* The JSON array V (absent = empty) of strings as a NULL-terminated array. */
int string_array(const struct json_value *v, const char *what, const char ***out, struct shim_err *err);

#endif
