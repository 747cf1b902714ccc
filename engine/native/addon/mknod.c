#include "addon.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* mknod(path, mode, major, minor): mode carries S_IFCHR, S_IFBLK or S_IFIFO. */
napi_value js_mknod(napi_env env, napi_callback_info info)
{
  napi_value argv[4];
  autofree char *path = NULL;
  uint32_t mode, major, minor;
  if (get_args(env, info, 4, argv) < 0 || arg_string(env, argv[0], "path", &path) < 0
      || arg_uint32(env, argv[1], "mode", &mode) < 0 || arg_uint32(env, argv[2], "major", &major) < 0
      || arg_uint32(env, argv[3], "minor", &minor) < 0)
    return NULL;

  if (mknod(path, (mode_t) mode, makedev(major, minor)) < 0)
    return throw_errno(env, errno, "mknod", path);
  return NULL;
}
