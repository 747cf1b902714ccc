// A device number (st_rdev) as its major and minor parts: Linux's dev_t
// encoding (sys/sysmacros.h), on the numbers below 2^53 that Node's fs gives.

export function deviceNumbers(dev: number): { major: number; minor: number } {
  return {
    major: ((Math.floor(dev / 2 ** 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff)) >>> 0,
    minor: ((dev & 0xff) | (Math.floor(dev / 2 ** 12) & ~0xff)) >>> 0,
  };
}
