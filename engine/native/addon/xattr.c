#include "addon.h"

#include <errno.h>
#include <string.h>
#include <sys/xattr.h>

/* The l* variants throughout: a symlink's own attributes, never its target's. */

napi_value js_lsetxattr(napi_env env, napi_callback_info info)
{
  napi_value argv[3];
  autofree char *path = NULL;
  autofree char *name = NULL;
  void *data;
  size_t len;
  if (get_args(env, info, 3, argv) < 0 || arg_string(env, argv[0], "path", &path) < 0
      || arg_string(env, argv[1], "name", &name) < 0 || arg_buffer(env, argv[2], "value", &data, &len) < 0)
    return NULL;

  if (lsetxattr(path, name, data, len, 0) < 0)
    return throw_errno(env, errno, "lsetxattr", path);
  return NULL;
}

/* The value as a Buffer, or null when the attribute is not set (ENODATA). */
napi_value js_lgetxattr(napi_env env, napi_callback_info info)
{
  napi_value argv[2], result;
  autofree char *path = NULL;
  autofree char *name = NULL;
  if (get_args(env, info, 2, argv) < 0 || arg_string(env, argv[0], "path", &path) < 0
      || arg_string(env, argv[1], "name", &name) < 0)
    return NULL;

  /* Ask the size, then read; the value may grow in between (ERANGE): ask again. */
  for (;;) {
    ssize_t size = lgetxattr(path, name, NULL, 0);
    if (size < 0 && errno == ENODATA) {
      napi_get_null(env, &result);
      return result;
    }
    if (size < 0)
      return throw_errno(env, errno, "lgetxattr", path);
    /* Asking again with size 0 would only ask the size again (the file may
     * be replaced meanwhile): an empty value is an empty Buffer. */
    if (size == 0) {
      napi_create_buffer_copy(env, 0, "", NULL, &result);
      return result;
    }

    autofree char *buf = malloc((size_t) size);
    if (buf == NULL)
      return throw_errno(env, ENOMEM, "lgetxattr", path);
    ssize_t got = lgetxattr(path, name, buf, (size_t) size);
    if (got < 0 && errno == ERANGE)
      continue;
    if (got < 0 && errno == ENODATA) {
      napi_get_null(env, &result);
      return result;
    }
    if (got < 0)
      return throw_errno(env, errno, "lgetxattr", path);
    napi_create_buffer_copy(env, (size_t) got, buf, NULL, &result);
    return result;
  }
}

/* Attribute names as strings, in the order the filesystem lists them. */
napi_value js_llistxattr(napi_env env, napi_callback_info info)
{
  napi_value argv[1], result, item;
  autofree char *path = NULL;
  if (get_args(env, info, 1, argv) < 0 || arg_string(env, argv[0], "path", &path) < 0)
    return NULL;

  for (;;) {
    ssize_t size = llistxattr(path, NULL, 0);
    if (size < 0)
      return throw_errno(env, errno, "llistxattr", path);
    napi_create_array(env, &result);
    /* As in lgetxattr: size 0 asked again would be a second size query, not a read. */
    if (size == 0)
      return result;

    autofree char *list = malloc((size_t) size);
    if (list == NULL)
      return throw_errno(env, ENOMEM, "llistxattr", path);
    ssize_t got = llistxattr(path, list, (size_t) size);
    if (got < 0 && errno == ERANGE)
      continue;
    if (got < 0)
      return throw_errno(env, errno, "llistxattr", path);

    /* The list is NUL-terminated names back to back. */
    uint32_t i = 0;
    for (ssize_t off = 0; off < got; i++) {
      size_t len = strnlen(list + off, (size_t) (got - off));
      napi_create_string_utf8(env, list + off, len, &item);
      napi_set_element(env, result, i, item);
      off += (ssize_t) len + 1;
    }
    return result;
  }
}

napi_value js_lremovexattr(napi_env env, napi_callback_info info)
{
  napi_value argv[2];
  autofree char *path = NULL;
  autofree char *name = NULL;
  if (get_args(env, info, 2, argv) < 0 || arg_string(env, argv[0], "path", &path) < 0
      || arg_string(env, argv[1], "name", &name) < 0)
    return NULL;

  if (lremovexattr(path, name) < 0)
    return throw_errno(env, errno, "lremovexattr", path);
  return NULL;
}
