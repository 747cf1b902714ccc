#include "log_rotate.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include <zlib.h>

#include "cleanup.h"

/* FILE.1 into FILE.1.gz, then FILE.1 goes. On failure FILE.1 stays as it is. */
static void compress_file(const char *from, const char *to)
{
  autofd in = open(from, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return;
  gzFile out = gzopen(to, "wbe");
  if (out == NULL)
    return;
  char buf[65536];
  ssize_t n;
  int ok = 1;
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (gzwrite(out, buf, (unsigned) n) != (int) n) {
      ok = 0;
      break;
    }
  if (gzclose(out) != Z_OK || n < 0 || !ok) {
    unlink(to);
    return;
  }
  unlink(from);
}

void log_rotate(const char *path, int max_file, bool compress)
{
  if (max_file < 2)
    return;
  const char *ext = compress ? ".gz" : "";
  char from[PATH_MAX], to[PATH_MAX];
  snprintf(to, sizeof to, "%s.%d%s", path, max_file - 1, ext);
  unlink(to);
  for (int i = max_file - 1; i > 1; i--) {
    snprintf(from, sizeof from, "%s.%d%s", path, i - 1, ext);
    snprintf(to, sizeof to, "%s.%d%s", path, i, ext);
    rename(from, to);
  }
  snprintf(to, sizeof to, "%s.1", path);
  if (rename(path, to) == 0 && compress) {
    snprintf(from, sizeof from, "%s.1.gz", path);
    compress_file(to, from);
  }
}
