#include "addon.h"

static napi_value init(napi_env env, napi_value exports)
{
  const napi_property_descriptor fns[] = {
    { "mknod", NULL, js_mknod, NULL, NULL, NULL, napi_enumerable, NULL },
    { "lsetxattr", NULL, js_lsetxattr, NULL, NULL, NULL, napi_enumerable, NULL },
    { "lgetxattr", NULL, js_lgetxattr, NULL, NULL, NULL, napi_enumerable, NULL },
    { "llistxattr", NULL, js_llistxattr, NULL, NULL, NULL, napi_enumerable, NULL },
    { "lremovexattr", NULL, js_lremovexattr, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns);
  return exports;
}

NAPI_MODULE(strata_native, init)
