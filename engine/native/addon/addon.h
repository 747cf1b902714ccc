/*
 * strata_native: the few system calls Node's fs lacks (mknod, extended
 * attributes). Each JS function is synchronous, like fs.*Sync, and throws
 * errors shaped like Node's own fs errors (code, errno, syscall, path).
 */
#ifndef STRATA_ADDON_H
#define STRATA_ADDON_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>

static inline void cleanup_freep(void *p)
{
  free(*(void **) p);
}

#define autofree __attribute__((cleanup(cleanup_freep)))

/* Argument readers: each returns 0, or -1 with a TypeError pending. */
int arg_string(napi_env env, napi_value value, const char *what, char **out);
int arg_uint32(napi_env env, napi_value value, const char *what, uint32_t *out);
int arg_buffer(napi_env env, napi_value value, const char *what, void **data, size_t *len);
/* Reads exactly `want` arguments; -1 with a TypeError pending when fewer were passed. */
int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);

/* Throws Node's fs error for errnum: "ENOENT: no such file or directory, mknod '/x'". Returns NULL. */
napi_value throw_errno(napi_env env, int errnum, const char *syscall, const char *path);

napi_value js_mknod(napi_env env, napi_callback_info info);
napi_value js_lsetxattr(napi_env env, napi_callback_info info);
napi_value js_lgetxattr(napi_env env, napi_callback_info info);
napi_value js_llistxattr(napi_env env, napi_callback_info info);
napi_value js_lremovexattr(napi_env env, napi_callback_info info);

#endif
