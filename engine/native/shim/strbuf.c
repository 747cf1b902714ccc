#include "strbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int strbuf_grow(struct strbuf *sb, size_t extra)
{
  if (sb->len + extra + 1 <= sb->cap)
    return 0;
  size_t cap = sb->cap ? sb->cap : 64;
  while (cap < sb->len + extra + 1)
    cap *= 2;
  char *data = realloc(sb->data, cap);
  if (data == NULL)
    return -ENOMEM;
  sb->data = data;
  sb->cap = cap;
  return 0;
}

int strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
  int r = strbuf_grow(sb, len);
  if (r < 0)
    return r;
  memcpy(sb->data + sb->len, data, len);
  sb->len += len;
  sb->data[sb->len] = '\0';
  return 0;
}

int strbuf_addstr(struct strbuf *sb, const char *s)
{
  return strbuf_add(sb, s, strlen(s));
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return -EINVAL;
  int r = strbuf_grow(sb, (size_t) n);
  if (r < 0)
    return r;
  va_start(ap, fmt);
  vsnprintf(sb->data + sb->len, (size_t) n + 1, fmt, ap);
  va_end(ap);
  sb->len += (size_t) n;
  return 0;
}

/* Length of the UTF-8 sequence at P if it is valid by Go's rules (no
 * overlong forms, no surrogates, nothing past U+10FFFF), else 0. */
static size_t utf8_valid_len(const unsigned char *p, size_t n, unsigned *cp)
{
  unsigned c = p[0];
  size_t len;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else
    return 0;
  if (n < len || p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if (p[i] < 0x80 || p[i] > 0xBF)
      return 0;
  *cp = c & (0xFF >> (len + 1));
  for (size_t i = 1; i < len; i++)
    *cp = (*cp << 6) | (p[i] & 0x3F);
  return len;
}

/* The escape for an ASCII byte, written into OUT; false if it needs none. */
static bool ascii_escape(unsigned char c, char out[7])
{
  static const char hex[] = "0123456789abcdef";
  const char *two = NULL;
  switch (c) {
  case '"': two = "\\\""; break;
  case '\\': two = "\\\\"; break;
  case '\n': two = "\\n"; break;
  case '\r': two = "\\r"; break;
  case '\t': two = "\\t"; break;
  default:
    if (c >= 0x20 && c != '<' && c != '>' && c != '&')
      return false;
    snprintf(out, 7, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
    return true;
  }
  strcpy(out, two);
  return true;
}

int strbuf_add_json_string(struct strbuf *sb, const char *data, size_t len)
{
  const unsigned char *p = (const unsigned char *) data;
  size_t run = 0; /* start of the bytes copied as they are */
  size_t i = 0;
  int r = strbuf_add(sb, "\"", 1);
  while (r == 0 && i < len) {
    char esc[7];
    size_t width = 1;
    unsigned cp = 0;
    if (p[i] < 0x80) {
      if (!ascii_escape(p[i], esc)) {
        i++;
        continue;
      }
    } else if ((width = utf8_valid_len(p + i, len - i, &cp)) == 0) {
      width = 1;
      strcpy(esc, "\\ufffd");
    } else if (cp == 0x2028 || cp == 0x2029) {
      snprintf(esc, sizeof esc, "\\u%04x", cp);
    } else {
      i += width;
      continue;
    }
    r = strbuf_add(sb, p + run, i - run);
    if (r == 0)
      r = strbuf_addstr(sb, esc);
    i += width;
    run = i;
  }
  if (r == 0)
    r = strbuf_add(sb, p + run, len - run);
  return r == 0 ? strbuf_add(sb, "\"", 1) : r;
}

void strbuf_reset(struct strbuf *sb)
{
  sb->len = 0;
  if (sb->data)
    sb->data[0] = '\0';
}

void strbuf_release(struct strbuf *sb)
{
  free(sb->data);
  sb->data = NULL;
  sb->len = sb->cap = 0;
}
