/* sparql_parse.c: recursive descent over the SPARQL 1.1 query grammar
 * (section 19.8 of the recommendation), building the tree of sparql_ast.h.
 * Function names follow the grammar's rule names. */
#include "sparql_ast.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raptor2.h>

#include "util.h"

/* ---- arena ---------------------------------------------------------- */

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  char data[];
} chunk;

void *nkg_sq_alloc(sq_ast *ast, size_t n) {
  chunk *c = ast->arena;
  n = (n + 15) & ~(size_t)15;
  if (!c || c->used + n > c->cap) {
    size_t cap = n > 65536 ? n : 65536;
    chunk *d = nkg_xmalloc(sizeof *d + cap);
    d->next = c;
    d->used = 0;
    d->cap = cap;
    ast->arena = c = d;
  }
  void *p = c->data + c->used;
  c->used += n;
  memset(p, 0, n);
  return p;
}

static char *arena_strdup(sq_ast *ast, const char *s, size_t n) {
  char *p = nkg_sq_alloc(ast, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void nkg_sq_free(sq_ast *ast) {
  if (!ast) return;
  chunk *c = ast->arena;
  while (c) {
    chunk *n = c->next;
    free(c);
    c = n;
  }
  free(ast->toks);
  if (ast->own_terms) nkg_terms_free(ast->terms);
  free(ast);
}

/* Growable arrays of pointers in the arena (copied on growth). */
typedef struct {
  void **v;
  size_t n, cap;
} vec;

static void vec_push(sq_ast *a, vec *v, void *p) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 8;
    void **w = nkg_sq_alloc(a, cap * sizeof *w);
    if (v->n) memcpy(w, v->v, v->n * sizeof *w);
    v->v = w;
    v->cap = cap;
  }
  v->v[v->n++] = p;
}

/* ---- parser state --------------------------------------------------- */

typedef struct {
  const char **v;
  size_t n, cap;
} nameset;

typedef struct {
  sq_ast *a;
  size_t i;
  jmp_buf jb;
  char *error;
  int bnode_gen;
  int agg_ok;   /* aggregates allowed in the current expression */
  int saw_agg;
  nameset *vars; /* variables mentioned, when collecting */
  nameset *outer_vars; /* variables outside aggregates, when collecting */
  int in_agg;
  int depth;     /* nesting of () {} [] paths and expressions */
  vec aggs;      /* X_AGG nodes of the current query */
} parser;

static void ns_add(sq_ast *a, nameset *s, const char *name) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->v[i], name)) return;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    const char **w = nkg_sq_alloc(a, cap * sizeof *w);
    if (s->n) memcpy(w, s->v, s->n * sizeof *w);
    s->v = w;
    s->cap = cap;
  }
  s->v[s->n++] = name;
}

static int ns_has(const nameset *s, const char *name) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->v[i], name)) return 1;
  return 0;
}

static __attribute__((noreturn)) void fail_at(parser *p, const nkg_sq_tok *t,
                                               const char *fmt, ...) {
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  nkg_buf b = {0};
  nkg_buf_printf(&b, "line %d, column %d: %s", t->line, t->col, msg);
  p->error = nkg_buf_steal(&b);
  longjmp(p->jb, 1);
}

static const nkg_sq_tok *peek(parser *p) { return &p->a->toks[p->i]; }
static const nkg_sq_tok *peek2(parser *p) {
  return p->i + 1 < p->a->ntoks ? &p->a->toks[p->i + 1] : peek(p);
}
static const nkg_sq_tok *next(parser *p) {
  const nkg_sq_tok *t = peek(p);
  if (t->type != SQ_EOF) p->i++;
  return t;
}
static int is(parser *p, const char *w) { return nkg_sq_tok_is(peek(p), w); }
static int accept(parser *p, const char *w) {
  if (is(p, w)) {
    p->i++;
    return 1;
  }
  return 0;
}

static __attribute__((noreturn)) void unexpected(parser *p,
                                                 const char *wanted) {
  const nkg_sq_tok *t = peek(p);
  if (t->type == SQ_EOF) fail_at(p, t, "expected %s, found end of query", wanted);
  fail_at(p, t, "expected %s, found '%.*s'", wanted, (int)(t->n > 40 ? 40 : t->n),
          t->s);
}

static void expect(parser *p, const char *w) {
  if (!accept(p, w)) {
    char want[40];
    snprintf(want, sizeof want, "'%s'", w);
    unexpected(p, want);
  }
}

/* The name of a variable token, without '?' or '$'; fails on any other. */
static const char *var_name(parser *p, const nkg_sq_tok *t) {
  if (t->type != SQ_VAR || t->n < 2) fail_at(p, t, "expected a variable");
  return arena_strdup(p->a, t->s + 1, t->n - 1);
}

/* The index of a variable (or "_:label" blank node) in the table. */
static int var_index(sq_ast *a, const char *name) {
  for (size_t i = 0; i < a->nvars; i++)
    if (!strcmp(a->vars[i], name)) return (int)i;
  if (a->nvars == a->capvars) {
    size_t cap = a->capvars ? a->capvars * 2 : 16;
    const char **w = nkg_sq_alloc(a, cap * sizeof *w);
    if (a->nvars) memcpy(w, a->vars, a->nvars * sizeof *w);
    a->vars = w;
    a->capvars = cap;
  }
  a->vars[a->nvars] = name;
  return (int)a->nvars++;
}

/* Entering one more level of nesting at token t. */
static void deeper(parser *p, const nkg_sq_tok *t) {
  if (++p->depth > NKG_SQ_MAX_DEPTH) fail_at(p, t, "query nested too deeply");
}

static void note_var(parser *p, const char *name) {
  if (p->vars) ns_add(p->a, p->vars, name);
  if (p->outer_vars && !p->in_agg) ns_add(p->a, p->outer_vars, name);
}

/* ---- terms ---------------------------------------------------------- */

/* The IRI a prefixed-name token stands for (escapes removed), or NULL when
 * its prefix is not declared. */
static const char *expand(sq_ast *a, const nkg_sq_tok *t) {
  size_t colon = 0;
  while (colon < t->n && t->s[colon] != ':') colon++;
  const char *ns = NULL;
  for (size_t k = a->npfx; k-- > 0;)
    if (strlen(a->pfx[k]) == colon && !memcmp(a->pfx[k], t->s, colon)) {
      ns = a->pfx_iri[k];
      break;
    }
  if (!ns) return NULL;
  nkg_buf b = {0};
  nkg_buf_adds(&b, ns);
  for (size_t i = colon + 1; i < t->n; i++) {
    if (t->s[i] == '\\' && i + 1 < t->n) i++;
    nkg_buf_addc(&b, t->s[i]);
  }
  char *r = arena_strdup(a, b.data, b.len);
  nkg_buf_free(&b);
  return r;
}

static void put_utf8(nkg_buf *b, unsigned long v) {
  if (v < 0x80) {
    nkg_buf_addc(b, (char)v);
  } else if (v < 0x800) {
    nkg_buf_addc(b, (char)(0xC0 | (v >> 6)));
    nkg_buf_addc(b, (char)(0x80 | (v & 0x3F)));
  } else if (v < 0x10000) {
    nkg_buf_addc(b, (char)(0xE0 | (v >> 12)));
    nkg_buf_addc(b, (char)(0x80 | ((v >> 6) & 0x3F)));
    nkg_buf_addc(b, (char)(0x80 | (v & 0x3F)));
  } else {
    nkg_buf_addc(b, (char)(0xF0 | (v >> 18)));
    nkg_buf_addc(b, (char)(0x80 | ((v >> 12) & 0x3F)));
    nkg_buf_addc(b, (char)(0x80 | ((v >> 6) & 0x3F)));
    nkg_buf_addc(b, (char)(0x80 | (v & 0x3F)));
  }
}

/* The value of a string token, escapes decoded. */
static const char *string_value(parser *p, const nkg_sq_tok *t) {
  size_t q = (t->n >= 6 && t->s[1] == t->s[0] && t->s[2] == t->s[0]) ? 3 : 1;
  nkg_buf b = {0};
  nkg_buf_adds(&b, "");
  for (size_t i = q; i < t->n - q; i++) {
    char c = t->s[i];
    if (c != '\\') {
      nkg_buf_addc(&b, c);
      continue;
    }
    c = t->s[++i];
    switch (c) {
      case 't': nkg_buf_addc(&b, '\t'); break;
      case 'b': nkg_buf_addc(&b, '\b'); break;
      case 'n': nkg_buf_addc(&b, '\n'); break;
      case 'r': nkg_buf_addc(&b, '\r'); break;
      case 'f': nkg_buf_addc(&b, '\f'); break;
      case 'u':
      case 'U': {
        size_t n = c == 'u' ? 4 : 8;
        unsigned long v = strtoul(arena_strdup(p->a, t->s + i + 1, n), NULL, 16);
        put_utf8(&b, v);
        i += n;
        break;
      }
      default: nkg_buf_addc(&b, c);
    }
  }
  const char *r = arena_strdup(p->a, b.data, b.len);
  nkg_buf_free(&b);
  return r;
}

/* A term; name is the variable's name (T_VAR) or the blank node's "_:label"
 * (T_BNODE), which gets an index in the variable table, else NULL. */
static sq_term *new_term(parser *p, sq_term_kind k, const char *name) {
  sq_term *t = nkg_sq_alloc(p->a, sizeof *t);
  t->kind = k;
  t->var = name ? var_index(p->a, name) : -1;
  return t;
}

static sq_term *iri_term(parser *p, const char *iri) {
  sq_term *t = new_term(p, T_IRI, NULL);
  t->iri = iri;
  t->id = nkg_terms_iri(p->a->terms, iri);
  return t;
}

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD_NS "http://www.w3.org/2001/XMLSchema#"

static int at_iri(parser *p) {
  nkg_sq_toktype k = peek(p)->type;
  return k == SQ_IRI || k == SQ_PNAME_LN || k == SQ_PNAME_NS;
}

/* iri made absolute against the base IRI, when there is one. */
static const char *resolve(parser *p, const char *iri) {
  const char *base = p->a->base;
  if (!base) return iri;
  const char *c = iri;
  if (isalpha((unsigned char)*c)) {
    while (isalnum((unsigned char)*c) || *c == '+' || *c == '-' || *c == '.')
      c++;
    if (*c == ':') return iri; /* has a scheme */
  }
  size_t n = strlen(base) + strlen(iri) + 8;
  char *buf = nkg_sq_alloc(p->a, n);
  if (!raptor_uri_resolve_uri_reference((const unsigned char *)base,
                                        (const unsigned char *)iri,
                                        (unsigned char *)buf, n))
    return iri;
  return buf;
}

static sq_term *iri(parser *p) {
  const nkg_sq_tok *t = next(p);
  if (t->type == SQ_IRI)
    return iri_term(p, resolve(p, arena_strdup(p->a, t->s + 1, t->n - 2)));
  if (t->type == SQ_PNAME_LN || t->type == SQ_PNAME_NS) {
    const char *e = expand(p->a, t);
    if (!e) {
      size_t c = 0;
      while (c < t->n && t->s[c] != ':') c++;
      fail_at(p, t, "prefix '%.*s:' of '%.*s' is not declared", (int)c, t->s,
              (int)(t->n > 60 ? 60 : t->n), t->s);
    }
    return iri_term(p, e);
  }
  p->i--;
  unexpected(p, "an IRI");
}

static sq_term *fresh_bnode(parser *p) {
  char buf[32];
  snprintf(buf, sizeof buf, "_:nkgb%d", ++p->bnode_gen);
  return new_term(p, T_BNODE, arena_strdup(p->a, buf, strlen(buf)));
}

static int at_number(parser *p) {
  nkg_sq_toktype k = peek(p)->type;
  return k == SQ_INTEGER || k == SQ_DECIMAL || k == SQ_DOUBLE;
}

/* RDFLiteral, NumericLiteral (with sign), BooleanLiteral. */
static sq_term *literal(parser *p) {
  const nkg_sq_tok *t = peek(p);
  nkg_buf b = {0};
  sq_term *r;
  if (t->type == SQ_STRING) {
    next(p);
    const char *val = string_value(p, t);
    const char *lang = NULL, *dt = NULL;
    if (peek(p)->type == SQ_LANGTAG) {
      const nkg_sq_tok *l = next(p);
      lang = arena_strdup(p->a, l->s + 1, l->n - 1);
    } else if (accept(p, "^^")) {
      dt = iri(p)->iri;
    }
    r = new_term(p, T_LIT, NULL);
    r->value = val;
    r->lang = lang;
    r->dt = dt;
    r->id = nkg_terms_intern(p->a->terms, NKG_T_LIT, val, strlen(val), lang,
                             dt);
  } else {
    const char *sign = "";
    if (is(p, "+") || is(p, "-")) {
      sign = next(p)->s[0] == '-' ? "-" : "+";
      if (!at_number(p)) unexpected(p, "a number");
    }
    t = peek(p);
    if (at_number(p)) {
      next(p);
      nkg_buf_adds(&b, sign);
      nkg_buf_add(&b, t->s, t->n);
      r = new_term(p, T_LIT, NULL);
      r->value = arena_strdup(p->a, b.data, b.len);
      r->dt = t->type == SQ_INTEGER   ? XSD_NS "integer"
              : t->type == SQ_DECIMAL ? XSD_NS "decimal"
                                      : XSD_NS "double";
      r->id = nkg_terms_intern(p->a->terms, NKG_T_LIT, r->value,
                               strlen(r->value), NULL, r->dt);
    } else if (is(p, "true") || is(p, "false")) {
      next(p);
      const char *v = (t->s[0] == 't' || t->s[0] == 'T') ? "true" : "false";
      r = new_term(p, T_LIT, NULL);
      r->value = v;
      r->dt = XSD_NS "boolean";
      r->id = nkg_terms_intern(p->a->terms, NKG_T_LIT, v, strlen(v), NULL,
                               r->dt);
    } else {
      unexpected(p, "a literal");
    }
  }
  nkg_buf_free(&b);
  return r;
}

static int at_literal(parser *p) {
  const nkg_sq_tok *t = peek(p);
  return t->type == SQ_STRING || at_number(p) || is(p, "true") ||
         is(p, "false") ||
         ((is(p, "+") || is(p, "-")) &&
          (peek2(p)->type == SQ_INTEGER || peek2(p)->type == SQ_DECIMAL ||
           peek2(p)->type == SQ_DOUBLE));
}

/* VarOrTerm without collections and property lists. */
static sq_term *var_or_term(parser *p) {
  const nkg_sq_tok *t = peek(p);
  if (t->type == SQ_VAR) {
    next(p);
    const char *name = var_name(p, t);
    note_var(p, name);
    return new_term(p, T_VAR, name);
  }
  if (at_iri(p)) return iri(p);
  if (t->type == SQ_BNODE) {
    next(p);
    return new_term(p, T_BNODE, arena_strdup(p->a, t->s, t->n));
  }
  if (t->type == SQ_ANON) {
    next(p);
    return fresh_bnode(p);
  }
  if (t->type == SQ_NIL) {
    next(p);
    return iri_term(p, RDF_NS "nil");
  }
  if (at_literal(p)) return literal(p);
  unexpected(p, "a variable or an RDF term");
}

static sq_term *var(parser *p) {
  if (peek(p)->type != SQ_VAR) unexpected(p, "a variable");
  return var_or_term(p);
}

/* ---- expressions ---------------------------------------------------- */

static sq_group *group_graph_pattern(parser *p);

static nkg_x *expression(parser *p);

static const char *builtins[] = {
    "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI", "BNODE",
    "RAND", "ABS", "CEIL", "FLOOR", "ROUND", "CONCAT", "STRLEN", "UCASE",
    "LCASE", "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS", "STRENDS",
    "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES",
    "SECONDS", "TIMEZONE", "TZ", "NOW", "UUID", "STRUUID", "MD5", "SHA1",
    "SHA256", "SHA384", "SHA512", "COALESCE", "IF", "STRLANG", "STRDT",
    "sameTerm", "isIRI", "isURI", "isBLANK", "isLITERAL", "isNUMERIC",
    "REGEX", "SUBSTR", "REPLACE", NULL};
static const char *aggregates[] = {"COUNT", "SUM", "MIN", "MAX", "AVG",
                                   "SAMPLE", "GROUP_CONCAT", NULL};

static int in_list(const nkg_sq_tok *t, const char **list) {
  for (size_t i = 0; list[i]; i++)
    if (nkg_sq_tok_is(t, list[i])) return 1;
  return 0;
}

static nkg_x *new_x(parser *p, nkg_x_kind k) {
  nkg_x *x = nkg_sq_alloc(p->a, sizeof *x);
  x->kind = k;
  x->var = -1;
  x->agg_index = -1;
  return x;
}

static nkg_x *x2(parser *p, nkg_x_kind k, nkg_x *a, nkg_x *b) {
  nkg_x *x = new_x(p, k);
  x->args = nkg_sq_alloc(p->a, 2 * sizeof *x->args);
  x->args[0] = a;
  x->args[1] = b;
  x->nargs = b ? 2 : 1;
  return x;
}

static void set_args(parser *p, nkg_x *x, vec *v) {
  x->args = (nkg_x **)v->v;
  x->nargs = v->n;
  (void)p;
}

static nkg_x *term_x(parser *p, const sq_term *t) {
  nkg_x *x;
  if (t->kind == T_VAR || t->kind == T_BNODE) {
    x = new_x(p, X_VAR);
    x->var = t->var;
  } else {
    x = new_x(p, X_CONST);
    x->term = t->id;
  }
  return x;
}

static char *upper(parser *p, const nkg_sq_tok *t) {
  char *s = arena_strdup(p->a, t->s, t->n);
  for (char *c = s; *c; c++) *c = (char)toupper((unsigned char)*c);
  return s;
}

static void arg_list(parser *p, nkg_x *call, int allow_distinct) {
  vec v = {0};
  if (peek(p)->type == SQ_NIL) {
    next(p);
    set_args(p, call, &v);
    return;
  }
  expect(p, "(");
  if (allow_distinct && accept(p, "DISTINCT")) call->distinct = 1;
  vec_push(p->a, &v, expression(p));
  while (accept(p, ",")) vec_push(p->a, &v, expression(p));
  expect(p, ")");
  set_args(p, call, &v);
}

static nkg_x *exists_call(parser *p, int neg) {
  int agg_ok = p->agg_ok;
  p->agg_ok = 0;
  nameset *ov = p->outer_vars;
  p->outer_vars = NULL;
  sq_group *g = group_graph_pattern(p);
  p->outer_vars = ov;
  p->agg_ok = agg_ok;
  nkg_x *r = new_x(p, neg ? X_NOT_EXISTS : X_EXISTS);
  r->pattern = g;
  return r;
}

static nkg_x *primary(parser *p) {
  const nkg_sq_tok *t = peek(p);
  if (accept(p, "(")) {
    deeper(p, t);
    nkg_x *r = expression(p);
    expect(p, ")");
    p->depth--;
    return r;
  }
  if (t->type == SQ_VAR) return term_x(p, var_or_term(p));
  if (at_literal(p) && !is(p, "+") && !is(p, "-")) return term_x(p, literal(p));
  if (at_iri(p)) {
    const sq_term *f = iri(p);
    if (peek(p)->type == SQ_NIL || is(p, "(")) {
      nkg_x *r = new_x(p, X_FUNC);
      r->name = f->iri;
      arg_list(p, r, 1);
      return r;
    }
    return term_x(p, f);
  }
  if (t->type != SQ_WORD) unexpected(p, "an expression");
  if (nkg_sq_tok_is(t, "NOT") && nkg_sq_tok_is(peek2(p), "EXISTS")) {
    p->i += 2;
    return exists_call(p, 1);
  }
  if (nkg_sq_tok_is(t, "EXISTS")) {
    p->i++;
    return exists_call(p, 0);
  }
  if (in_list(t, aggregates)) {
    if (!p->agg_ok || p->in_agg)
      fail_at(p, t, "aggregate %.*s not allowed here", (int)t->n, t->s);
    p->saw_agg = 1;
    p->in_agg = 1;
    nkg_x *r = new_x(p, X_AGG);
    r->name = upper(p, t);
    next(p);
    expect(p, "(");
    r->distinct = accept(p, "DISTINCT");
    if (nkg_sq_tok_is(t, "COUNT") && accept(p, "*")) {
      r->star = 1;
    } else {
      vec v = {0};
      vec_push(p->a, &v, expression(p));
      set_args(p, r, &v);
    }
    if (nkg_sq_tok_is(t, "GROUP_CONCAT") && accept(p, ";")) {
      expect(p, "SEPARATOR");
      expect(p, "=");
      if (peek(p)->type != SQ_STRING) unexpected(p, "a string");
      const sq_term *sep = literal(p);
      r->separator = sep->value;
    }
    expect(p, ")");
    p->in_agg = 0;
    r->agg_index = (int)p->aggs.n;
    vec_push(p->a, &p->aggs, r);
    return r;
  }
  if (in_list(t, builtins)) {
    next(p);
    nkg_x *r = new_x(p, X_CALL);
    r->name = nkg_sq_tok_is(t, "URI") ? "IRI" : upper(p, t);
    if (nkg_sq_tok_is(t, "BOUND")) {
      expect(p, "(");
      vec v = {0};
      vec_push(p->a, &v, term_x(p, var(p)));
      set_args(p, r, &v);
      expect(p, ")");
      return r;
    }
    if (peek(p)->type == SQ_NIL) {
      if (!(nkg_sq_tok_is(t, "RAND") || nkg_sq_tok_is(t, "NOW") ||
            nkg_sq_tok_is(t, "UUID") || nkg_sq_tok_is(t, "STRUUID") ||
            nkg_sq_tok_is(t, "BNODE") || nkg_sq_tok_is(t, "CONCAT") ||
            nkg_sq_tok_is(t, "COALESCE")))
        unexpected(p, "arguments");
      next(p);
      return r;
    }
    arg_list(p, r, 0);
    return r;
  }
  if (nkg_sq_tok_is(t, "true") || nkg_sq_tok_is(t, "false"))
    return term_x(p, literal(p));
  fail_at(p, t, "unknown function or keyword '%.*s'", (int)t->n, t->s);
}

static nkg_x *unary(parser *p) {
  const nkg_sq_tok *t = peek(p);
  nkg_x_kind k;
  if (accept(p, "!")) {
    k = X_NOT;
  } else if (accept(p, "+")) {
    k = X_PLUS;
  } else if (accept(p, "-")) {
    k = X_NEG;
  } else {
    return primary(p);
  }
  deeper(p, t);
  nkg_x *r = x2(p, k, unary(p), NULL);
  p->depth--;
  return r;
}

/* The operators of a left-associative chain make a tree as deep as the
 * chain is long: each counts as a level of nesting. */
static nkg_x *multiplicative(parser *p) {
  int d = p->depth;
  nkg_x *r = unary(p);
  for (;;) {
    const nkg_sq_tok *t = peek(p);
    if (accept(p, "*")) {
      deeper(p, t);
      r = x2(p, X_MUL, r, unary(p));
    } else if (accept(p, "/")) {
      deeper(p, t);
      r = x2(p, X_DIV, r, unary(p));
    } else {
      break;
    }
  }
  p->depth = d;
  return r;
}

static nkg_x *additive(parser *p) {
  int d = p->depth;
  nkg_x *r = multiplicative(p);
  for (;;) {
    const nkg_sq_tok *t = peek(p);
    if (accept(p, "+")) {
      deeper(p, t);
      r = x2(p, X_ADD, r, multiplicative(p));
    } else if (accept(p, "-")) {
      deeper(p, t);
      r = x2(p, X_SUB, r, multiplicative(p));
    } else {
      break;
    }
  }
  p->depth = d;
  return r;
}

static nkg_x *relational(parser *p) {
  nkg_x *r = additive(p);
  static const struct {
    const char *op;
    nkg_x_kind k;
  } ops[] = {{"=", X_EQ},  {"!=", X_NE}, {"<", X_LT},
             {">", X_GT},  {"<=", X_LE}, {">=", X_GE}};
  for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
    if (accept(p, ops[k].op)) return x2(p, ops[k].k, r, additive(p));
  if (is(p, "IN") || (is(p, "NOT") && nkg_sq_tok_is(peek2(p), "IN"))) {
    nkg_x *in = new_x(p, accept(p, "NOT") ? X_NOTIN : X_IN);
    next(p);
    vec v = {0};
    vec_push(p->a, &v, r);
    if (peek(p)->type == SQ_NIL) {
      next(p);
    } else {
      expect(p, "(");
      vec_push(p->a, &v, expression(p));
      while (accept(p, ",")) vec_push(p->a, &v, expression(p));
      expect(p, ")");
    }
    set_args(p, in, &v);
    return in;
  }
  return r;
}

static nkg_x *and_expr(parser *p) {
  int d = p->depth;
  nkg_x *r = relational(p);
  for (;;) {
    const nkg_sq_tok *t = peek(p);
    if (!accept(p, "&&")) break;
    deeper(p, t);
    r = x2(p, X_AND, r, relational(p));
  }
  p->depth = d;
  return r;
}

static nkg_x *expression(parser *p) {
  const nkg_sq_tok *t0 = peek(p);
  deeper(p, t0);
  int d = p->depth;
  nkg_x *r = and_expr(p);
  for (;;) {
    const nkg_sq_tok *t = peek(p);
    if (!accept(p, "||")) break;
    deeper(p, t);
    r = x2(p, X_OR, r, and_expr(p));
  }
  p->depth = d - 1;
  return r;
}

/* Constraint: BrackettedExpression | BuiltInCall | FunctionCall. */
static nkg_x *constraint(parser *p) {
  size_t t0 = p->i;
  nkg_x *r;
  if (is(p, "(")) {
    next(p);
    r = expression(p);
    expect(p, ")");
  } else if (peek(p)->type == SQ_WORD || at_iri(p)) {
    r = primary(p);
    if (r->kind == X_CONST || r->kind == X_VAR) {
      p->i = t0;
      unexpected(p, "a constraint");
    }
  } else {
    unexpected(p, "a constraint");
  }
  return r;
}

/* ---- paths and triples ---------------------------------------------- */

static sq_path *new_path(parser *p, sq_path_kind k) {
  sq_path *r = nkg_sq_alloc(p->a, sizeof *r);
  r->kind = k;
  return r;
}

static sq_path *path_alt(parser *p);

static const sq_term *iri_or_a(parser *p) {
  if (accept(p, "a")) return iri_term(p, RDF_NS "type");
  return iri(p);
}

static sq_path *path_primary(parser *p) {
  if (at_iri(p) || is(p, "a")) {
    sq_path *r = new_path(p, P_LINK);
    r->iri = iri_or_a(p);
    return r;
  }
  const nkg_sq_tok *t = peek(p);
  if (accept(p, "(")) {
    deeper(p, t);
    sq_path *r = path_alt(p);
    expect(p, ")");
    p->depth--;
    return r;
  }
  if (accept(p, "!")) {
    sq_path *r = new_path(p, P_NPS);
    vec m = {0};
    vec inv = {0};
    int paren = accept(p, "(");
    if (paren && peek(p)->type == SQ_NIL) unexpected(p, "a property");
    do {
      int v = accept(p, "^");
      vec_push(p->a, &m, (void *)iri_or_a(p));
      vec_push(p->a, &inv, (void *)(size_t)v);
    } while (paren && accept(p, "|"));
    if (paren) expect(p, ")");
    r->nps = (const sq_term **)m.v;
    r->nnps = m.n;
    r->nps_inv = nkg_sq_alloc(p->a, m.n * sizeof(int));
    for (size_t k = 0; k < m.n; k++) r->nps_inv[k] = (int)(size_t)inv.v[k];
    return r;
  }
  unexpected(p, "a property path");
}

static sq_path *wrap(parser *p, sq_path_kind k, sq_path *kid) {
  sq_path *r = new_path(p, k);
  r->kids = nkg_sq_alloc(p->a, sizeof *r->kids);
  r->kids[0] = kid;
  r->nkids = 1;
  return r;
}

static sq_path *path_elt_or_inverse(parser *p) {
  int inv = 0;
  while (is(p, "^")) {
    deeper(p, peek(p));
    next(p);
    inv++;
  }
  p->depth -= inv;
  sq_path *r = path_primary(p);
  if (is(p, "*")) {
    next(p);
    r = wrap(p, P_STAR, r);
  } else if (is(p, "+")) {
    next(p);
    r = wrap(p, P_PLUS, r);
  } else if (is(p, "?")) {
    next(p);
    r = wrap(p, P_OPT, r);
  } else if (is(p, "{")) {
    fail_at(p, peek(p), "path length ranges {n,m} are not SPARQL 1.1");
  }
  while (inv-- > 0) r = wrap(p, P_INV, r);
  return r;
}

static sq_path *path_list(parser *p, sq_path_kind k, sq_path *first,
                          sq_path *(*sub)(parser *), const char *sep) {
  if (!is(p, sep)) return first;
  vec v = {0};
  vec_push(p->a, &v, first);
  while (accept(p, sep)) vec_push(p->a, &v, sub(p));
  sq_path *r = new_path(p, k);
  r->kids = (sq_path **)v.v;
  r->nkids = v.n;
  return r;
}

static sq_path *path_seq(parser *p) {
  return path_list(p, P_SEQ, path_elt_or_inverse(p), path_elt_or_inverse, "/");
}

static sq_path *path_alt(parser *p) {
  return path_list(p, P_ALT, path_seq(p), path_seq, "|");
}

typedef struct {
  vec triples; /* of sq_triple* */
  int complex;
  int paths_ok;
} triples_ctx;

static void add_triple(parser *p, triples_ctx *c, const sq_term *s,
                       const sq_term *pred, sq_path *path, const sq_term *o) {
  sq_triple *t = nkg_sq_alloc(p->a, sizeof *t);
  t->s = s;
  t->o = o;
  if (path && path->kind == P_LINK) {
    t->pred = path->iri;
  } else if (path) {
    t->path = path;
    c->complex = 1;
  } else {
    t->pred = pred;
  }
  vec_push(p->a, &c->triples, t);
}

static void property_list(parser *p, triples_ctx *c, const sq_term *s);

static int at_term_start(parser *p) {
  const nkg_sq_tok *t = peek(p);
  return t->type == SQ_VAR || at_iri(p) || t->type == SQ_BNODE ||
         t->type == SQ_ANON || t->type == SQ_NIL || at_literal(p) ||
         is(p, "(") || is(p, "[");
}

/* GraphNodePath: a term, a collection or a blank node property list. */
static const sq_term *graph_node(parser *p, triples_ctx *c) {
  const nkg_sq_tok *t = peek(p);
  if (accept(p, "[")) {
    deeper(p, t);
    sq_term *b = fresh_bnode(p);
    property_list(p, c, b);
    expect(p, "]");
    p->depth--;
    return b;
  }
  if (accept(p, "(")) {
    deeper(p, t);
    vec items = {0};
    while (!is(p, ")")) {
      if (peek(p)->type == SQ_EOF) unexpected(p, "')'");
      vec_push(p->a, &items, (void *)graph_node(p, c));
    }
    next(p);
    sq_term *head = NULL, *prev = NULL;
    for (size_t k = 0; k < items.n; k++) {
      sq_term *cell = fresh_bnode(p);
      if (!head) head = cell;
      if (prev) add_triple(p, c, prev, iri_term(p, RDF_NS "rest"), NULL, cell);
      add_triple(p, c, cell, iri_term(p, RDF_NS "first"), NULL, items.v[k]);
      prev = cell;
    }
    add_triple(p, c, prev, iri_term(p, RDF_NS "rest"), NULL,
               iri_term(p, RDF_NS "nil"));
    p->depth--;
    return head;
  }
  return var_or_term(p);
}

static void object_list(parser *p, triples_ctx *c, const sq_term *s,
                        const sq_term *pred, sq_path *path) {
  do {
    const sq_term *o = graph_node(p, c);
    add_triple(p, c, s, pred, path, o);
  } while (accept(p, ","));
}

static void property_list(parser *p, triples_ctx *c, const sq_term *s) {
  for (;;) {
    if (peek(p)->type == SQ_VAR) {
      const sq_term *v = var_or_term(p);
      object_list(p, c, s, v, NULL);
    } else if (c->paths_ok) {
      sq_path *path = path_alt(p);
      object_list(p, c, s, NULL, path);
    } else {
      const sq_term *pr = iri_or_a(p);
      object_list(p, c, s, pr, NULL);
    }
    if (!accept(p, ";")) return;
    while (accept(p, ";")) {
    }
    if (is(p, ".") || is(p, "}") || is(p, "]") || peek(p)->type == SQ_EOF ||
        is(p, "{") || is(p, "OPTIONAL") || is(p, "FILTER") || is(p, "MINUS") ||
        is(p, "BIND") || is(p, "VALUES") || is(p, "GRAPH") ||
        is(p, "SERVICE"))
      return;
  }
}

/* TriplesSameSubjectPath. */
static void triples_same_subject(parser *p, triples_ctx *c) {
  if (is(p, "[")) {
    const sq_term *s = graph_node(p, c);
    if (!is(p, ".") && !is(p, "}") && !is(p, "]")) property_list(p, c, s);
    return;
  }
  if (is(p, "(")) {
    const sq_term *s = graph_node(p, c);
    if (!is(p, ".") && !is(p, "}")) property_list(p, c, s);
    return;
  }
  const sq_term *s = var_or_term(p);
  property_list(p, c, s);
}

/* ---- group patterns ------------------------------------------------- */

static sq_query *select_query(parser *p, int sub);

static sq_elem *new_elem(parser *p, sq_elem_kind k) {
  sq_elem *e = nkg_sq_alloc(p->a, sizeof *e);
  e->kind = k;
  return e;
}

/* Variables in scope after an element (section 18.2.1). */
static void group_scope(parser *p, const sq_group *g, nameset *out);

static void term_scope(parser *p, const sq_term *t, nameset *out) {
  if (t && t->kind == T_VAR) ns_add(p->a, out, p->a->vars[t->var]);
}

static void elem_scope(parser *p, const sq_elem *e, nameset *out) {
  switch (e->kind) {
    case E_TRIPLES:
      for (size_t k = 0; k < e->ntriples; k++) {
        term_scope(p, e->triples[k].s, out);
        term_scope(p, e->triples[k].pred, out);
        term_scope(p, e->triples[k].o, out);
      }
      break;
    case E_OPTIONAL:
    case E_GROUP:
      group_scope(p, e->g, out);
      break;
    case E_GRAPH:
    case E_SERVICE:
      term_scope(p, e->gterm, out);
      group_scope(p, e->g, out);
      break;
    case E_UNION:
      for (size_t k = 0; k < e->nalts; k++) group_scope(p, e->alts[k], out);
      break;
    case E_BIND:
      ns_add(p->a, out, e->var);
      break;
    case E_SUBSELECT:
      for (size_t k = 0; k < e->sub->nproj; k++)
        ns_add(p->a, out, e->sub->proj[k]);
      break;
    case E_VALUES:
      for (size_t k = 0; k < e->ncols; k++) ns_add(p->a, out, e->cols[k]);
      break;
    default:
      break;
  }
}

static void group_scope(parser *p, const sq_group *g, nameset *out) {
  for (size_t k = 0; k < g->nelems; k++) elem_scope(p, g->elems[k], out);
}

/* One DataBlockValue; pushes its term (0 for UNDEF) to ids. */
static void data_value(parser *p, vec *ids) {
  nkg_tid id = 0;
  if (accept(p, "UNDEF")) {
    /* id stays 0 */
  } else if (at_iri(p)) {
    id = iri(p)->id;
  } else if (at_literal(p)) {
    id = literal(p)->id;
  } else {
    unexpected(p, "a value");
  }
  vec_push(p->a, ids, (void *)(uintptr_t)id);
}

/* DataBlock after VALUES; records the variables in e->cols and e->colvar
 * and the values, row by row, in e->rows. */
static void data_block(parser *p, sq_elem *e) {
  vec cols = {0}, ids = {0};
  size_t rows = 0;
  if (peek(p)->type == SQ_VAR) {
    vec_push(p->a, &cols, (void *)var_name(p, next(p)));
    expect(p, "{");
    while (!accept(p, "}")) {
      data_value(p, &ids);
      rows++;
    }
  } else {
    size_t n = 0;
    if (peek(p)->type == SQ_NIL) {
      next(p);
    } else {
      expect(p, "(");
      while (peek(p)->type == SQ_VAR) {
        vec_push(p->a, &cols, (void *)var_name(p, next(p)));
        n++;
      }
      expect(p, ")");
    }
    expect(p, "{");
    while (!accept(p, "}")) {
      const nkg_sq_tok *row = peek(p);
      size_t got = 0;
      if (row->type == SQ_NIL) {
        next(p);
      } else {
        expect(p, "(");
        while (!accept(p, ")")) {
          data_value(p, &ids);
          got++;
        }
      }
      if (got != n)
        fail_at(p, row, "VALUES row has %zu values for %zu variables", got, n);
      rows++;
    }
  }
  e->cols = (const char **)cols.v;
  e->ncols = cols.n;
  e->nrows = rows;
  for (size_t k = 0; k < cols.n; k++) note_var(p, cols.v[k]);
  e->colvar = nkg_sq_alloc(p->a, (cols.n + 1) * sizeof *e->colvar);
  for (size_t k = 0; k < cols.n; k++) e->colvar[k] = var_index(p->a, cols.v[k]);
  e->rows = nkg_sq_alloc(p->a, (ids.n + 1) * sizeof *e->rows);
  for (size_t k = 0; k < ids.n; k++) e->rows[k] = (nkg_tid)(uintptr_t)ids.v[k];
}

static sq_group *group_graph_pattern(parser *p) {
  sq_group *g = nkg_sq_alloc(p->a, sizeof *g);
  vec elems = {0};
  deeper(p, peek(p));
  expect(p, "{");
  if (is(p, "SELECT")) {
    sq_elem *e = new_elem(p, E_SUBSELECT);
    e->sub = select_query(p, 1);
    vec_push(p->a, &elems, e);
    expect(p, "}");
    g->elems = (sq_elem **)elems.v;
    g->nelems = elems.n;
    p->depth--;
    return g;
  }
  for (;;) {
    const nkg_sq_tok *t = peek(p);
    if (accept(p, "}")) break;
    if (t->type == SQ_EOF) unexpected(p, "'}'");
    sq_elem *e = NULL;
    if (is(p, "OPTIONAL") || is(p, "MINUS")) {
      e = new_elem(p, is(p, "OPTIONAL") ? E_OPTIONAL : E_MINUS);
      next(p);
      e->g = group_graph_pattern(p);
    } else if (is(p, "GRAPH")) {
      e = new_elem(p, E_GRAPH);
      next(p);
      e->gterm = peek(p)->type == SQ_VAR ? var_or_term(p) : iri(p);
      e->g = group_graph_pattern(p);
    } else if (is(p, "SERVICE")) {
      e = new_elem(p, E_SERVICE);
      next(p);
      accept(p, "SILENT");
      e->gterm = peek(p)->type == SQ_VAR ? var_or_term(p) : iri(p);
      e->g = group_graph_pattern(p);
    } else if (is(p, "FILTER")) {
      e = new_elem(p, E_FILTER);
      next(p);
      e->x = constraint(p);
    } else if (is(p, "BIND")) {
      e = new_elem(p, E_BIND);
      next(p);
      expect(p, "(");
      e->x = expression(p);
      expect(p, "AS");
      const nkg_sq_tok *vt = peek(p);
      const sq_term *bv = var(p);
      e->var = p->a->vars[bv->var];
      e->bvar = bv->var;
      expect(p, ")");
      nameset scope = {0};
      for (size_t k = 0; k < elems.n; k++) elem_scope(p, elems.v[k], &scope);
      if (ns_has(&scope, e->var))
        fail_at(p, vt, "BIND variable ?%s is already in scope", e->var);
    } else if (is(p, "VALUES")) {
      e = new_elem(p, E_VALUES);
      next(p);
      data_block(p, e);
    } else if (is(p, "{")) {
      sq_group *first = group_graph_pattern(p);
      if (is(p, "UNION")) {
        vec alts = {0};
        e = new_elem(p, E_UNION);
        vec_push(p->a, &alts, first);
        while (accept(p, "UNION")) vec_push(p->a, &alts, group_graph_pattern(p));
        e->alts = (sq_group **)alts.v;
        e->nalts = alts.n;
      } else {
        e = new_elem(p, E_GROUP);
        e->g = first;
      }
    } else if (at_term_start(p)) {
      triples_ctx c = {{0}, 0, 1};
      e = new_elem(p, E_TRIPLES);
      for (;;) {
        triples_same_subject(p, &c);
        if (!accept(p, ".")) break;
        if (!at_term_start(p)) break;
      }
      e->ntriples = c.triples.n;
      e->triples = nkg_sq_alloc(p->a, c.triples.n * sizeof(sq_triple));
      for (size_t k = 0; k < c.triples.n; k++)
        e->triples[k] = *(sq_triple *)c.triples.v[k];
      e->complex = c.complex;
      vec_push(p->a, &elems, e);
      continue;
    } else {
      unexpected(p, "a graph pattern");
    }
    vec_push(p->a, &elems, e);
    if (e->kind != E_FILTER) accept(p, ".");
  }
  g->elems = (sq_elem **)elems.v;
  g->nelems = elems.n;
  /* A blank node label may not be used in two basic graph patterns of
   * one group: checked by the engine where it matters. */
  p->depth--;
  return g;
}

/* ---- queries -------------------------------------------------------- */

static void solution_modifier(parser *p, sq_query *q, nameset *group_keys,
                              int *has_group) {
  vec gx = {0}, gv = {0};
  q->limit = q->offset = -1;
  if (is(p, "GROUP")) {
    next(p);
    expect(p, "BY");
    *has_group = 1;
    int any = 0;
    for (;;) {
      nkg_x *cond = NULL;
      int cvar = -1;
      if (peek(p)->type == SQ_VAR) {
        const sq_term *v = var_or_term(p);
        ns_add(p->a, group_keys, p->a->vars[v->var]);
        cond = term_x(p, v);
        cvar = v->var;
      } else if (is(p, "(")) {
        p->i++;
        cond = expression(p);
        if (accept(p, "AS")) {
          const sq_term *vt = var(p);
          const char *v = p->a->vars[vt->var];
          cvar = vt->var;
          ns_add(p->a, group_keys, v);
          expect(p, ")");
        } else {
          expect(p, ")");
          if (cond->kind == X_VAR) {
            cvar = cond->var;
            ns_add(p->a, group_keys, p->a->vars[cvar]);
          }
        }
      } else if (peek(p)->type == SQ_WORD || at_iri(p)) {
        if (is(p, "HAVING") || is(p, "ORDER") || is(p, "LIMIT") ||
            is(p, "OFFSET") || is(p, "VALUES"))
          break;
        cond = primary(p);
      } else {
        break;
      }
      vec_push(p->a, &gx, cond);
      vec_push(p->a, &gv, (void *)(intptr_t)cvar);
      any = 1;
    }
    if (!any) unexpected(p, "a grouping condition");
  }
  q->group_x = (nkg_x **)gx.v;
  q->ngroup = gx.n;
  q->group_var = nkg_sq_alloc(p->a, (gx.n + 1) * sizeof *q->group_var);
  for (size_t k = 0; k < gv.n; k++) q->group_var[k] = (int)(intptr_t)gv.v[k];
  if (is(p, "HAVING")) {
    vec hv = {0};
    p->i++;
    int ok = p->agg_ok;
    p->agg_ok = 1;
    do {
      vec_push(p->a, &hv, constraint(p));
    } while (is(p, "(") || (peek(p)->type == SQ_WORD && !is(p, "ORDER") &&
                            !is(p, "LIMIT") && !is(p, "OFFSET") &&
                            !is(p, "VALUES")) ||
             at_iri(p));
    p->agg_ok = ok;
    q->having = (nkg_x **)hv.v;
    q->nhaving = hv.n;
  }
  if (is(p, "ORDER")) {
    vec ox = {0}, od = {0};
    next(p);
    expect(p, "BY");
    int ok = p->agg_ok;
    p->agg_ok = 1;
    int any = 0;
    for (;;) {
      nkg_x *cond;
      int desc = 0;
      if (is(p, "ASC") || is(p, "DESC")) {
        desc = is(p, "DESC");
        next(p);
        expect(p, "(");
        cond = expression(p);
        expect(p, ")");
      } else if (peek(p)->type == SQ_VAR) {
        cond = term_x(p, var_or_term(p));
      } else if (is(p, "(") || at_iri(p) ||
                 (peek(p)->type == SQ_WORD && !is(p, "LIMIT") &&
                  !is(p, "OFFSET") && !is(p, "VALUES"))) {
        cond = constraint(p);
      } else {
        break;
      }
      vec_push(p->a, &ox, cond);
      vec_push(p->a, &od, (void *)(intptr_t)desc);
      any = 1;
    }
    p->agg_ok = ok;
    if (!any) unexpected(p, "an order condition");
    q->order_x = (nkg_x **)ox.v;
    q->norder = ox.n;
    q->order_desc = nkg_sq_alloc(p->a, (od.n + 1) * sizeof *q->order_desc);
    for (size_t k = 0; k < od.n; k++) q->order_desc[k] = (int)(intptr_t)od.v[k];
  }
  for (int k = 0; k < 2; k++) {
    int lim = is(p, "LIMIT");
    if (accept(p, "LIMIT") || accept(p, "OFFSET")) {
      if (peek(p)->type != SQ_INTEGER) unexpected(p, "an integer");
      const nkg_sq_tok *t = next(p);
      char buf[32];
      size_t n = t->n < sizeof buf - 1 ? t->n : sizeof buf - 1;
      memcpy(buf, t->s, n);
      buf[n] = 0;
      long v = strtol(buf, NULL, 10);
      if (v < 0) v = 0;
      if (t->n > 18) v = 0x7fffffffL;
      if (lim) {
        if (q->limit >= 0) fail_at(p, t, "LIMIT given twice");
        q->limit = v;
      } else {
        if (q->offset >= 0) fail_at(p, t, "OFFSET given twice");
        q->offset = v;
      }
    }
  }
}

static void dataset_clauses(parser *p, sq_query *q) {
  vec from = {0}, named = {0};
  while (accept(p, "FROM")) {
    int n = accept(p, "NAMED");
    vec_push(p->a, n ? &named : &from, (void *)iri(p)->iri);
  }
  q->from = (const char **)from.v;
  q->nfrom = from.n;
  q->from_named = (const char **)named.v;
  q->nfrom_named = named.n;
}

/* The variable indexes of the projection. */
static void proj_vars(parser *p, sq_query *q) {
  q->proj_var = nkg_sq_alloc(p->a, (q->nproj + 1) * sizeof *q->proj_var);
  for (size_t k = 0; k < q->nproj; k++)
    q->proj_var[k] = var_index(p->a, q->proj[k]);
  if (!q->proj_x)
    q->proj_x = nkg_sq_alloc(p->a, (q->nproj + 1) * sizeof *q->proj_x);
}

static void take_aggs(parser *p, sq_query *q) {
  q->aggs = (nkg_x **)p->aggs.v;
  q->naggs = p->aggs.n;
}

static sq_query *select_query(parser *p, int sub) {
  sq_query *q = nkg_sq_alloc(p->a, sizeof *q);
  vec saved_aggs = p->aggs;
  memset(&p->aggs, 0, sizeof p->aggs);
  q->kind = Q_SELECT;
  expect(p, "SELECT");
  if (accept(p, "DISTINCT"))
    q->distinct = 1;
  else if (accept(p, "REDUCED"))
    q->reduced = 1;
  vec proj = {0}, projx = {0};
  nameset plain = {0};       /* projected plain variables */
  nameset as_vars = {0};     /* SELECT (... AS ?v) */
  nameset outer = {0};       /* variables used outside aggregates */
  int saw_agg = 0;
  const nkg_sq_tok *star_tok = peek(p);
  if (accept(p, "*")) {
    q->star = 1;
  } else {
    for (;;) {
      const nkg_sq_tok *t = peek(p);
      if (t->type == SQ_VAR) {
        next(p);
        const char *n = var_name(p, t);
        if (ns_has(&as_vars, n))
          fail_at(p, t, "?%s is already assigned by AS", n);
        ns_add(p->a, &plain, n);
        vec_push(p->a, &proj, (void *)n);
        vec_push(p->a, &projx, NULL);
      } else if (accept(p, "(")) {
        int ok = p->agg_ok;
        p->agg_ok = 1;
        p->saw_agg = 0;
        nameset *ov = p->outer_vars;
        p->outer_vars = &outer;
        nkg_x *e = expression(p);
        p->outer_vars = ov;
        saw_agg |= p->saw_agg;
        p->agg_ok = ok;
        expect(p, "AS");
        const nkg_sq_tok *vt = peek(p);
        const char *n = var_name(p, vt);
        var(p);
        if (ns_has(&as_vars, n) || ns_has(&plain, n))
          fail_at(p, vt, "?%s is projected twice", n);
        ns_add(p->a, &as_vars, n);
        vec_push(p->a, &proj, (void *)n);
        vec_push(p->a, &projx, e);
        expect(p, ")");
      } else {
        break;
      }
    }
    if (!proj.n) unexpected(p, "a variable, '(' or '*'");
  }
  q->proj = (const char **)proj.v;
  q->nproj = proj.n;
  q->proj_x = (nkg_x **)projx.v;
  if (!sub) dataset_clauses(p, q);
  accept(p, "WHERE");
  q->where = group_graph_pattern(p);
  nameset keys = {0};
  int has_group = 0;
  p->saw_agg = 0;
  solution_modifier(p, q, &keys, &has_group);
  q->aggregate = has_group || saw_agg || p->aggs.n;
  if (has_group || saw_agg) {
    if (q->star) fail_at(p, star_tok, "SELECT * is not allowed with GROUP BY");
    for (size_t k = 0; k < plain.n; k++)
      if (!ns_has(&keys, plain.v[k]))
        fail_at(p, star_tok, "?%s is neither grouped nor aggregated",
                plain.v[k]);
    for (size_t k = 0; k < outer.n; k++)
      if (!ns_has(&keys, outer.v[k]) && !ns_has(&as_vars, outer.v[k]))
        fail_at(p, star_tok, "?%s is neither grouped nor aggregated",
                outer.v[k]);
  }
  if (as_vars.n) {
    nameset scope = {0};
    group_scope(p, q->where, &scope);
    for (size_t k = 0; k < as_vars.n; k++)
      if (ns_has(&scope, as_vars.v[k]))
        fail_at(p, star_tok, "?%s is already in scope", as_vars.v[k]);
  }
  if (q->star) {
    nameset scope = {0};
    group_scope(p, q->where, &scope);
    q->proj = scope.v;
    q->nproj = scope.n;
    q->proj_x = NULL;
  }
  proj_vars(p, q);
  if (sub && is(p, "VALUES")) {
    q->values = new_elem(p, E_VALUES);
    next(p);
    data_block(p, q->values);
  }
  take_aggs(p, q);
  p->aggs = saved_aggs;
  return q;
}

static void construct_template(parser *p, sq_query *q) {
  expect(p, "{");
  triples_ctx c = {{0}, 0, 0};
  while (!is(p, "}")) {
    triples_same_subject(p, &c);
    if (!accept(p, ".")) break;
  }
  expect(p, "}");
  q->ntmpl = c.triples.n;
  q->tmpl = nkg_sq_alloc(p->a, (c.triples.n + 1) * sizeof(sq_triple));
  for (size_t k = 0; k < c.triples.n; k++)
    q->tmpl[k] = *(sq_triple *)c.triples.v[k];
}

static sq_query *query(parser *p) {
  sq_query *q;
  if (is(p, "SELECT")) {
    q = select_query(p, 0);
  } else {
    q = nkg_sq_alloc(p->a, sizeof *q);
    nameset keys = {0};
    int has_group = 0;
    if (accept(p, "CONSTRUCT")) {
      q->kind = Q_CONSTRUCT;
      if (is(p, "{")) {
        construct_template(p, q);
        dataset_clauses(p, q);
        accept(p, "WHERE");
        q->where = group_graph_pattern(p);
      } else {
        dataset_clauses(p, q);
        expect(p, "WHERE");
        size_t t0 = p->i;
        construct_template(p, q);
        p->i = t0;
        q->where = group_graph_pattern(p);
        /* CONSTRUCT WHERE: the template is the pattern, and the pattern
         * must be a basic graph pattern */
        const sq_group *g = q->where;
        if (g->nelems > 1 || (g->nelems == 1 && g->elems[0]->kind != E_TRIPLES))
          fail_at(p, &p->a->toks[t0],
                  "CONSTRUCT WHERE takes triple patterns only");
        if (g->nelems == 1 && g->elems[0]->complex)
          fail_at(p, &p->a->toks[t0],
                  "CONSTRUCT WHERE takes no property paths");
      }
    } else if (accept(p, "ASK")) {
      q->kind = Q_ASK;
      dataset_clauses(p, q);
      accept(p, "WHERE");
      q->where = group_graph_pattern(p);
    } else if (accept(p, "DESCRIBE")) {
      vec d = {0};
      q->kind = Q_DESCRIBE;
      if (!accept(p, "*")) {
        while (peek(p)->type == SQ_VAR || at_iri(p))
          vec_push(p->a, &d, (void *)var_or_term(p));
        if (!d.n) unexpected(p, "a variable, an IRI or '*'");
      } else {
        q->star = 1;
      }
      q->describe = (const sq_term **)d.v;
      q->ndescribe = d.n;
      dataset_clauses(p, q);
      if (accept(p, "WHERE") || is(p, "{")) q->where = group_graph_pattern(p);
      if (q->star && q->where) {
        nameset scope = {0};
        group_scope(p, q->where, &scope);
        q->proj = scope.v;
        q->nproj = scope.n;
      }
    } else {
      unexpected(p, "SELECT, CONSTRUCT, ASK or DESCRIBE");
    }
    solution_modifier(p, q, &keys, &has_group);
    proj_vars(p, q);
    take_aggs(p, q);
    if (q->naggs || has_group) q->aggregate = 1;
  }
  if (is(p, "VALUES")) {
    q->values = new_elem(p, E_VALUES);
    next(p);
    data_block(p, q->values);
  }
  return q;
}

static void prologue(parser *p) {
  vec names = {0}, iris = {0};
  for (;;) {
    if (accept(p, "BASE")) {
      const nkg_sq_tok *t = next(p);
      if (t->type != SQ_IRI) {
        p->i--;
        unexpected(p, "an IRI");
      }
      p->a->base = resolve(p, arena_strdup(p->a, t->s + 1, t->n - 2));
    } else if (accept(p, "PREFIX")) {
      const nkg_sq_tok *t = next(p);
      if (t->type != SQ_PNAME_NS) {
        p->i--;
        unexpected(p, "a prefix name");
      }
      const nkg_sq_tok *v = next(p);
      if (v->type != SQ_IRI) {
        p->i--;
        unexpected(p, "an IRI");
      }
      vec_push(p->a, &names, arena_strdup(p->a, t->s, t->n - 1));
      vec_push(p->a, &iris, arena_strdup(p->a, v->s + 1, v->n - 2));
      p->a->pfx = (const char **)names.v;
      p->a->pfx_iri = (const char **)iris.v;
      p->a->npfx = names.n;
    } else {
      break;
    }
  }
}

int nkg_sq_parse(const char *text, sq_ast **out, char **error) {
  return nkg_sq_parse_query(text, NULL, NULL, out, error);
}

int nkg_sq_parse_query(const char *text, const char *base, nkg_terms *terms,
                       sq_ast **out, char **error) {
  sq_ast *a = nkg_xcalloc(1, sizeof *a);
  parser p;
  memset(&p, 0, sizeof p);
  p.a = a;
  if (!terms) {
    terms = nkg_terms_new();
    a->own_terms = 1;
  }
  a->terms = terms;
  if (base) a->base = arena_strdup(a, base, strlen(base));
  *error = NULL;
  *out = NULL;
  if (nkg_sq_lex(text, &a->toks, &a->ntoks, error) < 0) {
    nkg_sq_free(a);
    return -1;
  }
  if (setjmp(p.jb)) {
    *error = p.error;
    nkg_sq_free(a);
    return -1;
  }
  prologue(&p);
  a->q = query(&p);
  if (peek(&p)->type != SQ_EOF) unexpected(&p, "end of query");
  *out = a;
  return 0;
}

int nkg_sq_check_from(const sq_query *q, const char *source,
                      const char *why) {
  for (int named = 0; named < 2; named++) {
    const char **iris = named ? q->from_named : q->from;
    size_t n = named ? q->nfrom_named : q->nfrom;
    for (size_t i = 0; i < n; i++)
      if (strncmp(iris[i], "file:", 5)) {
        nkg_error("%s: FROM%s <%s> is refused: %s", source,
                  named ? " NAMED" : "", iris[i], why);
        return -1;
      }
  }
  return 0;
}
