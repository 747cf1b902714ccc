/* Test fixture, run inside a container: swaps the directory DIR with the
 * symlink LINK (renameat2 RENAME_EXCHANGE) as fast as it can, N times or
 * forever (N = 0). LINK points at a host path that only a reader following
 * symlinks on the host would reach. Built static at test time, since the
 * starter image has no C library. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
  if (argc != 5) {
    fprintf(stderr, "usage: swapdir DIR LINK TARGET N\n");
    return 2;
  }
  const char *dir = argv[1], *link = argv[2], *target = argv[3];
  long n = atol(argv[4]);
  if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
    perror("mkdir");
    return 1;
  }
  if (symlink(target, link) < 0 && errno != EEXIST) {
    perror("symlink");
    return 1;
  }
  puts("swapping");
  fflush(stdout);
  for (long i = 0; n == 0 || i < n; i++)
    if (renameat2(AT_FDCWD, dir, AT_FDCWD, link, RENAME_EXCHANGE) < 0) {
      perror("renameat2");
      return 1;
    }
  return 0;
}
