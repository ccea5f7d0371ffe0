/* sparql.c: see sparql.h.
 *
 * The query is parsed (sparql_parse.c) and prepared bottom-up:
 *   - a triple whose path is not a plain IRI is rewritten: sequences become
 *     joins over fresh blank nodes (which rasqal treats as variables it does
 *     not project), inverses swap their ends, alternatives become UNION,
 *     and p*, p+, p? and negated property sets are evaluated over the model
 *     (sparql_eval.c) into a table the rewritten triple reads;
 *   - a group with MINUS or with FILTER (NOT) EXISTS is evaluated by rasqal
 *     in steps: the solutions before a MINUS are stored as a table and the
 *     MINUS is applied here with the exact SPARQL 1.1 definition (compatible
 *     and sharing a variable); for EXISTS the group's solutions are stored,
 *     the pattern is evaluated joined with each row's values (substitution
 *     semantics for the patterns the W3C suite uses), and the filter runs
 *     on the rows with the EXISTS values as booleans.
 * The rewritten query reads the tables; everything else is emitted as it
 * was written, prefixed names expanded. */
#include "sparql.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparql_ast.h"
#include "sparql_eval.h"
#include "util.h"

struct nkg_sparql_state {
  nkg_sq_store store;
};

typedef struct {
  librdf_world *world;
  librdf_model *model;
  sq_ast *ast;
  nkg_sparql_state *state;
  jmp_buf jb;
  char *error;
  int bnodes; /* fresh blank nodes emitted */
  /* Variables renamed while a subquery is emitted: its variables that it
   * does not project are private to it (rasqal mixes them up with the
   * outer ones, e.g. with GRAPH ?g around the subquery). */
  const char **ren_from, **ren_to;
  size_t nren, capren;
  int empty_aggs; /* emit aggregates as their value over no solutions */
  int implicit_base; /* ast->base is the caller's, not the query's */
  int final;         /* emitting the query returned, not a step */
  const nkg_sparql_options *opt;
} rw;

static const char *renamed(const rw *r, const char *name, size_t n) {
  for (size_t k = r->nren; k-- > 0;)
    if (strlen(r->ren_from[k]) == n && !memcmp(r->ren_from[k], name, n))
      return r->ren_to[k];
  return NULL;
}

/* The text of a term, renamed if need be. */
static const char *term_text(rw *r, const sq_term *t) {
  if (t->kind != T_VAR) return t->text;
  const char *to = renamed(r, t->text + 1, strlen(t->text + 1));
  return to ? to : t->text;
}

static int next_table = 0;

static __attribute__((noreturn)) void rw_fail(rw *r, const nkg_sq_tok *t,
                                               const char *fmt, ...) {
  char msg[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  nkg_buf b = {0};
  nkg_buf_printf(&b, "line %d, column %d: %s", t ? t->line : 1,
                 t ? t->col : 1, msg);
  r->error = nkg_buf_steal(&b);
  longjmp(r->jb, 1);
}

/* ---- emission ---------------------------------------------------------- */

/* How EXISTS is emitted inside expressions: as written, or as the boolean
 * variable ?_nkgxN of its evaluated value. */
typedef enum { EX_ASIS, EX_FLAG } ex_mode;

static void emit_token(rw *r, nkg_buf *b, size_t i) {
  const nkg_sq_tok *t = &r->ast->toks[i];
  if ((t->type == SQ_PNAME_LN || t->type == SQ_PNAME_NS) &&
      i >= r->ast->prologue_end) {
    const char *e = nkg_sq_expand(r->ast, t);
    if (e) {
      nkg_buf_addc(b, '<');
      nkg_buf_adds(b, e);
      nkg_buf_addc(b, '>');
      return;
    }
  }
  if (nkg_sq_tok_is(t, "CONCAT") && t[1].type == SQ_NIL) {
    nkg_buf_adds(b, "\"\"");
    return;
  }
  if (t->type == SQ_NIL && i > 0 && nkg_sq_tok_is(t - 1, "CONCAT")) return;
  if (t->type == SQ_VAR) {
    const char *to = renamed(r, t->s + 1, t->n - 1);
    if (to) {
      nkg_buf_adds(b, to);
      return;
    }
    nkg_buf_addc(b, '?');
    nkg_buf_add(b, t->s + 1, t->n - 1);
    return;
  }
  nkg_buf_add(b, t->s, t->n);
}

/* A SEPARATOR string as a REPLACE replacement: '$' and '\\' escaped. */
static void emit_separator(rw *r, nkg_buf *b, const nkg_sq_tok *t) {
  (void)r;
  size_t q = (t->n >= 6 && t->s[1] == t->s[0] && t->s[2] == t->s[0]) ? 3 : 1;
  nkg_buf_addc(b, '"');
  for (size_t i = q; i < t->n - q; i++) {
    char c = t->s[i];
    if (c == '\\') {
      /* keep escapes as they are, but double a literal backslash */
      char e = t->s[++i];
      if (e == '\\') {
        nkg_buf_adds(b, "\\\\\\\\");
      } else {
        nkg_buf_addc(b, '\\');
        nkg_buf_addc(b, e);
      }
    } else if (c == '$') {
      nkg_buf_adds(b, "\\\\$");
    } else if (c == '"') {
      nkg_buf_adds(b, "\\\"");
    } else if (c == '\n') {
      nkg_buf_adds(b, "\\n");
    } else {
      nkg_buf_addc(b, c);
    }
  }
  nkg_buf_addc(b, '"');
}

/* Tokens [t0, t1) with the original spacing between them; EXISTS calls of
 * ex are replaced according to mode. */
static void emit_tokens_ex(rw *r, nkg_buf *b, size_t t0, size_t t1,
                           sq_exists **ex, size_t nex, ex_mode mode) {
  const nkg_sq_tok *toks = r->ast->toks;
  nkg_buf_addc(b, ' ');
  for (size_t i = t0; i < t1; i++) {
    if (i > t0) {
      const char *gap = toks[i - 1].s + toks[i - 1].n;
      nkg_buf_add(b, gap, (size_t)(toks[i].s - gap));
    }
    int done = 0;
    /* BIND(COALESCE(e) AS ?v): rasqal drops the solution when e is an
     * error, SPARQL leaves ?v unbound; COALESCE makes rasqal do that */
    if (r->ast->wrap_open) {
      for (int k = 0; k < r->ast->wrap_close[i]; k++) nkg_buf_addc(b, ')');
      for (int k = 0; k < r->ast->wrap_open[i]; k++)
        nkg_buf_adds(b, "COALESCE(");
    }
    if (r->ast->hoist && r->ast->hoist[i] && i != t0) {
      /* a CONCAT argument bound beforehand (see hoist_concat) */
      nkg_buf_printf(b, "?%s", r->ast->hoist[i]->var);
      i = r->ast->hoist[i]->t1 - 1;
      continue;
    }
    for (size_t k = 0; k < nex && mode == EX_FLAG; k++)
      if (ex[k]->t0 == i) {
        nkg_buf_printf(b, ex[k]->neg ? "(!?_nkgx%d)" : "(?_nkgx%d)",
                       ex[k]->flag);
        i = ex[k]->t1 - 1;
        done = 1;
        break;
      }
    for (size_t k = 0; k < r->ast->nconcat && !done; k++) {
      const sq_concat *c = &r->ast->concat[k];
      if (c->tok != i) continue;
      if (r->empty_aggs) {
        /* the value of the aggregate over no solutions */
        const nkg_sq_tok *t = &toks[i];
        if (c->concat)
          nkg_buf_adds(b, "\"\"");
        else if (nkg_sq_tok_is(t, "COUNT") || nkg_sq_tok_is(t, "SUM") ||
                 nkg_sq_tok_is(t, "AVG"))
          nkg_buf_adds(b, "0");
        else
          nkg_buf_adds(b, "?_nkgempty");
        i = c->end - 1;
        done = 1;
        continue;
      }
      if (!c->concat) continue;
      /* GROUP_CONCAT over the value bound at the end of the WHERE clause
       * (see emit_where), its SEPARATOR (rasqal ignores it) by a marker */
      if (c->sep) nkg_buf_adds(b, "REPLACE(REPLACE(");
      nkg_buf_printf(b, "GROUP_CONCAT(%s?_nkgc%zu)", c->distinct ? "DISTINCT " : "",
                     k);
      if (c->sep) {
        nkg_buf_adds(b, ", \"\\u0001 \", ");
        emit_separator(r, b, &toks[c->sep]);
        nkg_buf_adds(b, "), \"\\u0001$\", \"\")");
      }
      i = c->end - 1;
      done = 1;
    }
    if (!done && (nkg_sq_tok_is(&toks[i], "IRI") ||
                  nkg_sq_tok_is(&toks[i], "URI")) &&
        i + 1 < t1 && nkg_sq_tok_is(&toks[i + 1], "(")) {
      /* rasqal's IRI() of an IRI is unbound, not the IRI */
      size_t j = i + 2;
      for (int depth = 1; j < t1; j++) {
        if (nkg_sq_tok_is(&toks[j], "(")) depth++;
        if (nkg_sq_tok_is(&toks[j], ")") && --depth == 0) break;
      }
      if (j < t1) {
        nkg_buf_adds(b, "IF(isIRI(");
        emit_tokens_ex(r, b, i + 2, j, ex, nex, mode);
        nkg_buf_adds(b, "), ");
        emit_tokens_ex(r, b, i + 2, j, ex, nex, mode);
        nkg_buf_adds(b, ", IRI(");
        emit_tokens_ex(r, b, i + 2, j, ex, nex, mode);
        nkg_buf_adds(b, "))");
        i = j;
        done = 1;
      }
    }
    if (!done && r->ast->unbound && r->ast->unbound[i]) {
      nkg_buf_adds(b, "?_nkgu_");
      nkg_buf_add(b, toks[i].s + 1, toks[i].n - 1);
      done = 1;
    }
    if (!done) emit_token(r, b, i);
  }
  nkg_buf_addc(b, ' ');
}

static void emit_tokens(rw *r, nkg_buf *b, size_t t0, size_t t1) {
  emit_tokens_ex(r, b, t0, t1, NULL, 0, EX_ASIS);
}

static void emit_group(rw *r, nkg_buf *b, const sq_group *g);
static void emit_head(rw *r, nkg_buf *b, const sq_query *q);
static void emit_where(rw *r, nkg_buf *b, const sq_query *q);
static void emit_tail(rw *r, nkg_buf *b, const sq_query *q, size_t t0,
                      size_t t1);

static void fresh(rw *r, nkg_buf *b, const char *tag) {
  nkg_buf_printf(b, "_:nkg%s%d", tag, ++r->bnodes);
}

static void emit_table_pair(rw *r, nkg_buf *b, int table, const char *s,
                            const char *o) {
  nkg_buf tmp = {0};
  fresh(r, &tmp, "t");
  nkg_buf_printf(b, " %s <" NKG_SQ_NS "%d#s> %s . %s <" NKG_SQ_NS "%d#o> %s . ",
                 tmp.data, table, s, tmp.data, table, o);
  nkg_buf_free(&tmp);
}

/* Path tables are recorded on the path node, in the slot that P_LINK uses
 * for its IRI: closure nodes keep their table id in table_of[]. */
typedef struct {
  const sq_path *p;
  int table;
  char *values; /* or the ends as a VALUES data block, see prepare_path */
} path_table;

static path_table *ptables;
static size_t nptables, captables;

static int table_of(const sq_path *p) {
  for (size_t i = 0; i < nptables; i++)
    if (ptables[i].p == p) return ptables[i].table;
  return -1;
}

static const char *values_of(const sq_path *p) {
  for (size_t i = 0; i < nptables; i++)
    if (ptables[i].p == p) return ptables[i].values;
  return NULL;
}

static void set_table(const sq_path *p, int table) {
  if (nptables == captables) {
    captables = captables ? captables * 2 : 16;
    ptables = nkg_xrealloc(ptables, captables * sizeof *ptables);
  }
  ptables[nptables].p = p;
  ptables[nptables].table = table;
  ptables[nptables].values = NULL;
  nptables++;
}

static void emit_path(rw *r, nkg_buf *b, const char *s, const sq_path *p,
                      const char *o) {
  switch (p->kind) {
    case P_LINK:
      nkg_buf_printf(b, " %s %s %s . ", s, p->iri->text, o);
      return;
    case P_INV:
      emit_path(r, b, o, p->kids[0], s);
      return;
    case P_SEQ: {
      char *prev = nkg_xstrdup(s);
      for (size_t k = 0; k < p->nkids; k++) {
        char *nxt;
        if (k + 1 == p->nkids) {
          nxt = nkg_xstrdup(o);
        } else {
          nkg_buf t = {0};
          fresh(r, &t, "s");
          nxt = nkg_buf_steal(&t);
        }
        emit_path(r, b, prev, p->kids[k], nxt);
        free(prev);
        prev = nxt;
      }
      free(prev);
      return;
    }
    case P_ALT:
      for (size_t k = 0; k < p->nkids; k++) {
        if (k) nkg_buf_adds(b, " UNION ");
        nkg_buf_adds(b, " { ");
        emit_path(r, b, s, p->kids[k], o);
        nkg_buf_adds(b, " } ");
      }
      return;
    default: {
      const char *v = values_of(p);
      if (v) {
        /* one end constant, the other a variable: its values (rasqal
         * reads one row of the VALUES ?v {...} form, all of this one) */
        nkg_buf_printf(b, " VALUES (%s) { %s } ", s[0] == '?' ? s : o, v);
        return;
      }
      int t = table_of(p);
      if (t < 0) rw_fail(r, NULL, "internal error: path not evaluated");
      emit_table_pair(r, b, t, s, o);
      return;
    }
  }
}

static const char *col_var(rw *r, const char *name) {
  static char buf[512];
  const char *to = renamed(r, name, strlen(name));
  if (to) return to;
  snprintf(buf, sizeof buf, "?%s", name);
  return buf;
}

/* VALUES as a UNION of groups of BINDs, one group a row: rasqal keeps one
 * row of a VALUES block that shares no variable with what it joins, and
 * crashes on some (a trailing VALUES after a WHERE with other variables).
 * Its BIND overwrites a variable already bound instead of joining on it,
 * so the UNION goes first in its group (see prepare_group). */
static void emit_values(rw *r, nkg_buf *b, const sq_elem *e) {
  if (e->nrows == 0) {
    nkg_buf_adds(b, " { FILTER(false) } ");
    return;
  }
  nkg_buf_adds(b, " { ");
  for (size_t i = 0; i < e->nrows; i++) {
    nkg_buf_adds(b, i ? " UNION { " : " { ");
    for (size_t c = 0; c < e->ncols; c++) {
      const size_t *v = &e->vals[2 * (i * e->ncols + c)];
      if (v[0] == v[1]) continue; /* UNDEF */
      nkg_buf_adds(b, "BIND(");
      emit_tokens(r, b, v[0], v[1]);
      nkg_buf_printf(b, " AS %s) ", col_var(r, e->cols[c]));
    }
    nkg_buf_adds(b, "} ");
  }
  nkg_buf_adds(b, "} ");
}

/* 1 when the query's trailing VALUES is emitted as a join in its WHERE
 * clause: exact without aggregates (the join comes before projection). */
static int values_joined(const sq_query *q) {
  return q->values && !q->aggregate && !q->values->native;
}

static void emit_rows(rw *r, nkg_buf *b, const sq_elem *e) {
  nkg_buf row = {0};
  fresh(r, &row, "r");
  nkg_buf_printf(b, " { %s <" NKG_SQ_NS "%d#_> \"r\" . ", row.data, e->table);
  for (size_t c = 0; c < e->ncols; c++)
    if (e->always[c])
      nkg_buf_printf(b, "%s <" NKG_SQ_NS "%d#%s> %s . ", row.data, e->table,
                     e->cols[c], col_var(r, e->cols[c]));
  for (size_t c = 0; c < e->ncols; c++)
    if (!e->always[c])
      nkg_buf_printf(b, "OPTIONAL { %s <" NKG_SQ_NS "%d#%s> %s } ", row.data,
                     e->table, e->cols[c], col_var(r, e->cols[c]));
  nkg_buf_adds(b, "} ");
  nkg_buf_free(&row);
}

static int node_text(librdf_node *n, nkg_buf *b);

/* 1 when g holds default-graph data only (see nkg_sparql_options). */
static int unnamed(const rw *r, librdf_node *g) {
  for (size_t i = 0; i < r->opt->n_unnamed; i++)
    if (librdf_node_equals(g, r->opt->unnamed[i])) return 1;
  return 0;
}

/* FILTER keeping the graph variable var off the unnamed graphs. */
static void emit_named_only(rw *r, nkg_buf *b, const char *var) {
  nkg_buf t = {0};
  for (size_t i = 0; i < r->opt->n_unnamed; i++) {
    size_t mark = t.len;
    nkg_buf_printf(&t, "%s!sameTerm(%s, ", mark ? " && " : "", var);
    if (node_text(r->opt->unnamed[i], &t) == 0)
      nkg_buf_adds(&t, ")");
    else
      t.data[t.len = mark] = '\0';
  }
  if (t.len) nkg_buf_printf(b, " FILTER(%s) ", t.data);
  nkg_buf_free(&t);
}

/* 1 when a subquery directly in g (or in a group of g) projects name. */
static int projects_var(const sq_group *g, const char *name) {
  for (size_t k = 0; k < g->nelems; k++) {
    const sq_elem *e = g->elems[k];
    if (e->kind == E_GROUP && projects_var(e->g, name)) return 1;
    if (e->kind != E_SUBSELECT) continue;
    for (size_t i = 0; i < e->sub->nproj; i++)
      if (!strcmp(e->sub->proj[i], name)) return 1;
  }
  return 0;
}

static void emit_elem(rw *r, nkg_buf *b, const sq_elem *e, ex_mode mode) {
  switch (e->kind) {
    case E_TRIPLES:
      if (!e->complex) {
        emit_tokens(r, b, e->t0, e->t1);
        if (!nkg_sq_tok_is(&r->ast->toks[e->t1 - 1], "."))
          nkg_buf_adds(b, " . ");
        return;
      }
      for (size_t k = 0; k < e->ntriples; k++) {
        const sq_triple *t = &e->triples[k];
        if (t->path)
          emit_path(r, b, term_text(r, t->s), t->path, term_text(r, t->o));
        else
          nkg_buf_printf(b, " %s %s %s . ", term_text(r, t->s),
                         term_text(r, t->pred), term_text(r, t->o));
      }
      return;
    case E_FILTER:
      nkg_buf_adds(b, " FILTER ");
      emit_tokens_ex(r, b, e->expr->t0, e->expr->t1, e->expr->ex,
                     e->expr->nex, mode);
      return;
    case E_OPTIONAL:
      nkg_buf_adds(b, " OPTIONAL ");
      emit_group(r, b, e->g);
      return;
    case E_MINUS:
      nkg_buf_adds(b, " MINUS ");
      emit_group(r, b, e->g);
      return;
    case E_UNION:
      for (size_t k = 0; k < e->nalts; k++) {
        if (k) nkg_buf_adds(b, " UNION ");
        emit_group(r, b, e->alts[k]);
      }
      return;
    case E_GRAPH:
      if (e->gterm->kind == T_VAR && r->opt->n_unnamed) {
        /* { GRAPH ?g {...} FILTER } keeps ?g off the unnamed graphs; when
         * a subquery inside projects ?g, rasqal crashes on that filter
         * (and does not join the subquery's ?g with the graph's), so the
         * graph gets a fresh variable that the filter equates with ?g */
        const char *g = term_text(r, e->gterm);
        char fresh_g[32];
        if (projects_var(e->g, e->gterm->text + 1)) {
          snprintf(fresh_g, sizeof fresh_g, "?_nkgG%d", ++r->bnodes);
          nkg_buf_printf(b, " { GRAPH %s ", fresh_g);
          emit_group(r, b, e->g);
          nkg_buf_printf(b, " FILTER(sameTerm(%s, %s)) ", fresh_g, g);
          g = fresh_g;
        } else {
          nkg_buf_printf(b, " { GRAPH %s ", g);
          emit_group(r, b, e->g);
        }
        emit_named_only(r, b, g);
        nkg_buf_adds(b, " } ");
        return;
      }
      nkg_buf_printf(b, " GRAPH %s ", term_text(r, e->gterm));
      emit_group(r, b, e->g);
      return;
    case E_GROUP:
      emit_group(r, b, e->g);
      return;
    case E_SUBSELECT: {
      const sq_query *q = e->sub;
      size_t mark = r->nren;
      for (size_t i = q->t0; i < q->t1 && !q->star; i++) {
        const nkg_sq_tok *t = &r->ast->toks[i];
        if (t->type != SQ_VAR) continue;
        int proj = 0;
        for (size_t k = 0; k < q->nproj && !proj; k++)
          proj = strlen(q->proj[k]) == t->n - 1 &&
                 !memcmp(q->proj[k], t->s + 1, t->n - 1);
        if (proj) continue;
        const char *name = nkg_sq_strdup(r->ast, t->s + 1, t->n - 1);
        int seen = 0;
        for (size_t k = mark; k < r->nren && !seen; k++)
          seen = !strcmp(r->ren_from[k], name);
        if (seen) continue;
        if (r->nren == r->capren) {
          r->capren = r->capren ? r->capren * 2 : 16;
          r->ren_from = nkg_xrealloc(r->ren_from, r->capren * sizeof(char *));
          r->ren_to = nkg_xrealloc(r->ren_to, r->capren * sizeof(char *));
        }
        char to[300];
        snprintf(to, sizeof to, "?_nkgv%zu_%.250s", r->nren, name);
        r->ren_from[r->nren] = name;
        r->ren_to[r->nren] = nkg_sq_strdup(r->ast, to, strlen(to));
        r->nren++;
      }
      nkg_buf_adds(b, " { ");
      if (values_joined(q) && q->star) {
        emit_tokens(r, b, q->t0, q->where->t0);
      } else {
        emit_head(r, b, q);
      }
      emit_where(r, b, q);
      emit_tail(r, b, q, q->where->t1, values_joined(q) ? q->values->t0 : q->t1);
      nkg_buf_adds(b, " } ");
      r->nren = mark;
      return;
    }
    case E_ROWS:
      emit_rows(r, b, e);
      return;
    case E_HOIST:
      nkg_buf_adds(b, " BIND(COALESCE(");
      emit_tokens(r, b, e->t0, e->t1);
      nkg_buf_printf(b, ") AS ?%s) ", e->var);
      return;
    case E_VALUES:
      if (e->native)
        emit_tokens(r, b, e->t0, e->t1);
      else
        emit_values(r, b, e);
      return;
    default:
      emit_tokens(r, b, e->t0, e->t1);
      return;
  }
}

/* The tokens of a query before its WHERE group, with SELECT * spelt out:
 * rasqal's * also takes variables that subqueries do not project. */
static void emit_head(rw *r, nkg_buf *b, const sq_query *q) {
  size_t star = (size_t)-1;
  if (q->kind == Q_SELECT && q->star && q->nproj)
    for (size_t i = q->t0; i < q->where->t0 && star == (size_t)-1; i++)
      if (nkg_sq_tok_is(&r->ast->toks[i], "*")) star = i;
  if (star == (size_t)-1) {
    emit_tokens(r, b, q->t0, q->where->t0);
    return;
  }
  emit_tokens(r, b, q->t0, star);
  for (size_t k = 0; k < q->nproj; k++) nkg_buf_printf(b, " ?%s", q->proj[k]);
  emit_tokens(r, b, star + 1, q->where->t0);
}

/* The WHERE group of q; GROUP BY (expr AS ?v) becomes BIND(expr AS ?v) at
 * its end (rasqal evaluates such keys wrongly) and GROUP BY ?v. */
static int concat_of(const sq_query *q, const sq_concat *c) {
  return c->concat && ((c->tok >= q->t0 && c->tok < q->where->t0) ||
                       (c->tok >= q->where->t1 && c->tok < q->t1));
}

static void emit_where_only(rw *r, nkg_buf *b, const sq_query *q);

static void emit_where(rw *r, nkg_buf *b, const sq_query *q) {
  if (!values_joined(q)) {
    emit_where_only(r, b, q);
    return;
  }
  nkg_buf_adds(b, " { ");
  emit_values(r, b, q->values); /* first: see emit_values */
  emit_where_only(r, b, q);
  nkg_buf_adds(b, " } ");
}

static void emit_where_only(rw *r, nkg_buf *b, const sq_query *q) {
  int concats = 0;
  for (size_t k = 0; k < r->ast->nconcat; k++)
    concats |= concat_of(q, &r->ast->concat[k]);
  if (!q->ngb && (!concats || r->empty_aggs)) {
    emit_group(r, b, q->where);
    return;
  }
  nkg_buf g = {0};
  emit_group(r, &g, q->where);
  char *close = strrchr(g.data, '}');
  nkg_buf_add(b, g.data, (size_t)(close - g.data));
  for (size_t k = 0; k < q->ngb; k++) {
    nkg_buf_adds(b, " BIND(COALESCE(");
    emit_tokens(r, b, q->gb_e0[k], q->gb_e1[k]);
    nkg_buf_printf(b, ") AS ?%s) ", q->gb_var[k]);
  }
  /* GROUP_CONCAT arguments as strings, evaluated here: rasqal corrupts
   * computed strings inside aggregates */
  for (size_t k = 0; k < r->ast->nconcat; k++) {
    const sq_concat *c = &r->ast->concat[k];
    if (!concat_of(q, c)) continue;
    /* two steps: rasqal's CONCAT(STR(number), ...) reads freed memory */
    nkg_buf_adds(b, " BIND(COALESCE(STR(");
    emit_tokens(r, b, c->e0, c->e1);
    if (c->sep)
      nkg_buf_printf(b, ")) AS ?_nkgs%zu) BIND(COALESCE(CONCAT(?_nkgs%zu, "
                        "\"\\u0001\")) AS ?_nkgc%zu) ", k, k, k);
    else
      nkg_buf_printf(b, ")) AS ?_nkgc%zu) ", k);
  }
  nkg_buf_adds(b, close);
  nkg_buf_free(&g);
}

/* The tokens after the WHERE group: GROUP BY keys as rewritten above, and
 * several HAVING constraints joined with && (rasqal keeps one). */
static void emit_tail(rw *r, nkg_buf *b, const sq_query *q, size_t t0,
                      size_t t1) {
  size_t from = t0;
  for (size_t i = t0; i < t1; i++) {
    for (size_t k = 0; k < q->ngb; k++)
      if (q->gb_t0[k] == i) {
        emit_tokens(r, b, from, i);
        nkg_buf_printf(b, " ?%s ", q->gb_var[k]);
        from = q->gb_t1[k];
        i = from - 1;
      }
    if (q->nhv > 1 && i == q->hv_tok) {
      emit_tokens(r, b, from, i);
      nkg_buf_adds(b, " HAVING ( ");
      for (size_t k = 0; k < q->nhv; k++) {
        if (k) nkg_buf_adds(b, " && ");
        nkg_buf_adds(b, "(");
        emit_tokens(r, b, q->hv_c0[k], q->hv_c1[k]);
        nkg_buf_adds(b, ")");
      }
      nkg_buf_adds(b, " ) ");
      from = q->hv_c1[q->nhv - 1];
      i = from - 1;
    }
  }
  emit_tokens(r, b, from, t1);
}

static void emit_group(rw *r, nkg_buf *b, const sq_group *g) {
  if (!g->dirty) {
    emit_tokens(r, b, g->t0, g->t1);
    return;
  }
  nkg_buf_adds(b, " { ");
  for (size_t k = 0; k < g->nelems; k++) emit_elem(r, b, g->elems[k], EX_ASIS);
  nkg_buf_adds(b, " } ");
}

/* ---- internal queries -------------------------------------------------- */

/* The prologue with its BASE first: rasqal accepts BASE only there. */
static void prologue(rw *r, nkg_buf *b) {
  if (r->ast->base && !(r->final && r->implicit_base))
    nkg_buf_printf(b, "BASE <%s>\n", r->ast->base);
  for (size_t i = 0; i < r->ast->prologue_end; i++) {
    if (nkg_sq_tok_is(&r->ast->toks[i], "BASE")) {
      i++;
      continue;
    }
    emit_tokens(r, b, i, i + 1);
  }
  nkg_buf_addc(b, '\n');
}

/* Runs the SELECT in text (which it frees, also when it fails) and collects
 * its solutions into t (columns as rasqal names them; the column _nkgg, if
 * any, is the row's graph). */
static void run_table(rw *r, nkg_buf *text, nkg_sq_table *t) {
  librdf_query *q = librdf_new_query(r->world, "sparql", NULL,
                                     (const unsigned char *)text->data, NULL);
  librdf_query_results *res = q ? librdf_model_query_execute(r->model, q) : NULL;
  if (!res) {
    char step[400]; /* what the message shows of it */
    snprintf(step, sizeof step, "%s", text->data);
    if (q) librdf_free_query(q);
    nkg_buf_free(text);
    rw_fail(r, NULL, "rasqal %s a rewritten step: %s",
            q ? "could not run" : "rejected", step);
  }
  nkg_buf_free(text);
  int n = librdf_query_results_get_bindings_count(res);
  const char **names = nkg_xcalloc((size_t)(n > 0 ? n : 1), sizeof *names);
  int gcol = -1;
  size_t nc = 0;
  for (int i = 0; i < n; i++) {
    const char *name = librdf_query_results_get_binding_name(res, i);
    if (!strcmp(name, "_nkgg"))
      gcol = i;
    else
      names[nc++] = name;
  }
  nkg_sq_table_init(t, ++next_table, names, nc);
  librdf_node **cells = nkg_xcalloc(nc + 1, sizeof *cells);
  while (!librdf_query_results_finished(res)) {
    librdf_node *graph = NULL;
    size_t c = 0;
    for (int i = 0; i < n; i++) {
      librdf_node *v = librdf_query_results_get_binding_value(res, i);
      if (i == gcol)
        graph = v;
      else
        cells[c++] = v;
    }
    nkg_sq_table_add(t, cells, graph);
    librdf_query_results_next(res);
  }
  free(cells);
  free(names);
  librdf_free_query_results(res);
  librdf_free_query(q);
}

/* Opens the graph scope of a step: ctx is the enclosing GRAPH term. */
static void open_graph(nkg_buf *b, const sq_term *ctx) {
  if (!ctx) return;
  if (ctx->kind == T_VAR)
    nkg_buf_adds(b, " GRAPH ?_nkgg { ");
  else
    nkg_buf_printf(b, " GRAPH %s { ", ctx->text);
}

static void close_graph(rw *r, nkg_buf *b, const sq_term *ctx) {
  if (!ctx) return;
  nkg_buf_adds(b, " } ");
  if (ctx->kind == T_VAR) emit_named_only(r, b, "?_nkgg");
}

static void eval_elems(rw *r, sq_elem **elems, size_t n, const sq_term *ctx,
                       nkg_sq_table *t) {
  nkg_buf b = {0};
  prologue(r, &b);
  nkg_buf_adds(&b, "SELECT * WHERE { ");
  open_graph(&b, ctx);
  nkg_buf_adds(&b, " { ");
  for (size_t k = 0; k < n; k++) emit_elem(r, &b, elems[k], EX_ASIS);
  nkg_buf_adds(&b, " } ");
  close_graph(r, &b, ctx);
  nkg_buf_adds(&b, " }");
  run_table(r, &b, t);
  /* under GRAPH <iri> the rows belong to that graph */
  if (ctx && ctx->kind == T_IRI) {
    librdf_node *g = nkg_sq_term_node(r->world, ctx, r->ast->base);
    for (size_t i = 0; g && i < t->nrows; i++)
      if (!t->graph[i]) t->graph[i] = librdf_new_node_from_node(g);
    if (g) librdf_free_node(g);
  }
}

static sq_elem *rows_elem(rw *r, nkg_sq_table *t) {
  sq_elem *e = nkg_sq_alloc(r->ast, sizeof *e);
  e->kind = E_ROWS;
  e->table = t->id;
  e->ncols = t->ncols;
  e->cols = nkg_sq_alloc(r->ast, (t->ncols + 1) * sizeof *e->cols);
  e->always = nkg_sq_alloc(r->ast, (t->ncols + 1) * sizeof *e->always);
  for (size_t c = 0; c < t->ncols; c++) {
    e->cols[c] = nkg_sq_strdup(r->ast, t->cols[c], strlen(t->cols[c]));
    e->always[c] = t->nrows > 0 && nkg_sq_table_always(t, c);
  }
  nkg_sq_table_store(t, r->world, r->model, &r->state->store);
  return e;
}

static int same_graph(librdf_node *a, librdf_node *b) {
  if (!a || !b) return a == b;
  return librdf_node_equals(a, b);
}

/* Removes from left every row that some row of right is compatible with
 * and shares a variable with (SPARQL 1.1 section 18.5, Minus). */
static void minus(nkg_sq_table *left, const nkg_sq_table *right,
                  nkg_sq_table *out) {
  const char **cols = (const char **)left->cols;
  nkg_sq_table_init(out, ++next_table, cols, left->ncols);
  size_t *map = nkg_xcalloc(left->ncols + 1, sizeof *map);
  for (size_t c = 0; c < left->ncols; c++) {
    map[c] = (size_t)-1;
    for (size_t d = 0; d < right->ncols; d++)
      if (!strcmp(left->cols[c], right->cols[d])) map[c] = d;
  }
  for (size_t i = 0; i < left->nrows; i++) {
    librdf_node **l = &left->cells[i * left->ncols];
    int drop = 0;
    for (size_t j = 0; j < right->nrows && !drop; j++) {
      librdf_node **rr = &right->cells[j * right->ncols];
      if (!same_graph(left->graph[i], right->graph[j])) continue;
      int shared = 0, ok = 1;
      for (size_t c = 0; c < left->ncols && ok; c++) {
        if (map[c] == (size_t)-1 || !l[c] || !rr[map[c]]) continue;
        shared = 1;
        if (!librdf_node_equals(l[c], rr[map[c]])) ok = 0;
      }
      if (ok && shared) drop = 1;
    }
    if (drop) continue;
    librdf_node **cells = nkg_xcalloc(left->ncols + 1, sizeof *cells);
    for (size_t c = 0; c < left->ncols; c++)
      cells[c] = l[c] ? librdf_new_node_from_node(l[c]) : NULL;
    nkg_sq_table_add(out, cells,
                     left->graph[i] ? librdf_new_node_from_node(left->graph[i])
                                    : NULL);
    free(cells);
  }
  free(map);
}

/* Variables named anywhere in the tokens of g. */
static int group_mentions(rw *r, const sq_group *g, const char *name) {
  size_t n = strlen(name);
  for (size_t i = g->t0; i < g->t1; i++) {
    const nkg_sq_tok *t = &r->ast->toks[i];
    if (t->type == SQ_VAR && t->n == n + 1 && !memcmp(t->s + 1, name, n))
      return 1;
  }
  return 0;
}

static int tokens_mention(rw *r, size_t t0, size_t t1, const char *name) {
  size_t n = strlen(name);
  for (size_t i = t0; i < t1; i++) {
    const nkg_sq_tok *t = &r->ast->toks[i];
    if (t->type == SQ_VAR && t->n == n + 1 && !memcmp(t->s + 1, name, n))
      return 1;
  }
  return 0;
}

/* 1 when elems may leave name unbound in a way that a VALUES evaluated
 * first would change: rasqal evaluates what follows with the VALUES
 * bindings substituted, which is exact for joins and UNION but not inside
 * OPTIONAL, MINUS or EXISTS, nor for a stored table's optional column. */
static int maybe_unbound(rw *r, sq_elem *const *elems, size_t n,
                         const char *name) {
  for (size_t k = 0; k < n; k++) {
    const sq_elem *e = elems[k];
    switch (e->kind) {
      case E_OPTIONAL:
      case E_MINUS:
      case E_SUBSELECT:
        if (tokens_mention(r, e->t0, e->t1, name)) return 1;
        break;
      case E_FILTER:
        if (e->expr->nex && tokens_mention(r, e->expr->t0, e->expr->t1, name))
          return 1;
        break;
      case E_GROUP:
      case E_GRAPH:
        if (maybe_unbound(r, e->g->elems, e->g->nelems, name)) return 1;
        break;
      case E_UNION:
        for (size_t i = 0; i < e->nalts; i++)
          if (maybe_unbound(r, e->alts[i]->elems, e->alts[i]->nelems, name))
            return 1;
        break;
      case E_ROWS:
        for (size_t c = 0; c < e->ncols; c++)
          if (!strcmp(e->cols[c], name) && !e->always[c]) return 1;
        break;
      default:
        break;
    }
  }
  return 0;
}

/* 1 when the VALUES v can be evaluated before elems (see emit_values). */
static int values_first_ok(rw *r, const sq_elem *v, sq_elem *const *elems,
                           size_t n) {
  for (size_t c = 0; c < v->ncols; c++)
    if (maybe_unbound(r, elems, n, v->cols[c])) return 0;
  return 1;
}

static long row_index(librdf_node *n, int table) {
  if (!n || !librdf_node_is_resource(n)) return -1;
  const char *u = (const char *)librdf_uri_as_string(librdf_node_get_uri(n));
  char pre[64];
  snprintf(pre, sizeof pre, NKG_SQ_NS "%d:", table);
  if (strncmp(u, pre, strlen(pre))) return -1;
  return strtol(u + strlen(pre), NULL, 10);
}

/* Evaluates ex for every row of t (stored as rows in the model): one query
 * per set of bound correlated variables. flags[i] gets 1 or 0. */
static void eval_exists(rw *r, const nkg_sq_table *t, const sq_exists *ex,
                        const sq_term *ctx, char *flags) {
  size_t nc = t->ncols;
  int *corr = nkg_xcalloc(nc + 1, sizeof *corr);
  for (size_t c = 0; c < nc; c++) corr[c] = group_mentions(r, ex->g, t->cols[c]);
  char *done = nkg_xcalloc(t->nrows + 1, 1);
  memset(flags, 0, t->nrows);
  for (size_t i = 0; i < t->nrows; i++) {
    if (done[i]) continue;
    /* the signature of row i */
    nkg_buf b = {0};
    prologue(r, &b);
    nkg_buf_adds(&b, "SELECT DISTINCT ?_nkgrow WHERE { ");
    open_graph(&b, ctx);
    nkg_buf_printf(&b, " ?_nkgrow <" NKG_SQ_NS "%d#_> \"r\" . ", t->id);
    for (size_t c = 0; c < nc; c++)
      if (corr[c] && t->cells[i * nc + c])
        nkg_buf_printf(&b, " ?_nkgrow <" NKG_SQ_NS "%d#%s> ?%s . ", t->id,
                       t->cols[c], t->cols[c]);
    emit_group(r, &b, ex->g);
    close_graph(r, &b, ctx);
    nkg_buf_adds(&b, " }");
    nkg_sq_table res;
    run_table(r, &b, &res);
    /* rows of the same signature */
    for (size_t j = i; j < t->nrows; j++) {
      int same = 1;
      for (size_t c = 0; c < nc && same; c++)
        if (corr[c] && !t->cells[i * nc + c] != !t->cells[j * nc + c]) same = 0;
      if (same) done[j] = 1;
    }
    for (size_t k = 0; k < res.nrows; k++) {
      long j = row_index(res.cells[k * res.ncols], t->id);
      if (j < 0 || (size_t)j >= t->nrows || !done[j]) continue;
      int same = 1;
      for (size_t c = 0; c < nc && same; c++)
        if (corr[c] && !t->cells[i * nc + c] != !t->cells[(size_t)j * nc + c])
          same = 0;
      if (same) flags[j] = 1;
    }
    nkg_sq_table_free(&res);
  }
  free(done);
  free(corr);
}

static void prepare_group(rw *r, sq_group *g, const sq_term *ctx);

static int filter_has_exists(const sq_elem *e) {
  return e->kind == E_FILTER && e->expr->nex > 0;
}

/* Replaces the elements of g by a table of its solutions where MINUS or
 * EXISTS demand it. */
static void materialize(rw *r, sq_group *g, const sq_term *ctx) {
  int need = 0;
  for (size_t k = 0; k < g->nelems; k++)
    if (g->elems[k]->kind == E_MINUS || filter_has_exists(g->elems[k]))
      need = 1;
  if (!need) return;
  sq_elem **left = nkg_sq_alloc(r->ast, (g->nelems + 1) * sizeof *left);
  sq_elem **filters = nkg_sq_alloc(r->ast, (g->nelems + 1) * sizeof *left);
  size_t nl = 0, nf = 0;
  for (size_t k = 0; k < g->nelems; k++) {
    sq_elem *e = g->elems[k];
    if (e->kind == E_FILTER) {
      filters[nf++] = e;
    } else if (e->kind == E_MINUS) {
      nkg_sq_table lt, rt, out;
      eval_elems(r, left, nl, ctx, &lt);
      eval_elems(r, e->g->elems, e->g->nelems, ctx, &rt);
      minus(&lt, &rt, &out);
      nl = 0;
      left[nl++] = rows_elem(r, &out);
      nkg_sq_table_free(&lt);
      nkg_sq_table_free(&rt);
      nkg_sq_table_free(&out);
    } else {
      left[nl++] = e;
    }
  }
  size_t nex = 0;
  for (size_t k = 0; k < nf; k++)
    if (filter_has_exists(filters[k])) nex++;
  if (nex) {
    /* the group's solutions with the plain filters applied */
    sq_elem **plain = nkg_sq_alloc(r->ast, (nl + nf + 1) * sizeof *plain);
    size_t np = 0;
    for (size_t k = 0; k < nl; k++) plain[np++] = left[k];
    for (size_t k = 0; k < nf; k++)
      if (!filter_has_exists(filters[k])) plain[np++] = filters[k];
    nkg_sq_table ta;
    eval_elems(r, plain, np, ctx, &ta);
    sq_elem *rows = rows_elem(r, &ta);
    /* each EXISTS as a boolean column of the rows */
    int flag = 0;
    char *flags = nkg_xcalloc(ta.nrows + 1, 1);
    for (size_t k = 0; k < nf; k++) {
      if (!filter_has_exists(filters[k])) continue;
      for (size_t x = 0; x < filters[k]->expr->nex; x++) {
        sq_exists *ex = filters[k]->expr->ex[x];
        ex->flag = ++flag;
        eval_exists(r, &ta, ex, ctx, flags);
        char pred[128];
        snprintf(pred, sizeof pred, NKG_SQ_NS "%d#_nkgx%d", ta.id, flag);
        librdf_node *p = librdf_new_node_from_uri_string(
            r->world, (const unsigned char *)pred);
        librdf_uri *dt = librdf_new_uri(
            r->world, (const unsigned char *)"http://www.w3.org/2001/XMLSchema#boolean");
        for (size_t i = 0; i < ta.nrows; i++) {
          char subj[128];
          snprintf(subj, sizeof subj, NKG_SQ_NS "%d:%zu", ta.id, i);
          nkg_sq_store_add(
              &r->state->store, r->world, r->model, ta.graph[i],
              librdf_new_node_from_uri_string(r->world,
                                              (const unsigned char *)subj),
              librdf_new_node_from_node(p),
              librdf_new_node_from_typed_literal(
                  r->world,
                  (const unsigned char *)(flags[i] ? "true" : "false"), NULL,
                  dt));
        }
        librdf_free_uri(dt);
        librdf_free_node(p);
      }
    }
    free(flags);
    /* the filters over the rows and their flags */
    nkg_buf b = {0};
    (void)rows;
    prologue(r, &b);
    nkg_buf_adds(&b, "SELECT * WHERE { ");
    open_graph(&b, ctx);
    nkg_buf_printf(&b, " { ?_nkgrow <" NKG_SQ_NS "%d#_> \"r\" . ", ta.id);
    for (size_t c = 0; c < ta.ncols; c++)
      nkg_buf_printf(&b, " OPTIONAL { ?_nkgrow <" NKG_SQ_NS "%d#%s> ?%s } ",
                     ta.id, ta.cols[c], ta.cols[c]);
    for (int f = 1; f <= flag; f++)
      nkg_buf_printf(&b, " ?_nkgrow <" NKG_SQ_NS "%d#_nkgx%d> ?_nkgx%d . ",
                     ta.id, f, f);
    for (size_t k = 0; k < nf; k++)
      if (filter_has_exists(filters[k]))
        emit_elem(r, &b, filters[k], EX_FLAG);
    nkg_buf_adds(&b, " } ");
    close_graph(r, &b, ctx);
    nkg_buf_adds(&b, " }");
    nkg_sq_table tf;
    run_table(r, &b, &tf);
    /* keep the rows that passed, without the bookkeeping columns */
    size_t rowcol = (size_t)-1;
    for (size_t c = 0; c < tf.ncols; c++)
      if (!strcmp(tf.cols[c], "_nkgrow")) rowcol = c;
    nkg_sq_table tb;
    nkg_sq_table_init(&tb, ++next_table, (const char **)ta.cols, ta.ncols);
    for (size_t k = 0; k < tf.nrows && rowcol != (size_t)-1; k++) {
      long i = row_index(tf.cells[k * tf.ncols + rowcol], ta.id);
      if (i < 0 || (size_t)i >= ta.nrows) continue;
      librdf_node **cells = nkg_xcalloc(ta.ncols + 1, sizeof *cells);
      for (size_t c = 0; c < ta.ncols; c++) {
        librdf_node *v = ta.cells[(size_t)i * ta.ncols + c];
        cells[c] = v ? librdf_new_node_from_node(v) : NULL;
      }
      nkg_sq_table_add(&tb, cells,
                       ta.graph[i] ? librdf_new_node_from_node(ta.graph[i])
                                   : NULL);
      free(cells);
    }
    nkg_sq_table_free(&tf);
    nl = 0;
    left[nl++] = rows_elem(r, &tb);
    nkg_sq_table_free(&tb);
    nkg_sq_table_free(&ta);
    nf = 0;
  }
  for (size_t k = 0; k < nf; k++) left[nl++] = filters[k];
  g->elems = left;
  g->nelems = nl;
  g->dirty = 1;
}

/* Evaluates the closure parts of a path (p*, p+, p?, !set) into tables.
 * s and o are the ends when they are constants (only at the top). */
static void prepare_path(rw *r, const sq_path *p, const sq_term *s,
                         const sq_term *o, const sq_term *ctx) {
  switch (p->kind) {
    case P_LINK:
      return;
    case P_INV:
      prepare_path(r, p->kids[0], o, s, ctx);
      return;
    case P_SEQ:
      for (size_t k = 0; k < p->nkids; k++)
        prepare_path(r, p->kids[k], k == 0 ? s : NULL,
                     k + 1 == p->nkids ? o : NULL, ctx);
      return;
    case P_ALT:
      for (size_t k = 0; k < p->nkids; k++) prepare_path(r, p->kids[k], s, o, ctx);
      return;
    default:
      break;
  }
  const char *cols[2] = {"s", "o"};
  nkg_sq_table t;
  nkg_sq_table_init(&t, ++next_table, cols, 2);
  const char *base = r->ast->base;
  librdf_node *sn = s ? nkg_sq_term_node(r->world, s, base) : NULL;
  librdf_node *on = o ? nkg_sq_term_node(r->world, o, base) : NULL;
  nkg_sq_graph g = {r->world, r->model, NULL};
  int rc = 0;
  if (!ctx) {
    rc = nkg_sq_path_table(&g, p, sn, on, &t);
  } else if (ctx->kind == T_IRI) {
    g.graph = nkg_sq_term_node(r->world, ctx, base);
    if (g.graph) rc = nkg_sq_path_table(&g, p, sn, on, &t);
    if (g.graph) librdf_free_node(g.graph);
  } else {
    librdf_iterator *it = librdf_model_get_contexts(r->model);
    for (; it && !librdf_iterator_end(it) && rc == 0; librdf_iterator_next(it)) {
      g.graph = librdf_iterator_get_object(it);
      if (nkg_sq_internal(g.graph) || unnamed(r, g.graph)) continue;
      rc = nkg_sq_path_table(&g, p, sn, on, &t);
    }
    if (it) librdf_free_iterator(it);
  }
  if (sn) librdf_free_node(sn);
  if (on) librdf_free_node(on);
  if (rc < 0) {
    nkg_sq_table_free(&t);
    rw_fail(r, NULL, "cannot evaluate a property path (undeclared prefix?)");
  }
  nkg_sq_table_store(&t, r->world, r->model, &r->state->store);
  set_table(p, t.id);
  nkg_sq_table_free(&t);
}

/* A node as SPARQL text; -1 for blank nodes and IRIs that cannot be
 * written between < and >. */
static int node_text(librdf_node *n, nkg_buf *b) {
  if (librdf_node_is_resource(n)) {
    const char *u = (const char *)librdf_uri_as_string(librdf_node_get_uri(n));
    for (const char *c = u; *c; c++)
      if ((unsigned char)*c <= 0x20 || strchr("<>\"{}|^`\\", *c)) return -1;
    nkg_buf_printf(b, "<%s> ", u);
    return 0;
  }
  if (!librdf_node_is_literal(n)) return -1;
  const char *v = (const char *)librdf_node_get_literal_value(n);
  nkg_buf_addc(b, '"');
  for (const char *c = v; *c; c++) {
    if (*c == '"' || *c == '\\') nkg_buf_addc(b, '\\');
    if (*c == '\n') nkg_buf_adds(b, "\\n");
    else if (*c == '\r') nkg_buf_adds(b, "\\r");
    else nkg_buf_addc(b, *c);
  }
  nkg_buf_addc(b, '"');
  const char *lang = librdf_node_get_literal_value_language(n);
  librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(n);
  if (lang)
    nkg_buf_printf(b, "@%s", lang);
  else if (dt)
    nkg_buf_printf(b, "^^<%s>", (const char *)librdf_uri_as_string(dt));
  nkg_buf_addc(b, ' ');
  return 0;
}

/* A closure path between a constant and a variable in the default graph
 * (or a constant one) becomes VALUES of the variable: no statements to add
 * to the model and remove again, which librdf's hashes do slowly in bulk.
 * Returns 1 when done. */
static int path_values(rw *r, const sq_path *p, const sq_term *s,
                       const sq_term *o, const sq_term *ctx) {
  if (p->kind != P_STAR && p->kind != P_PLUS && p->kind != P_OPT) return 0;
  if (ctx && ctx->kind != T_IRI) return 0;
  /* rasqal orders the values of a VALUES block wrongly (W3C pp37) */
  for (size_t i = 0; i < r->ast->ntoks; i++)
    if (nkg_sq_tok_is(&r->ast->toks[i], "ORDER")) return 0;
  int sconst = s->kind == T_IRI || s->kind == T_LIT;
  int oconst = o->kind == T_IRI || o->kind == T_LIT;
  if (sconst == oconst) return 0;
  if ((sconst ? o : s)->kind != T_VAR) return 0;
  const char *base = r->ast->base;
  librdf_node *c = nkg_sq_term_node(r->world, sconst ? s : o, base);
  if (!c) return 0;
  nkg_sq_graph g = {r->world, r->model, NULL};
  if (ctx) g.graph = nkg_sq_term_node(r->world, ctx, base);
  nkg_nodeset ends = {0};
  int rc = (ctx && !g.graph) ? -1 : nkg_sq_path_step(&g, p, c, sconst, &ends);
  nkg_buf b = {0};
  nkg_buf_adds(&b, "");
  for (size_t i = 0; i < ends.n && rc == 0; i++) {
    nkg_buf_addc(&b, '(');
    if (node_text(ends.v[i], &b) < 0) rc = -1;
    nkg_buf_addc(&b, ')');
  }
  nkg_nodeset_free(&ends);
  if (g.graph) librdf_free_node(g.graph);
  librdf_free_node(c);
  if (rc < 0) {
    nkg_buf_free(&b);
    return 0;
  }
  set_table(p, -1);
  ptables[nptables - 1].values = nkg_sq_strdup(r->ast, b.data, b.len);
  nkg_buf_free(&b);
  return 1;
}

static const sq_term *const_end(const sq_term *t) {
  return (t->kind == T_IRI || t->kind == T_LIT) ? t : NULL;
}

/* ---- CONCAT arguments ------------------------------------------------ */

/* rasqal's CONCAT reads freed memory when an argument is computed (a
 * function call: CONCAT(STR(?x), "y") gives garbage or crashes), not when
 * it is a variable or a constant. So computed arguments are bound first,
 * BIND(COALESCE(arg) AS ?_nkgcatN), and CONCAT reads the variable. */

typedef struct {
  sq_elem **v;
  size_t n, cap;
} elem_vec;

static void elem_push(elem_vec *v, sq_elem *e) {
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->v = nkg_xrealloc(v->v, v->cap * sizeof *v->v);
  }
  v->v[v->n++] = e;
}

/* A variable or a constant term. */
static int plain_arg(const nkg_sq_tok *t, size_t n) {
  if (n == 1)
    return t->type == SQ_VAR || t->type == SQ_IRI || t->type == SQ_PNAME_LN ||
           t->type == SQ_PNAME_NS || t->type == SQ_STRING ||
           t->type == SQ_INTEGER || t->type == SQ_DECIMAL ||
           t->type == SQ_DOUBLE || nkg_sq_tok_is(t, "true") ||
           nkg_sq_tok_is(t, "false");
  if (t->type != SQ_STRING) return 0;
  return (n == 2 && t[1].type == SQ_LANGTAG) ||
         (n == 3 && nkg_sq_tok_is(&t[1], "^^"));
}

/* 1 when [t0, t1) overlaps an EXISTS of ex, or mentions a name of avoid
 * (aliases of a SELECT: not bound in its WHERE clause). */
static int cannot_hoist(rw *r, size_t t0, size_t t1, sq_exists *const *ex,
                        size_t nex, const char *const *avoid, size_t navoid) {
  for (size_t k = 0; k < nex; k++)
    if (ex[k]->t0 < t1 && t0 < ex[k]->t1) return 1;
  for (size_t k = 0; k < navoid; k++)
    if (tokens_mention(r, t0, t1, avoid[k])) return 1;
  return 0;
}

/* Finds the computed CONCAT arguments in tokens [t0, t1) and pushes their
 * E_HOIST elements to out, inner ones first. */
static void hoist_concat(rw *r, size_t t0, size_t t1, sq_exists *const *ex,
                         size_t nex, const char *const *avoid, size_t navoid,
                         elem_vec *out) {
  const nkg_sq_tok *toks = r->ast->toks;
  for (size_t i = t0; i + 1 < t1; i++) {
    if (!nkg_sq_tok_is(&toks[i], "CONCAT") || !nkg_sq_tok_is(&toks[i + 1], "("))
      continue;
    size_t a0 = i + 2, j = a0;
    for (int depth = 0; j < t1; j++) {
      int open = nkg_sq_tok_is(&toks[j], "(") || nkg_sq_tok_is(&toks[j], "{");
      int close = nkg_sq_tok_is(&toks[j], ")") || nkg_sq_tok_is(&toks[j], "}");
      if (open) depth++;
      if (close && depth-- > 0) continue;
      if (!close && !(depth == 0 && nkg_sq_tok_is(&toks[j], ","))) continue;
      /* the argument [a0, j) */
      if (j > a0 && !plain_arg(&toks[a0], j - a0) &&
          !cannot_hoist(r, a0, j, ex, nex, avoid, navoid)) {
        hoist_concat(r, a0, j, ex, nex, avoid, navoid, out);
        if (!r->ast->hoist)
          r->ast->hoist = nkg_sq_alloc(r->ast, r->ast->ntoks * sizeof(sq_elem *));
        sq_elem *h = nkg_sq_alloc(r->ast, sizeof *h);
        h->kind = E_HOIST;
        h->t0 = a0;
        h->t1 = j;
        h->table = -1;
        char name[32];
        snprintf(name, sizeof name, "_nkgcat%d", ++r->bnodes);
        h->var = nkg_sq_strdup(r->ast, name, strlen(name));
        r->ast->hoist[a0] = h;
        elem_push(out, h);
      }
      a0 = j + 1;
      if (close) break;
    }
    i = j;
  }
}

/* Hoists the CONCAT arguments of a group's FILTERs (bound at the end of the
 * group: a FILTER sees the whole group) and BINDs (bound just before). */
static void hoist_group(rw *r, sq_group *g) {
  elem_vec elems = {0}, tail = {0};
  size_t before = 0;
  for (size_t k = 0; k < g->nelems; k++) {
    sq_elem *e = g->elems[k];
    if (e->kind == E_BIND)
      hoist_concat(r, e->expr->t0, e->expr->t1, e->expr->ex, e->expr->nex,
                   NULL, 0, &elems);
    else if (e->kind == E_FILTER)
      hoist_concat(r, e->expr->t0, e->expr->t1, e->expr->ex, e->expr->nex,
                   NULL, 0, &tail);
    elem_push(&elems, e);
  }
  before = g->nelems;
  for (size_t k = 0; k < tail.n; k++) elem_push(&elems, tail.v[k]);
  if (elems.n > before) {
    g->elems = nkg_sq_alloc(r->ast, elems.n * sizeof *g->elems);
    memcpy(g->elems, elems.v, elems.n * sizeof *g->elems);
    g->nelems = elems.n;
    g->dirty = 1;
  }
  free(elems.v);
  free(tail.v);
}

/* Hoists the CONCAT arguments of a SELECT's expressions into its WHERE
 * clause, unless the query groups (then they are about groups) or an
 * argument names an alias of the SELECT. */
static void hoist_query(rw *r, sq_query *q) {
  if (q->kind != Q_SELECT || q->aggregate || !q->where ||
      (q->star && q->values))
    return;
  elem_vec aliases = {0}, out = {0};
  for (size_t i = q->t0; i + 1 < q->where->t0; i++)
    if (nkg_sq_tok_is(&r->ast->toks[i], "AS") &&
        r->ast->toks[i + 1].type == SQ_VAR)
      elem_push(&aliases, (sq_elem *)nkg_sq_strdup(
                              r->ast, r->ast->toks[i + 1].s + 1,
                              r->ast->toks[i + 1].n - 1));
  hoist_concat(r, q->t0, q->where->t0, NULL, 0,
               (const char *const *)aliases.v, aliases.n, &out);
  if (out.n) {
    sq_group *g = q->where;
    sq_elem **elems =
        nkg_sq_alloc(r->ast, (g->nelems + out.n) * sizeof *elems);
    memcpy(elems, g->elems, g->nelems * sizeof *elems);
    memcpy(elems + g->nelems, out.v, out.n * sizeof *elems);
    g->elems = elems;
    g->nelems += out.n;
    g->dirty = 1;
  }
  free(aliases.v);
  free(out.v);
}

/* A trailing VALUES goes first in the WHERE clause when that is exact. */
static void prepare_trailing_values(rw *r, sq_query *q) {
  if (q->values && q->where)
    q->values->native =
        !values_first_ok(r, q->values, q->where->elems, q->where->nelems);
}

static void prepare_group(rw *r, sq_group *g, const sq_term *ctx) {
  hoist_group(r, g);
  int dirty = g->dirty; /* hoisting may have set it */
  for (size_t k = 0; k < g->nelems; k++) {
    sq_elem *e = g->elems[k];
    if (e->kind == E_BIND) {
      /* a variable not in scope before a BIND is unbound there, whatever
       * rasqal sees from outside the group */
      const char **names;
      size_t n;
      nkg_sq_scope(r->ast, g->elems, k, &names, &n);
      for (size_t i = e->expr->t0; i < e->expr->t1; i++) {
        const nkg_sq_tok *t = &r->ast->toks[i];
        if (t->type != SQ_VAR) continue;
        int in = 0;
        for (size_t j = 0; j < n && !in; j++)
          in = strlen(names[j]) == t->n - 1 && !memcmp(names[j], t->s + 1, t->n - 1);
        int inex = 0;
        for (size_t x = 0; x < e->expr->nex; x++)
          if (i >= e->expr->ex[x]->t0 && i < e->expr->ex[x]->t1) inex = 1;
        if (in || inex) continue;
        if (!r->ast->unbound) r->ast->unbound = nkg_sq_alloc(r->ast, r->ast->ntoks);
        r->ast->unbound[i] = 1;
      }
    }
    switch (e->kind) {
      case E_TRIPLES:
        if (!e->complex) break;
        for (size_t i = 0; i < e->ntriples; i++)
          if (e->triples[i].path &&
              !path_values(r, e->triples[i].path, e->triples[i].s,
                           e->triples[i].o, ctx))
            prepare_path(r, e->triples[i].path, const_end(e->triples[i].s),
                         const_end(e->triples[i].o), ctx);
        dirty = 1;
        break;
      case E_OPTIONAL:
      case E_MINUS:
      case E_GROUP:
        prepare_group(r, e->g, ctx);
        dirty |= e->g->dirty || e->kind == E_MINUS;
        break;
      case E_GRAPH:
        prepare_group(r, e->g, e->gterm);
        dirty |= e->g->dirty ||
                 (e->gterm->kind == T_VAR && r->opt->n_unnamed > 0);
        break;
      case E_UNION:
        for (size_t i = 0; i < e->nalts; i++) {
          prepare_group(r, e->alts[i], ctx);
          dirty |= e->alts[i]->dirty;
        }
        break;
      case E_SUBSELECT:
        hoist_query(r, e->sub);
        prepare_group(r, e->sub->where, ctx);
        prepare_trailing_values(r, e->sub);
        dirty = 1; /* for the renaming of its private variables */
        break;
      case E_VALUES:
        dirty = 1; /* emitted as UNION (see emit_values) */
        break;
      case E_FILTER:
        for (size_t i = 0; i < e->expr->nex; i++) {
          prepare_group(r, e->expr->ex[i]->g, ctx);
          dirty = 1;
        }
        break;
      default:
        break;
    }
  }
  /* rasqal through librdf re-runs a subquery on the right of a join with
   * its LIMIT spent, and VALUES become BINDs (emit_values): joins commute,
   * so subqueries and VALUES go first when only joins precede them. */
  for (size_t k = 1; k < g->nelems; k++) {
    const sq_elem *ek0 = g->elems[k];
    if (ek0->kind != E_SUBSELECT && ek0->kind != E_VALUES &&
        !(ek0->kind == E_GROUP && ek0->g->nelems == 1 &&
          ek0->g->elems[0]->kind == E_SUBSELECT))
      continue;
    int joins = 1;
    for (size_t i = 0; i < k; i++) {
      sq_elem_kind ek = g->elems[i]->kind;
      if (ek != E_TRIPLES && ek != E_GROUP && ek != E_UNION &&
          ek != E_GRAPH && ek != E_SUBSELECT && ek != E_VALUES &&
          ek != E_FILTER)
        joins = 0;
    }
    sq_elem *sub = g->elems[k];
    if (sub->kind == E_VALUES && !values_first_ok(r, sub, g->elems, k)) {
      sub->native = 1;
      continue;
    }
    if (!joins && sub->kind == E_VALUES) {
      /* Join({A OPTIONAL B ...}, V): V first, then what preceded it as a
       * group of its own; its FILTERs stay here, where their scope is */
      sq_group *before = nkg_sq_alloc(r->ast, sizeof *before);
      before->elems = nkg_sq_alloc(r->ast, (k + 1) * sizeof *before->elems);
      before->dirty = 1;
      sq_elem *wrap = nkg_sq_alloc(r->ast, sizeof *wrap);
      wrap->kind = E_GROUP;
      wrap->g = before;
      wrap->table = -1;
      sq_elem **elems = nkg_sq_alloc(r->ast, (g->nelems + 1) * sizeof *elems);
      size_t out = 0;
      elems[out++] = sub;
      elems[out++] = wrap;
      for (size_t i = 0; i < k; i++) {
        if (g->elems[i]->kind == E_FILTER)
          elems[out++] = g->elems[i];
        else
          before->elems[before->nelems++] = g->elems[i];
      }
      size_t next = out;
      for (size_t i = k + 1; i < g->nelems; i++) elems[out++] = g->elems[i];
      g->elems = elems;
      g->nelems = out;
      materialize(r, before, ctx); /* a MINUS that moved in there */
      dirty = 1;
      k = next - 1;
      continue;
    }
    if (!joins) continue;
    memmove(&g->elems[1], &g->elems[0], k * sizeof *g->elems);
    g->elems[0] = sub;
    dirty = 1;
  }
  g->dirty = dirty;
  if (dirty) materialize(r, g, ctx);
}

/* ---- entry points ------------------------------------------------------ */

/* 1 when the WHERE clause of q has no solution. */
static int no_solutions(rw *r, const sq_query *q) {
  nkg_buf b = {0};
  prologue(r, &b);
  nkg_buf_adds(&b, "ASK ");
  emit_group(r, &b, q->where);
  librdf_query *lq = librdf_new_query(r->world, "sparql", NULL,
                                      (const unsigned char *)b.data, NULL);
  nkg_buf_free(&b);
  if (!lq) return 0;
  librdf_query_results *res = librdf_model_query_execute(r->model, lq);
  int v = res ? librdf_query_results_get_boolean(res) : 1;
  if (res) librdf_free_query_results(res);
  librdf_free_query(lq);
  return v == 0;
}

int nkg_sparql_rewrite(const char *query, const nkg_sparql_options *opt,
                       librdf_world *world, librdf_model *model, char **out,
                       char **error, nkg_sparql_state **state) {
  static const nkg_sparql_options none;
  if (!opt) opt = &none;
  sq_ast *ast = NULL;
  *out = NULL;
  *error = NULL;
  *state = NULL;
  if (nkg_sq_parse(query, &ast, error) < 0) return -1;
  rw r;
  memset(&r, 0, sizeof r);
  r.world = world;
  r.model = model;
  r.ast = ast;
  r.state = nkg_xcalloc(1, sizeof *r.state);
  r.opt = opt;
  if (!ast->base && opt->base) {
    ast->base = nkg_sq_strdup(ast, opt->base, strlen(opt->base));
    r.implicit_base = 1;
  }
  nptables = 0;
  if (setjmp(r.jb)) {
    *error = r.error;
    nkg_sparql_cleanup(r.state, model);
    nkg_sq_free(ast);
    return -1;
  }
  sq_query *q = ast->q;
  if (q->where && model) {
    hoist_query(&r, q);
    prepare_group(&r, q->where, NULL);
  }
  prepare_trailing_values(&r, q);
  int empty = q->kind == Q_SELECT && q->aggregate && model &&
              no_solutions(&r, q);
  r.final = 1;
  nkg_buf b = {0};
  if (empty) {
    /* rasqal answers nothing at all for aggregates over no solutions: no
     * groups when grouping, else one group of empty aggregates */
    prologue(&r, &b);
    if (q->has_group) {
      nkg_buf_adds(&b, "SELECT");
      for (size_t k = 0; k < q->nproj; k++)
        nkg_buf_printf(&b, " ?%s", q->proj[k]);
      nkg_buf_adds(&b, " WHERE { FILTER(false) }\n");
    } else {
      r.empty_aggs = 1;
      emit_tokens(&r, &b, q->t0, q->where->t0);
      nkg_buf_adds(&b, " { ");
      for (size_t k = 0; k < q->nhv; k++) {
        nkg_buf_adds(&b, " FILTER ");
        emit_tokens(&r, &b, q->hv_c0[k], q->hv_c1[k]);
      }
      nkg_buf_adds(&b, " }\n");
    }
  } else if (q->where) {
    prologue(&r, &b);
    /* SELECT * is spelt out unless a VALUES clause follows the query */
    int values = 0;
    for (size_t i = q->where->t1; i < ast->ntoks; i++)
      values |= nkg_sq_tok_is(&ast->toks[i], "VALUES");
    emit_tokens(&r, &b, ast->prologue_end, q->t0);
    if (!values)
      emit_head(&r, &b, q);
    else
      emit_tokens(&r, &b, q->t0, q->where->t0);
    emit_where(&r, &b, q);
    emit_tail(&r, &b, q, q->where->t1,
              values_joined(q) ? q->values->t0 : ast->ntoks - 1);
  } else {
    prologue(&r, &b);
    emit_tokens(&r, &b, ast->prologue_end, ast->ntoks - 1);
  }
  nkg_buf_addc(&b, '\n');
  *out = nkg_buf_steal(&b);
  *state = r.state;
  free(r.ren_from);
  free(r.ren_to);
  nkg_sq_free(ast);
  return 0;
}

void nkg_sparql_cleanup(nkg_sparql_state *state, librdf_model *model) {
  if (!state) return;
  nkg_sq_store_undo(&state->store, model);
  free(state);
}
