#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Deep enough for any runtime spec, shallow enough for the stack. */
#define JSON_MAX_DEPTH 64

struct parser {
  const char *start, *p, *end;
  int depth;
  bool failed;
  struct shim_err *err;
};

static struct json_value *parse_value(struct parser *ps);

static void *syntax_error(struct parser *ps, const char *what)
{
  if (!ps->failed)
    fail_with(ps->err, EXIT_SETUP, 0, "invalid JSON at offset %zu: %s", (size_t) (ps->p - ps->start), what);
  ps->failed = true;
  return NULL;
}

static void skip_space(struct parser *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static struct json_value *new_value(struct parser *ps, enum json_type type)
{
  struct json_value *v = calloc(1, sizeof *v);
  if (v == NULL)
    return syntax_error(ps, "out of memory");
  v->type = type;
  return v;
}

static int hex4(const char *p, unsigned *out)
{
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned) (c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned) (c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned) (c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

static int add_utf8(struct strbuf *sb, unsigned cp)
{
  char b[4];
  size_t n;
  if (cp < 0x80) {
    b[0] = (char) cp;
    n = 1;
  } else if (cp < 0x800) {
    b[0] = (char) (0xC0 | (cp >> 6));
    b[1] = (char) (0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    b[0] = (char) (0xE0 | (cp >> 12));
    b[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char) (0x80 | (cp & 0x3F));
    n = 3;
  } else {
    b[0] = (char) (0xF0 | (cp >> 18));
    b[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char) (0x80 | (cp & 0x3F));
    n = 4;
  }
  return strbuf_add(sb, b, n);
}

/* \uXXXX at ps->p (after the backslash and 'u'), joining surrogate pairs;
 * a lone surrogate becomes U+FFFD, as Go decodes it. */
static int parse_unicode_escape(struct parser *ps, struct strbuf *sb)
{
  unsigned cp, lo;
  if (ps->end - ps->p < 4 || hex4(ps->p, &cp) < 0)
    return syntax_error(ps, "bad \\u escape"), -1;
  ps->p += 4;
  if (cp >= 0xD800 && cp <= 0xDBFF && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u'
      && hex4(ps->p + 2, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
    ps->p += 6;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  } else if (cp >= 0xD800 && cp <= 0xDFFF)
    cp = 0xFFFD;
  return add_utf8(sb, cp);
}

static int parse_escape(struct parser *ps, struct strbuf *sb)
{
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  if (ps->p >= ps->end)
    return syntax_error(ps, "unterminated string"), -1;
  char c = *ps->p++;
  if (c == 'u')
    return parse_unicode_escape(ps, sb);
  const char *at = strchr(from, c);
  if (c == '\0' || at == NULL)
    return syntax_error(ps, "bad escape"), -1;
  return strbuf_add(sb, &to[at - from], 1);
}

/* A string at ps->p (on the opening quote); the decoded text goes to *OUT. */
static int parse_string_text(struct parser *ps, char **out, size_t *len)
{
  struct strbuf sb = STRBUF_INIT;
  ps->p++;
  while (ps->p < ps->end && *ps->p != '"') {
    const char *run = ps->p;
    while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && (unsigned char) *ps->p >= 0x20)
      ps->p++;
    int r = strbuf_add(&sb, run, (size_t) (ps->p - run));
    if (r == 0 && ps->p < ps->end && *ps->p == '\\') {
      ps->p++;
      r = parse_escape(ps, &sb);
    } else if (r == 0 && ps->p < ps->end && *ps->p != '"')
      r = (syntax_error(ps, "control character in string"), -1);
    if (r < 0) {
      strbuf_release(&sb);
      return syntax_error(ps, "bad string"), -1;
    }
  }
  if (ps->p >= ps->end) {
    strbuf_release(&sb);
    return syntax_error(ps, "unterminated string"), -1;
  }
  ps->p++;
  if (strbuf_add(&sb, "", 0) < 0) /* makes sure data is allocated and terminated */
    return strbuf_release(&sb), syntax_error(ps, "out of memory"), -1;
  *out = sb.data;
  *len = sb.len;
  return 0;
}

static struct json_value *parse_string(struct parser *ps)
{
  struct json_value *v = new_value(ps, JSON_STRING);
  if (v != NULL && parse_string_text(ps, &v->text, &v->len) < 0) {
    free(v);
    return NULL;
  }
  return v;
}

static void skip_digits(struct parser *ps)
{
  while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
    ps->p++;
}

static struct json_value *parse_number(struct parser *ps)
{
  const char *start = ps->p;
  if (*ps->p == '-')
    ps->p++;
  if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
    return syntax_error(ps, "bad number");
  if (*ps->p == '0')
    ps->p++;
  else
    skip_digits(ps);
  if (ps->p < ps->end && *ps->p == '.') {
    ps->p++;
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
      return syntax_error(ps, "bad number");
    skip_digits(ps);
  }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
    ps->p++;
    if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
      ps->p++;
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
      return syntax_error(ps, "bad number");
    skip_digits(ps);
  }
  struct json_value *v = new_value(ps, JSON_NUMBER);
  if (v == NULL)
    return NULL;
  v->len = (size_t) (ps->p - start);
  v->text = strndup(start, v->len);
  if (v->text == NULL) {
    free(v);
    return syntax_error(ps, "out of memory");
  }
  return v;
}

static struct json_value *parse_literal(struct parser *ps)
{
  static const struct { const char *word; enum json_type type; bool value; } words[] = {
    {"true", JSON_BOOL, true}, {"false", JSON_BOOL, false}, {"null", JSON_NULL, false}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t n = strlen(words[i].word);
    if ((size_t) (ps->end - ps->p) >= n && memcmp(ps->p, words[i].word, n) == 0) {
      ps->p += n;
      struct json_value *v = new_value(ps, words[i].type);
      if (v != NULL)
        v->boolean = words[i].value;
      return v;
    }
  }
  return syntax_error(ps, "unexpected character");
}

/* Grows *ITEMS (of SIZE-byte elements) so that index LEN fits. */
static int grow(void *items, size_t len, size_t size)
{
  void **p = items;
  /* Capacity is 4, then doubles: only a full array (LEN a power of two) grows. */
  if (len != 0 && (len < 4 || (len & (len - 1)) != 0))
    return 0;
  size_t cap = len == 0 ? 4 : len * 2;
  void *bigger = realloc(*p, cap * size);
  if (bigger == NULL)
    return -1;
  *p = bigger;
  return 0;
}

/* Calls ITEM for each element of an array or object at ps->p. */
static struct json_value *parse_container(struct parser *ps, struct json_value *v, char close,
                                          int (*item)(struct parser *, struct json_value *))
{
  if (++ps->depth > JSON_MAX_DEPTH)
    return json_free(v), syntax_error(ps, "nested too deeply");
  ps->p++;
  skip_space(ps);
  if (ps->p < ps->end && *ps->p == close) {
    ps->p++;
    ps->depth--;
    return v;
  }
  for (;;) {
    if (item(ps, v) < 0)
      return json_free(v), NULL;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p++;
      continue;
    }
    if (ps->p < ps->end && *ps->p == close) {
      ps->p++;
      ps->depth--;
      return v;
    }
    return json_free(v), syntax_error(ps, "expected ',' or closing bracket");
  }
}

static int array_item(struct parser *ps, struct json_value *v)
{
  struct json_value *item = parse_value(ps);
  if (item == NULL)
    return -1;
  if (grow(&v->items, v->len, sizeof *v->items) < 0)
    return json_free(item), syntax_error(ps, "out of memory"), -1;
  v->items[v->len++] = item;
  return 0;
}

static int object_member(struct parser *ps, struct json_value *v)
{
  char *key;
  size_t key_len;
  skip_space(ps);
  if (ps->p >= ps->end || *ps->p != '"')
    return syntax_error(ps, "expected a member name"), -1;
  if (parse_string_text(ps, &key, &key_len) < 0)
    return -1;
  skip_space(ps);
  if (ps->p >= ps->end || *ps->p != ':')
    return free(key), syntax_error(ps, "expected ':'"), -1;
  ps->p++;
  struct json_value *value = parse_value(ps);
  if (value == NULL)
    return free(key), -1;
  if (grow(&v->members, v->len, sizeof *v->members) < 0)
    return free(key), json_free(value), syntax_error(ps, "out of memory"), -1;
  v->members[v->len].key = key;
  v->members[v->len++].value = value;
  return 0;
}

static struct json_value *parse_value(struct parser *ps)
{
  skip_space(ps);
  if (ps->p >= ps->end)
    return syntax_error(ps, "unexpected end of input");
  char c = *ps->p;
  if (c == '{' || c == '[') {
    struct json_value *v = new_value(ps, c == '{' ? JSON_OBJECT : JSON_ARRAY);
    if (v == NULL)
      return NULL;
    return parse_container(ps, v, c == '{' ? '}' : ']', c == '{' ? object_member : array_item);
  }
  if (c == '"')
    return parse_string(ps);
  if (c == '-' || (c >= '0' && c <= '9'))
    return parse_number(ps);
  return parse_literal(ps);
}

int json_parse(const char *text, size_t len, struct json_value **out, struct shim_err *err)
{
  struct parser ps = {.start = text, .p = text, .end = text + len, .err = err};
  struct json_value *v = parse_value(&ps);
  if (v == NULL)
    return -1;
  skip_space(&ps);
  if (ps.p != ps.end) {
    json_free(v);
    syntax_error(&ps, "trailing characters");
    return -1;
  }
  *out = v;
  return 0;
}

void json_free(struct json_value *v)
{
  if (v == NULL)
    return;
  if (v->type == JSON_ARRAY)
    for (size_t i = 0; i < v->len; i++)
      json_free(v->items[i]);
  if (v->type == JSON_OBJECT)
    for (size_t i = 0; i < v->len; i++) {
      free(v->members[i].key);
      json_free(v->members[i].value);
    }
  free(v->items);
  free(v->members);
  free(v->text);
  free(v);
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
  if (!json_is(obj, JSON_OBJECT))
    return NULL;
  for (size_t i = obj->len; i > 0; i--)
    if (strcmp(obj->members[i - 1].key, key) == 0)
      return obj->members[i - 1].value;
  return NULL;
}

const char *json_string(const struct json_value *v)
{
  return json_is(v, JSON_STRING) ? v->text : NULL;
}

int json_u64(const struct json_value *v, uint64_t *out)
{
  if (!json_is(v, JSON_NUMBER) || v->text[0] == '-' || strpbrk(v->text, ".eE") != NULL)
    return -1;
  errno = 0;
  unsigned long long n = strtoull(v->text, NULL, 10);
  if (errno == ERANGE)
    return -1;
  *out = n;
  return 0;
}
