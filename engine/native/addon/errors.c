#include "addon.h"

#include <stdio.h>
#include <uv.h>

/*
 * Same shape as Node's fs errors, so callers handle both alike: libuv's
 * names and messages (what Node prints), a negative errno as Node reports it.
 */
napi_value throw_errno(napi_env env, int errnum, const char *syscall, const char *path)
{
  const char *code = uv_err_name(-errnum);
  char msg[4200];
  snprintf(msg, sizeof msg, "%s: %s, %s '%s'", code, uv_strerror(-errnum), syscall, path);

  napi_value js_code, js_msg, err, value;
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &js_code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &js_msg);
  napi_create_error(env, js_code, js_msg, &err);
  napi_create_int32(env, -errnum, &value);
  napi_set_named_property(env, err, "errno", value);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, err, "syscall", value);
  napi_create_string_utf8(env, path, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, err, "path", value);
  napi_throw(env, err);
  return NULL;
}
