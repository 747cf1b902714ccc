#include "addon.h"

#include <stdio.h>
#include <string.h>

static int type_error(napi_env env, const char *what, const char *type)
{
  char msg[128];
  snprintf(msg, sizeof msg, "The \"%s\" argument must be of type %s", what, type);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return -1;
}

int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv)
{
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok)
    return -1;
  if (argc < want) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "missing arguments");
    return -1;
  }
  return 0;
}

int arg_string(napi_env env, napi_value value, const char *what, char **out)
{
  size_t len;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok)
    return type_error(env, what, "string");
  autofree char *s = malloc(len + 1);
  if (s == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return -1;
  }
  napi_get_value_string_utf8(env, value, s, len + 1, &len);
  /* A C string stops at the first NUL: "a\0b" would silently name "a". */
  if (strlen(s) != len) {
    char msg[128];
    snprintf(msg, sizeof msg, "The \"%s\" argument must be a string without null bytes", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", msg);
    return -1;
  }
  *out = s;
  s = NULL;
  return 0;
}

int arg_uint32(napi_env env, napi_value value, const char *what, uint32_t *out)
{
  double d;
  if (napi_get_value_double(env, value, &d) != napi_ok)
    return type_error(env, what, "number");
  if (!(d >= 0 && d <= UINT32_MAX && d == (double) (uint32_t) d)) {
    char msg[128];
    snprintf(msg, sizeof msg, "The \"%s\" argument must be an integer from 0 to 4294967295", what);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return -1;
  }
  *out = (uint32_t) d;
  return 0;
}

int arg_buffer(napi_env env, napi_value value, const char *what, void **data, size_t *len)
{
  bool is_buffer = false;
  napi_is_buffer(env, value, &is_buffer);
  if (!is_buffer)
    return type_error(env, what, "Buffer");
  napi_get_buffer_info(env, value, data, len);
  return 0;
}
