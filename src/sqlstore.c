/* sqlstore.c: "newskg-sqlite", newskg's read-only librdf storage over
 * librdf's sqlite files (sqlstore.h). */
#include "config.h"

#include "sqlstore.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sqlitedb.h"
#include "storage_cursor.h"
#include "util.h"

/* The kinds of term, as librdf's schema keeps them: a table each. */
enum { K_NONE, K_URI, K_BLANK, K_LITERAL, N_KINDS };

/* A term of the file: its table and its id there (ids are rowids: > 0). */
typedef struct {
  int kind;
  long long id;
} term_ref;

/* A prepared lookup of the triples table; several may have the same
 * shape when lookups are nested (a statement that is being stepped cannot
 * run a second time). */
typedef struct {
  unsigned shape;
  nkg_sqlite_stmt *st;
  int busy;
} pooled;

typedef struct {
  const nkg_storage_cursor_ops *ops; /* first: storage_cursor.h */
  librdf_world *world;
  char *path;
  nkg_sqlite *db;
  nkg_sqlite_stmt *text_of[N_KINDS]; /* id -> the term's columns */
  nkg_sqlite_stmt *id_of[N_KINDS];   /* the term's columns -> id */
  /* decoded terms: key (id * N_KINDS + kind) -> node, open addressing */
  uint64_t *keys;
  librdf_node **nodes;
  size_t nslots, nnodes;
  /* the ids of IRIs by their raptor_uri (raptor interns URIs: one pointer
   * per string while any node holds it; every key is the URI of a node
   * in the table above, so it stays valid), open addressing */
  uintptr_t *uri_keys;
  long long *uri_ids;
  size_t uri_slots, nuris;
  pooled *pool;
  size_t npool;
  int context_index; /* the file has newskg_context (contextUri) */
  int failed; /* a message was printed: later ones would repeat it */
} sq;

static void sq_fail(sq *m, const char *what) {
  if (!m->failed)
    nkg_error("%s: %s: %s", m->path, what,
              m->db ? nkg_sqlite_errmsg(m->db) : "no connection");
  m->failed = 1;
}

/* ---- decoded terms ------------------------------------------------------ */

static uint64_t mix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return k;
}

static librdf_node **cache_slot(sq *m, uint64_t key) {
  size_t mask = m->nslots - 1;
  for (size_t i = (size_t)mix(key) & mask;; i = (i + 1) & mask)
    if (!m->keys[i] || m->keys[i] == key) {
      m->keys[i] = key;
      return &m->nodes[i];
    }
}

static void cache_grow(sq *m) {
  size_t old = m->nslots;
  uint64_t *keys = m->keys;
  librdf_node **nodes = m->nodes;
  m->nslots = old ? old * 2 : 4096;
  m->keys = nkg_xcalloc(m->nslots, sizeof *m->keys);
  m->nodes = nkg_xcalloc(m->nslots, sizeof *m->nodes);
  for (size_t i = 0; i < old; i++)
    if (keys[i])
      *cache_slot(m, keys[i]) = nodes[i];
  free(keys);
  free(nodes);
}

static long long *uri_slot(sq *m, uintptr_t key) {
  size_t mask = m->uri_slots - 1;
  for (size_t i = (size_t)mix(key) & mask;; i = (i + 1) & mask)
    if (!m->uri_keys[i] || m->uri_keys[i] == key) {
      m->uri_keys[i] = key;
      return &m->uri_ids[i];
    }
}

/* Remembers that the IRI u (held by a node of the cache) has the id. */
static void uri_put(sq *m, librdf_uri *u, long long id) {
  if ((m->nuris + 1) * 4 > m->uri_slots * 3) {
    size_t old = m->uri_slots;
    uintptr_t *keys = m->uri_keys;
    long long *ids = m->uri_ids;
    m->uri_slots = old ? old * 2 : 4096;
    m->uri_keys = nkg_xcalloc(m->uri_slots, sizeof *m->uri_keys);
    m->uri_ids = nkg_xcalloc(m->uri_slots, sizeof *m->uri_ids);
    for (size_t i = 0; i < old; i++)
      if (keys[i])
        *uri_slot(m, keys[i]) = ids[i];
    free(keys);
    free(ids);
  }
  long long *slot = uri_slot(m, (uintptr_t)u);
  if (!*slot)
    m->nuris++;
  *slot = id;
}

/* The id of the IRI u if known, else 0. */
static long long uri_get(const sq *m, librdf_uri *u) {
  if (!m->uri_slots)
    return 0;
  size_t mask = m->uri_slots - 1;
  uintptr_t key = (uintptr_t)u;
  for (size_t i = (size_t)mix(key) & mask; m->uri_keys[i];
       i = (i + 1) & mask)
    if (m->uri_keys[i] == key)
      return m->uri_ids[i];
  return 0;
}

/* The node of a term of the file, decoded once and owned by m; NULL after
 * a message. */
static librdf_node *node_of(sq *m, int kind, long long id) {
  if ((m->nnodes + 1) * 4 > m->nslots * 3)
    cache_grow(m);
  uint64_t key = (uint64_t)id * N_KINDS + (uint64_t)kind;
  librdf_node **slot = cache_slot(m, key);
  librdf_node *cached = *slot;
  if (cached)
    return cached;
  nkg_sqlite_stmt *st = m->text_of[kind];
  librdf_node *n = NULL;
  if (nkg_sqlite_bind_int(st, 1, id)) {
    sq_fail(m, "cannot look a term up");
    goto out;
  }
  int rc = nkg_sqlite_step(st);
  if (rc <= 0) {
    sq_fail(m, rc < 0 ? "cannot read a term" : "a statement names a term "
                                               "its table does not have");
    goto out;
  }
  size_t len;
  const char *text = nkg_sqlite_column_text(st, 0, &len);
  if (!text) {
    text = "";
    len = 0;
  }
  if (kind == K_URI) {
    n = librdf_new_node_from_counted_uri_string(
        m->world, (const unsigned char *)text, len);
  } else if (kind == K_BLANK) {
    n = librdf_new_node_from_counted_blank_identifier(
        m->world, (const unsigned char *)text, len);
  } else {
    size_t lang_len;
    const char *lang = nkg_sqlite_column_text(st, 1, &lang_len);
    long long dt = nkg_sqlite_column_int(st, 2);
    librdf_uri *dt_uri = NULL;
    if (dt > 0) {
      /* a different statement: this row's text stays valid */
      librdf_node *d = node_of(m, K_URI, dt);
      /* node_of() may have grown the table */
      slot = cache_slot(m, key);
      if (!d)
        goto out;
      dt_uri = librdf_node_get_uri(d);
    }
    /* raptor's constructor, as the parser made the term: librdf's
     * rewrites an xsd:boolean's lexical form ("0" -> "false") */
    n = raptor_new_term_from_counted_literal(
        librdf_world_get_raptor(m->world), (const unsigned char *)text, len,
        dt_uri, lang && lang_len ? (const unsigned char *)lang : NULL,
        lang && lang_len && lang_len < 256 ? (unsigned char)lang_len : 0);
  }
  if (!n)
    sq_fail(m, "cannot make a node of a term");
  *slot = n;
  if (n)
    m->nnodes++;
  if (n && kind == K_URI)
    uri_put(m, librdf_node_get_uri(n), id);
out:
  nkg_sqlite_reset(st);
  if (!n) /* an empty slot again (the key stays: harmless, no node) */
    *cache_slot(m, key) = NULL;
  return n;
}

/* The term of the file that n is: 1 found (*r set), 0 the file has no
 * such term (nothing can match it), -1 after a message. */
static int ref_of(sq *m, librdf_node *n, term_ref *r) {
  raptor_term *t = (raptor_term *)n;
  const unsigned char *text = NULL, *lang = NULL;
  size_t len = 0, lang_len = 0;
  long long dt = 0;
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI:
    r->kind = K_URI;
    if ((r->id = uri_get(m, t->value.uri)))
      return 1;
    text = raptor_uri_as_counted_string(t->value.uri, &len);
    break;
  case RAPTOR_TERM_TYPE_BLANK:
    r->kind = K_BLANK;
    text = t->value.blank.string;
    len = t->value.blank.string_len;
    break;
  case RAPTOR_TERM_TYPE_LITERAL:
    r->kind = K_LITERAL;
    text = t->value.literal.string;
    len = t->value.literal.string_len;
    if (t->value.literal.language && t->value.literal.language_len) {
      lang = t->value.literal.language;
      lang_len = t->value.literal.language_len;
    }
    if (t->value.literal.datatype) {
      raptor_term d = {.type = RAPTOR_TERM_TYPE_URI,
                       .value.uri = t->value.literal.datatype};
      term_ref dr;
      int rc = ref_of(m, (librdf_node *)&d, &dr);
      if (rc <= 0)
        return rc;
      dt = dr.id;
    }
    break;
  default:
    return 0;
  }
  nkg_sqlite_stmt *st = m->id_of[r->kind];
  int bad = nkg_sqlite_bind_text(st, 1, text ? (const char *)text : "", len);
  if (r->kind == K_LITERAL)
    bad = bad || nkg_sqlite_bind_text(st, 2, (const char *)lang, lang_len) ||
          (dt ? nkg_sqlite_bind_int(st, 3, dt)
              : nkg_sqlite_bind_text(st, 3, NULL, 0));
  int rc = bad ? -1 : nkg_sqlite_step(st);
  if (rc > 0)
    r->id = nkg_sqlite_column_int(st, 0);
  nkg_sqlite_reset(st);
  if (rc < 0) {
    sq_fail(m, "cannot look a term up");
    return -1;
  }
  if (rc > 0 && r->kind == K_URI)
    return node_of(m, K_URI, r->id) ? 1 : -1; /* now known by pointer */
  return rc > 0;
}

/* ---- lookups of the triples table --------------------------------------- */

static const char triple_columns[] =
    "SELECT subjectUri, subjectBlank, predicateUri, objectUri, objectBlank, "
    "objectLiteral, contextUri FROM triples";

/* The graph part of a lookup: any graph, one graph, the default graph
 * (statements without a context), or the list of distinct graphs. */
enum { G_ANY, G_ONE, G_NONE, G_LIST };

/* The shape of a lookup: the kind of its subject and object, whether its
 * predicate is bound, and its graph part. */
static unsigned shape_of(int sk, int pk, int ok, int g) {
  return (unsigned)(((sk * N_KINDS + pk) * N_KINDS + ok) * 4 + g);
}

/* The SQL text of a shape: parameters ?1 ?2 ?3 ?4 for s p o g. The extra
 * IS NULL terms are true of every row librdf and newskg write (a term has
 * one column of its position set) and let SQLite use every column of
 * spindex (subjectUri, subjectBlank, predicateUri) and newskg_po
 * (predicateUri, objectUri, objectLiteral). */
static void shape_sql(nkg_buf *b, int sk, int pk, int ok, int g) {
  if (g == G_LIST) {
    /* with an index on contextUri, a seek from each graph to the next
     * (10,000 graphs of 3.7M quads: 10,000 seeks instead of reading the
     * 3.7M entries of the index); without it one scan */
    nkg_buf_adds(b, sk ? "WITH RECURSIVE g(c) AS (SELECT MIN(contextUri) "
                         "FROM triples WHERE contextUri IS NOT NULL UNION "
                         "ALL SELECT (SELECT MIN(contextUri) FROM triples "
                         "WHERE contextUri > g.c) FROM g WHERE g.c IS NOT "
                         "NULL) SELECT c FROM g WHERE c IS NOT NULL"
                       : "SELECT DISTINCT contextUri FROM triples WHERE "
                         "contextUri IS NOT NULL");
    return;
  }
  nkg_buf_adds(b, triple_columns);
  const char *and = " WHERE ";
  if (sk == K_URI) {
    nkg_buf_printf(b, "%ssubjectUri = ?1 AND subjectBlank IS NULL", and);
    and = " AND ";
  } else if (sk == K_BLANK) {
    nkg_buf_printf(b, "%ssubjectUri IS NULL AND subjectBlank = ?1", and);
    and = " AND ";
  }
  if (pk) {
    /* a lookup in one graph by predicate alone: the graph's index reads
     * far fewer rows than the predicate's (the unary + keeps SQLite from
     * choosing newskg_po there) */
    int plus = g == G_ONE && !sk && !ok;
    nkg_buf_printf(b, "%s%spredicateUri = ?2", and, plus ? "+" : "");
    and = " AND ";
  }
  if (ok == K_URI) {
    nkg_buf_printf(b, "%sobjectUri = ?3", and);
    and = " AND ";
  } else if (ok == K_BLANK) {
    nkg_buf_printf(b, "%sobjectBlank = ?3", and);
    and = " AND ";
  } else if (ok == K_LITERAL) {
    nkg_buf_printf(b, "%sobjectUri IS NULL AND objectLiteral = ?3", and);
    and = " AND ";
  }
  if (g == G_ONE)
    nkg_buf_printf(b, "%scontextUri = ?4", and);
  else if (g == G_NONE)
    nkg_buf_printf(b, "%scontextUri IS NULL", and);
}

/* A free prepared statement of the shape, marked busy; NULL after a
 * message. */
static pooled *pool_take(sq *m, int sk, int pk, int ok, int g) {
  unsigned shape = shape_of(sk, pk, ok, g);
  for (size_t i = 0; i < m->npool; i++)
    if (m->pool[i].shape == shape && !m->pool[i].busy) {
      m->pool[i].busy = 1;
      return &m->pool[i];
    }
  nkg_buf sql = {0};
  shape_sql(&sql, sk, pk, ok, g);
  nkg_sqlite_stmt *st = nkg_sqlite_prepare(m->db, sql.data);
  nkg_buf_free(&sql);
  if (!st) {
    sq_fail(m, "cannot prepare a lookup");
    return NULL;
  }
  /* entries are found again by index: the array may move */
  m->pool = nkg_xrealloc(m->pool, (m->npool + 1) * sizeof *m->pool);
  m->pool[m->npool] = (pooled){shape, st, 1};
  return &m->pool[m->npool++];
}

typedef struct {
  librdf_storage *storage;
  sq *m;
  size_t slot; /* index of its statement in m->pool, or (size_t)-1 */
  int yield;
  int done;
  raptor_statement st; /* the current statement: borrowed nodes */
  librdf_node *part;   /* the current part or graph */
} cursor;

/* Steps c to its next row and decodes it; sets done at the end or after
 * an error (a message). */
static void cur_step(cursor *c) {
  sq *m = c->m;
  if (c->done)
    return;
  nkg_sqlite_stmt *st = m->pool[c->slot].st;
  int rc = nkg_sqlite_step(st);
  if (rc <= 0) {
    if (rc < 0)
      sq_fail(m, "cannot read the statements");
    c->done = 1;
    return;
  }
  if (c->yield == NKG_CURSOR_GRAPH) {
    c->part = node_of(m, K_URI, nkg_sqlite_column_int(st, 0));
    c->done = !c->part;
    return;
  }
  long long v[7];
  for (int i = 0; i < 7; i++)
    v[i] = nkg_sqlite_column_int(st, i);
  librdf_node *s = v[0] > 0   ? node_of(m, K_URI, v[0])
                   : v[1] > 0 ? node_of(m, K_BLANK, v[1])
                              : NULL;
  librdf_node *p = v[2] > 0 ? node_of(m, K_URI, v[2]) : NULL;
  librdf_node *o = v[3] > 0   ? node_of(m, K_URI, v[3])
                   : v[4] > 0 ? node_of(m, K_BLANK, v[4])
                   : v[5] > 0 ? node_of(m, K_LITERAL, v[5])
                              : NULL;
  librdf_node *g = v[6] > 0 ? node_of(m, K_URI, v[6]) : NULL;
  if (!s || !p || !o || (v[6] > 0 && !g)) {
    sq_fail(m, "a statement with a missing term");
    c->done = 1;
    return;
  }
  c->st.subject = s;
  c->st.predicate = p;
  c->st.object = o;
  c->st.graph = g;
  c->part = c->yield == 0 ? s : c->yield == 1 ? p : c->yield == 2 ? o : NULL;
}

static int cur_end(void *ctx) {
  return ((cursor *)ctx)->done;
}

static int cur_next(void *ctx) {
  cursor *c = ctx;
  cur_step(c);
  return c->done;
}

static void *cur_get(void *ctx, int flags) {
  cursor *c = ctx;
  if (c->done)
    return NULL;
  if (flags == LIBRDF_ITERATOR_GET_METHOD_GET_CONTEXT)
    return c->yield == NKG_CURSOR_GRAPH ? NULL : c->st.graph;
  if (flags != LIBRDF_ITERATOR_GET_METHOD_GET_OBJECT)
    return NULL;
  return c->yield == NKG_CURSOR_STATEMENT ? (void *)&c->st : (void *)c->part;
}

static void cur_finished(void *ctx) {
  cursor *c = ctx;
  if (c->slot != (size_t)-1) {
    nkg_sqlite_reset(c->m->pool[c->slot].st);
    c->m->pool[c->slot].busy = 0;
  }
  librdf_storage_remove_reference(c->storage);
  free(c);
}

/* A new cursor for the parts s p o g (NULL: any; has_g says whether g is
 * bound, g NULL then meaning the default graph), or, with yield
 * NKG_CURSOR_GRAPH, over the graph names; NULL after a message. */
static void *cursor_new(librdf_storage *storage, librdf_node *s,
                        librdf_node *p, librdf_node *o, int has_g,
                        librdf_node *g, int yield) {
  sq *m = librdf_storage_get_instance(storage);
  cursor *c = nkg_xcalloc(1, sizeof *c);
  c->storage = storage;
  c->m = m;
  c->yield = yield;
  c->slot = (size_t)-1;
  raptor_statement_init(&c->st, librdf_world_get_raptor(m->world));
  librdf_storage_add_reference(storage);
  librdf_node *given[4] = {s, p, o, has_g ? g : NULL};
  term_ref ref[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
  for (int k = 0; k < 4; k++) {
    if (!given[k])
      continue;
    int rc = ref_of(m, given[k], &ref[k]);
    if (rc < 0) {
      cur_finished(c);
      return NULL;
    }
    /* a term the file does not have, or one that cannot be in its
     * position (librdf's schema has no literal subjects, and predicates
     * and graphs are IRIs): nothing matches */
    if (!rc || (k == 0 && ref[k].kind == K_LITERAL) ||
        ((k == 1 || k == 3) && ref[k].kind != K_URI)) {
      c->done = 1;
      return c;
    }
  }
  int gpart = yield == NKG_CURSOR_GRAPH ? G_LIST
              : !has_g             ? G_ANY
              : g                  ? G_ONE
                                   : G_NONE;
  /* the graph list's shape says whether the seeks may be used */
  int sk = gpart == G_LIST ? m->context_index : ref[0].kind;
  pooled *e = pool_take(m, sk, ref[1].kind != K_NONE, ref[2].kind, gpart);
  if (!e) {
    cur_finished(c);
    return NULL;
  }
  c->slot = (size_t)(e - m->pool);
  for (int k = 0; k < 4; k++)
    if (ref[k].kind && nkg_sqlite_bind_int(e->st, k + 1, ref[k].id)) {
      sq_fail(m, "cannot bind a term");
      cur_finished(c);
      return NULL;
    }
  cur_step(c);
  return c;
}

static const nkg_storage_cursor_ops cursor_ops = {
    cursor_new, cur_end, cur_next, cur_get, cur_finished};

/* ---- the factory's methods ---------------------------------------------- */

static int s_init(librdf_storage *storage, const char *name,
                  librdf_hash *options) {
  if (options)
    librdf_free_hash(options);
  if (!name || !*name) {
    nkg_error("the %s storage needs a file name", NKG_SQLSTORE_NAME);
    return 1;
  }
  sq *m = nkg_xcalloc(1, sizeof *m);
  m->ops = &cursor_ops;
  m->world = librdf_storage_get_world(storage);
  m->path = nkg_xstrdup(name);
  librdf_storage_set_instance(storage, m);
  return 0;
}

static void s_terminate(librdf_storage *storage) {
  sq *m = librdf_storage_get_instance(storage);
  if (!m)
    return;
  for (size_t i = 0; i < m->npool; i++)
    nkg_sqlite_finalize(m->pool[i].st);
  free(m->pool);
  for (int k = 0; k < N_KINDS; k++) {
    nkg_sqlite_finalize(m->text_of[k]);
    nkg_sqlite_finalize(m->id_of[k]);
  }
  for (size_t i = 0; i < m->nslots; i++)
    if (m->nodes[i])
      librdf_free_node(m->nodes[i]);
  free(m->keys);
  free(m->nodes);
  free(m->uri_keys);
  free(m->uri_ids);
  nkg_sqlite_close(m->db); /* ends the read transaction */
  free(m->path);
  free(m);
}

/* Opens the file read-only and starts the read transaction that every
 * lookup then reads in. A writer committing at that moment is waited for
 * (10 s), as a load waits for readers. */
static int s_open(librdf_storage *storage, librdf_model *model) {
  (void)model;
  sq *m = librdf_storage_get_instance(storage);
  char why[256];
  static const char *const text_sql[N_KINDS] = {
      NULL, "SELECT uri FROM uris WHERE id = ?1",
      "SELECT blank FROM blanks WHERE id = ?1",
      "SELECT text, language, datatype FROM literals WHERE id = ?1"};
  static const char *const id_sql[N_KINDS] = {
      NULL, "SELECT id FROM uris WHERE uri = ?1",
      "SELECT id FROM blanks WHERE blank = ?1",
      "SELECT id FROM literals WHERE text = ?1 AND language IS ?2 AND "
      "datatype IS ?3"};
  m->db = nkg_sqlite_open(m->path, NKG_SQLITE_READONLY, 10000, why,
                          sizeof why);
  if (!m->db) {
    nkg_error("%s: cannot open the sqlite store: %s", m->path, why);
    m->failed = 1;
    return 1;
  }
  if (nkg_sqlite_exec(m->db, "BEGIN; SELECT count(*) FROM sqlite_master;")) {
    sq_fail(m, "cannot start a read transaction");
    return 1;
  }
  nkg_sqlite_stmt *ix = nkg_sqlite_prepare(
      m->db, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = "
             "'newskg_context'");
  int rc = ix ? nkg_sqlite_step(ix) : -1;
  nkg_sqlite_finalize(ix);
  if (rc < 0) {
    sq_fail(m, "cannot read the schema");
    return 1;
  }
  m->context_index = rc > 0;
  for (int k = 1; k < N_KINDS; k++)
    if (!(m->text_of[k] = nkg_sqlite_prepare(m->db, text_sql[k])) ||
        !(m->id_of[k] = nkg_sqlite_prepare(m->db, id_sql[k]))) {
      sq_fail(m, "not a store of librdf's sqlite schema");
      return 1;
    }
  return 0;
}

static int s_close(librdf_storage *storage) {
  (void)storage;
  return 0;
}

static int s_size(librdf_storage *storage) {
  sq *m = librdf_storage_get_instance(storage);
  nkg_sqlite_stmt *st = nkg_sqlite_prepare(m->db, "SELECT COUNT(*) FROM "
                                                  "triples");
  int rc = st ? nkg_sqlite_step(st) : -1;
  long long n = rc > 0 ? nkg_sqlite_column_int(st, 0) : -1;
  nkg_sqlite_finalize(st);
  if (n < 0)
    sq_fail(m, "cannot count the statements");
  return n > INT32_MAX ? -1 : (int)n;
}

/* Every change is refused: the storage only reads. */
static int refuse(librdf_storage *storage) {
  sq *m = librdf_storage_get_instance(storage);
  nkg_error("%s: the %s storage only reads", m->path, NKG_SQLSTORE_NAME);
  return 1;
}

static int s_add(librdf_storage *storage, librdf_statement *st) {
  (void)st;
  return refuse(storage);
}

static int s_add_stream(librdf_storage *storage, librdf_stream *str) {
  (void)str;
  return refuse(storage);
}

static int s_context_add(librdf_storage *storage, librdf_node *context,
                         librdf_statement *st) {
  (void)context;
  (void)st;
  return refuse(storage);
}

static int s_context_add_stream(librdf_storage *storage, librdf_node *context,
                                librdf_stream *str) {
  (void)context;
  (void)str;
  return refuse(storage);
}

static int s_remove(librdf_storage *storage, librdf_statement *st) {
  (void)st;
  return refuse(storage);
}

static int s_context_remove(librdf_storage *storage, librdf_node *context,
                            librdf_statement *st) {
  (void)context;
  (void)st;
  return refuse(storage);
}

static int s_context_remove_all(librdf_storage *storage,
                                librdf_node *context) {
  (void)context;
  return refuse(storage);
}

static librdf_iterator *s_contexts(librdf_storage *storage) {
  return nkg_storage_cursor_iterator(storage, NULL, NULL, NULL,
                                     NKG_CURSOR_GRAPH);
}

static librdf_node *s_get_feature(librdf_storage *storage,
                                  librdf_uri *feature) {
  sq *m = librdf_storage_get_instance(storage);
  const unsigned char *s = feature ? librdf_uri_as_string(feature) : NULL;
  if (!s || strcmp((const char *)s, LIBRDF_MODEL_FEATURE_CONTEXTS))
    return NULL;
  return librdf_new_node_from_typed_literal(
      m->world, (const unsigned char *)"1", NULL, NULL);
}

static void factory(librdf_storage_factory *f) {
  f->version = LIBRDF_STORAGE_INTERFACE_VERSION;
  f->init = s_init;
  f->terminate = s_terminate;
  f->open = s_open;
  f->close = s_close;
  f->size = s_size;
  f->add_statement = s_add;
  f->add_statements = s_add_stream;
  f->remove_statement = s_remove;
  f->context_add_statement = s_context_add;
  f->context_remove_statement = s_context_remove;
  f->context_add_statements = s_context_add_stream;
  f->context_remove_statements = s_context_remove_all;
  f->get_contexts = s_contexts;
  f->get_feature = s_get_feature;
  nkg_storage_cursor_methods(f);
}

int nkg_sqlstore_register(librdf_world *world) {
  if (librdf_storage_register_factory(
          world, NKG_SQLSTORE_NAME,
          "newskg's read-only reader of librdf's sqlite files (prepared "
          "lookups over term ids)",
          factory)) {
    nkg_error("cannot register the %s storage with librdf",
              NKG_SQLSTORE_NAME);
    return -1;
  }
  return 0;
}
