/* sparql_algebra.c: see sparql_algebra.h.
 *
 * Evaluation works on multisets of rows: a row is an array of term ids
 * indexed by variable (0 = unbound), followed by one slot per aggregate of
 * the query being grouped. ev(a, in) computes Join(in, eval(a)); for the
 * operators where that equals evaluating a with each row of in
 * substituted (basic graph patterns, paths, joins, unions, GRAPH, and the
 * others when in binds nothing that a might leave unbound) the rows of in
 * are pushed down, which makes joins index nested loops; everything else
 * is evaluated on its own and hash-joined. */
#include "config.h"

#include "sparql_algebra.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- the algebra -------------------------------------------------------- */

typedef enum {
  A_UNIT, A_BGP, A_JOIN, A_LEFTJOIN, A_FILTER, A_UNION, A_MINUS, A_GRAPH,
  A_EXTEND, A_TABLE, A_SUB
} akind;

typedef struct anode {
  akind kind;
  struct anode *l, *r;   /* JOIN, LEFTJOIN, UNION, MINUS; FILTER, GRAPH,
                            EXTEND: l */
  sq_triple *triples;    /* BGP (paths included) */
  size_t ntriples;
  nkg_x **exprs;         /* FILTER, LEFTJOIN */
  size_t nexprs;
  const sq_term *gterm;  /* GRAPH */
  int var;               /* EXTEND */
  nkg_x *x;              /* EXTEND */
  const sq_elem *values; /* TABLE */
  const sq_query *sub;   /* SUB */
  struct anode *where;   /* SUB: the translated pattern */
  char *certain;         /* variables bound in every solution (nvars) */
} anode;

/* ---- rows and sets of tuples -------------------------------------------- */

typedef struct stream stream;

typedef struct {
  nkg_tid *v;
  size_t n, cap, w;
  /* the top query's output when it streams (nkg_alg_stream): rows are
   * handed to the stream and forgotten in batches of st_batch, once they
   * are complete (a producer may still be filling in the row it pushed
   * last): at the next push, at rows_done(), at rows_flush() */
  stream *st;
  size_t st_batch;
} rows;

static void rows_init(rows *r, size_t w) {
  memset(r, 0, sizeof *r);
  r->w = w;
}

static void stream_rows(stream *st, rows *r);

/* Hands every row of a streamed output on. */
static void rows_flush(rows *r) {
  if (r->st && r->n) stream_rows(r->st, r);
}

/* The producer has finished the rows of r: a full batch goes on. */
static void rows_done(rows *r) {
  if (r->st && r->n >= r->st_batch) stream_rows(r->st, r);
}

static nkg_tid *rows_push(rows *r, const nkg_tid *row) {
  rows_done(r);
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 16;
    r->v = nkg_xrealloc(r->v, r->cap * r->w * sizeof *r->v + 1);
  }
  nkg_tid *d = r->v + r->n * r->w;
  if (row)
    memcpy(d, row, r->w * sizeof *d);
  else
    memset(d, 0, r->w * sizeof *d);
  r->n++;
  return d;
}

static nkg_tid *row_at(const rows *r, size_t i) { return r->v + i * r->w; }

static void rows_free(rows *r) {
  free(r->v);
  r->v = NULL;
  r->n = r->cap = 0;
}

/* A set of tuples of w ids, in insertion order: tset_add gives the index. */
typedef struct {
  nkg_tid *keys;
  size_t w, n, cap;
  size_t *slot; /* index + 1, 0 empty */
  size_t nslot;
} tset;

static void tset_init(tset *s, size_t w) {
  memset(s, 0, sizeof *s);
  s->w = w;
}

static uint64_t hash_ids(const nkg_tid *k, size_t w) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < w; i++) {
    h ^= k[i];
    h *= 1099511628211ULL;
    h ^= h >> 29;
  }
  return h;
}

/* Adds key; returns its index, and sets *added when it is new. */
static size_t tset_add(tset *s, const nkg_tid *key, int *added) {
  if ((s->n + 1) * 2 > s->nslot) {
    size_t ns = s->nslot ? s->nslot * 2 : 64;
    size_t *sl = nkg_xcalloc(ns, sizeof *sl);
    for (size_t i = 0; i < s->n; i++) {
      size_t j = hash_ids(s->keys + i * s->w, s->w) & (ns - 1);
      while (sl[j]) j = (j + 1) & (ns - 1);
      sl[j] = i + 1;
    }
    free(s->slot);
    s->slot = sl;
    s->nslot = ns;
  }
  size_t j = hash_ids(key, s->w) & (s->nslot - 1);
  while (s->slot[j]) {
    size_t i = s->slot[j] - 1;
    if (!memcmp(s->keys + i * s->w, key, s->w * sizeof *key)) {
      if (added) *added = 0;
      return i;
    }
    j = (j + 1) & (s->nslot - 1);
  }
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 16;
    s->keys = nkg_xrealloc(s->keys, s->cap * s->w * sizeof *key + 1);
  }
  if (s->w) memcpy(s->keys + s->n * s->w, key, s->w * sizeof *key);
  s->slot[j] = ++s->n;
  if (added) *added = 1;
  return s->n - 1;
}

/* The index of key, or (size_t)-1. */
static size_t tset_find(const tset *s, const nkg_tid *key) {
  if (!s->nslot) return (size_t)-1;
  size_t j = hash_ids(key, s->w) & (s->nslot - 1);
  while (s->slot[j]) {
    size_t i = s->slot[j] - 1;
    if (!memcmp(s->keys + i * s->w, key, s->w * sizeof *key)) return i;
    j = (j + 1) & (s->nslot - 1);
  }
  return (size_t)-1;
}

static void tset_free(tset *s) {
  free(s->keys);
  free(s->slot);
  memset(s, 0, sizeof *s);
}

/* A growable array of ids. */
typedef struct {
  nkg_tid *v;
  size_t n, cap;
} ids;

static void ids_push(ids *a, nkg_tid x) {
  if (a->n == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 16;
    a->v = nkg_xrealloc(a->v, a->cap * sizeof *a->v);
  }
  a->v[a->n++] = x;
}

/* ---- state -------------------------------------------------------------- */

struct nkg_alg {
  librdf_world *world;
  librdf_model *model;
  nkg_terms *terms;
  nkg_x_env *xenv;
  const char *source;
  sq_ast *ast;
  size_t nvars;  /* variables */
  size_t w;      /* row width: variables, then aggregate slots */
  size_t maxaggs;
  anode *where;  /* the top query's pattern */
  /* the dataset */
  librdf_node **dflt;  /* contexts of the default graph */
  size_t ndflt;
  int dflt_nocontext;  /* statements without a context belong to it */
  int dflt_all;        /* every statement belongs to it */
  nkg_tid *named;      /* named graphs (named_graphs()) */
  size_t nnamed;
  int named_listed;    /* named is complete: FROM NAMED, or listed */
  librdf_node **unnamed; /* copies of the options' unnamed contexts */
  size_t nunnamed;
  int dataset_ready;
  /* evaluation */
  nkg_tid graph;       /* the active graph: 0 for the default graph */
  int force;           /* substitute rows everywhere (EXISTS) */
  /* ASK and LIMIT without ORDER BY: a basic graph pattern writing into
   * stop_out stops (returns 2) once it holds stop_rows rows */
  const rows *stop_out;
  size_t stop_rows;
  /* a streamed answer is complete (LIMIT reached): every operator returns
   * 2 and the rows it still pushes are dropped */
  int halt;
  unsigned long serial;
  int failed;
  /* join order: the statistics, and those of each predicate id met so
   * far (pstat_of: index into pstat_v, whose entry is NULL for a
   * predicate no statement uses) */
  const nkg_pstats *stats;
  tset pstat_of;
  const nkg_pstat **pstat_v;
  nkg_tid rdf_type; /* its id once met, else 0 */
  tset class_of;    /* class ids met so far: index into class_v */
  double *class_v;  /* members, or -1 unknown */
};

static int fail(nkg_alg *a, const char *msg) {
  if (!a->failed) nkg_error("%s: %s", a->source, msg);
  a->failed = 1;
  return -1;
}

/* ---- statement lookups -------------------------------------------------- */

/* Receives one match (s, p, o) of a lookup; nonzero stops it. */
typedef int (*find_cb)(void *data, const nkg_tid *m);

/* find() over the whole model with two or three positions bound, through
 * the lookups librdf indexes (find_statements scans the whole storage for
 * most patterns). Frees the nodes. */
static int find_indexed(nkg_alg *a, librdf_node *ns, librdf_node *np,
                        librdf_node *no, nkg_tid s, nkg_tid p, nkg_tid o,
                        librdf_node *ctx, find_cb cb, void *data) {
  int rc = 0;
  /* all three bound: the targets of (s, p) hold o or not
   * (librdf_model_contains_statement fails on storages with contexts) */
  nkg_tid want = ns && np && no ? o : 0;
  if (want) {
    librdf_free_node(no);
    no = NULL;
  }
  librdf_iterator *it = !no   ? librdf_model_get_targets(a->model, ns, np)
                        : !ns ? librdf_model_get_sources(a->model, np, no)
                              : librdf_model_get_arcs(a->model, ns, no);
  if (!it) rc = fail(a, "a statement lookup failed");
  tset seen;
  tset_init(&seen, 1);
  for (; it && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *n = librdf_iterator_get_object(it);
    if (!n) continue;
    if (ctx) {
      librdf_node *c = librdf_iterator_get_context(it);
      if (!c || !librdf_node_equals(c, ctx)) continue;
    }
    nkg_tid id = nkg_terms_from_node(a->terms, n);
    if (want) {
      if (id != want) continue;
      nkg_tid m[3] = {s, p, o};
      rc = cb(data, m);
      break;
    }
    int added;
    tset_add(&seen, &id, &added);
    if (!added) continue;
    nkg_tid m[3] = {ns ? s : id, np ? p : id, no ? o : id};
    if ((rc = cb(data, m))) break;
  }
  if (it) librdf_free_iterator(it);
  tset_free(&seen);
  if (ns) librdf_free_node(ns);
  if (np) librdf_free_node(np);
  if (no) librdf_free_node(no);
  return rc;
}

/* Calls cb with (s, p, o) for every statement of the active graph that
 * matches the pattern (0 = any), while the lookup is open: rows stream
 * from the storage's iterator. The default graph is a set: duplicates
 * from several unnamed contexts are dropped. Stops at the first nonzero
 * return of cb and returns it; else 0, or -1 after a message. */
static int find_each(nkg_alg *a, nkg_tid s, nkg_tid p, nkg_tid o, find_cb cb,
                     void *data) {
  if (s && nkg_terms_get(a->terms, s)->kind == NKG_T_LIT) return 0;
  if (p && nkg_terms_get(a->terms, p)->kind != NKG_T_IRI) return 0;
  librdf_node *ns = s ? nkg_terms_to_node(a->terms, a->world, s) : NULL;
  librdf_node *np = p ? nkg_terms_to_node(a->terms, a->world, p) : NULL;
  librdf_node *no = o ? nkg_terms_to_node(a->terms, a->world, o) : NULL;
  if ((s && !ns) || (p && !np) || (o && !no)) {
    if (ns) librdf_free_node(ns);
    if (np) librdf_free_node(np);
    if (no) librdf_free_node(no);
    return fail(a, "cannot make a node of a query term");
  }
  int bound = (ns != NULL) + (np != NULL) + (no != NULL);
  if (!a->graph && a->dflt_all && bound >= 2)
    return find_indexed(a, ns, np, no, s, p, o, NULL, cb, data);
  librdf_node *gc = NULL;
  if (a->graph) {
    gc = nkg_terms_to_node(a->terms, a->world, a->graph);
    if (!gc) {
      if (ns) librdf_free_node(ns);
      if (np) librdf_free_node(np);
      if (no) librdf_free_node(no);
      return fail(a, "cannot make a graph node");
    }
    if (bound >= 2) {
      int rc = find_indexed(a, ns, np, no, s, p, o, gc, cb, data);
      librdf_free_node(gc);
      return rc;
    }
  }
  librdf_statement *st = librdf_new_statement_from_nodes(a->world, ns, np, no);
  if (!st) {
    if (gc) librdf_free_node(gc);
    return fail(a, "cannot make a statement pattern");
  }
  librdf_stream *str = NULL;
  int generic = 0;
  if (a->graph) {
    /* find_statements_in_context with no bound position gives every
     * statement of the model (librdf 1.0.17): list the context instead */
    str = bound ? librdf_model_find_statements_in_context(a->model, st, gc)
                : librdf_model_context_as_stream(a->model, gc);
    librdf_free_node(gc);
  } else if (a->ndflt == 1 && !a->dflt_nocontext && !a->dflt_all) {
    str = bound ? librdf_model_find_statements_in_context(a->model, st,
                                                          a->dflt[0])
                : librdf_model_context_as_stream(a->model, a->dflt[0]);
  } else if (a->ndflt == 0 && !a->dflt_nocontext && !a->dflt_all) {
    librdf_free_statement(st);
    return 0;
  } else {
    str = librdf_model_find_statements(a->model, st);
    generic = 1;
  }
  librdf_free_statement(st);
  if (!str) return fail(a, "a statement lookup failed");
  tset seen;
  tset_init(&seen, 3);
  int rc = 0;
  for (; !librdf_stream_end(str); librdf_stream_next(str)) {
    librdf_statement *m = librdf_stream_get_object(str);
    if (!m) continue;
    if (generic && !a->dflt_all) {
      librdf_node *c = librdf_stream_get_context2(str);
      int ok = 0;
      if (!c) {
        ok = a->dflt_nocontext;
      } else {
        for (size_t i = 0; i < a->ndflt && !ok; i++)
          ok = librdf_node_equals(c, a->dflt[i]);
      }
      if (!ok) continue;
    }
    nkg_tid t[3] = {
        nkg_terms_from_node(a->terms, librdf_statement_get_subject(m)),
        nkg_terms_from_node(a->terms, librdf_statement_get_predicate(m)),
        nkg_terms_from_node(a->terms, librdf_statement_get_object(m))};
    if (generic) {
      int added;
      tset_add(&seen, t, &added);
      if (!added) continue;
    }
    if ((rc = cb(data, t))) break;
  }
  librdf_free_stream(str);
  tset_free(&seen);
  return rc;
}

static int push_match(void *data, const nkg_tid *m) {
  ids *out = data;
  ids_push(out, m[0]);
  ids_push(out, m[1]);
  ids_push(out, m[2]);
  return 0;
}

/* find_each() into out: (s, p, o) appended for each match. */
static int find(nkg_alg *a, nkg_tid s, nkg_tid p, nkg_tid o, ids *out) {
  return find_each(a, s, p, o, push_match, out);
}

/* Every subject and object of the active graph, once. */
static int graph_nodes(nkg_alg *a, ids *out) {
  ids all = {0};
  if (find(a, 0, 0, 0, &all)) {
    free(all.v);
    return -1;
  }
  tset s;
  tset_init(&s, 1);
  for (size_t i = 0; i < all.n; i += 3) {
    int added;
    tset_add(&s, &all.v[i], &added);
    if (added) ids_push(out, all.v[i]);
    tset_add(&s, &all.v[i + 2], &added);
    if (added) ids_push(out, all.v[i + 2]);
  }
  tset_free(&s);
  free(all.v);
  return 0;
}

/* ---- property paths ----------------------------------------------------- */

static int path_eval(nkg_alg *a, const sq_path *p, nkg_tid x, int fwd,
                     ids *out);

/* The distinct nodes reachable from x in zero (star) or one or more steps
 * of p, breadth first (cycles end where a node was seen). */
static int path_closure(nkg_alg *a, const sq_path *p, nkg_tid x, int fwd,
                        int zero, ids *out) {
  tset seen;
  tset_init(&seen, 1);
  ids queue = {0}, step = {0};
  int rc = 0, added;
  if (zero) {
    tset_add(&seen, &x, NULL);
    ids_push(out, x);
  }
  ids_push(&queue, x);
  for (size_t q = 0; q < queue.n && !rc; q++) {
    step.n = 0;
    rc = path_eval(a, p, queue.v[q], fwd, &step);
    for (size_t i = 0; i < step.n && !rc; i++) {
      tset_add(&seen, &step.v[i], &added);
      if (added) {
        ids_push(out, step.v[i]);
        ids_push(&queue, step.v[i]);
      }
    }
  }
  free(queue.v);
  free(step.v);
  tset_free(&seen);
  return rc;
}

static int nps_member(const sq_path *p, nkg_tid pred, int inv) {
  for (size_t k = 0; k < p->nnps; k++)
    if (p->nps_inv[k] == inv && p->nps[k]->id == pred) return 1;
  return 0;
}

/* Appends to out the multiset of nodes y with "x p y" (fwd) or "y p x". */
static int path_eval(nkg_alg *a, const sq_path *p, nkg_tid x, int fwd,
                     ids *out) {
  switch (p->kind) {
  case P_LINK: {
    ids t = {0};
    int rc = fwd ? find(a, x, p->iri->id, 0, &t) : find(a, 0, p->iri->id, x, &t);
    for (size_t i = 0; i < t.n && !rc; i += 3)
      ids_push(out, fwd ? t.v[i + 2] : t.v[i]);
    free(t.v);
    return rc;
  }
  case P_INV:
    return path_eval(a, p->kids[0], x, !fwd, out);
  case P_ALT:
    for (size_t k = 0; k < p->nkids; k++)
      if (path_eval(a, p->kids[k], x, fwd, out)) return -1;
    return 0;
  case P_SEQ: {
    ids cur = {0}, nxt = {0};
    int rc = 0;
    ids_push(&cur, x);
    for (size_t k = 0; k < p->nkids && !rc; k++) {
      const sq_path *kid = p->kids[fwd ? k : p->nkids - 1 - k];
      nxt.n = 0;
      for (size_t i = 0; i < cur.n && !rc; i++)
        rc = path_eval(a, kid, cur.v[i], fwd, &nxt);
      ids t = cur;
      cur = nxt;
      nxt = t;
    }
    for (size_t i = 0; i < cur.n && !rc; i++) ids_push(out, cur.v[i]);
    free(cur.v);
    free(nxt.v);
    return rc;
  }
  case P_OPT: {
    ids t = {0};
    int rc = path_eval(a, p->kids[0], x, fwd, &t);
    tset s;
    tset_init(&s, 1);
    int added;
    tset_add(&s, &x, NULL);
    ids_push(out, x);
    for (size_t i = 0; i < t.n && !rc; i++) {
      tset_add(&s, &t.v[i], &added);
      if (added) ids_push(out, t.v[i]);
    }
    tset_free(&s);
    free(t.v);
    return rc;
  }
  case P_STAR:
  case P_PLUS:
    return path_closure(a, p->kids[0], x, fwd, p->kind == P_STAR, out);
  case P_NPS: {
    int has_fwd = 0, has_inv = 0;
    for (size_t k = 0; k < p->nnps; k++) {
      if (p->nps_inv[k])
        has_inv = 1;
      else
        has_fwd = 1;
    }
    /* !(a|^b) is !a | ^!b: forward members exclude predicates of forward
     * steps, inverse members those of backward steps. */
    for (int pass = 0; pass < 2; pass++) {
      int inv = pass == 1;
      if (inv ? !has_inv : !has_fwd) continue;
      int dir = inv ? !fwd : fwd;
      ids t = {0};
      int rc = dir ? find(a, x, 0, 0, &t) : find(a, 0, 0, x, &t);
      for (size_t i = 0; i < t.n && !rc; i += 3)
        if (!nps_member(p, t.v[i + 1], inv))
          ids_push(out, dir ? t.v[i + 2] : t.v[i]);
      free(t.v);
      if (rc) return -1;
    }
    return 0;
  }
  }
  return 0;
}

/* ---- expressions -------------------------------------------------------- */

static int ev(nkg_alg *a, const anode *n, const rows *in, rows *out);

static int exists_cb(void *data, const void *pattern, const nkg_tid *row) {
  nkg_alg *a = data;
  rows in, out;
  rows_init(&in, a->w);
  rows_init(&out, a->w);
  rows_push(&in, row);
  int force = a->force;
  a->force = 1;
  int rc = ev(a, pattern, &in, &out);
  a->force = force;
  /* halted: the row being filtered is dropped anyway */
  int r = rc == 2 && a->halt ? 0 : rc ? -1 : out.n > 0;
  rows_free(&in);
  rows_free(&out);
  return r;
}

static void xctx(nkg_alg *a, nkg_x_ctx *c, const nkg_tid *row) {
  memset(c, 0, sizeof *c);
  c->env = a->xenv;
  c->terms = a->terms;
  c->row = row;
  c->nvars = a->nvars;
  c->exists = exists_cb;
  c->exists_data = a;
  c->agg_values = row + a->nvars;
  c->row_serial = a->serial;
}

/* 1 when every expression of xs is true on row, 0 if not, -1 on failure. */
static int filter_row(nkg_alg *a, nkg_x *const *xs, size_t n,
                      const nkg_tid *row) {
  nkg_x_ctx c;
  xctx(a, &c, row);
  for (size_t k = 0; k < n; k++) {
    int r = nkg_x_ebv(&c, xs[k]);
    if (r < 0) return fail(a, "an expression failed");
    if (r != 1) return 0;
  }
  return 1;
}

/* ---- translation -------------------------------------------------------- */

static anode *node(nkg_alg *a, akind k) {
  anode *n = nkg_sq_alloc(a->ast, sizeof *n);
  n->kind = k;
  n->var = -1;
  return n;
}

static anode *tr_group(nkg_alg *a, const sq_group *g);
static int tr_query(nkg_alg *a, sq_query *q);

/* Translates the patterns of EXISTS inside x. */
static int tr_x(nkg_alg *a, nkg_x *x) {
  if (!x) return 0;
  if (x->kind == X_EXISTS || x->kind == X_NOT_EXISTS) {
    anode *p = tr_group(a, x->pattern);
    if (!p) return -1;
    x->pattern = p;
  }
  for (size_t k = 0; k < x->nargs; k++)
    if (tr_x(a, x->args[k])) return -1;
  return 0;
}

static anode *join(nkg_alg *a, anode *l, anode *r) {
  if (l->kind == A_UNIT) return r;
  if (r->kind == A_UNIT) return l;
  if (l->kind == A_BGP && r->kind == A_BGP) {
    anode *b = node(a, A_BGP);
    b->ntriples = l->ntriples + r->ntriples;
    b->triples = nkg_sq_alloc(a->ast, (b->ntriples + 1) * sizeof *b->triples);
    memcpy(b->triples, l->triples, l->ntriples * sizeof *b->triples);
    memcpy(b->triples + l->ntriples, r->triples,
           r->ntriples * sizeof *b->triples);
    return b;
  }
  anode *j = node(a, A_JOIN);
  j->l = l;
  j->r = r;
  return j;
}

static void term_certain(const sq_term *t, char *c) {
  if (t && t->var >= 0 && (t->kind == T_VAR || t->kind == T_BNODE))
    c[t->var] = 1;
}

/* Fills n->certain: the variables bound in every solution of n. */
static void certain(nkg_alg *a, anode *n) {
  n->certain = nkg_sq_alloc(a->ast, a->nvars + 1);
  char *c = n->certain;
  switch (n->kind) {
  case A_BGP:
    for (size_t k = 0; k < n->ntriples; k++) {
      term_certain(n->triples[k].s, c);
      term_certain(n->triples[k].pred, c);
      term_certain(n->triples[k].o, c);
    }
    break;
  case A_JOIN:
    for (size_t v = 0; v < a->nvars; v++)
      c[v] = n->l->certain[v] | n->r->certain[v];
    break;
  case A_UNION:
    for (size_t v = 0; v < a->nvars; v++)
      c[v] = n->l->certain[v] & n->r->certain[v];
    break;
  case A_LEFTJOIN:
  case A_MINUS:
  case A_FILTER:
  case A_EXTEND:
    memcpy(c, n->l->certain, a->nvars);
    break;
  case A_GRAPH:
    memcpy(c, n->l->certain, a->nvars);
    term_certain(n->gterm, c);
    break;
  case A_TABLE:
    for (size_t k = 0; k < n->values->ncols; k++) {
      int all = 1;
      for (size_t r = 0; r < n->values->nrows; r++)
        if (!n->values->rows[r * n->values->ncols + k]) all = 0;
      if (all) c[n->values->colvar[k]] = 1;
    }
    break;
  case A_SUB:
  case A_UNIT:
    break;
  }
}

static anode *tr_group(nkg_alg *a, const sq_group *g) {
  anode *G = node(a, A_UNIT);
  certain(a, G);
  nkg_x **filters;
  size_t nf = 0;
  for (size_t k = 0; k < g->nelems; k++) {
    const sq_elem *e = g->elems[k];
    anode *n = NULL, *m;
    switch (e->kind) {
    case E_TRIPLES:
      n = node(a, A_BGP);
      n->triples = e->triples;
      n->ntriples = e->ntriples;
      break;
    case E_FILTER:
      if (tr_x(a, e->x)) return NULL;
      break;
    case E_OPTIONAL:
      if (!(m = tr_group(a, e->g))) return NULL;
      n = node(a, A_LEFTJOIN);
      n->l = G;
      if (m->kind == A_FILTER) {
        n->r = m->l;
        n->exprs = m->exprs;
        n->nexprs = m->nexprs;
      } else {
        n->r = m;
      }
      certain(a, n);
      G = n;
      n = NULL;
      break;
    case E_MINUS:
      if (!(m = tr_group(a, e->g))) return NULL;
      n = node(a, A_MINUS);
      n->l = G;
      n->r = m;
      certain(a, n);
      G = n;
      n = NULL;
      break;
    case E_BIND:
      if (tr_x(a, e->x)) return NULL;
      n = node(a, A_EXTEND);
      n->l = G;
      n->var = e->bvar;
      n->x = e->x;
      certain(a, n);
      G = n;
      n = NULL;
      break;
    case E_VALUES:
      n = node(a, A_TABLE);
      n->values = e;
      break;
    case E_UNION:
      if (!(n = tr_group(a, e->alts[0]))) return NULL;
      for (size_t i = 1; i < e->nalts; i++) {
        anode *u = node(a, A_UNION);
        u->l = n;
        if (!(u->r = tr_group(a, e->alts[i]))) return NULL;
        certain(a, u);
        n = u;
      }
      break;
    case E_GRAPH:
      if (!(m = tr_group(a, e->g))) return NULL;
      n = node(a, A_GRAPH);
      n->gterm = e->gterm;
      n->l = m;
      break;
    case E_GROUP:
      if (!(n = tr_group(a, e->g))) return NULL;
      break;
    case E_SUBSELECT:
      n = node(a, A_SUB);
      n->sub = e->sub;
      if (tr_query(a, e->sub)) return NULL;
      n->where = e->sub->alg;
      break;
    default:
      fail(a, "SERVICE is refused: newskg makes no network requests");
      return NULL;
    }
    if (n) {
      if (!n->certain) certain(a, n);
      G = join(a, G, n);
      if (!G->certain) certain(a, G);
    }
  }
  /* FILTERs apply to the whole group */
  for (size_t k = 0; k < g->nelems; k++)
    if (g->elems[k]->kind == E_FILTER) nf++;
  if (nf) {
    anode *f = node(a, A_FILTER);
    f->l = G;
    filters = nkg_sq_alloc(a->ast, nf * sizeof *filters);
    nf = 0;
    for (size_t k = 0; k < g->nelems; k++)
      if (g->elems[k]->kind == E_FILTER)
        filters[nf++] = g->elems[k]->x;
    f->exprs = filters;
    f->nexprs = nf;
    certain(a, f);
    G = f;
  }
  return G;
}

/* Translates q's pattern and expressions (q->alg), and its sub-queries. */
static int tr_query(nkg_alg *a, sq_query *q) {
  if (q->naggs > a->maxaggs) a->maxaggs = q->naggs;
  for (size_t k = 0; k < q->naggs; k++) q->aggs[k]->agg_index = (int)k;
  anode *w;
  if (q->where) {
    if (!(w = tr_group(a, q->where))) return -1;
  } else {
    w = node(a, A_UNIT);
    certain(a, w);
  }
  q->alg = w;
  for (size_t k = 0; k < q->nproj; k++)
    if (q->proj_x && tr_x(a, q->proj_x[k])) return -1;
  for (size_t k = 0; k < q->ngroup; k++)
    if (tr_x(a, q->group_x[k])) return -1;
  for (size_t k = 0; k < q->nhaving; k++)
    if (tr_x(a, q->having[k])) return -1;
  for (size_t k = 0; k < q->norder; k++)
    if (tr_x(a, q->order_x[k])) return -1;
  for (size_t k = 0; k < q->naggs; k++)
    if (tr_x(a, q->aggs[k])) return -1;
  return 0;
}

/* ---- joins -------------------------------------------------------------- */

static int is_unit(const nkg_alg *a, const rows *in) {
  if (in->n != 1) return 0;
  for (size_t v = 0; v < a->nvars; v++)
    if (in->v[v]) return 0;
  return 1;
}

static int compatible(const nkg_alg *a, const nkg_tid *x, const nkg_tid *y) {
  for (size_t v = 0; v < a->nvars; v++)
    if (x[v] && y[v] && x[v] != y[v]) return 0;
  return 1;
}

static void merge(const nkg_alg *a, nkg_tid *d, const nkg_tid *x,
                  const nkg_tid *y) {
  memcpy(d, x, a->w * sizeof *d);
  for (size_t v = 0; v < a->nvars; v++)
    if (!d[v]) d[v] = y[v];
}

/* Variables bound in every row of r (into c, which is and-ed). */
static void always_bound(const nkg_alg *a, const rows *r, char *c) {
  for (size_t i = 0; i < r->n; i++) {
    const nkg_tid *row = row_at(r, i);
    for (size_t v = 0; v < a->nvars; v++)
      if (!row[v]) c[v] = 0;
  }
}

/* An index of the rows of r on the variables keys (bound in all rows). */
typedef struct {
  tset keys;
  size_t *head, *next; /* chains: index + 1 */
  int *vars;
  size_t nvars;
} rindex;

static void rindex_build(const nkg_alg *a, rindex *x, const rows *r,
                         const char *keys) {
  memset(x, 0, sizeof *x);
  x->vars = nkg_xmalloc((a->nvars + 1) * sizeof *x->vars);
  for (size_t v = 0; v < a->nvars; v++)
    if (keys[v]) x->vars[x->nvars++] = (int)v;
  tset_init(&x->keys, x->nvars);
  x->next = nkg_xcalloc(r->n + 1, sizeof *x->next);
  size_t cap = 16;
  x->head = nkg_xcalloc(cap, sizeof *x->head);
  nkg_tid *k = nkg_xmalloc((x->nvars + 1) * sizeof *k);
  for (size_t i = r->n; i-- > 0;) {
    const nkg_tid *row = row_at(r, i);
    for (size_t j = 0; j < x->nvars; j++) k[j] = row[x->vars[j]];
    size_t h = tset_add(&x->keys, k, NULL);
    if (h >= cap) {
      size_t nc = cap;
      while (nc <= h) nc *= 2;
      x->head = nkg_xrealloc(x->head, nc * sizeof *x->head);
      memset(x->head + cap, 0, (nc - cap) * sizeof *x->head);
      cap = nc;
    }
    x->next[i] = x->head[h];
    x->head[h] = i + 1;
  }
  free(k);
}

/* The first row index + 1 of the chain matching row, or 0. */
static size_t rindex_probe(const rindex *x, const nkg_tid *row) {
  nkg_tid k[64];
  nkg_tid *kk = x->nvars <= 64 ? k : nkg_xmalloc(x->nvars * sizeof *kk);
  for (size_t j = 0; j < x->nvars; j++) kk[j] = row[x->vars[j]];
  size_t h = tset_find(&x->keys, kk);
  if (kk != k) free(kk);
  return h == (size_t)-1 ? 0 : x->head[h];
}

static void rindex_free(rindex *x) {
  tset_free(&x->keys);
  free(x->head);
  free(x->next);
  free(x->vars);
}

/* The keys of a join of l and r: variables bound in every row of both. */
static char *join_keys(const nkg_alg *a, const rows *l, const rows *r) {
  char *c = nkg_xmalloc(a->nvars + 1);
  memset(c, 1, a->nvars + 1);
  always_bound(a, l, c);
  always_bound(a, r, c);
  return c;
}

static void hash_join(nkg_alg *a, const rows *l, const rows *r, rows *out) {
  if (!l->n || !r->n) return;
  char *keys = join_keys(a, l, r);
  rindex x;
  rindex_build(a, &x, r, keys);
  for (size_t i = 0; i < l->n; i++) {
    const nkg_tid *lr = row_at(l, i);
    for (size_t j = rindex_probe(&x, lr); j; j = x.next[j - 1]) {
      const nkg_tid *rr = row_at(r, j - 1);
      if (compatible(a, lr, rr)) merge(a, rows_push(out, NULL), lr, rr);
    }
  }
  rindex_free(&x);
  free(keys);
}

/* ---- basic graph patterns ----------------------------------------------- */

static nkg_tid term_value(const sq_term *t, const nkg_tid *row) {
  if (t->var >= 0 && (t->kind == T_VAR || t->kind == T_BNODE))
    return row[t->var];
  return t->id;
}

static int term_is_var(const sq_term *t) {
  return t->var >= 0 && (t->kind == T_VAR || t->kind == T_BNODE);
}

/* Binds t to v in row: 1 bound now (undo later), 0 already equal, -1
 * conflict. */
static int bind(const sq_term *t, nkg_tid v, nkg_tid *row) {
  if (!term_is_var(t)) return t->id == v ? 0 : -1;
  if (!row[t->var]) {
    row[t->var] = v;
    return 1;
  }
  return row[t->var] == v ? 0 : -1;
}

static int bgp(nkg_alg *a, const anode *n, char *done, size_t left,
               nkg_tid *row, rows *out);

/* 1 when p matches paths of length zero. */
static int zero_length(const sq_path *p) {
  switch (p->kind) {
  case P_STAR:
  case P_OPT:
    return 1;
  case P_PLUS:
  case P_INV:
    return zero_length(p->kids[0]);
  case P_SEQ:
    for (size_t k = 0; k < p->nkids; k++)
      if (!zero_length(p->kids[k])) return 0;
    return 1;
  case P_ALT:
    for (size_t k = 0; k < p->nkids; k++)
      if (zero_length(p->kids[k])) return 1;
    return 0;
  default:
    return 0;
  }
}

/* For a path whose end is a variable bound by an earlier pattern: 0 when
 * the value is not a node of the active graph and p could only reach it
 * by a path of length zero (evaluated alone, the variable would range
 * over the graph's nodes), else 1. */
static int in_graph(nkg_alg *a, const sq_path *p, nkg_tid v, int *rc) {
  if (!zero_length(p)) return 1;
  ids m = {0};
  *rc = find(a, v, 0, 0, &m);
  if (!*rc && !m.n) *rc = find(a, 0, 0, v, &m);
  int r = m.n > 0;
  free(m.v);
  return r;
}

/* A plain triple pattern being matched in bgp(). */
typedef struct {
  nkg_alg *a;
  const anode *n;
  const sq_triple *t;
  char *done;
  size_t left;
  nkg_tid *row;
  rows *out;
} bgp_step;

/* Binds the pattern to one statement m, matches the rest, unbinds. */
static int bgp_match(void *data, const nkg_tid *m) {
  bgp_step *x = data;
  const sq_triple *t = x->t;
  nkg_tid *row = x->row;
  int rc = 0;
  int bs = bind(t->s, m[0], row);
  if (bs < 0) return 0;
  int bp = bind(t->pred, m[1], row);
  if (bp >= 0) {
    int bo = bind(t->o, m[2], row);
    if (bo >= 0) rc = bgp(x->a, x->n, x->done, x->left, row, x->out);
    if (bo > 0) row[t->o->var] = 0;
  }
  if (bp > 0) row[t->pred->var] = 0;
  if (bs > 0) row[t->s->var] = 0;
  return rc;
}

/* Binds s and o of a pair, recurses, unbinds. */
static int bgp_pair(nkg_alg *a, const anode *n, const sq_triple *t, char *done,
                    size_t left, nkg_tid *row, rows *out, nkg_tid x,
                    nkg_tid y) {
  int bs = bind(t->s, x, row);
  if (bs < 0) return 0;
  int bo = bind(t->o, y, row);
  int rc = 0;
  if (bo >= 0) rc = bgp(a, n, done, left, row, out);
  if (bo > 0) row[t->o->var] = 0;
  if (bs > 0) row[t->s->var] = 0;
  return rc;
}

/* ---- join order --------------------------------------------------------- */

/* A value in a row that stands for "bound, value unknown" (the plan that
 * --explain prints). Never a term id. */
#define PLAN_BOUND ((nkg_tid)-1)

/* The statistics of the predicate id p: NULL when no statement uses it. */
static const nkg_pstat *pred_stat(nkg_alg *a, nkg_tid p) {
  if (p == PLAN_BOUND) return nkg_pstats_total(a->stats);
  int added;
  size_t i = tset_add(&a->pstat_of, &p, &added);
  if (added) {
    const nkg_term *t = nkg_terms_get(a->terms, p);
    a->pstat_v = nkg_xrealloc(a->pstat_v, (i + 1) * sizeof *a->pstat_v);
    a->pstat_v[i] = t->kind == NKG_T_IRI
                        ? nkg_pstats_get(a->stats, t->lex, t->len)
                        : NULL;
    if (t->kind == NKG_T_IRI && !strcmp(t->lex, NKG_PSTATS_RDF_TYPE))
      a->rdf_type = p;
  }
  return a->pstat_v[i];
}

/* The members of the class id c, or -1 when unknown. */
static double class_members(nkg_alg *a, nkg_tid c) {
  if (c == PLAN_BOUND) return -1;
  int added;
  size_t i = tset_add(&a->class_of, &c, &added);
  if (added) {
    const nkg_term *t = nkg_terms_get(a->terms, c);
    a->class_v = nkg_xrealloc(a->class_v, (i + 1) * sizeof *a->class_v);
    a->class_v[i] = t->kind == NKG_T_IRI
                        ? nkg_pstats_class(a->stats, t->lex, t->len)
                        : 0;
  }
  return a->class_v[i];
}

static double at_least_1(double x) { return x < 1 ? 1 : x; }

/* The nodes a step along p reaches from a node (fwd) or leads to it. */
static double fanout(nkg_alg *a, const sq_path *p, int fwd) {
  const nkg_pstat *st;
  double f = 0;
  switch (p->kind) {
  case P_LINK:
    if (!(st = pred_stat(a, p->iri->id))) return 0;
    return st->triples / at_least_1(fwd ? st->subjects : st->objects);
  case P_INV:
    return fanout(a, p->kids[0], !fwd);
  case P_SEQ:
    f = 1;
    for (size_t k = 0; k < p->nkids; k++) f *= fanout(a, p->kids[k], fwd);
    return f;
  case P_ALT:
    for (size_t k = 0; k < p->nkids; k++) f += fanout(a, p->kids[k], fwd);
    return f;
  case P_STAR:
  case P_OPT:
    return 1 + fanout(a, p->kids[0], fwd);
  case P_PLUS:
    return fanout(a, p->kids[0], fwd);
  case P_NPS:
  default:
    st = nkg_pstats_total(a->stats);
    return st->triples / at_least_1(fwd ? st->subjects : st->objects);
  }
}

/* The statements (or path ends) that t is estimated to match with row's
 * bindings. */
static double estimate(nkg_alg *a, const sq_triple *t, const nkg_tid *row) {
  int sb = term_value(t->s, row) != 0, ob = term_value(t->o, row) != 0;
  if (t->path) {
    if (sb && ob) return 1;
    if (!sb && !ob) return HUGE_VAL; /* every node of the graph: last */
    return fanout(a, t->path, sb);
  }
  nkg_tid pv = term_value(t->pred, row);
  const nkg_pstat *st = pv ? pred_stat(a, pv) : nkg_pstats_total(a->stats);
  if (!st) return 0;
  if (pv && pv == a->rdf_type && ob && !sb) {
    /* the members of the class, where known */
    double m = class_members(a, term_value(t->o, row));
    if (m >= 0) return m;
  }
  double n = st->triples, bys = n / at_least_1(st->subjects),
         byo = n / at_least_1(st->objects);
  if (sb && ob) return fmin(1, fmin(bys, byo)); /* a test, at most one */
  return sb ? bys : ob ? byo : n;
}

/* Today's rule, and the tie-breaker: bound subject, then object, then
 * predicate; paths after plain triples unless an end is bound. */
static int bound_score(const sq_triple *t, const nkg_tid *row) {
  int sb = term_value(t->s, row) != 0, ob = term_value(t->o, row) != 0;
  int score = sb * 4 + ob * 3;
  if (t->path) {
    score -= 2;
    if (!sb && !ob) score -= 10;
  } else if (term_value(t->pred, row)) {
    score += 1;
  }
  return score;
}

/* The pattern of n to read next (not done) with row's bindings; *est gets
 * its estimate (0 without statistics). */
static size_t next_pattern(nkg_alg *a, const anode *n, const char *done,
                           const nkg_tid *row, double *est) {
  size_t best = 0;
  int bscore = -100;
  double best_est = HUGE_VAL;
  int first = 1;
  for (size_t k = 0; k < n->ntriples; k++) {
    if (done[k]) continue;
    const sq_triple *t = &n->triples[k];
    int score = bound_score(t, row);
    double e = a->stats ? estimate(a, t, row) : 0;
    if (first || e < best_est || (e == best_est && score > bscore)) {
      first = 0;
      bscore = score;
      best_est = e;
      best = k;
    }
  }
  *est = best_est;
  return best;
}

static int bgp(nkg_alg *a, const anode *n, char *done, size_t left,
               nkg_tid *row, rows *out) {
  if (!left) {
    rows_push(out, row);
    rows_done(out);
    if (a->halt) return 2;
    return out == a->stop_out && out->n >= a->stop_rows ? 2 : 0;
  }
  double est;
  size_t best = next_pattern(a, n, done, row, &est);
  const sq_triple *t = &n->triples[best];
  done[best] = 1;
  int rc = 0;
  nkg_tid sv = term_value(t->s, row), ov = term_value(t->o, row);
  if (!t->path) {
    /* the rest is matched for each statement while the lookup is open */
    bgp_step step = {a, n, t, done, left - 1, row, out};
    rc = find_each(a, sv, term_value(t->pred, row), ov, bgp_match, &step);
  } else if ((sv && term_is_var(t->s) && !in_graph(a, t->path, sv, &rc)) ||
             (!sv && ov && term_is_var(t->o) &&
              !in_graph(a, t->path, ov, &rc))) {
    /* a variable bound before ranges over the nodes of the graph only */
  } else if (sv) {
    ids m = {0};
    rc = path_eval(a, t->path, sv, 1, &m);
    for (size_t i = 0; i < m.n && !rc; i++)
      rc = bgp_pair(a, n, t, done, left - 1, row, out, sv, m.v[i]);
    free(m.v);
  } else if (ov) {
    ids m = {0};
    rc = path_eval(a, t->path, ov, 0, &m);
    for (size_t i = 0; i < m.n && !rc; i++)
      rc = bgp_pair(a, n, t, done, left - 1, row, out, m.v[i], ov);
    free(m.v);
  } else {
    ids nodes = {0}, m = {0};
    rc = graph_nodes(a, &nodes);
    for (size_t j = 0; j < nodes.n && !rc; j++) {
      m.n = 0;
      rc = path_eval(a, t->path, nodes.v[j], 1, &m);
      for (size_t i = 0; i < m.n && !rc; i++)
        rc = bgp_pair(a, n, t, done, left - 1, row, out, nodes.v[j], m.v[i]);
    }
    free(nodes.v);
    free(m.v);
  }
  done[best] = 0;
  return rc;
}

/* Groups the patterns of n connected through variables that row leaves
 * unbound: comp[k] is the group of pattern k. Returns the number of
 * groups. Unconnected groups are matched once each and multiplied, not
 * matched again for every solution of the others. */
static size_t components(const nkg_alg *a, const anode *n, const nkg_tid *row,
                         size_t *comp) {
  size_t nt = n->ntriples;
  if (nt < 2) return nt;
  size_t *first = nkg_xmalloc((a->nvars + 1) * sizeof *first);
  for (size_t v = 0; v < a->nvars; v++) first[v] = (size_t)-1;
  for (size_t k = 0; k < nt; k++) comp[k] = k;
  for (size_t k = 0; k < nt; k++) {
    const sq_triple *t = &n->triples[k];
    const sq_term *pos[3] = {t->s, t->pred, t->o};
    for (int j = 0; j < 3; j++) {
      if (!pos[j] || !term_is_var(pos[j]) || row[pos[j]->var]) continue;
      size_t v = (size_t)pos[j]->var;
      if (first[v] == (size_t)-1) {
        first[v] = k;
        continue;
      }
      /* union: relabel the group of k as the group of first[v] */
      size_t from = comp[k], to = comp[first[v]];
      if (from != to)
        for (size_t i = 0; i < nt; i++)
          if (comp[i] == from) comp[i] = to;
    }
  }
  free(first);
  /* renumber 0..groups-1 */
  size_t groups = 0;
  size_t *map = nkg_xmalloc(nt * sizeof *map);
  for (size_t k = 0; k < nt; k++) map[k] = (size_t)-1;
  for (size_t k = 0; k < nt; k++) {
    if (map[comp[k]] == (size_t)-1) map[comp[k]] = groups++;
    comp[k] = map[comp[k]];
  }
  free(map);
  return groups;
}

/* Matches each group of patterns alone, then writes every combination. */
static int bgp_product(nkg_alg *a, const anode *n, nkg_tid *row,
                       const size_t *comp, size_t nc, char *done,
                       rows *out) {
  rows acc, part, next;
  rows_init(&acc, a->w);
  rows_init(&part, a->w);
  rows_init(&next, a->w);
  rows_push(&acc, row);
  int rc = 0;
  for (size_t c = 0; c < nc && !rc && acc.n; c++) {
    size_t left = 0;
    for (size_t k = 0; k < n->ntriples; k++) {
      done[k] = comp[k] != c;
      left += comp[k] == c;
    }
    part.n = 0;
    rc = bgp(a, n, done, left, row, &part);
    next.n = 0;
    for (size_t i = 0; i < acc.n && !rc; i++)
      for (size_t j = 0; j < part.n; j++)
        merge(a, rows_push(&next, NULL), row_at(&acc, i), row_at(&part, j));
    rows t = acc;
    acc = next;
    next = t;
  }
  memset(done, 0, n->ntriples);
  for (size_t i = 0; i < acc.n && !rc; i++) rows_push(out, row_at(&acc, i));
  rows_free(&acc);
  rows_free(&part);
  rows_free(&next);
  return rc;
}

/* ---- evaluation --------------------------------------------------------- */

static int run_query(nkg_alg *a, const sq_query *q, const nkg_tid *seed,
                     rows *out);

/* 1 when Join(in, eval(n)) may be computed by evaluating n with each row
 * of in substituted. */
static int pushable(nkg_alg *a, const anode *n, const rows *in) {
  if (a->force) return 1;
  switch (n->kind) {
  case A_UNIT:
  case A_BGP:
  case A_JOIN:
  case A_UNION:
  case A_GRAPH:
  case A_TABLE:
    return 1;
  case A_SUB:
    return 0;
  default:
    break;
  }
  /* in binds nothing the operand might leave unbound */
  const char *c = n->l->certain;
  for (size_t i = 0; i < in->n; i++) {
    const nkg_tid *row = row_at(in, i);
    for (size_t v = 0; v < a->nvars; v++)
      if (row[v] && !c[v]) return 0;
  }
  return 1;
}

/* Substitutable for each row alone (LeftJoin's right side). */
static int substitutable(const anode *n) {
  switch (n->kind) {
  case A_UNIT:
  case A_BGP:
  case A_TABLE:
    return 1;
  case A_JOIN:
  case A_UNION:
    return substitutable(n->l) && substitutable(n->r);
  case A_GRAPH:
    return substitutable(n->l);
  default:
    return 0;
  }
}

static int ev_core(nkg_alg *a, const anode *n, const rows *in, rows *out);

static int ev(nkg_alg *a, const anode *n, const rows *in, rows *out) {
  if (a->failed) return -1;
  if (a->halt) return 2;
  if (!in->n) return 0;
  if (is_unit(a, in) || pushable(a, n, in)) return ev_core(a, n, in, out);
  rows unit, r;
  rows_init(&unit, a->w);
  rows_init(&r, a->w);
  rows_push(&unit, NULL);
  int rc = ev_core(a, n, &unit, &r);
  if (!rc) hash_join(a, in, &r, out);
  rows_free(&unit);
  rows_free(&r);
  return rc;
}

/* Lists the named graphs once, when no FROM NAMED gave them: every
 * context of the model but the unnamed ones. */
static void named_graphs(nkg_alg *a) {
  if (a->named_listed) return;
  a->named_listed = 1;
  ids named = {0};
  librdf_iterator *it = librdf_model_get_contexts(a->model);
  if (it) {
    for (; !librdf_iterator_end(it); librdf_iterator_next(it)) {
      librdf_node *c = librdf_iterator_get_object(it);
      if (!c) continue;
      int unnamed = 0;
      for (size_t k = 0; k < a->nunnamed && !unnamed; k++)
        unnamed = librdf_node_equals(c, a->unnamed[k]);
      if (!unnamed) ids_push(&named, nkg_terms_from_node(a->terms, c));
    }
    librdf_free_iterator(it);
  }
  free(a->named);
  a->named = named.v;
  a->nnamed = named.n;
}

static int ev_graph(nkg_alg *a, const anode *n, const rows *in, rows *out) {
  nkg_tid saved = a->graph;
  int rc = 0;
  named_graphs(a);
  if (!term_is_var(n->gterm)) {
    int named = 0;
    for (size_t k = 0; k < a->nnamed; k++)
      if (a->named[k] == n->gterm->id) named = 1;
    if (!named) return 0;
    a->graph = n->gterm->id;
    rc = ev(a, n->l, in, out);
    a->graph = saved;
    return rc;
  }
  int v = n->gterm->var;
  rows sub;
  rows_init(&sub, a->w);
  for (size_t k = 0; k < a->nnamed && !rc; k++) {
    sub.n = 0;
    for (size_t i = 0; i < in->n; i++) {
      const nkg_tid *row = row_at(in, i);
      if (row[v] && row[v] != a->named[k]) continue;
      rows_push(&sub, row)[v] = a->named[k];
    }
    if (!sub.n) continue;
    a->graph = a->named[k];
    rc = ev(a, n->l, &sub, out);
    a->graph = saved;
  }
  rows_free(&sub);
  return rc;
}

static int ev_leftjoin(nkg_alg *a, const anode *n, const rows *in,
                       rows *out) {
  rows l, r, one;
  rows_init(&l, a->w);
  rows_init(&r, a->w);
  rows_init(&one, a->w);
  int rc = ev(a, n->l, in, &l);
  if (!rc && (a->force || substitutable(n->r))) {
    for (size_t i = 0; i < l.n && !rc; i++) {
      const nkg_tid *lr = row_at(&l, i);
      one.n = 0;
      r.n = 0;
      rows_push(&one, lr);
      rc = ev(a, n->r, &one, &r);
      int any = 0;
      for (size_t j = 0; j < r.n && !rc; j++) {
        const nkg_tid *rr = row_at(&r, j);
        int f = n->nexprs ? filter_row(a, n->exprs, n->nexprs, rr) : 1;
        if (f < 0) rc = -1;
        if (f == 1) {
          rows_push(out, rr);
          any = 1;
        }
      }
      if (!any) rows_push(out, lr);
    }
  } else if (!rc) {
    rows unit;
    rows_init(&unit, a->w);
    rows_push(&unit, NULL);
    rc = ev(a, n->r, &unit, &r);
    rows_free(&unit);
    char *keys = join_keys(a, &l, &r);
    rindex x;
    rindex_build(a, &x, &r, keys);
    nkg_tid *m = nkg_xmalloc(a->w * sizeof *m + 1);
    for (size_t i = 0; i < l.n && !rc; i++) {
      const nkg_tid *lr = row_at(&l, i);
      int any = 0;
      for (size_t j = r.n ? rindex_probe(&x, lr) : 0; j && !rc;
           j = x.next[j - 1]) {
        const nkg_tid *rr = row_at(&r, j - 1);
        if (!compatible(a, lr, rr)) continue;
        merge(a, m, lr, rr);
        int f = n->nexprs ? filter_row(a, n->exprs, n->nexprs, m) : 1;
        if (f < 0) rc = -1;
        if (f == 1) {
          rows_push(out, m);
          any = 1;
        }
      }
      if (!any) rows_push(out, lr);
    }
    free(m);
    rindex_free(&x);
    free(keys);
  }
  rows_free(&l);
  rows_free(&r);
  rows_free(&one);
  return rc;
}

static int ev_minus(nkg_alg *a, const anode *n, const rows *in, rows *out) {
  rows l, r, unit;
  rows_init(&l, a->w);
  rows_init(&r, a->w);
  rows_init(&unit, a->w);
  rows_push(&unit, NULL);
  int rc = ev(a, n->l, in, &l);
  if (!rc) rc = ev(a, n->r, a->force ? in : &unit, &r);
  for (size_t i = 0; i < l.n && !rc; i++) {
    const nkg_tid *lr = row_at(&l, i);
    int drop = 0;
    for (size_t j = 0; j < r.n && !drop; j++) {
      const nkg_tid *rr = row_at(&r, j);
      int shared = 0, ok = 1;
      for (size_t v = 0; v < a->nvars && ok; v++) {
        if (lr[v] && rr[v]) {
          shared = 1;
          if (lr[v] != rr[v]) ok = 0;
        }
      }
      if (shared && ok) drop = 1;
    }
    if (!drop) rows_push(out, lr);
  }
  rows_free(&l);
  rows_free(&r);
  rows_free(&unit);
  return rc;
}

static int ev_core(nkg_alg *a, const anode *n, const rows *in, rows *out) {
  int rc = 0;
  switch (n->kind) {
  case A_UNIT:
    for (size_t i = 0; i < in->n; i++) rows_push(out, row_at(in, i));
    return 0;
  case A_BGP: {
    char *done = nkg_xcalloc(n->ntriples + 1, 1);
    size_t *comp = nkg_xcalloc(n->ntriples + 1, sizeof *comp);
    nkg_tid *row = nkg_xmalloc(a->w * sizeof *row + 1);
    for (size_t i = 0; i < in->n && !rc; i++) {
      memcpy(row, row_at(in, i), a->w * sizeof *row);
      size_t nc = components(a, n, row, comp);
      if (nc <= 1)
        rc = bgp(a, n, done, n->ntriples, row, out);
      else
        rc = bgp_product(a, n, row, comp, nc, done, out);
    }
    free(done);
    free(comp);
    free(row);
    return rc;
  }
  case A_JOIN: {
    rows t;
    rows_init(&t, a->w);
    /* a join is commutative: a VALUES table goes first, so that its
     * bindings are substituted into the other side */
    const anode *first = n->l, *second = n->r;
    if (second->kind == A_TABLE && first->kind != A_TABLE) {
      first = n->r;
      second = n->l;
    }
    rc = ev(a, first, in, &t);
    if (!rc) rc = ev(a, second, &t, out);
    rows_free(&t);
    return rc;
  }
  case A_UNION:
    rc = ev(a, n->l, in, out);
    if (!rc) rc = ev(a, n->r, in, out);
    return rc;
  case A_GRAPH:
    return ev_graph(a, n, in, out);
  case A_LEFTJOIN:
    return ev_leftjoin(a, n, in, out);
  case A_MINUS:
    return ev_minus(a, n, in, out);
  case A_FILTER: {
    rows t;
    rows_init(&t, a->w);
    rc = ev(a, n->l, in, &t);
    for (size_t i = 0; i < t.n && !rc; i++) {
      int f = filter_row(a, n->exprs, n->nexprs, row_at(&t, i));
      if (f < 0) rc = -1;
      if (f == 1) rows_push(out, row_at(&t, i));
    }
    rows_free(&t);
    return rc;
  }
  case A_EXTEND: {
    rows t;
    rows_init(&t, a->w);
    rc = ev(a, n->l, in, &t);
    for (size_t i = 0; i < t.n && !rc; i++) {
      nkg_tid *row = row_at(&t, i);
      nkg_x_ctx c;
      a->serial++;
      xctx(a, &c, row);
      nkg_tid v = 0;
      int r = nkg_x_eval(&c, n->x, &v);
      if (r < 0) {
        rc = fail(a, "an expression failed");
        break;
      }
      if (r == NKG_X_OK && v) {
        if (row[n->var] && row[n->var] != v) continue;
        row[n->var] = v;
      }
      rows_push(out, row);
    }
    rows_free(&t);
    return rc;
  }
  case A_TABLE: {
    const sq_elem *e = n->values;
    for (size_t i = 0; i < in->n; i++) {
      const nkg_tid *row = row_at(in, i);
      for (size_t r = 0; r < e->nrows; r++) {
        const nkg_tid *vals = e->rows + r * e->ncols;
        int ok = 1;
        for (size_t k = 0; k < e->ncols && ok; k++)
          if (vals[k] && row[e->colvar[k]] && row[e->colvar[k]] != vals[k])
            ok = 0;
        if (!ok) continue;
        nkg_tid *d = rows_push(out, row);
        for (size_t k = 0; k < e->ncols; k++)
          if (vals[k]) d[e->colvar[k]] = vals[k];
      }
    }
    return 0;
  }
  case A_SUB: {
    rows r;
    rows_init(&r, a->w);
    nkg_tid saved = a->graph;
    if (!a->force) {
      rc = run_query(a, n->sub, NULL, &r);
      a->graph = saved;
      if (!rc) hash_join(a, in, &r, out);
      rows_free(&r);
      return rc;
    }
    /* Inside EXISTS the row is substituted into the subquery too: the
     * variables it projects start bound, as in Oxigraph (and as
     * substitute() of SPARQL 1.1 section 18.6 reads), so its LIMIT and
     * aggregates see only the matching solutions. */
    const sq_query *q = n->sub;
    nkg_tid *seed = nkg_xcalloc(a->w + 1, sizeof *seed);
    rows one;
    rows_init(&one, a->w);
    for (size_t i = 0; i < in->n && !rc; i++) {
      const nkg_tid *row = row_at(in, i);
      memset(seed, 0, a->w * sizeof *seed);
      for (size_t k = 0; k < q->nproj; k++)
        if (q->proj_var[k] < (int)a->nvars)
          seed[q->proj_var[k]] = row[q->proj_var[k]];
      r.n = 0;
      one.n = 0;
      rows_push(&one, row);
      rc = run_query(a, q, seed, &r);
      a->graph = saved;
      if (!rc) hash_join(a, &one, &r, out);
    }
    free(seed);
    rows_free(&one);
    rows_free(&r);
    return rc;
  }
  }
  return 0;
}

/* ---- grouping, ordering, projection ------------------------------------- */

static int aggregate(nkg_alg *a, const sq_query *q, rows *in, rows *out) {
  size_t ng = q->ngroup, na = q->naggs;
  tset groups;
  tset_init(&groups, ng);
  nkg_agg **aggs = NULL; /* groups * na */
  size_t cap = 0;
  nkg_tid *key = nkg_xcalloc(ng + 1, sizeof *key);
  int rc = 0;
  if (!ng) {
    /* one group, even of no rows */
    tset_add(&groups, key, NULL);
    cap = 1;
    aggs = nkg_xcalloc(na + 1, sizeof *aggs);
    for (size_t k = 0; k < na; k++) aggs[k] = nkg_agg_new(q->aggs[k]);
  }
  for (size_t i = 0; i < in->n && !rc; i++) {
    const nkg_tid *row = row_at(in, i);
    nkg_x_ctx c;
    xctx(a, &c, row);
    for (size_t k = 0; k < ng; k++) {
      nkg_tid v = 0;
      int r = nkg_x_eval(&c, q->group_x[k], &v);
      if (r < 0) rc = -1;
      key[k] = r == NKG_X_OK ? v : 0;
    }
    int added;
    size_t g = tset_add(&groups, key, &added);
    if (added) {
      if (g >= cap) {
        size_t nc = cap ? cap * 2 : 16;
        aggs = nkg_xrealloc(aggs, (nc * na + 1) * sizeof *aggs);
        cap = nc;
      }
      for (size_t k = 0; k < na; k++) aggs[g * na + k] = nkg_agg_new(q->aggs[k]);
    }
    for (size_t k = 0; k < na && !rc; k++)
      if (nkg_agg_add(aggs[g * na + k], &c) < 0) rc = -1;
  }
  for (size_t g = 0; g < groups.n && !rc; g++) {
    nkg_tid *d = rows_push(out, NULL);
    const nkg_tid *k = groups.keys + g * ng;
    for (size_t j = 0; j < ng; j++)
      if (q->group_var[j] >= 0) d[q->group_var[j]] = k[j];
    nkg_x_ctx c;
    xctx(a, &c, d);
    for (size_t j = 0; j < na; j++) {
      nkg_tid v = 0;
      int r = nkg_agg_result(aggs[g * na + j], &c, &v);
      if (r < 0) rc = -1;
      d[a->nvars + j] = r == NKG_X_OK ? v : 0;
    }
  }
  for (size_t g = 0; g < groups.n; g++)
    for (size_t j = 0; j < na; j++) nkg_agg_free(aggs[g * na + j]);
  free(aggs);
  free(key);
  tset_free(&groups);
  if (rc) return fail(a, "an aggregate failed");
  return 0;
}

typedef struct {
  nkg_alg *a;
  const sq_query *q;
  nkg_tid *keys; /* n * norder */
} sort_ctx;

/* qsort has no context argument in C11: the comparison reads it from a
 * header placed before each element. */
typedef struct {
  const sort_ctx *c;
  size_t i;
} sort_item;

static int sort_cmp(const void *x, const void *y) {
  const sort_item *p = x, *q = y;
  const sort_ctx *c = p->c;
  size_t no = c->q->norder;
  for (size_t k = 0; k < no; k++) {
    int r = nkg_x_order(c->a->terms, c->keys[p->i * no + k],
                        c->keys[q->i * no + k]);
    if (r) return c->q->order_desc[k] ? -r : r;
  }
  return p->i < q->i ? -1 : p->i > q->i;
}

static int order(nkg_alg *a, const sq_query *q, rows *r) {
  size_t no = q->norder;
  if (!no || r->n < 2) return 0;
  sort_ctx c = {a, q, nkg_xcalloc(r->n * no + 1, sizeof(nkg_tid))};
  for (size_t i = 0; i < r->n; i++) {
    nkg_x_ctx x;
    xctx(a, &x, row_at(r, i));
    for (size_t k = 0; k < no; k++) {
      nkg_tid v = 0;
      int e = nkg_x_eval(&x, q->order_x[k], &v);
      if (e < 0) {
        free(c.keys);
        return fail(a, "an expression failed");
      }
      c.keys[i * no + k] = e == NKG_X_OK ? v : 0;
    }
  }
  sort_item *items = nkg_xmalloc(r->n * sizeof *items);
  for (size_t i = 0; i < r->n; i++) items[i] = (sort_item){&c, i};
  qsort(items, r->n, sizeof *items, sort_cmp);
  nkg_tid *v = nkg_xmalloc(r->n * r->w * sizeof *v + 1);
  for (size_t i = 0; i < r->n; i++)
    memcpy(v + i * r->w, row_at(r, items[i].i), r->w * sizeof *v);
  free(r->v);
  r->v = v;
  r->cap = r->n;
  free(items);
  free(c.keys);
  return 0;
}

/* The select expressions of q on row, in order (a later one may use an
 * earlier one). Returns 0, or -1 after a message. */
static int select_row(nkg_alg *a, const sq_query *q, nkg_tid *row) {
  a->serial++;
  for (size_t k = 0; k < q->nproj; k++) {
    if (!q->proj_x[k]) continue;
    nkg_x_ctx c;
    xctx(a, &c, row);
    nkg_tid v = 0;
    int e = nkg_x_eval(&c, q->proj_x[k], &v);
    if (e < 0) return fail(a, "an expression failed");
    row[q->proj_var[k]] = e == NKG_X_OK ? v : 0;
  }
  return 0;
}

/* Evaluates a whole query; out gets rows in which only the projected
 * variables are bound (all in scope for CONSTRUCT, DESCRIBE and ASK). */
/* seed: the row the evaluation starts from, or NULL for the empty one. */
static int run_query(nkg_alg *a, const sq_query *q, const nkg_tid *seed,
                     rows *out) {
  rows r, t, unit;
  rows_init(&r, a->w);
  rows_init(&t, a->w);
  rows_init(&unit, a->w);
  rows_push(&unit, seed);
  /* only the top query's own rows may stop early */
  if (a->stop_rows && q == a->ast->q) a->stop_out = &r;
  int rc = ev(a, q->alg, &unit, &r);
  a->stop_out = NULL;
  if (rc == 2 && !a->halt) rc = 0; /* halted: the streamed answer is done */
  if (!rc && q->aggregate) {
    rc = aggregate(a, q, &r, &t);
    rows tmp = r;
    r = t;
    t = tmp;
    t.n = 0;
    for (size_t i = 0; i < r.n && !rc && q->nhaving; i++) {
      int f = filter_row(a, q->having, q->nhaving, row_at(&r, i));
      if (f < 0) rc = -1;
      if (f == 1) rows_push(&t, row_at(&r, i));
    }
    if (q->nhaving) {
      tmp = r;
      r = t;
      t = tmp;
      t.n = 0;
    }
  }
  if (!rc && q->values) {
    anode tab = {.kind = A_TABLE, .values = q->values};
    t.n = 0;
    rc = ev_core(a, &tab, &r, &t);
    rows tmp = r;
    r = t;
    t = tmp;
  }
  if (!rc && q->kind == Q_SELECT && q->proj_x)
    for (size_t i = 0; i < r.n && !rc; i++) rc = select_row(a, q, row_at(&r, i));
  if (!rc) rc = order(a, q, &r);
  /* projection */
  if (!rc && (q->kind == Q_SELECT || (q->kind == Q_DESCRIBE && q->nproj))) {
    char *keep = nkg_xcalloc(a->w + 1, 1);
    for (size_t k = 0; k < q->nproj; k++) keep[q->proj_var[k]] = 1;
    for (size_t i = 0; i < r.n; i++) {
      nkg_tid *row = row_at(&r, i);
      for (size_t v = 0; v < a->w; v++)
        if (!keep[v]) row[v] = 0;
    }
    free(keep);
  } else if (!rc) {
    for (size_t i = 0; i < r.n; i++)
      memset(row_at(&r, i) + a->nvars, 0, (a->w - a->nvars) * sizeof(nkg_tid));
  }
  long off = q->offset > 0 ? q->offset : 0;
  long lim = q->limit;
  if (!rc) {
    tset seen;
    tset_init(&seen, a->w);
    long skipped = 0, taken = 0;
    for (size_t i = 0; i < r.n; i++) {
      const nkg_tid *row = row_at(&r, i);
      if (q->distinct || q->reduced) {
        int added;
        tset_add(&seen, row, &added);
        if (!added) continue;
      }
      if (skipped < off) {
        skipped++;
        continue;
      }
      if (lim >= 0 && taken >= lim) break;
      rows_push(out, row);
      taken++;
    }
    tset_free(&seen);
  }
  rows_free(&r);
  rows_free(&t);
  rows_free(&unit);
  return rc;
}

/* ---- the dataset -------------------------------------------------------- */

static int iri_node_in(librdf_world *w, const char *iri, librdf_node **out) {
  *out = librdf_new_node_from_uri_string(w, (const unsigned char *)iri);
  return *out ? 0 : -1;
}

static int dataset(nkg_alg *a, const nkg_alg_options *o, const sq_query *q) {
  size_t nd = q->nfrom ? q->nfrom : o->nunnamed;
  a->dflt = nkg_xcalloc(nd + 1, sizeof *a->dflt);
  if (q->nfrom) {
    for (size_t k = 0; k < q->nfrom; k++)
      if (iri_node_in(a->world, q->from[k], &a->dflt[a->ndflt++]))
        return fail(a, "cannot make a node of a FROM IRI");
  } else {
    for (size_t k = 0; k < o->nunnamed; k++) {
      a->dflt[a->ndflt] = librdf_new_node_from_node(o->unnamed[k]);
      if (!a->dflt[a->ndflt++]) return fail(a, "cannot copy a node");
    }
    a->dflt_nocontext = 1;
    /* newskg's default graph: the merge of every graph (see the header) */
    a->dflt_all = 1;
  }
  ids named = {0};
  if (q->nfrom_named) {
    for (size_t k = 0; k < q->nfrom_named; k++)
      ids_push(&named, nkg_terms_iri(a->terms, q->from_named[k]));
  } else {
    /* listed by named_graphs() when a GRAPH needs them: a store may hold
     * 10,000s of graphs, and most queries never ask */
    a->unnamed = nkg_xcalloc(o->nunnamed + 1, sizeof *a->unnamed);
    for (size_t k = 0; k < o->nunnamed; k++) {
      a->unnamed[a->nunnamed] = librdf_new_node_from_node(o->unnamed[k]);
      if (!a->unnamed[a->nunnamed++]) return fail(a, "cannot copy a node");
    }
    a->named = named.v;
    return 0;
  }
  a->named = named.v;
  a->nnamed = named.n;
  a->named_listed = 1;
  return 0;
}

/* ---- the public functions ----------------------------------------------- */

nkg_alg *nkg_alg_new(const nkg_alg_options *o, sq_ast *ast) {
  nkg_alg *a = nkg_xcalloc(1, sizeof *a);
  a->world = o->world;
  a->model = o->model;
  a->terms = o->terms;
  a->source = o->source ? o->source : "query";
  a->ast = ast;
  a->stats = o->stats;
  tset_init(&a->pstat_of, 1);
  tset_init(&a->class_of, 1);
  /* ast->base is the query's BASE resolved against o->base, or o->base */
  a->xenv = nkg_x_env_new(o->terms, ast->base);
  a->nvars = ast->nvars;
  if (!a->xenv || tr_query(a, ast->q) || dataset(a, o, ast->q)) {
    if (!a->failed) fail(a, "cannot prepare the query");
    nkg_alg_free(a);
    return NULL;
  }
  /* variables are all known now: the translation may have added none */
  a->nvars = ast->nvars;
  a->w = a->nvars + a->maxaggs;
  if (!a->w) a->w = 1;
  a->where = ast->q->alg;
  return a;
}

void nkg_alg_free(nkg_alg *a) {
  if (!a) return;
  for (size_t k = 0; k < a->ndflt; k++)
    if (a->dflt[k]) librdf_free_node(a->dflt[k]);
  free(a->dflt);
  for (size_t k = 0; k < a->nunnamed; k++)
    if (a->unnamed[k]) librdf_free_node(a->unnamed[k]);
  free(a->unnamed);
  free(a->named);
  if (a->xenv) nkg_x_env_free(a->xenv);
  tset_free(&a->pstat_of);
  free(a->pstat_v);
  tset_free(&a->class_of);
  free(a->class_v);
  free(a);
}

void nkg_alg_result_free(nkg_alg_result *r) {
  free(r->rows);
  free(r->triples);
  memset(r, 0, sizeof *r);
}

/* Instantiates the template over the solutions (fresh blank nodes per
 * solution); drops triples with an unbound or misplaced term. */
/* The template of q instantiated on one solution (fresh: nvars + 1 ids,
 * the solution's blank nodes), added to out; with sink, each triple new to
 * out is handed to it. Returns 0, or what the sink returned. */
static int construct_row(nkg_alg *a, const sq_query *q, const nkg_tid *row,
                         nkg_tid *fresh, tset *out, const nkg_alg_sink *sink) {
  memset(fresh, 0, (a->nvars + 1) * sizeof *fresh);
  for (size_t k = 0; k < q->ntmpl; k++) {
    const sq_triple *t = &q->tmpl[k];
    const sq_term *pos[3] = {t->s, t->pred, t->o};
    nkg_tid v[3];
    int ok = 1;
    for (int j = 0; j < 3 && ok; j++) {
      const sq_term *x = pos[j];
      if (!x) {
        ok = 0;
      } else if (x->kind == T_BNODE) {
        if (!fresh[x->var]) fresh[x->var] = nkg_terms_fresh_bnode(a->terms);
        v[j] = fresh[x->var];
      } else if (x->kind == T_VAR) {
        v[j] = row[x->var];
      } else {
        v[j] = x->id;
      }
      if (ok && !v[j]) ok = 0;
    }
    if (!ok) continue;
    if (nkg_terms_get(a->terms, v[0])->kind == NKG_T_LIT) continue;
    if (nkg_terms_get(a->terms, v[1])->kind != NKG_T_IRI) continue;
    int added;
    tset_add(out, v, &added);
    if (added && sink && sink->put(sink->data, v)) return -1;
  }
  return 0;
}

static void construct(nkg_alg *a, const sq_query *q, const rows *sol,
                      tset *out) {
  nkg_tid *fresh = nkg_xcalloc(a->nvars + 1, sizeof *fresh);
  for (size_t i = 0; i < sol->n; i++)
    construct_row(a, q, row_at(sol, i), fresh, out, NULL);
  free(fresh);
}

static int describe(nkg_alg *a, const sq_query *q, const rows *sol,
                    tset *out) {
  tset res;
  tset_init(&res, 1);
  for (size_t k = 0; k < q->ndescribe; k++) {
    const sq_term *t = q->describe[k];
    if (t->kind == T_IRI) tset_add(&res, &t->id, NULL);
  }
  for (size_t i = 0; i < sol->n; i++) {
    const nkg_tid *row = row_at(sol, i);
    for (size_t k = 0; k < q->ndescribe; k++)
      if (q->describe[k]->kind == T_VAR && row[q->describe[k]->var])
        tset_add(&res, &row[q->describe[k]->var], NULL);
    if (q->star)
      for (size_t k = 0; k < q->nproj; k++)
        if (row[q->proj_var[k]]) tset_add(&res, &row[q->proj_var[k]], NULL);
  }
  int rc = 0;
  a->graph = 0;
  for (size_t k = 0; k < res.n && !rc; k++) {
    nkg_tid r = res.keys[k];
    if (nkg_terms_get(a->terms, r)->kind == NKG_T_LIT) continue;
    ids m = {0};
    rc = find(a, r, 0, 0, &m);
    for (size_t i = 0; i < m.n; i += 3) tset_add(out, &m.v[i], NULL);
    free(m.v);
  }
  tset_free(&res);
  return rc;
}

int nkg_alg_run(nkg_alg *a, nkg_alg_result *res) {
  const sq_query *q = a->ast->q;
  memset(res, 0, sizeof *res);
  rows sol;
  rows_init(&sol, a->w);
  a->graph = 0;
  a->stop_out = NULL;
  if (q->kind == Q_ASK) {
    a->stop_rows = 1;
  } else if (q->kind == Q_SELECT && q->limit >= 0 && !q->norder &&
             !q->aggregate && !q->distinct && !q->reduced && !q->values) {
    a->stop_rows = (size_t)q->limit + (size_t)(q->offset > 0 ? q->offset : 0);
  } else {
    a->stop_rows = 0;
  }
  int rc = run_query(a, q, NULL, &sol);
  if (rc) {
    rows_free(&sol);
    if (!a->failed) fail(a, "the query failed");
    return -1;
  }
  switch (q->kind) {
  case Q_SELECT:
    res->vars = q->proj;
    res->nvars = q->nproj;
    res->nrows = sol.n;
    res->rows = nkg_xmalloc((sol.n * q->nproj + 1) * sizeof *res->rows);
    for (size_t i = 0; i < sol.n; i++)
      for (size_t k = 0; k < q->nproj; k++)
        res->rows[i * q->nproj + k] = row_at(&sol, i)[q->proj_var[k]];
    break;
  case Q_ASK:
    res->boolean = sol.n > 0;
    break;
  case Q_CONSTRUCT:
  case Q_DESCRIBE: {
    tset t;
    tset_init(&t, 3);
    if (q->kind == Q_CONSTRUCT)
      construct(a, q, &sol, &t);
    else
      rc = describe(a, q, &sol, &t);
    res->triples = t.keys;
    res->ntriples = t.n;
    t.keys = NULL;
    tset_free(&t);
    break;
  }
  }
  rows_free(&sol);
  return rc;
}

/* ---- streaming ---------------------------------------------------------- */

/* The end of run_query() for one row at a time: select expressions,
 * projection, DISTINCT / REDUCED, OFFSET, LIMIT, then the sink (SELECT) or
 * the template (CONSTRUCT). */
struct stream {
  nkg_alg *a;
  const sq_query *q;
  const nkg_alg_sink *sink;
  tset seen;      /* DISTINCT / REDUCED: projected rows */
  tset triples;   /* CONSTRUCT: triples handed over */
  nkg_tid *vals;  /* SELECT: the projected row; CONSTRUCT: fresh nodes */
  long skipped, taken;
};

static void stream_row(stream *st, nkg_tid *row) {
  nkg_alg *a = st->a;
  const sq_query *q = st->q;
  if (a->halt || a->failed) return;
  if (q->kind == Q_SELECT) {
    if (q->proj_x && select_row(a, q, row)) return;
    for (size_t k = 0; k < q->nproj; k++) st->vals[k] = row[q->proj_var[k]];
    if (q->distinct || q->reduced) {
      int added;
      tset_add(&st->seen, st->vals, &added);
      if (!added) return;
    }
  }
  if (st->skipped < q->offset) {
    st->skipped++;
    return;
  }
  if (q->limit >= 0 && st->taken >= q->limit) {
    a->halt = 1;
    return;
  }
  int rc = q->kind == Q_SELECT
               ? st->sink->put(st->sink->data, st->vals)
               : construct_row(a, q, row, st->vals, &st->triples, st->sink);
  if (rc) {
    a->failed = 1; /* the sink said why */
    return;
  }
  if (q->limit >= 0 && ++st->taken >= q->limit) a->halt = 1;
}

static void stream_rows(stream *st, rows *r) {
  for (size_t i = 0; i < r->n; i++) stream_row(st, row_at(r, i));
  r->n = 0;
}

/* 1 when x calls BNODE() (outside EXISTS patterns). */
static int mints_bnode(const nkg_x *x) {
  if (!x) return 0;
  if (x->kind == X_CALL && !strcmp(x->name, "BNODE")) return 1;
  for (size_t k = 0; k < x->nargs; k++)
    if (mints_bnode(x->args[k])) return 1;
  return 0;
}

int nkg_alg_streams(const nkg_alg *a) {
  const sq_query *q = a->ast->q;
  if (q->aggregate || q->nhaving || q->norder || q->values) return 0;
  if (q->kind == Q_SELECT) {
    for (size_t k = 0; q->proj_x && k < q->nproj; k++)
      if (mints_bnode(q->proj_x[k])) return 0;
    return 1;
  }
  if (q->kind == Q_CONSTRUCT) {
    for (size_t k = 0; k < q->ntmpl; k++) {
      const sq_triple *t = &q->tmpl[k];
      if ((t->s && t->s->kind == T_BNODE) ||
          (t->pred && t->pred->kind == T_BNODE) ||
          (t->o && t->o->kind == T_BNODE))
        return 0;
    }
    return 1;
  }
  return 0;
}

const char *const *nkg_alg_vars(const nkg_alg *a, size_t *n) {
  *n = a->ast->q->nproj;
  return a->ast->q->proj;
}

int nkg_alg_stream(nkg_alg *a, const nkg_alg_sink *sink) {
  const sq_query *q = a->ast->q;
  if (!nkg_alg_streams(a)) return fail(a, "this query cannot stream");
  stream st = {.a = a, .q = q, .sink = sink};
  tset_init(&st.seen, q->nproj);
  tset_init(&st.triples, 3);
  st.vals = nkg_xcalloc((q->nproj > a->nvars ? q->nproj : a->nvars) + 1,
                        sizeof *st.vals);
  rows r, unit;
  rows_init(&r, a->w);
  rows_init(&unit, a->w);
  rows_push(&unit, NULL);
  r.st = &st;
  /* rows go on in batches (the evaluation and the writer alternate less
   * often), one at a time under a LIMIT (which halts at its last row) */
  r.st_batch = q->limit >= 0 ? 1 : 256;
  a->graph = 0;
  a->stop_out = NULL;
  a->stop_rows = 0;
  a->halt = 0;
  int rc = ev(a, q->alg, &unit, &r);
  if (!rc) rows_flush(&r);
  if (rc == 2 && a->halt) rc = 0;
  if (!rc && a->failed) rc = -1;
  rows_free(&r);
  rows_free(&unit);
  tset_free(&st.seen);
  tset_free(&st.triples);
  free(st.vals);
  if (rc && !a->failed) fail(a, "the query failed");
  return rc ? -1 : 0;
}

/* ---- explain ------------------------------------------------------------ */

static void put_term(nkg_alg *a, FILE *out, nkg_tid id) {
  const nkg_term *t = nkg_terms_get(a->terms, id);
  if (t->kind == NKG_T_IRI)
    fprintf(out, "<%s>", t->lex);
  else if (t->kind == NKG_T_BNODE)
    fprintf(out, "_:%s", t->lex);
  else {
    fputc('"', out);
    for (const char *c = t->lex; *c; c++) {
      if (*c == '"' || *c == '\\') fputc('\\', out);
      if (*c == '\n')
        fputs("\\n", out);
      else
        fputc(*c, out);
    }
    fputc('"', out);
    if (t->lang)
      fprintf(out, "@%s", t->lang);
    else if (t->dt)
      fprintf(out, "^^<%s>", t->dt);
  }
}

static void put_sq_term(nkg_alg *a, FILE *out, const sq_term *t) {
  if (!t)
    fputs("?", out);
  else if (t->kind == T_VAR)
    fprintf(out, "?%s", a->ast->vars[t->var]);
  else if (t->kind == T_BNODE)
    fprintf(out, "%s", a->ast->vars[t->var]);
  else
    put_term(a, out, t->id);
}

static void put_path(nkg_alg *a, FILE *out, const sq_path *p) {
  static const char *names[] = {"link", "inv", "seq", "alt",
                                "zeroOrMore", "oneOrMore", "zeroOrOne", "nps"};
  if (p->kind == P_LINK) {
    put_sq_term(a, out, p->iri);
    return;
  }
  fprintf(out, "(%s", names[p->kind]);
  for (size_t k = 0; k < p->nkids; k++) {
    fputc(' ', out);
    put_path(a, out, p->kids[k]);
  }
  for (size_t k = 0; k < p->nnps; k++) {
    fputs(p->nps_inv[k] ? " ^" : " ", out);
    put_sq_term(a, out, p->nps[k]);
  }
  fputc(')', out);
}

static void indent(FILE *out, int d);
static void put_node(nkg_alg *a, FILE *out, const anode *n, int d);

static void put_triple(nkg_alg *a, FILE *out, const sq_triple *t) {
  fputs(t->path ? "(path " : "(triple ", out);
  put_sq_term(a, out, t->s);
  fputc(' ', out);
  if (t->path)
    put_path(a, out, t->path);
  else
    put_sq_term(a, out, t->pred);
  fputc(' ', out);
  put_sq_term(a, out, t->o);
  fputc(')', out);
}

/* The order in which bgp() reads n's patterns when nothing outside binds
 * their variables: one line each, "(N estimate E (triple ...))", N the
 * pattern's place in the list above (from 1). */
static void put_plan(nkg_alg *a, FILE *out, const anode *n, int d) {
  char *done = nkg_xcalloc(n->ntriples + 1, 1);
  nkg_tid *row = nkg_xcalloc(a->w + 1, sizeof *row);
  indent(out, d);
  fputs("(plan\n", out);
  for (size_t left = n->ntriples; left > 0; left--) {
    double est;
    size_t k = next_pattern(a, n, done, row, &est);
    const sq_triple *t = &n->triples[k];
    done[k] = 1;
    indent(out, d + 1);
    if (isinf(est))
      fprintf(out, "(%zu estimate inf ", k + 1);
    else
      fprintf(out, "(%zu estimate %.4g ", k + 1, est);
    put_triple(a, out, t);
    fputs(")\n", out);
    const sq_term *pos[3] = {t->s, t->pred, t->o};
    for (int j = 0; j < 3; j++)
      if (pos[j] && term_is_var(pos[j]) && !row[pos[j]->var])
        row[pos[j]->var] = PLAN_BOUND;
  }
  indent(out, d);
  fputs(")\n", out);
  free(done);
  free(row);
}

/* x on one line; EXISTS patterns on the lines after, at depth d + 1. */
static void put_x(nkg_alg *a, FILE *out, const nkg_x *x, int d) {
  static const char *ops[] = {
      [X_OR] = "||", [X_AND] = "&&", [X_NOT] = "!",  [X_EQ] = "=",
      [X_NE] = "!=", [X_LT] = "<",   [X_GT] = ">",   [X_LE] = "<=",
      [X_GE] = ">=", [X_IN] = "in",  [X_NOTIN] = "notin", [X_ADD] = "+",
      [X_SUB] = "-", [X_MUL] = "*",  [X_DIV] = "/",  [X_NEG] = "-",
      [X_PLUS] = "+"};
  switch (x->kind) {
  case X_VAR:
    fprintf(out, "?%s", a->ast->vars[x->var]);
    return;
  case X_CONST:
    put_term(a, out, x->term);
    return;
  case X_EXISTS:
  case X_NOT_EXISTS:
    fputs(x->kind == X_EXISTS ? "(exists\n" : "(notexists\n", out);
    put_node(a, out, x->pattern, d + 1);
    indent(out, d);
    fputc(')', out);
    return;
  case X_CALL:
  case X_FUNC:
  case X_AGG:
    fprintf(out, "(%s%s%s", x->kind == X_FUNC ? "<" : "", x->name,
            x->kind == X_FUNC ? ">" : "");
    if (x->distinct) fputs(" distinct", out);
    if (x->star) fputs(" *", out);
    break;
  default:
    fprintf(out, "(%s", ops[x->kind] ? ops[x->kind] : "?");
  }
  for (size_t k = 0; k < x->nargs; k++) {
    fputc(' ', out);
    put_x(a, out, x->args[k], d);
  }
  fputc(')', out);
}

static void indent(FILE *out, int d) {
  for (int i = 0; i < d; i++) fputs("  ", out);
}

static void put_query(nkg_alg *a, FILE *out, const sq_query *q, int d);

static void put_node(nkg_alg *a, FILE *out, const anode *n, int d) {
  indent(out, d);
  switch (n->kind) {
  case A_UNIT:
    fputs("(table unit)\n", out);
    return;
  case A_BGP:
    fputs("(bgp\n", out);
    for (size_t k = 0; k < n->ntriples; k++) {
      indent(out, d + 1);
      put_triple(a, out, &n->triples[k]);
      fputc('\n', out);
    }
    if (a->stats) put_plan(a, out, n, d + 1);
    break;
  case A_JOIN:
  case A_UNION:
  case A_MINUS:
    fputs(n->kind == A_JOIN ? "(join\n" : n->kind == A_UNION ? "(union\n"
                                                             : "(minus\n",
          out);
    put_node(a, out, n->l, d + 1);
    put_node(a, out, n->r, d + 1);
    break;
  case A_LEFTJOIN:
    fputs("(leftjoin\n", out);
    put_node(a, out, n->l, d + 1);
    put_node(a, out, n->r, d + 1);
    for (size_t k = 0; k < n->nexprs; k++) {
      indent(out, d + 1);
      put_x(a, out, n->exprs[k], d);
      fputc('\n', out);
    }
    break;
  case A_FILTER:
    fputs("(filter", out);
    for (size_t k = 0; k < n->nexprs; k++) {
      fputc(' ', out);
      put_x(a, out, n->exprs[k], d);
    }
    fputc('\n', out);
    put_node(a, out, n->l, d + 1);
    break;
  case A_GRAPH:
    fputs("(graph ", out);
    put_sq_term(a, out, n->gterm);
    fputc('\n', out);
    put_node(a, out, n->l, d + 1);
    break;
  case A_EXTEND:
    fprintf(out, "(extend ((?%s ", a->ast->vars[n->var]);
    put_x(a, out, n->x, d);
    fputs("))\n", out);
    put_node(a, out, n->l, d + 1);
    break;
  case A_TABLE: {
    const sq_elem *e = n->values;
    fputs("(table (vars", out);
    for (size_t k = 0; k < e->ncols; k++)
      fprintf(out, " ?%s", a->ast->vars[e->colvar[k]]);
    fprintf(out, ") %zu rows)\n", e->nrows);
    return;
  }
  case A_SUB:
    fputs("(subquery\n", out);
    put_query(a, out, n->sub, d + 1);
    break;
  }
  indent(out, d);
  fputs(")\n", out);
}

static void put_query(nkg_alg *a, FILE *out, const sq_query *q, int d) {
  static const char *kinds[] = {"select", "construct", "ask", "describe"};
  int open = 0;
  indent(out, d);
  fprintf(out, "(%s", kinds[q->kind]);
  if (q->kind == Q_SELECT || q->nproj) {
    fputs(" (project", out);
    for (size_t k = 0; k < q->nproj; k++) fprintf(out, " ?%s", q->proj[k]);
    fputc(')', out);
  }
  if (q->distinct) fputs(" distinct", out);
  if (q->reduced) fputs(" reduced", out);
  if (q->limit >= 0 || q->offset >= 0)
    fprintf(out, " (slice %ld %ld)", q->offset, q->limit);
  fputc('\n', out);
  if (q->norder) {
    indent(out, d + 1);
    fputs("(order", out);
    for (size_t k = 0; k < q->norder; k++) {
      fputs(q->order_desc[k] ? " (desc " : " (asc ", out);
      put_x(a, out, q->order_x[k], d);
      fputc(')', out);
    }
    fputs(")\n", out);
  }
  for (size_t k = 0; q->proj_x && k < q->nproj; k++) {
    if (!q->proj_x[k]) continue;
    indent(out, d + 1);
    fprintf(out, "(extend ?%s ", q->proj[k]);
    put_x(a, out, q->proj_x[k], d);
    fputs(")\n", out);
  }
  if (q->aggregate) {
    indent(out, d + 1);
    fputs("(group (", out);
    for (size_t k = 0; k < q->ngroup; k++) {
      if (k) fputc(' ', out);
      put_x(a, out, q->group_x[k], d);
    }
    fputs(")", out);
    for (size_t k = 0; k < q->naggs; k++) {
      fprintf(out, " (?.agg%zu ", k);
      put_x(a, out, q->aggs[k], d);
      fputc(')', out);
    }
    for (size_t k = 0; k < q->nhaving; k++) {
      fputs(" (having ", out);
      put_x(a, out, q->having[k], d);
      fputc(')', out);
    }
    fputs(")\n", out);
  }
  (void)open;
  put_node(a, out, q->alg, d + 1);
  indent(out, d);
  fputs(")\n", out);
}

int nkg_alg_explain(nkg_alg *a, FILE *out) {
  if (a->stats)
    fprintf(out, "(statistics (predicates %zu) (statements %.0f))\n",
            nkg_pstats_predicates(a->stats),
            nkg_pstats_total(a->stats)->triples);
  put_query(a, out, a->ast->q, 0);
  return ferror(out) ? -1 : 0;
}
