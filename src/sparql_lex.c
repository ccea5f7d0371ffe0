/* sparql_lex.c: see sparql_lex.h. Follows the terminals of the SPARQL 1.1
 * grammar (section 19.8); bytes >= 0x80 count as name characters. */
#include "sparql_lex.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
  const char *text;
  size_t pos;
  int line, col;
  char *error;
} lexer;

static void lex_error(lexer *lx, int line, int col, const char *fmt, ...) {
  nkg_buf b = {0};
  va_list ap;
  char msg[256];
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  nkg_buf_printf(&b, "line %d, column %d: %s", line, col, msg);
  free(lx->error);
  lx->error = nkg_buf_steal(&b);
}

static void advance(lexer *lx, size_t n) {
  for (size_t i = 0; i < n && lx->text[lx->pos]; i++) {
    if (lx->text[lx->pos] == '\n') {
      lx->line++;
      lx->col = 1;
    } else if (((unsigned char)lx->text[lx->pos] & 0xC0) != 0x80) {
      lx->col++;
    }
    lx->pos++;
  }
}

static int is_base(unsigned char c) { return isalpha(c) || c >= 0x80; }
static int is_u(unsigned char c) { return is_base(c) || c == '_'; }
static int is_pn(unsigned char c) {
  return is_u(c) || c == '-' || isdigit(c);
}
static int is_ws(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skips spaces and comments. */
static void skip_ws(lexer *lx) {
  for (;;) {
    unsigned char c = (unsigned char)lx->text[lx->pos];
    if (is_ws(c)) {
      advance(lx, 1);
    } else if (c == '#') {
      while (lx->text[lx->pos] && lx->text[lx->pos] != '\n') advance(lx, 1);
    } else {
      return;
    }
  }
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Checks a \u or \U escape at p (pointing at the backslash); returns its
 * length or 0 when malformed or a surrogate. */
static size_t uescape(const char *p) {
  size_t n = p[1] == 'u' ? 4 : 8;
  unsigned long v = 0;
  for (size_t i = 0; i < n; i++) {
    int h = hexval(p[2 + i]);
    if (h < 0) return 0;
    v = v * 16 + (unsigned long)h;
  }
  if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return 0;
  return n + 2;
}

static int lex_string(lexer *lx, size_t *len) {
  const char *p = lx->text + lx->pos;
  char q = p[0];
  int longs = p[1] == q && p[2] == q;
  size_t i = longs ? 3 : 1;
  for (;;) {
    char c = p[i];
    if (!c) return -1;
    if (c == '\\') {
      char e = p[i + 1];
      if (e == 'u' || e == 'U') {
        size_t n = uescape(p + i);
        if (!n) return -2;
        i += n;
        continue;
      }
      if (!strchr("tbnrf\"'\\", e) || !e) return -2;
      i += 2;
      continue;
    }
    if (longs) {
      if (c == q && p[i + 1] == q && p[i + 2] == q) {
        i += 3;
        while (p[i] == q) i++; /* """a"""" ends at the last quotes */
        *len = i;
        return 0;
      }
    } else {
      if (c == '\n' || c == '\r') return -1;
      if (c == q) {
        *len = i + 1;
        return 0;
      }
    }
    i++;
  }
}

/* Length of a PN_LOCAL starting at p (0 if none). */
static size_t pn_local(const char *p) {
  size_t i = 0, last_ok = 0;
  for (;;) {
    unsigned char c = (unsigned char)p[i];
    if (c == '%' && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
      i += 3;
      last_ok = i;
    } else if (c == '\\' && p[i + 1] && strchr("_~.-!$&'()*+,;=/?#@%", p[i + 1])) {
      i += 2;
      last_ok = i;
    } else if (is_pn(c) || c == ':' || (isdigit(c))) {
      i++;
      last_ok = i;
    } else if (c == '.' && i > 0) {
      i++;
    } else {
      break;
    }
  }
  return last_ok;
}

int nkg_sq_tok_is(const nkg_sq_tok *t, const char *word) {
  size_t n = strlen(word);
  if ((t->type != SQ_WORD && t->type != SQ_PUNCT) || t->n != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)t->s[i]) != tolower((unsigned char)word[i]))
      return 0;
  return 1;
}

int nkg_sq_lex(const char *text, nkg_sq_tok **toks, size_t *ntoks,
               char **error) {
  lexer lx = {text, 0, 1, 1, NULL};
  size_t cap = 64, n = 0;
  nkg_sq_tok *v = nkg_xmalloc(cap * sizeof *v);
  *error = NULL;
  for (;;) {
    skip_ws(&lx);
    if (n + 1 >= cap) {
      cap *= 2;
      v = nkg_xrealloc(v, cap * sizeof *v);
    }
    nkg_sq_tok *t = &v[n];
    const char *p = text + lx.pos;
    unsigned char c = (unsigned char)*p;
    size_t len = 0;
    t->s = p;
    t->line = lx.line;
    t->col = lx.col;
    if (!c) {
      t->type = SQ_EOF;
      t->n = 0;
      n++;
      break;
    }
    if (c == '<') {
      size_t i = 1;
      while (p[i] && p[i] != '>' && !strchr("<\"{}|^`\\", p[i]) &&
             (unsigned char)p[i] > 0x20)
        i++;
      if (p[i] == '>') {
        t->type = SQ_IRI;
        len = i + 1;
      } else {
        t->type = SQ_PUNCT;
        len = p[1] == '=' ? 2 : 1;
      }
    } else if (c == '"' || c == '\'') {
      int r = lex_string(&lx, &len);
      if (r == -1) {
        lex_error(&lx, t->line, t->col, "unterminated string");
        goto fail;
      }
      if (r == -2) {
        lex_error(&lx, t->line, t->col, "bad escape in string");
        goto fail;
      }
      t->type = SQ_STRING;
    } else if (c == '?' || c == '$') {
      size_t i = 1;
      if (is_u((unsigned char)p[1]) || isdigit((unsigned char)p[1])) {
        while (is_u((unsigned char)p[i]) || isdigit((unsigned char)p[i]))
          i++;
        t->type = SQ_VAR;
        len = i;
      } else if (c == '?') {
        t->type = SQ_PUNCT;
        len = 1;
      } else {
        lex_error(&lx, t->line, t->col, "bad variable");
        goto fail;
      }
    } else if (c == '@') {
      size_t i = 1;
      while (isalpha((unsigned char)p[i])) i++;
      if (i == 1) {
        lex_error(&lx, t->line, t->col, "bad language tag");
        goto fail;
      }
      while (p[i] == '-' && isalnum((unsigned char)p[i + 1])) {
        i++;
        while (isalnum((unsigned char)p[i])) i++;
      }
      t->type = SQ_LANGTAG;
      len = i;
    } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)p[1]))) {
      size_t i = 0;
      t->type = SQ_INTEGER;
      while (isdigit((unsigned char)p[i])) i++;
      if (p[i] == '.' && isdigit((unsigned char)p[i + 1])) {
        i++;
        while (isdigit((unsigned char)p[i])) i++;
        t->type = SQ_DECIMAL;
      } else if (p[i] == '.' && (p[i + 1] == 'e' || p[i + 1] == 'E')) {
        i++;
        t->type = SQ_DECIMAL;
      }
      if (p[i] == 'e' || p[i] == 'E') {
        size_t j = i + 1;
        if (p[j] == '+' || p[j] == '-') j++;
        if (isdigit((unsigned char)p[j])) {
          while (isdigit((unsigned char)p[j])) j++;
          i = j;
          t->type = SQ_DOUBLE;
        } else if (t->type == SQ_DECIMAL && p[i - 1] == '.') {
          lex_error(&lx, t->line, t->col, "bad number");
          goto fail;
        }
      }
      len = i;
    } else if (c == '_' && p[1] == ':') {
      size_t i = 2;
      if (!(is_u((unsigned char)p[2]) || isdigit((unsigned char)p[2]))) {
        lex_error(&lx, t->line, t->col, "bad blank node label");
        goto fail;
      }
      size_t last = 3;
      i = 3;
      while (is_pn((unsigned char)p[i]) || p[i] == '.') {
        i++;
        if (p[i - 1] != '.') last = i;
      }
      t->type = SQ_BNODE;
      len = last;
    } else if (is_base(c) || c == ':') {
      /* a prefixed name or a word */
      size_t i = 0, last = 0;
      while (is_pn((unsigned char)p[i]) || p[i] == '.') {
        i++;
        if (p[i - 1] != '.') last = i;
      }
      if (p[last] == ':' && (last == i || c == ':')) {
        size_t l = pn_local(p + last + 1);
        t->type = l ? SQ_PNAME_LN : SQ_PNAME_NS;
        len = last + 1 + l;
      } else {
        size_t j = 0;
        while (isalnum((unsigned char)p[j]) || p[j] == '_') j++;
        if (j == 0) j = 1;
        t->type = SQ_WORD;
        len = j;
      }
    } else if (c == '(' || c == '[') {
      size_t i = 1;
      while (is_ws((unsigned char)p[i])) i++;
      if ((c == '(' && p[i] == ')') || (c == '[' && p[i] == ']')) {
        t->type = c == '(' ? SQ_NIL : SQ_ANON;
        len = i + 1;
      } else {
        t->type = SQ_PUNCT;
        len = 1;
      }
    } else {
      static const char *two[] = {"!=", "<=", ">=", "&&", "||", "^^"};
      t->type = SQ_PUNCT;
      len = 1;
      for (size_t k = 0; k < sizeof two / sizeof *two; k++)
        if (p[0] == two[k][0] && p[1] == two[k][1]) len = 2;
      if (len == 1 && !strchr("{}()[].,;*+-/!^|=<>", c)) {
        lex_error(&lx, t->line, t->col, "unexpected character '%c'", c);
        goto fail;
      }
    }
    t->n = len;
    advance(&lx, len);
    n++;
  }
  *toks = v;
  *ntoks = n;
  return 0;
fail:
  free(v);
  *error = lx.error;
  return -1;
}
