/* sparql_eval.c: see sparql_eval.h. */
#include "sparql_eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- statements added ------------------------------------------------ */

void nkg_sq_store_add(nkg_sq_store *s, librdf_world *w, librdf_model *m,
                      librdf_node *ctx, librdf_node *subj, librdf_node *pred,
                      librdf_node *obj) {
  librdf_statement *st = librdf_new_statement_from_nodes(w, subj, pred, obj);
  if (!st) return;
  if (ctx)
    librdf_model_context_add_statement(m, ctx, st);
  else
    librdf_model_add_statement(m, st);
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->st = nkg_xrealloc(s->st, s->cap * sizeof *s->st);
    s->ctx = nkg_xrealloc(s->ctx, s->cap * sizeof *s->ctx);
  }
  s->st[s->n] = st;
  s->ctx[s->n] = ctx ? librdf_new_node_from_node(ctx) : NULL;
  s->n++;
}

void nkg_sq_store_undo(nkg_sq_store *s, librdf_model *m) {
  for (size_t i = 0; i < s->n; i++) {
    if (m) {
      if (s->ctx[i])
        librdf_model_context_remove_statement(m, s->ctx[i], s->st[i]);
      else
        librdf_model_remove_statement(m, s->st[i]);
    }
    librdf_free_statement(s->st[i]);
    if (s->ctx[i]) librdf_free_node(s->ctx[i]);
  }
  free(s->st);
  free(s->ctx);
  memset(s, 0, sizeof *s);
}

/* ---- node sets --------------------------------------------------------- */

static void node_key(librdf_node *n, nkg_buf *b) {
  nkg_buf_clear(b);
  if (librdf_node_is_resource(n)) {
    nkg_buf_addc(b, '<');
    nkg_buf_adds(b, (const char *)librdf_uri_as_string(librdf_node_get_uri(n)));
  } else if (librdf_node_is_blank(n)) {
    nkg_buf_adds(b, "_:");
    nkg_buf_adds(b, (const char *)librdf_node_get_blank_identifier(n));
  } else {
    size_t len = 0;
    const char *v = (const char *)librdf_node_get_literal_value_as_counted_string(n, &len);
    const char *lang = librdf_node_get_literal_value_language(n);
    librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(n);
    nkg_buf_addc(b, '"');
    nkg_buf_add(b, v ? v : "", v ? len : 0);
    nkg_buf_addc(b, '"');
    if (lang) {
      nkg_buf_addc(b, '@');
      nkg_buf_adds(b, lang);
    } else if (dt) {
      nkg_buf_adds(b, "^^");
      nkg_buf_adds(b, (const char *)librdf_uri_as_string(dt));
    }
  }
}

static uint64_t node_hash(librdf_node *n) {
  nkg_buf b = {0};
  node_key(n, &b);
  uint64_t h = nkg_hash64(b.data, b.len, NKG_HASH_SEED);
  nkg_buf_free(&b);
  return h;
}

static void rehash(nkg_nodeset *s) {
  size_t ns = s->nslots ? s->nslots * 2 : 64;
  free(s->slots);
  s->slots = nkg_xcalloc(ns, sizeof *s->slots);
  s->nslots = ns;
  for (size_t i = 0; i < s->n; i++) {
    size_t h = (size_t)node_hash(s->v[i]) & (ns - 1);
    while (s->slots[h]) h = (h + 1) & (ns - 1);
    s->slots[h] = i + 1;
  }
}

static size_t find_slot(const nkg_nodeset *s, librdf_node *n, int *found) {
  size_t h = (size_t)node_hash(n) & (s->nslots - 1);
  while (s->slots[h]) {
    if (librdf_node_equals(s->v[s->slots[h] - 1], n)) {
      *found = 1;
      return h;
    }
    h = (h + 1) & (s->nslots - 1);
  }
  *found = 0;
  return h;
}

int nkg_nodeset_has(const nkg_nodeset *s, librdf_node *n) {
  int found;
  if (!s->nslots) return 0;
  find_slot(s, n, &found);
  return found;
}

int nkg_nodeset_add(nkg_nodeset *s, librdf_node *n) {
  int found;
  if (!s->nslots || (s->n + 1) * 2 > s->nslots) rehash(s);
  size_t h = find_slot(s, n, &found);
  if (found) return 0;
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 16;
    s->v = nkg_xrealloc(s->v, s->cap * sizeof *s->v);
  }
  s->v[s->n++] = librdf_new_node_from_node(n);
  s->slots[h] = s->n;
  return 1;
}

void nkg_nodeset_free(nkg_nodeset *s) {
  for (size_t i = 0; i < s->n; i++) librdf_free_node(s->v[i]);
  free(s->v);
  free(s->slots);
  memset(s, 0, sizeof *s);
}

/* ---- tables ---------------------------------------------------------- */

void nkg_sq_table_init(nkg_sq_table *t, int id, const char **cols,
                       size_t ncols) {
  memset(t, 0, sizeof *t);
  t->id = id;
  t->ncols = ncols;
  t->cols = nkg_xcalloc(ncols ? ncols : 1, sizeof *t->cols);
  for (size_t i = 0; i < ncols; i++) t->cols[i] = nkg_xstrdup(cols[i]);
}

void nkg_sq_table_add(nkg_sq_table *t, librdf_node **cells,
                      librdf_node *graph) {
  if (t->nrows == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 16;
    t->cells = nkg_xrealloc(t->cells,
                            t->cap * (t->ncols ? t->ncols : 1) * sizeof *t->cells);
    t->graph = nkg_xrealloc(t->graph, t->cap * sizeof *t->graph);
  }
  for (size_t c = 0; c < t->ncols; c++)
    t->cells[t->nrows * t->ncols + c] = cells[c];
  t->graph[t->nrows] = graph;
  t->nrows++;
}

void nkg_sq_table_free(nkg_sq_table *t) {
  for (size_t i = 0; i < t->nrows * t->ncols; i++)
    if (t->cells[i]) librdf_free_node(t->cells[i]);
  for (size_t i = 0; i < t->nrows; i++)
    if (t->graph[i]) librdf_free_node(t->graph[i]);
  for (size_t i = 0; i < t->ncols; i++) free(t->cols[i]);
  free(t->cols);
  free(t->cells);
  free(t->graph);
  memset(t, 0, sizeof *t);
}

int nkg_sq_table_always(const nkg_sq_table *t, size_t col) {
  for (size_t r = 0; r < t->nrows; r++)
    if (!t->cells[r * t->ncols + col]) return 0;
  return 1;
}

static librdf_node *uri_node(librdf_world *w, const char *fmt, int id,
                             const char *tail) {
  char buf[512];
  snprintf(buf, sizeof buf, fmt, id, tail);
  return librdf_new_node_from_uri_string(w, (const unsigned char *)buf);
}

void nkg_sq_table_store(const nkg_sq_table *t, librdf_world *w,
                        librdf_model *m, nkg_sq_store *s) {
  librdf_node **preds = nkg_xcalloc(t->ncols + 1, sizeof *preds);
  for (size_t c = 0; c < t->ncols; c++)
    preds[c] = uri_node(w, NKG_SQ_NS "%d#%s", t->id, t->cols[c]);
  librdf_node *mark = uri_node(w, NKG_SQ_NS "%d#%s", t->id, "_");
  for (size_t r = 0; r < t->nrows; r++) {
    char tail[32];
    snprintf(tail, sizeof tail, "%zu", r);
    librdf_node *row = uri_node(w, NKG_SQ_NS "%d:%s", t->id, tail);
    nkg_sq_store_add(s, w, m, t->graph[r], librdf_new_node_from_node(row),
                     librdf_new_node_from_node(mark),
                     librdf_new_node_from_literal(w, (const unsigned char *)"r",
                                                  NULL, 0));
    for (size_t c = 0; c < t->ncols; c++) {
      librdf_node *v = t->cells[r * t->ncols + c];
      if (!v) continue;
      nkg_sq_store_add(s, w, m, t->graph[r], librdf_new_node_from_node(row),
                       librdf_new_node_from_node(preds[c]),
                       librdf_new_node_from_node(v));
    }
    librdf_free_node(row);
  }
  for (size_t c = 0; c < t->ncols; c++) librdf_free_node(preds[c]);
  librdf_free_node(mark);
  free(preds);
}

/* ---- paths ------------------------------------------------------------ */

int nkg_sq_internal(librdf_node *n) {
  if (!n || !librdf_node_is_resource(n)) return 0;
  const char *u = (const char *)librdf_uri_as_string(librdf_node_get_uri(n));
  return !strncmp(u, NKG_SQ_NS, strlen(NKG_SQ_NS));
}

librdf_node *nkg_sq_term_node(librdf_world *w, const sq_term *t,
                              const char *base) {
  if (t->kind == T_IRI) {
    if (!t->iri) return NULL;
    if (base && !strchr(t->iri, ':')) {
      librdf_uri *b = librdf_new_uri(w, (const unsigned char *)base);
      librdf_uri *u = librdf_new_uri_relative_to_base(b, (const unsigned char *)t->iri);
      librdf_node *n = u ? librdf_new_node_from_uri(w, u) : NULL;
      if (u) librdf_free_uri(u);
      librdf_free_uri(b);
      return n;
    }
    return librdf_new_node_from_uri_string(w, (const unsigned char *)t->iri);
  }
  if (t->kind == T_LIT) {
    librdf_uri *dt = NULL;
    if (t->dt) dt = librdf_new_uri(w, (const unsigned char *)t->dt);
    librdf_node *n = librdf_new_node_from_typed_literal(
        w, (const unsigned char *)t->value, t->lang, dt);
    if (dt) librdf_free_uri(dt);
    return n;
  }
  return NULL;
}

static librdf_stream *find(const nkg_sq_graph *g, librdf_node *s,
                           librdf_node *p, librdf_node *o) {
  librdf_statement *st = librdf_new_statement_from_nodes(
      g->world, s ? librdf_new_node_from_node(s) : NULL,
      p ? librdf_new_node_from_node(p) : NULL,
      o ? librdf_new_node_from_node(o) : NULL);
  librdf_stream *r = g->graph
                         ? librdf_model_find_statements_in_context(g->model, st,
                                                                   g->graph)
                         : librdf_model_find_statements(g->model, st);
  librdf_free_statement(st);
  return r;
}

void nkg_sq_graph_nodes(const nkg_sq_graph *g, nkg_nodeset *out) {
  librdf_stream *st = find(g, NULL, NULL, NULL);
  for (; st && !librdf_stream_end(st); librdf_stream_next(st)) {
    librdf_statement *x = librdf_stream_get_object(st);
    librdf_node *s = librdf_statement_get_subject(x);
    librdf_node *o = librdf_statement_get_object(x);
    if (nkg_sq_internal(s) || nkg_sq_internal(librdf_statement_get_predicate(x)))
      continue;
    nkg_nodeset_add(out, s);
    nkg_nodeset_add(out, o);
  }
  if (st) librdf_free_stream(st);
}

/* Neighbours of x over one IRI (or, for negated sets, any IRI but). */
static int link_step(const nkg_sq_graph *g, const sq_term *iri, librdf_node *x,
                     int fwd, nkg_nodeset *out) {
  if (fwd && librdf_node_is_literal(x)) return 0;
  librdf_node *p = nkg_sq_term_node(g->world, iri, NULL);
  if (!p) return -1;
  librdf_stream *st = fwd ? find(g, x, p, NULL) : find(g, NULL, p, x);
  for (; st && !librdf_stream_end(st); librdf_stream_next(st)) {
    librdf_statement *y = librdf_stream_get_object(st);
    nkg_nodeset_add(out, fwd ? librdf_statement_get_object(y)
                             : librdf_statement_get_subject(y));
  }
  if (st) librdf_free_stream(st);
  librdf_free_node(p);
  return 0;
}

static int in_nps(const nkg_sq_graph *g, const sq_path *path, int inv,
                  librdf_node *pred) {
  for (size_t k = 0; k < path->nnps; k++) {
    if (path->nps_inv[k] != inv) continue;
    librdf_node *p = nkg_sq_term_node(g->world, path->nps[k], NULL);
    int eq = p && librdf_node_equals(p, pred);
    if (p) librdf_free_node(p);
    if (eq) return 1;
  }
  return 0;
}

static int nps_has(const sq_path *path, int inv) {
  for (size_t k = 0; k < path->nnps; k++)
    if (path->nps_inv[k] == inv) return 1;
  return 0;
}

/* Calls fn for every statement a negated property set matches from x
 * (x NULL: from anywhere), with the start and end of the step. */
typedef void (*nps_fn)(void *arg, librdf_node *from, librdf_node *to);

static void nps_each(const nkg_sq_graph *g, const sq_path *path,
                     librdf_node *x, int fwd, nps_fn fn, void *arg) {
  for (int inv = 0; inv < 2; inv++) {
    if (!nps_has(path, inv)) continue;
    /* A forward member matches statements x p y in the direction of
     * travel; an inverse member matches y p x. */
    int along = (inv == 0) == (fwd != 0);
    if (x && along && librdf_node_is_literal(x)) continue;
    librdf_stream *st = !x ? find(g, NULL, NULL, NULL)
                        : along ? find(g, x, NULL, NULL)
                                : find(g, NULL, NULL, x);
    for (; st && !librdf_stream_end(st); librdf_stream_next(st)) {
      librdf_statement *y = librdf_stream_get_object(st);
      librdf_node *pred = librdf_statement_get_predicate(y);
      if (nkg_sq_internal(pred) || in_nps(g, path, inv, pred)) continue;
      librdf_node *s = librdf_statement_get_subject(y);
      librdf_node *o = librdf_statement_get_object(y);
      if (along)
        fn(arg, s, o);
      else
        fn(arg, o, s);
    }
    if (st) librdf_free_stream(st);
  }
}

static void add_to(void *arg, librdf_node *from, librdf_node *to) {
  (void)from;
  nkg_nodeset_add(arg, to);
}

int nkg_sq_path_step(const nkg_sq_graph *g, const sq_path *path,
                     librdf_node *x, int fwd, nkg_nodeset *out) {
  switch (path->kind) {
    case P_LINK:
      return link_step(g, path->iri, x, fwd, out);
    case P_INV:
      return nkg_sq_path_step(g, path->kids[0], x, !fwd, out);
    case P_NPS:
      nps_each(g, path, x, fwd, add_to, out);
      return 0;
    case P_ALT:
      for (size_t k = 0; k < path->nkids; k++)
        if (nkg_sq_path_step(g, path->kids[k], x, fwd, out) < 0) return -1;
      return 0;
    case P_SEQ: {
      nkg_nodeset cur = {0};
      nkg_nodeset_add(&cur, x);
      for (size_t k = 0; k < path->nkids; k++) {
        const sq_path *kid = path->kids[fwd ? k : path->nkids - 1 - k];
        nkg_nodeset nxt = {0};
        for (size_t i = 0; i < cur.n; i++)
          if (nkg_sq_path_step(g, kid, cur.v[i], fwd, &nxt) < 0) {
            nkg_nodeset_free(&nxt);
            nkg_nodeset_free(&cur);
            return -1;
          }
        nkg_nodeset_free(&cur);
        cur = nxt;
      }
      for (size_t i = 0; i < cur.n; i++) nkg_nodeset_add(out, cur.v[i]);
      nkg_nodeset_free(&cur);
      return 0;
    }
    case P_OPT:
      nkg_nodeset_add(out, x);
      return nkg_sq_path_step(g, path->kids[0], x, fwd, out);
    case P_STAR:
    case P_PLUS: {
      /* Breadth-first; seen guards against cycles. */
      nkg_nodeset seen = {0};
      if (path->kind == P_STAR) nkg_nodeset_add(&seen, x);
      nkg_nodeset frontier = {0};
      if (nkg_sq_path_step(g, path->kids[0], x, fwd, &frontier) < 0) {
        nkg_nodeset_free(&frontier);
        nkg_nodeset_free(&seen);
        return -1;
      }
      while (frontier.n) {
        nkg_nodeset nxt = {0};
        for (size_t i = 0; i < frontier.n; i++) {
          if (!nkg_nodeset_add(&seen, frontier.v[i])) continue;
          nkg_sq_path_step(g, path->kids[0], frontier.v[i], fwd, &nxt);
        }
        nkg_nodeset_free(&frontier);
        frontier = nxt;
        /* drop what is already known before the next round */
        nkg_nodeset fresh = {0};
        for (size_t i = 0; i < frontier.n; i++)
          if (!nkg_nodeset_has(&seen, frontier.v[i]))
            nkg_nodeset_add(&fresh, frontier.v[i]);
        nkg_nodeset_free(&frontier);
        frontier = fresh;
      }
      nkg_nodeset_free(&frontier);
      for (size_t i = 0; i < seen.n; i++) nkg_nodeset_add(out, seen.v[i]);
      nkg_nodeset_free(&seen);
      return 0;
    }
  }
  return 0;
}

typedef struct {
  nkg_sq_table *t;
  librdf_node *graph;
  librdf_node *s, *o; /* constants to match, or NULL */
} nps_rows;

static void add_row(void *arg, librdf_node *from, librdf_node *to) {
  nps_rows *r = arg;
  if (r->s && !librdf_node_equals(r->s, from)) return;
  if (r->o && !librdf_node_equals(r->o, to)) return;
  librdf_node *cells[2] = {librdf_new_node_from_node(from),
                           librdf_new_node_from_node(to)};
  nkg_sq_table_add(r->t, cells,
                   r->graph ? librdf_new_node_from_node(r->graph) : NULL);
}

static void pair(nkg_sq_table *t, librdf_node *a, librdf_node *b,
                 librdf_node *graph) {
  librdf_node *cells[2] = {librdf_new_node_from_node(a),
                           librdf_new_node_from_node(b)};
  nkg_sq_table_add(t, cells, graph ? librdf_new_node_from_node(graph) : NULL);
}

int nkg_sq_path_table(const nkg_sq_graph *g, const sq_path *path,
                      librdf_node *s, librdf_node *o, nkg_sq_table *t) {
  if (path->kind == P_NPS) {
    nps_rows r = {t, g->graph, s, o};
    nps_each(g, path, s ? s : NULL, 1, add_row, &r);
    return 0;
  }
  if (s) {
    nkg_nodeset ends = {0};
    int rc = nkg_sq_path_step(g, path, s, 1, &ends);
    for (size_t i = 0; i < ends.n; i++)
      if (!o || librdf_node_equals(o, ends.v[i])) pair(t, s, ends.v[i], g->graph);
    nkg_nodeset_free(&ends);
    return rc;
  }
  if (o) {
    nkg_nodeset starts = {0};
    int rc = nkg_sq_path_step(g, path, o, 0, &starts);
    for (size_t i = 0; i < starts.n; i++) pair(t, starts.v[i], o, g->graph);
    nkg_nodeset_free(&starts);
    return rc;
  }
  nkg_nodeset nodes = {0};
  nkg_sq_graph_nodes(g, &nodes);
  int rc = 0;
  for (size_t i = 0; i < nodes.n && rc == 0; i++) {
    nkg_nodeset ends = {0};
    rc = nkg_sq_path_step(g, path, nodes.v[i], 1, &ends);
    for (size_t k = 0; k < ends.n; k++) pair(t, nodes.v[i], ends.v[k], g->graph);
    nkg_nodeset_free(&ends);
  }
  nkg_nodeset_free(&nodes);
  return rc;
}
