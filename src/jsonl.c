/* jsonl.c: see jsonl.h. A recursive-descent parser over one line; nesting
 * of skipped values is bounded so that a hostile line cannot exhaust the
 * stack. */
#define _POSIX_C_SOURCE 200809L
#include "jsonl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_DEPTH 64

struct nkg_jsonl_reader {
  char *path; /* for messages; "standard input" for "-" */
  FILE *f;
  int is_stdin;
  char *line;
  size_t cap;
  long lineno;
  size_t errors;
};

typedef struct {
  const char *s;
  size_t n, i;
  const char *err;
} parser;

static void ws(parser *p) {
  while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
                         p->s[p->i] == '\r' || p->s[p->i] == '\n'))
    p->i++;
}

static int fail(parser *p, const char *msg) {
  if (!p->err)
    p->err = msg;
  return -1;
}

static int hex4(parser *p, unsigned *v) {
  if (p->n - p->i < 4)
    return fail(p, "truncated \\u escape");
  *v = 0;
  for (int k = 0; k < 4; k++) {
    char c = p->s[p->i++];
    unsigned d;
    if (c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      return fail(p, "bad \\u escape");
    *v = *v * 16 + d;
  }
  return 0;
}

static void put_utf8(nkg_buf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp, n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
  } else {
    u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
  }
  nkg_buf_add(b, u, n);
}

/* A string at p->i (which is at '"'); appended to out if out is not NULL. */
static int string(parser *p, nkg_buf *out) {
  if (p->i >= p->n || p->s[p->i] != '"')
    return fail(p, "expected a string");
  p->i++;
  for (;;) {
    size_t run = p->i;
    while (p->i < p->n && p->s[p->i] != '"' && p->s[p->i] != '\\' &&
           (unsigned char)p->s[p->i] >= 0x20)
      p->i++;
    if (out && p->i > run)
      nkg_buf_add(out, p->s + run, p->i - run);
    if (p->i >= p->n)
      return fail(p, "unterminated string");
    char c = p->s[p->i++];
    if (c == '"')
      return 0;
    if (c != '\\')
      return fail(p, "control character in a string");
    if (p->i >= p->n)
      return fail(p, "unterminated string");
    char e = p->s[p->i++];
    unsigned cp;
    switch (e) {
    case '"': cp = '"'; break;
    case '\\': cp = '\\'; break;
    case '/': cp = '/'; break;
    case 'b': cp = '\b'; break;
    case 'f': cp = '\f'; break;
    case 'n': cp = '\n'; break;
    case 'r': cp = '\r'; break;
    case 't': cp = '\t'; break;
    case 'u':
      if (hex4(p, &cp))
        return -1;
      if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail(p, "lone low surrogate in \\u escape");
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        unsigned lo;
        if (p->n - p->i < 2 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
          return fail(p, "lone high surrogate in \\u escape");
        p->i += 2;
        if (hex4(p, &lo))
          return -1;
        if (lo < 0xDC00 || lo > 0xDFFF)
          return fail(p, "lone high surrogate in \\u escape");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
      if (cp == 0)
        return fail(p, "\\u0000 in a string");
      break;
    default:
      return fail(p, "bad escape in a string");
    }
    if (out)
      put_utf8(out, cp);
  }
}

static int literal(parser *p, const char *word) {
  size_t n = strlen(word);
  if (p->n - p->i < n || memcmp(p->s + p->i, word, n))
    return fail(p, "invalid value");
  p->i += n;
  return 0;
}

static int number(parser *p) {
  size_t start = p->i;
  if (p->i < p->n && p->s[p->i] == '-')
    p->i++;
  if (p->i >= p->n)
    return fail(p, "invalid number");
  if (p->s[p->i] == '0') {
    p->i++;
  } else if (p->s[p->i] >= '1' && p->s[p->i] <= '9') {
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
      p->i++;
  } else {
    return fail(p, "invalid number");
  }
  if (p->i < p->n && p->s[p->i] == '.') {
    p->i++;
    size_t d = p->i;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
      p->i++;
    if (p->i == d)
      return fail(p, "invalid number");
  }
  if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
    p->i++;
    if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
      p->i++;
    size_t d = p->i;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
      p->i++;
    if (p->i == d)
      return fail(p, "invalid number");
  }
  return p->i > start ? 0 : fail(p, "invalid number");
}

/* Any JSON value, checked and skipped. */
static int skip_value(parser *p, int depth) {
  if (depth > MAX_DEPTH)
    return fail(p, "nested too deeply");
  ws(p);
  if (p->i >= p->n)
    return fail(p, "expected a value");
  char c = p->s[p->i];
  if (c == '"')
    return string(p, NULL);
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    p->i++;
    ws(p);
    if (p->i < p->n && p->s[p->i] == close) {
      p->i++;
      return 0;
    }
    for (;;) {
      if (c == '{') {
        ws(p);
        if (string(p, NULL))
          return -1;
        ws(p);
        if (p->i >= p->n || p->s[p->i] != ':')
          return fail(p, "expected ':'");
        p->i++;
      }
      if (skip_value(p, depth + 1))
        return -1;
      ws(p);
      if (p->i < p->n && p->s[p->i] == ',') {
        p->i++;
        continue;
      }
      if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return 0;
      }
      return fail(p, c == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }
  if (c == 't')
    return literal(p, "true");
  if (c == 'f')
    return literal(p, "false");
  if (c == 'n')
    return literal(p, "null");
  return number(p);
}

enum { F_ID, F_URL, F_DATE, F_TITLE, F_TEXT, N_FIELDS };
static const char *const field_names[N_FIELDS] = {"id", "url", "date",
                                                   "title", "text"};

static int valid_date(const char *s, size_t n) {
  if (n < 10)
    return 0;
  for (int k = 0; k < 10; k++) {
    int digit = s[k] >= '0' && s[k] <= '9';
    if ((k == 4 || k == 7) ? s[k] != '-' : !digit)
      return 0;
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return 0;
  return n == 10 || s[10] == 'T' || s[10] == ' ';
}

int nkg_jsonl_parse(const char *s, size_t n, nkg_jsonl_article *a,
                    const char **err) {
  parser p = {.s = s, .n = n};
  nkg_buf val[N_FIELDS] = {{0}};
  int seen[N_FIELDS] = {0}, present[N_FIELDS] = {0};
  nkg_buf key = {0};
  memset(a, 0, sizeof *a);

  ws(&p);
  if (p.i >= p.n || p.s[p.i] != '{') {
    fail(&p, "not a JSON object");
    goto bad;
  }
  p.i++;
  ws(&p);
  if (p.i < p.n && p.s[p.i] == '}') {
    p.i++;
  } else {
    for (;;) {
      ws(&p);
      nkg_buf_clear(&key);
      if (string(&p, &key))
        goto bad;
      ws(&p);
      if (p.i >= p.n || p.s[p.i] != ':') {
        fail(&p, "expected ':'");
        goto bad;
      }
      p.i++;
      ws(&p);
      int f = -1;
      for (int k = 0; k < N_FIELDS && key.data; k++)
        if (strlen(key.data) == key.len && !strcmp(key.data, field_names[k]))
          f = k;
      if (f >= 0) {
        if (seen[f]) {
          fail(&p, "duplicate member");
          goto bad;
        }
        seen[f] = 1;
        if (p.i < p.n && p.s[p.i] == 'n') {
          if (literal(&p, "null"))
            goto bad;
        } else if (p.i < p.n && p.s[p.i] == '"') {
          if (string(&p, &val[f]))
            goto bad;
          if (!val[f].data)
            nkg_buf_add(&val[f], "", 0);
          present[f] = 1;
        } else {
          fail(&p, f == F_ID     ? "\"id\" is not a string"
                   : f == F_TEXT ? "\"text\" is not a string"
                   : f == F_URL  ? "\"url\" is not a string"
                   : f == F_DATE ? "\"date\" is not a string"
                                 : "\"title\" is not a string");
          goto bad;
        }
      } else if (skip_value(&p, 1)) {
        goto bad;
      }
      ws(&p);
      if (p.i < p.n && p.s[p.i] == ',') {
        p.i++;
        continue;
      }
      if (p.i < p.n && p.s[p.i] == '}') {
        p.i++;
        break;
      }
      fail(&p, "expected ',' or '}'");
      goto bad;
    }
  }
  ws(&p);
  if (p.i < p.n) {
    fail(&p, "data after the object");
    goto bad;
  }
  if (!present[F_ID] || val[F_ID].len == 0) {
    fail(&p, "no \"id\" (a non-empty string)");
    goto bad;
  }
  if (!present[F_TEXT]) {
    fail(&p, "no \"text\" (a string)");
    goto bad;
  }
  if (present[F_DATE] && val[F_DATE].len > 0) {
    if (!valid_date(val[F_DATE].data, val[F_DATE].len)) {
      fail(&p, "\"date\" does not start with YYYY-MM-DD");
      goto bad;
    }
    memcpy(a->date, val[F_DATE].data, 10);
    a->date[10] = '\0';
  }
  a->id = nkg_buf_steal(&val[F_ID]);
  a->text_len = val[F_TEXT].len;
  a->text = nkg_buf_steal(&val[F_TEXT]);
  if (present[F_URL])
    a->url = nkg_buf_steal(&val[F_URL]);
  if (present[F_TITLE]) {
    a->title_len = val[F_TITLE].len;
    a->title = nkg_buf_steal(&val[F_TITLE]);
  }
  for (int k = 0; k < N_FIELDS; k++)
    nkg_buf_free(&val[k]);
  nkg_buf_free(&key);
  return 0;

bad:
  for (int k = 0; k < N_FIELDS; k++)
    nkg_buf_free(&val[k]);
  nkg_buf_free(&key);
  *err = p.err ? p.err : "malformed line";
  return -1;
}

char *nkg_jsonl_article_text(const nkg_jsonl_article *a, size_t *len) {
  nkg_buf b = {0};
  for (size_t i = 0; a->title && i < a->title_len; i++) {
    char c = a->title[i];
    nkg_buf_addc(&b, c == '\n' || c == '\r' ? ' ' : c);
  }
  nkg_buf_addc(&b, '\n');
  if (a->date[0])
    nkg_buf_printf(&b, " date %s\n", a->date);
  nkg_buf_addc(&b, '\n');
  nkg_buf_add(&b, a->text ? a->text : "", a->text_len);
  *len = b.len;
  return nkg_buf_steal(&b);
}

void nkg_jsonl_article_free(nkg_jsonl_article *a) {
  if (!a)
    return;
  free(a->id);
  free(a->url);
  free(a->title);
  free(a->text);
  memset(a, 0, sizeof *a);
}

nkg_jsonl_reader *nkg_jsonl_open(const char *path) {
  nkg_jsonl_reader *r = nkg_xcalloc(1, sizeof *r);
  if (!strcmp(path, "-")) {
    r->f = stdin;
    r->is_stdin = 1;
    r->path = nkg_xstrdup("standard input");
    return r;
  }
  r->f = fopen(path, "rb");
  if (!r->f) {
    nkg_error("%s: %s", path, strerror(errno));
    free(r);
    return NULL;
  }
  r->path = nkg_xstrdup(path);
  return r;
}

int nkg_jsonl_next(nkg_jsonl_reader *r, nkg_jsonl_article *a) {
  for (;;) {
    errno = 0;
    ssize_t got = getline(&r->line, &r->cap, r->f);
    if (got < 0) {
      if (ferror(r->f)) {
        nkg_error("%s: read error: %s", r->path,
                  errno ? strerror(errno) : "I/O error");
        return -2;
      }
      return 0;
    }
    r->lineno++;
    size_t n = (size_t)got;
    if (n && r->line[n - 1] == '\n')
      n--;
    if (n && r->line[n - 1] == '\r')
      n--;
    if (n == 0)
      continue;
    const char *err;
    if (nkg_jsonl_parse(r->line, n, a, &err) == 0)
      return 1;
    nkg_error("%s:%ld: %s", r->path, r->lineno, err);
    r->errors++;
    return -1;
  }
}

size_t nkg_jsonl_errors(const nkg_jsonl_reader *r) { return r->errors; }

void nkg_jsonl_close(nkg_jsonl_reader *r) {
  if (!r)
    return;
  if (!r->is_stdin && r->f)
    fclose(r->f);
  free(r->line);
  free(r->path);
  free(r);
}
