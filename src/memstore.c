/* memstore.c: "compact", newskg's in-memory librdf storage (memstore.h). */
#include "config.h"

#include "memstore.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage_cursor.h"
#include "util.h"

/* A quad: term ids; g is 0 for the default graph. */
typedef struct {
  uint32_t s, p, o, g;
} quad;

/* The orders of the indexes: the positions, in quad order s p o g, of the
 * first, second, third and fourth key. */
enum { SPOG, POSG, OSPG, GSPO, NORDERS };
static const int order_key[NORDERS][4] = {
    {0, 1, 2, 3}, {1, 2, 0, 3}, {2, 0, 1, 3}, {3, 0, 1, 2}};

typedef struct {
  const nkg_storage_cursor_ops *ops; /* first: storage_cursor.h */
  librdf_world *world;
  int contexts;
  /* terms: node[id] for id 1..nterms, with its hash */
  librdf_node **node;
  uint32_t *hash;
  size_t nterms, term_cap;
  uint32_t *slots; /* open addressing: a term id, 0 when empty */
  size_t nslots;
  /* quads: q sorted by s p o g and free of duplicates unless dirty */
  quad *q;
  size_t nq, qcap;
  int dirty;
  uint32_t *perm[NORDERS]; /* positions in q, in each order (SPOG: none) */
  uint32_t *graphs;        /* the distinct named graphs */
  size_t ngraphs;
} mem;

static uint32_t part(const quad *q, int k) {
  return k == 0 ? q->s : k == 1 ? q->p : k == 2 ? q->o : q->g;
}

/* ---- terms -------------------------------------------------------------- */

static uint32_t term_hash(librdf_node *n) {
  raptor_term *t = n;
  uint64_t h = nkg_hash64(&t->type, sizeof t->type, NKG_HASH_SEED);
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI: {
    size_t len;
    const unsigned char *s = raptor_uri_as_counted_string(t->value.uri, &len);
    h = nkg_hash64(s, len, h);
    break;
  }
  case RAPTOR_TERM_TYPE_BLANK:
    h = nkg_hash64(t->value.blank.string, t->value.blank.string_len, h);
    break;
  case RAPTOR_TERM_TYPE_LITERAL:
    h = nkg_hash64(t->value.literal.string, t->value.literal.string_len, h);
    if (t->value.literal.language)
      h = nkg_hash64(t->value.literal.language,
                     t->value.literal.language_len, h ^ 1);
    if (t->value.literal.datatype) {
      size_t len;
      const unsigned char *s =
          raptor_uri_as_counted_string(t->value.literal.datatype, &len);
      h = nkg_hash64(s, len, h ^ 2);
    }
    break;
  default:
    break;
  }
  return (uint32_t)(h ^ (h >> 32));
}

/* The id of n, or 0 when the storage has never seen it. */
static uint32_t term_find(const mem *m, librdf_node *n, uint32_t h) {
  if (!m->nslots)
    return 0;
  for (size_t i = h & (m->nslots - 1);; i = (i + 1) & (m->nslots - 1)) {
    uint32_t id = m->slots[i];
    if (!id)
      return 0;
    if (m->hash[id] == h && raptor_term_equals(m->node[id], n))
      return id;
  }
}

static uint32_t term_id(const mem *m, librdf_node *n) {
  return n ? term_find(m, n, term_hash(n)) : 0;
}

static void slots_put(mem *m, uint32_t id) {
  size_t i = m->hash[id] & (m->nslots - 1);
  while (m->slots[i])
    i = (i + 1) & (m->nslots - 1);
  m->slots[i] = id;
}

/* The id of n, interning a reference to it when new; 0 when the storage
 * has used up 32-bit ids. */
static uint32_t term_intern(mem *m, librdf_node *n) {
  uint32_t h = term_hash(n);
  uint32_t id = term_find(m, n, h);
  if (id)
    return id;
  if (m->nterms >= UINT32_MAX - 1)
    return 0;
  if ((m->nterms + 1) * 2 >= m->nslots) { /* load factor at most 1/2 */
    free(m->slots);
    m->nslots = m->nslots ? m->nslots * 2 : 1024;
    m->slots = nkg_xcalloc(m->nslots, sizeof *m->slots);
    for (uint32_t k = 1; k <= m->nterms; k++)
      slots_put(m, k);
  }
  if (m->nterms + 2 > m->term_cap) {
    m->term_cap = m->term_cap ? m->term_cap * 2 : 1024;
    m->node = nkg_xrealloc(m->node, m->term_cap * sizeof *m->node);
    m->hash = nkg_xrealloc(m->hash, m->term_cap * sizeof *m->hash);
  }
  /* raptor terms are reference-counted: this keeps the parser's term */
  librdf_node *copy = librdf_new_node_from_node(n);
  if (!copy)
    return 0;
  id = (uint32_t)++m->nterms;
  m->node[id] = copy;
  m->hash[id] = h;
  slots_put(m, id);
  return id;
}

/* ---- the indexes -------------------------------------------------------- */

static int cmp_spog(const void *a, const void *b) {
  const quad *x = a, *y = b;
  if (x->s != y->s)
    return x->s < y->s ? -1 : 1;
  if (x->p != y->p)
    return x->p < y->p ? -1 : 1;
  if (x->o != y->o)
    return x->o < y->o ? -1 : 1;
  if (x->g != y->g)
    return x->g < y->g ? -1 : 1;
  return 0;
}

/* A key of a permutation: up to three ids, then the position in q. Since
 * q is in s p o g order, sorting on (keys, position) orders ties by the
 * remaining parts in s p o g order, which is what each order needs. */
typedef struct {
  uint32_t k[3];
  uint32_t pos;
} permkey;

static int cmp_permkey(const void *a, const void *b) {
  const permkey *x = a, *y = b;
  for (int i = 0; i < 3; i++)
    if (x->k[i] != y->k[i])
      return x->k[i] < y->k[i] ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sorts, drops duplicate quads and builds the permutations and the list
 * of graphs. The only place the indexes are made. */
static void mem_freeze(mem *m) {
  if (!m->dirty)
    return;
  qsort(m->q, m->nq, sizeof *m->q, cmp_spog);
  size_t n = 0;
  for (size_t i = 0; i < m->nq; i++)
    if (!n || cmp_spog(&m->q[n - 1], &m->q[i]))
      m->q[n++] = m->q[i];
  m->nq = n;
  permkey *tmp = nkg_xmalloc((n ? n : 1) * sizeof *tmp);
  for (int ord = POSG; ord < NORDERS; ord++) {
    /* GSPO needs only g: the position orders the rest */
    int nk = ord == GSPO ? 1 : ord == OSPG ? 2 : 3;
    for (size_t i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++)
        tmp[i].k[k] = k < nk ? part(&m->q[i], order_key[ord][k]) : 0;
      tmp[i].pos = (uint32_t)i;
    }
    qsort(tmp, n, sizeof *tmp, cmp_permkey);
    free(m->perm[ord]);
    m->perm[ord] = nkg_xmalloc((n ? n : 1) * sizeof *m->perm[ord]);
    for (size_t i = 0; i < n; i++)
      m->perm[ord][i] = tmp[i].pos;
  }
  free(tmp);
  m->ngraphs = 0;
  free(m->graphs);
  m->graphs = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t g = m->q[m->perm[GSPO][i]].g;
    if (!g || (m->ngraphs && m->graphs[m->ngraphs - 1] == g))
      continue;
    if (m->ngraphs == cap) {
      cap = cap ? cap * 2 : 64;
      m->graphs = nkg_xrealloc(m->graphs, cap * sizeof *m->graphs);
    }
    m->graphs[m->ngraphs++] = g;
  }
  m->dirty = 0;
}

static const quad *at(const mem *m, int ord, size_t i) {
  return ord == SPOG ? &m->q[i] : &m->q[m->perm[ord][i]];
}

/* Compares the first nk keys of the quad in order ord with key. */
static int cmp_prefix(const quad *q, int ord, const uint32_t *key, int nk) {
  for (int k = 0; k < nk; k++) {
    uint32_t v = part(q, order_key[ord][k]);
    if (v != key[k])
      return v < key[k] ? -1 : 1;
  }
  return 0;
}

/* The range [*lo, *hi) of index ord whose first nk keys equal key. */
static void range(const mem *m, int ord, const uint32_t *key, int nk,
                  size_t *lo, size_t *hi) {
  size_t a = 0, b = m->nq;
  while (a < b) { /* first position not below key */
    size_t mid = a + (b - a) / 2;
    if (cmp_prefix(at(m, ord, mid), ord, key, nk) < 0)
      a = mid + 1;
    else
      b = mid;
  }
  *lo = a;
  b = m->nq;
  while (a < b) { /* first position above key */
    size_t mid = a + (b - a) / 2;
    if (cmp_prefix(at(m, ord, mid), ord, key, nk) <= 0)
      a = mid + 1;
    else
      b = mid;
  }
  *hi = a;
}

/* ---- cursors ------------------------------------------------------------ */

/* A walk over one index range, yielding the quads that match want (the
 * parts in s p o g order; bound[k] says which are fixed). */
typedef struct {
  librdf_storage *storage;
  mem *m;
  int ord;
  size_t i, end;
  uint32_t want[4];
  int bound[4];
  int yield;               /* a stream's statement, or which part */
  raptor_statement st;     /* the stream's statement: borrowed nodes */
} cursor;

static int matches(const cursor *c, const quad *q) {
  for (int k = 0; k < 4; k++)
    if (c->bound[k] && part(q, k) != c->want[k])
      return 0;
  return 1;
}

static void skip(cursor *c) {
  while (c->i < c->end && !matches(c, at(c->m, c->ord, c->i)))
    c->i++;
}

/* Sets up c over the index that gives the smallest range for the bound
 * parts. */
static void cursor_plan(cursor *c) {
  mem *m = c->m;
  size_t best = (size_t)-1;
  c->ord = SPOG;
  c->i = 0;
  c->end = m->nq;
  for (int ord = 0; ord < NORDERS; ord++) {
    uint32_t key[4];
    int nk = 0;
    while (nk < 4 && c->bound[order_key[ord][nk]]) {
      key[nk] = c->want[order_key[ord][nk]];
      nk++;
    }
    if (!nk)
      continue;
    size_t lo, hi;
    range(m, ord, key, nk, &lo, &hi);
    if (hi - lo < best) {
      best = hi - lo;
      c->ord = ord;
      c->i = lo;
      c->end = hi;
    }
  }
  skip(c);
}

static int cur_end(void *ctx) {
  cursor *c = ctx;
  return c->i >= c->end;
}

static int cur_next(void *ctx) {
  cursor *c = ctx;
  if (c->i < c->end) {
    c->i++;
    skip(c);
  }
  return c->i >= c->end;
}

static void *cur_get(void *ctx, int flags) {
  cursor *c = ctx;
  if (c->i >= c->end)
    return NULL;
  const quad *q = at(c->m, c->ord, c->i);
  if (flags == LIBRDF_ITERATOR_GET_METHOD_GET_CONTEXT)
    return q->g ? c->m->node[q->g] : NULL;
  if (flags != LIBRDF_ITERATOR_GET_METHOD_GET_OBJECT)
    return NULL;
  if (c->yield == NKG_CURSOR_GRAPH)
    return c->m->node[q->g];
  if (c->yield >= 0)
    return c->m->node[part(q, c->yield)];
  c->st.subject = c->m->node[q->s];
  c->st.predicate = c->m->node[q->p];
  c->st.object = c->m->node[q->o];
  c->st.graph = q->g ? c->m->node[q->g] : NULL;
  return &c->st;
}

static void cur_finished(void *ctx) {
  cursor *c = ctx;
  librdf_storage_remove_reference(c->storage);
  free(c);
}

/* A new cursor over storage for the parts s p o g (NULL: any; has_g says
 * whether g is bound, g NULL then meaning the default graph), yielding
 * statements or one part (0 1 2 for s p o). */
static void *cursor_new(librdf_storage *storage, librdf_node *s,
                        librdf_node *p, librdf_node *o, int has_g,
                        librdf_node *g, int yield) {
  mem *m = librdf_storage_get_instance(storage);
  mem_freeze(m);
  cursor *c = nkg_xcalloc(1, sizeof *c);
  c->storage = storage;
  c->m = m;
  c->yield = yield;
  librdf_node *given[4] = {s, p, o, g};
  for (int k = 0; k < 4; k++) {
    c->bound[k] = k < 3 ? given[k] != NULL : has_g;
    if (!c->bound[k] || !given[k])
      continue;
    c->want[k] = term_id(m, given[k]);
  }
  int empty = 0; /* a term the storage never saw matches nothing */
  for (int k = 0; k < 4; k++)
    if (c->bound[k] && given[k] && !c->want[k])
      empty = 1;
  if (has_g && !m->contexts && g)
    empty = 1;
  if (empty) {
    c->i = c->end = 0;
  } else {
    cursor_plan(c);
  }
  raptor_statement_init(&c->st, librdf_world_get_raptor(m->world));
  librdf_storage_add_reference(storage);
  return c;
}

static const nkg_storage_cursor_ops cursor_ops = {
    cursor_new, cur_end, cur_next, cur_get, cur_finished};

/* ---- the factory's methods ---------------------------------------------- */

static int m_init(librdf_storage *storage, const char *name,
                  librdf_hash *options) {
  (void)name;
  mem *m = nkg_xcalloc(1, sizeof *m);
  m->ops = &cursor_ops;
  m->world = librdf_storage_get_world(storage);
  m->contexts = 1;
  if (options) {
    int c = librdf_hash_get_as_boolean(options, "contexts");
    if (c == 0)
      m->contexts = 0;
    librdf_free_hash(options);
  }
  librdf_storage_set_instance(storage, m);
  return 0;
}

static void m_terminate(librdf_storage *storage) {
  mem *m = librdf_storage_get_instance(storage);
  if (!m)
    return;
  for (size_t id = 1; id <= m->nterms; id++)
    librdf_free_node(m->node[id]);
  free(m->node);
  free(m->hash);
  free(m->slots);
  free(m->q);
  for (int k = 0; k < NORDERS; k++)
    free(m->perm[k]);
  free(m->graphs);
  free(m);
}

static int m_open(librdf_storage *storage, librdf_model *model) {
  (void)storage;
  (void)model;
  return 0;
}

static int m_close(librdf_storage *storage) {
  (void)storage;
  return 0;
}

static int m_size(librdf_storage *storage) {
  mem *m = librdf_storage_get_instance(storage);
  mem_freeze(m);
  return m->nq > INT32_MAX ? -1 : (int)m->nq;
}

static int m_context_add(librdf_storage *storage, librdf_node *context,
                         librdf_statement *st) {
  mem *m = librdf_storage_get_instance(storage);
  librdf_node *s = librdf_statement_get_subject(st);
  librdf_node *p = librdf_statement_get_predicate(st);
  librdf_node *o = librdf_statement_get_object(st);
  if (!s || !p || !o)
    return 1;
  quad q = {term_intern(m, s), term_intern(m, p), term_intern(m, o), 0};
  if (context && m->contexts && !(q.g = term_intern(m, context)))
    return 1;
  if (!q.s || !q.p || !q.o || m->nq >= UINT32_MAX)
    return 1;
  if (m->nq == m->qcap) {
    m->qcap = m->qcap ? m->qcap * 2 : 4096;
    m->q = nkg_xrealloc(m->q, m->qcap * sizeof *m->q);
  }
  m->q[m->nq++] = q;
  m->dirty = 1;
  return 0;
}

static int m_add(librdf_storage *storage, librdf_statement *st) {
  return m_context_add(storage, NULL, st);
}

static int m_context_add_stream(librdf_storage *storage, librdf_node *context,
                                librdf_stream *str) {
  for (; !librdf_stream_end(str); librdf_stream_next(str)) {
    librdf_statement *st = librdf_stream_get_object(str);
    if (!st || m_context_add(storage, context, st))
      return 1;
  }
  return 0;
}

static int m_add_stream(librdf_storage *storage, librdf_stream *str) {
  return m_context_add_stream(storage, NULL, str);
}

/* Drops the quads that match (any of s p o given, g as in cursor_new). */
static int remove_matching(librdf_storage *storage, librdf_node *s,
                           librdf_node *p, librdf_node *o, int has_g,
                           librdf_node *g) {
  mem *m = librdf_storage_get_instance(storage);
  cursor c = {.m = m};
  librdf_node *given[4] = {s, p, o, g};
  for (int k = 0; k < 4; k++) {
    c.bound[k] = k < 3 ? given[k] != NULL : has_g;
    if (c.bound[k] && given[k] && !(c.want[k] = term_id(m, given[k])))
      return 0; /* an unknown term: nothing to remove */
  }
  size_t n = 0;
  for (size_t i = 0; i < m->nq; i++)
    if (!matches(&c, &m->q[i]))
      m->q[n++] = m->q[i];
  if (n != m->nq) {
    m->nq = n;
    m->dirty = 1;
  }
  return 0;
}

static int m_context_remove(librdf_storage *storage, librdf_node *context,
                            librdf_statement *st) {
  librdf_node *s = librdf_statement_get_subject(st);
  librdf_node *p = librdf_statement_get_predicate(st);
  librdf_node *o = librdf_statement_get_object(st);
  if (!s || !p || !o)
    return 1;
  return remove_matching(storage, s, p, o, 1, context);
}

static int m_remove(librdf_storage *storage, librdf_statement *st) {
  return m_context_remove(storage, NULL, st);
}

static int m_context_remove_all(librdf_storage *storage,
                                librdf_node *context) {
  return remove_matching(storage, NULL, NULL, NULL, 1, context);
}

/* The iterator of the named graphs: a position in m->graphs. */
typedef struct {
  librdf_storage *storage;
  mem *m;
  size_t i;
} graph_walk;

static int gw_end(void *ctx) {
  graph_walk *w = ctx;
  return w->i >= w->m->ngraphs;
}

static int gw_next(void *ctx) {
  graph_walk *w = ctx;
  if (w->i < w->m->ngraphs)
    w->i++;
  return w->i >= w->m->ngraphs;
}

static void *gw_get(void *ctx, int flags) {
  graph_walk *w = ctx;
  if (w->i >= w->m->ngraphs || flags != LIBRDF_ITERATOR_GET_METHOD_GET_OBJECT)
    return NULL;
  return w->m->node[w->m->graphs[w->i]];
}

static void gw_finished(void *ctx) {
  graph_walk *w = ctx;
  librdf_storage_remove_reference(w->storage);
  free(w);
}

static librdf_iterator *m_contexts(librdf_storage *storage) {
  mem *m = librdf_storage_get_instance(storage);
  if (!m->contexts)
    return NULL;
  mem_freeze(m);
  graph_walk *w = nkg_xcalloc(1, sizeof *w);
  w->storage = storage;
  w->m = m;
  librdf_storage_add_reference(storage);
  librdf_iterator *it =
      librdf_new_iterator(librdf_storage_get_world(storage), w, gw_end,
                          gw_next, gw_get, gw_finished);
  if (!it)
    gw_finished(w);
  return it;
}

static librdf_node *m_get_feature(librdf_storage *storage,
                                  librdf_uri *feature) {
  mem *m = librdf_storage_get_instance(storage);
  const unsigned char *s = feature ? librdf_uri_as_string(feature) : NULL;
  if (!s || strcmp((const char *)s, LIBRDF_MODEL_FEATURE_CONTEXTS))
    return NULL;
  return librdf_new_node_from_typed_literal(
      m->world, (const unsigned char *)(m->contexts ? "1" : "0"), NULL, NULL);
}

static void factory(librdf_storage_factory *f) {
  f->version = LIBRDF_STORAGE_INTERFACE_VERSION;
  f->init = m_init;
  f->terminate = m_terminate;
  f->open = m_open;
  f->close = m_close;
  f->size = m_size;
  f->add_statement = m_add;
  f->add_statements = m_add_stream;
  f->remove_statement = m_remove;
  f->context_add_statement = m_context_add;
  f->context_remove_statement = m_context_remove;
  f->context_add_statements = m_context_add_stream;
  f->context_remove_statements = m_context_remove_all;
  f->get_contexts = m_contexts;
  f->get_feature = m_get_feature;
  nkg_storage_cursor_methods(f);
}

int nkg_memstore_register(librdf_world *world) {
  if (librdf_storage_register_factory(
          world, NKG_MEMSTORE_NAME,
          "newskg's compact in-memory storage (interned terms, sorted quads)",
          factory)) {
    nkg_error("cannot register the %s storage with librdf",
              NKG_MEMSTORE_NAME);
    return -1;
  }
  return 0;
}
