/* sqlite_load.c: see sqlite_load.h. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include "sqlite_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "graph.h"
#include "pstats.h"
#include "sqlitedb.h"
#include "util.h"

/* librdf's schema (rdf_storage_sqlite.c, librdf 1.0.17), created the same
 * way when the file is new, then the indexes newskg adds: librdf's index
 * only uris and subjects, so finding a literal's id scanned the literals
 * table and removing a graph scanned the triples (the queries use them
 * too). IF NOT EXISTS: an existing store keeps what it has. */
static const char schema[] =
    "CREATE TABLE IF NOT EXISTS uris (id INTEGER PRIMARY KEY, uri TEXT);"
    "CREATE TABLE IF NOT EXISTS blanks (id INTEGER PRIMARY KEY, blank TEXT);"
    "CREATE TABLE IF NOT EXISTS literals (id INTEGER PRIMARY KEY, text TEXT, "
    "language TEXT, datatype INTEGER);"
    "CREATE TABLE IF NOT EXISTS triples (subjectUri INTEGER, subjectBlank "
    "INTEGER, predicateUri INTEGER, objectUri INTEGER, objectBlank INTEGER, "
    "objectLiteral INTEGER, contextUri INTEGER);"
    "CREATE INDEX IF NOT EXISTS spindex ON triples "
    "(subjectUri, subjectBlank, predicateUri);"
    "CREATE INDEX IF NOT EXISTS uriindex ON uris (uri);"
    "CREATE INDEX IF NOT EXISTS newskg_literals ON literals (text);"
    "CREATE INDEX IF NOT EXISTS newskg_blanks ON blanks (blank);"
    "CREATE INDEX IF NOT EXISTS newskg_context ON triples (contextUri);"
    "CREATE INDEX IF NOT EXISTS newskg_po ON triples "
    "(predicateUri, objectUri, objectLiteral);"
    "CREATE TABLE IF NOT EXISTS newskg_predicate_stats (predicate TEXT "
    "PRIMARY KEY, triples INTEGER NOT NULL, subjects INTEGER NOT NULL, "
    "objects INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS newskg_class_stats (class TEXT PRIMARY KEY, "
    "members INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS newskg_stats_stamp (triples INTEGER NOT "
    "NULL);"
    /* the load's own writes must not fire the triggers (stamp_stats) */
    "DROP TRIGGER IF EXISTS newskg_stats_insert;"
    "DROP TRIGGER IF EXISTS newskg_stats_delete;"
    "DROP TRIGGER IF EXISTS newskg_stats_update;";

/* The stamp of the statistics, written with them in the load's
 * transaction: the triples they were counted over. A query trusts
 * statistics with a stamp without counting the triples again (about 0.1 s
 * at 3.7M quads, store.h). Any other writer of the triples table (librdf's
 * sqlite storage, an older newskg, the sqlite3 shell) fires a trigger that
 * removes the stamp, and the query then counts as before; the load drops
 * the triggers at its start (in its transaction) so that its own rows cost
 * nothing, and makes them again here. */
static const char stamp_stats[] =
    "DELETE FROM newskg_stats_stamp;"
    "INSERT INTO newskg_stats_stamp (triples) SELECT triples FROM "
    "newskg_predicate_stats WHERE predicate = '';"
    "CREATE TRIGGER newskg_stats_insert AFTER INSERT ON triples BEGIN "
    "DELETE FROM newskg_stats_stamp; END;"
    "CREATE TRIGGER newskg_stats_delete AFTER DELETE ON triples BEGIN "
    "DELETE FROM newskg_stats_stamp; END;"
    "CREATE TRIGGER newskg_stats_update AFTER UPDATE ON triples BEGIN "
    "DELETE FROM newskg_stats_stamp; END;";

/* The statistics of the join order (pstats.h). A load into an empty
 * store counts them as it inserts (every row it inserts is then a row of
 * the store, and nothing else is) and writes them at the end. Any other
 * load computes them again from the whole triples table, in its
 * transaction: a load may replace graphs, and distinct counts cannot be
 * kept up to date by additions alone (about 1.2 s for 370k quads). Every scan reads an index only (newskg_po for the
 * counts and the objects, spindex for the subjects). Objects are told
 * apart by (objectUri, objectLiteral): blank objects count as one. The
 * totals are the row of the empty predicate; their subjects and objects
 * are the largest of any predicate (a lower bound, as pstats.h counts
 * them in memory, which scans nothing). */
static const char clear_stats[] = "DELETE FROM newskg_predicate_stats;"
                                  "DELETE FROM newskg_class_stats;";
static const char refresh_stats[] =
    "INSERT INTO newskg_predicate_stats (predicate, triples, subjects, "
    "objects) SELECT u.uri, n.c, s.c, o.c FROM "
    "(SELECT predicateUri AS p, COUNT(*) AS c FROM triples "
    "GROUP BY predicateUri) AS n "
    "JOIN (SELECT predicateUri AS p, COUNT(*) AS c FROM (SELECT DISTINCT "
    "subjectUri, subjectBlank, predicateUri FROM triples) "
    "GROUP BY predicateUri) AS s ON s.p = n.p "
    "JOIN (SELECT predicateUri AS p, COUNT(*) AS c FROM (SELECT DISTINCT "
    "predicateUri, objectUri, objectLiteral FROM triples) "
    "GROUP BY predicateUri) AS o ON o.p = n.p "
    "JOIN uris AS u ON u.id = n.p;"
    "INSERT INTO newskg_predicate_stats (predicate, triples, subjects, "
    "objects) SELECT '', COALESCE(SUM(triples), 0), "
    "COALESCE(MAX(subjects), 0), COALESCE(MAX(objects), 0) FROM "
    "newskg_predicate_stats;"
    /* the members of each class (pstats.h): rdf:type by object */
    "INSERT INTO newskg_class_stats (class, members) SELECT u.uri, c.n FROM "
    "(SELECT objectUri AS o, COUNT(*) AS n FROM triples WHERE predicateUri "
    "IN (SELECT id FROM uris WHERE uri = '" NKG_PSTATS_RDF_TYPE "') AND "
    "objectUri IS NOT NULL GROUP BY objectUri) AS c "
    "JOIN uris AS u ON u.id = c.o;";

/* The term tables, in the order of the prepared statements below. */
enum { T_URI, T_BLANK, T_LITERAL, N_TABLES };

/* Term ids by key: open addressing over an arena of entries (the id, the
 * key length, the key bytes). A load meets each term many times (every
 * predicate in every statement), so each is looked up in SQLite once. */
typedef struct {
  nkg_buf arena;
  size_t *slots; /* arena offset + 1, 0 when empty */
  uint64_t *hashes;
  size_t nslots, n;
} id_map;

typedef struct {
  long long id;
  size_t len;
} id_entry;

static long long *map_find(id_map *m, const void *key, size_t len,
                           uint64_t h, size_t *slot) {
  size_t mask = m->nslots - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    if (!m->slots[i]) {
      *slot = i;
      return NULL;
    }
    if (m->hashes[i] != h)
      continue;
    id_entry *e = (id_entry *)(m->arena.data + m->slots[i] - 1);
    if (e->len == len && !memcmp(e + 1, key, len))
      return &e->id;
  }
}

static void map_grow(id_map *m) {
  size_t old = m->nslots;
  size_t *slots = m->slots;
  uint64_t *hashes = m->hashes;
  m->nslots = old ? old * 2 : 1024;
  m->slots = nkg_xcalloc(m->nslots, sizeof *m->slots);
  m->hashes = nkg_xcalloc(m->nslots, sizeof *m->hashes);
  size_t mask = m->nslots - 1;
  for (size_t i = 0; i < old; i++) {
    if (!slots[i])
      continue;
    size_t j = (size_t)hashes[i] & mask;
    while (m->slots[j])
      j = (j + 1) & mask;
    m->slots[j] = slots[i];
    m->hashes[j] = hashes[i];
  }
  free(slots);
  free(hashes);
}

/* The id of key, or NULL; *h gets the key's hash for map_put(). */
static long long *map_get(id_map *m, const void *key, size_t len,
                          uint64_t *h) {
  *h = nkg_hash64(key, len, NKG_HASH_SEED);
  size_t slot;
  return m->nslots ? map_find(m, key, len, *h, &slot) : NULL;
}

static void map_put(id_map *m, const void *key, size_t len, uint64_t h,
                    long long id) {
  if ((m->n + 1) * 4 > m->nslots * 3)
    map_grow(m);
  size_t slot;
  long long *found = map_find(m, key, len, h, &slot);
  if (found) {
    *found = id;
    return;
  }
  /* entries aligned for id_entry */
  while (m->arena.len % sizeof(long long))
    nkg_buf_addc(&m->arena, 0);
  size_t off = m->arena.len;
  id_entry e = {id, len};
  nkg_buf_add(&m->arena, (const char *)&e, sizeof e);
  nkg_buf_add(&m->arena, key, len);
  m->slots[slot] = off + 1;
  m->hashes[slot] = h;
  m->n++;
}

static void map_free(id_map *m) {
  nkg_buf_free(&m->arena);
  free(m->slots);
  free(m->hashes);
  memset(m, 0, sizeof *m);
}

struct nkg_sqlite_load {
  librdf_world *world;
  char *path, *spec;
  nkg_sqlite *db;
  int in_transaction;
  int created; /* this run made the file: a failed run removes it */
  nkg_sqlite_stmt *select[N_TABLES], *insert[N_TABLES];
  nkg_sqlite_stmt *insert_triple, *delete_graph, *has_triple;
  int empty[N_TABLES]; /* the table was empty at the start: no lookups */
  int triples_empty;   /* so was the triples table */
  id_map ids;          /* term key -> id */
  nkg_byteset graphs;  /* ids of the graphs replaced in this run */
  nkg_byteset quads;   /* the id quads added in this run */
  nkg_buf key;         /* scratch */
  nkg_pstats *stats;   /* counted as rows are inserted into an empty
                          store, else NULL */
};

static void fail(nkg_sqlite_load *l, const char *what) {
  nkg_error("--store '%s': %s: %s", l->spec, what,
            l->db ? nkg_sqlite_errmsg(l->db) : "no connection");
}

/* The id of a term, inserting it into its table when new; -1 after a
 * message. A literal's key is its language and datatype IRI, then its text
 * (neither of the first two can hold a NUL, so keys never collide). */
static long long term_id(nkg_sqlite_load *l, raptor_term *t) {
  int table;
  const unsigned char *text = NULL, *lang = NULL;
  size_t text_len = 0, lang_len = 0;
  long long datatype = -1;
  nkg_buf *k = &l->key;
  nkg_buf_clear(k);
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI:
    table = T_URI;
    text = raptor_uri_as_counted_string(t->value.uri, &text_len);
    nkg_buf_addc(k, 'U');
    break;
  case RAPTOR_TERM_TYPE_BLANK:
    table = T_BLANK;
    text = t->value.blank.string;
    text_len = t->value.blank.string_len;
    nkg_buf_addc(k, 'B');
    break;
  case RAPTOR_TERM_TYPE_LITERAL:
    table = T_LITERAL;
    text = t->value.literal.string;
    text_len = t->value.literal.string_len;
    if (t->value.literal.language && t->value.literal.language_len) {
      lang = t->value.literal.language;
      lang_len = t->value.literal.language_len;
    }
    if (t->value.literal.datatype) {
      raptor_term dt = {.type = RAPTOR_TERM_TYPE_URI,
                        .value.uri = t->value.literal.datatype};
      if ((datatype = term_id(l, &dt)) < 0)
        return -1;
      nkg_buf_clear(k); /* term_id() used the scratch key */
    }
    nkg_buf_addc(k, 'L');
    nkg_buf_add(k, lang ? (const char *)lang : "", lang_len);
    nkg_buf_addc(k, 0);
    nkg_buf_printf(k, "%lld", datatype);
    nkg_buf_addc(k, 0);
    break;
  default:
    nkg_error("--store '%s': a statement has a term of unknown kind",
              l->spec);
    return -1;
  }
  if (!text) {
    text = (const unsigned char *)"";
    text_len = 0;
  }
  nkg_buf_add(k, (const char *)text, text_len);

  uint64_t h;
  long long *known = map_get(&l->ids, k->data, k->len, &h);
  if (known)
    return *known;

  long long id = -1;
  nkg_sqlite_stmt *sel = l->select[table], *ins = l->insert[table];
  int bad = nkg_sqlite_bind_text(sel, 1, (const char *)text, text_len) ||
            nkg_sqlite_bind_text(ins, 1, (const char *)text, text_len);
  if (table == T_LITERAL) {
    bad = bad ||
          nkg_sqlite_bind_text(sel, 2, (const char *)lang, lang_len) ||
          nkg_sqlite_bind_text(ins, 2, (const char *)lang, lang_len) ||
          (datatype < 0
               ? nkg_sqlite_bind_text(sel, 3, NULL, 0) ||
                     nkg_sqlite_bind_text(ins, 3, NULL, 0)
               : nkg_sqlite_bind_int(sel, 3, datatype) ||
                     nkg_sqlite_bind_int(ins, 3, datatype));
  }
  if (bad) {
    fail(l, "cannot bind a term");
    goto out;
  }
  if (!l->empty[table]) {
    int rc = nkg_sqlite_step(sel);
    if (rc < 0) {
      fail(l, "cannot look a term up");
      goto out;
    }
    if (rc > 0)
      id = nkg_sqlite_column_int(sel, 0);
  }
  if (id < 0) {
    if (nkg_sqlite_step(ins) != 0) {
      fail(l, "cannot add a term");
      goto out;
    }
    id = nkg_sqlite_last_rowid(l->db);
  }
  map_put(&l->ids, k->data, k->len, h, id);
out:
  nkg_sqlite_reset(sel);
  nkg_sqlite_reset(ins);
  return id;
}

/* Whether the table has no row, or -1. */
static int table_empty(nkg_sqlite_load *l, const char *table) {
  char sql[64];
  snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", table);
  nkg_sqlite_stmt *st = nkg_sqlite_prepare(l->db, sql);
  if (!st)
    return -1;
  int rc = nkg_sqlite_step(st);
  nkg_sqlite_finalize(st);
  return rc < 0 ? -1 : rc == 0;
}

static int prepare_all(nkg_sqlite_load *l) {
  static const char *const sel[N_TABLES] = {
      "SELECT id FROM uris WHERE uri = ?1",
      "SELECT id FROM blanks WHERE blank = ?1",
      "SELECT id FROM literals WHERE text = ?1 AND language IS ?2 AND "
      "datatype IS ?3"};
  static const char *const ins[N_TABLES] = {
      "INSERT INTO uris (uri) VALUES (?1)",
      "INSERT INTO blanks (blank) VALUES (?1)",
      "INSERT INTO literals (text, language, datatype) VALUES (?1, ?2, ?3)"};
  static const char *const names[N_TABLES] = {"uris", "blanks", "literals"};
  for (int i = 0; i < N_TABLES; i++) {
    if (!(l->select[i] = nkg_sqlite_prepare(l->db, sel[i])) ||
        !(l->insert[i] = nkg_sqlite_prepare(l->db, ins[i])))
      return -1;
    int e = table_empty(l, names[i]);
    if (e < 0)
      return -1;
    l->empty[i] = e;
  }
  l->insert_triple = nkg_sqlite_prepare(
      l->db, "INSERT INTO triples (subjectUri, subjectBlank, predicateUri, "
             "objectUri, objectBlank, objectLiteral, contextUri) VALUES "
             "(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  l->delete_graph =
      nkg_sqlite_prepare(l->db, "DELETE FROM triples WHERE contextUri = ?1");
  l->has_triple = nkg_sqlite_prepare(
      l->db, "SELECT 1 FROM triples WHERE subjectUri IS ?1 AND subjectBlank "
             "IS ?2 AND predicateUri IS ?3 AND objectUri IS ?4 AND "
             "objectBlank IS ?5 AND objectLiteral IS ?6 AND contextUri IS ?7 "
             "LIMIT 1");
  int e = table_empty(l, "triples");
  if (e < 0)
    return -1;
  l->triples_empty = e;
  if (e)
    l->stats = nkg_pstats_new();
  return l->insert_triple && l->delete_graph && l->has_triple ? 0 : -1;
}

/* The value of the librdf option key in opts (freed by the caller), or
 * NULL. */
static char *option(librdf_world *world, const char *opts, const char *key) {
  if (!opts || !*opts)
    return NULL;
  librdf_hash *h = librdf_new_hash_from_string(world, NULL, opts);
  if (!h)
    return NULL;
  char *v = librdf_hash_get(h, key);
  librdf_free_hash(h);
  return v;
}

/* Opens the connection and takes the write lock. The file is checked
 * again once the lock is held: a load that created the file and failed
 * removes it, and a run that waited for that lock would otherwise write
 * into a file no longer in the directory. Returns 0, 1 (the file was
 * replaced meanwhile: try again), or -1 after a message. */
static int connect_and_lock(nkg_sqlite_load *l, int busy_ms, int *created) {
  struct stat before, after;
  int existed = stat(l->path, &before) == 0;
  char why[256];
  l->db = nkg_sqlite_open(l->path, NKG_SQLITE_READWRITE | NKG_SQLITE_CREATE,
                          busy_ms, why, sizeof why);
  if (!l->db) {
    nkg_error("--store '%s': cannot open %s: %s", l->spec, l->path, why);
    return -1;
  }
  if (nkg_sqlite_exec(l->db, "BEGIN IMMEDIATE")) {
    if (nkg_sqlite_was_busy(l->db))
      nkg_error("--store '%s': another process is writing to %s; gave up "
                "after %.0f s (--lock-timeout)",
                l->spec, l->path, busy_ms / 1000.0);
    else
      fail(l, "cannot start the load's transaction");
    return -1;
  }
  l->in_transaction = 1;
  if (stat(l->path, &after) != 0 ||
      (existed && (before.st_ino != after.st_ino ||
                   before.st_dev != after.st_dev)))
    return 1;
  /* empty while the lock is held: no other run has committed into it */
  *created = !existed && after.st_size == 0;
  return 0;
}

nkg_sqlite_load *nkg_sqlite_load_begin(librdf_world *world, const char *path,
                                       const char *spec, const char *opts,
                                       double lock_timeout) {
  nkg_sqlite_load *l = nkg_xcalloc(1, sizeof *l);
  l->world = world;
  l->path = nkg_xstrdup(path);
  l->spec = nkg_xstrdup(spec);
  int busy_ms = lock_timeout <= 0            ? 0
                : lock_timeout > 2000000.0 ? 2000000000
                                           : (int)(lock_timeout * 1000);
  int created = 0, rc;
  for (int tries = 0; (rc = connect_and_lock(l, busy_ms, &created)) == 1;
       tries++) {
    nkg_sqlite_exec(l->db, "ROLLBACK");
    l->in_transaction = 0;
    nkg_sqlite_close(l->db);
    l->db = NULL;
    if (tries == 10) {
      nkg_error("--store '%s': %s keeps being replaced by other processes",
                spec, path);
      rc = -1;
      break;
    }
  }
  if (rc)
    goto fail;
  l->created = created;

  /* The transaction holds every change of the run, so the page cache
   * should hold the pages it touches (64 MiB instead of SQLite's 2 MiB:
   * the indexes of 100,000s of quads), and temporary B-trees stay in
   * memory. */
  if (nkg_sqlite_exec(l->db, "PRAGMA cache_size = -65536;"
                             "PRAGMA temp_store = MEMORY;")) {
    fail(l, "cannot set the cache size");
    goto fail;
  }
  char *sync = option(world, opts, "synchronous");
  if (sync) {
    int known = !strcmp(sync, "off") || !strcmp(sync, "normal") ||
                !strcmp(sync, "full");
    nkg_buf sql = {0};
    nkg_buf_printf(&sql, "PRAGMA synchronous = %s", known ? sync : "normal");
    rc = nkg_sqlite_exec(l->db, sql.data);
    nkg_buf_free(&sql);
    free(sync);
    if (rc) {
      fail(l, "cannot set synchronous");
      goto fail;
    }
  }
  if (nkg_sqlite_exec(l->db, schema)) {
    fail(l, "not a store newskg can write (its tables)");
    goto fail;
  }
  char *wipe = option(world, opts, "new");
  if (wipe) {
    int yes = !strcmp(wipe, "yes") || !strcmp(wipe, "true") ||
              !strcmp(wipe, "1");
    free(wipe);
    if (yes && nkg_sqlite_exec(l->db, "DELETE FROM triples;"
                                      "DELETE FROM literals;"
                                      "DELETE FROM blanks;"
                                      "DELETE FROM uris;")) {
      fail(l, "cannot empty the store (new='yes')");
      goto fail;
    }
  }
  if (prepare_all(l)) {
    fail(l, "not a store newskg can write");
    goto fail;
  }
  return l;
fail:
  nkg_sqlite_load_free(l);
  return NULL;
}

/* Binds the seven columns of a triples row (subjectUri, subjectBlank,
 * predicateUri, objectUri, objectBlank, objectLiteral, contextUri; NULL
 * where unused) to parameters 1-7 of st. 0 or -1. */
static int bind_row(nkg_sqlite_stmt *st, const long long ids[4], int s_type,
                    int o_type) {
  int s_blank = s_type == RAPTOR_TERM_TYPE_BLANK;
  int bad = 0;
  for (int col = 1; col <= 7 && !bad; col++) {
    long long v = -1;
    switch (col) {
    case 1: v = s_blank ? -1 : ids[0]; break;
    case 2: v = s_blank ? ids[0] : -1; break;
    case 3: v = ids[1]; break;
    case 4: v = o_type == RAPTOR_TERM_TYPE_URI ? ids[2] : -1; break;
    case 5: v = o_type == RAPTOR_TERM_TYPE_BLANK ? ids[2] : -1; break;
    case 6: v = o_type == RAPTOR_TERM_TYPE_LITERAL ? ids[2] : -1; break;
    default: v = ids[3]; break;
    }
    bad = v < 0 ? nkg_sqlite_bind_text(st, col, NULL, 0)
                : nkg_sqlite_bind_int(st, col, v);
  }
  return bad ? -1 : 0;
}

/* 1 when the store held the row before this run, 0 when not, -1 on error. */
static int held_before(nkg_sqlite_load *l, const long long ids[4], int s_type,
                       int o_type) {
  if (l->triples_empty)
    return 0;
  int rc = bind_row(l->has_triple, ids, s_type, o_type);
  if (!rc)
    rc = nkg_sqlite_step(l->has_triple);
  nkg_sqlite_reset(l->has_triple);
  return rc;
}

int nkg_sqlite_load_add(nkg_sqlite_load *l, librdf_statement *st,
                        librdf_node *g) {
  raptor_term *terms[4] = {st->subject, st->predicate, st->object, g};
  long long ids[4];
  for (int i = 0; i < 4; i++) {
    if (!terms[i]) {
      nkg_error("--store '%s': a statement without %s", l->spec,
                i == 3 ? "a graph" : "all its terms");
      return -1;
    }
    if ((ids[i] = term_id(l, terms[i])) < 0)
      return -1;
  }
  if (terms[1]->type != RAPTOR_TERM_TYPE_URI ||
      terms[3]->type != RAPTOR_TERM_TYPE_URI ||
      terms[0]->type == RAPTOR_TERM_TYPE_LITERAL) {
    nkg_error("--store '%s': a statement with a literal subject, or a "
              "predicate or graph that is not an IRI",
              l->spec);
    return -1;
  }
  /* the entity graph is merged: what every article says alike of its
   * entities (graph.h); any other graph is replaced */
  size_t glen = 0;
  const unsigned char *giri = raptor_uri_as_counted_string(
      terms[3]->value.uri, &glen);
  int merge = nkg_graph_is_entity_graph((const char *)giri, glen);
  if (!merge && nkg_byteset_add(&l->graphs, &ids[3], sizeof ids[3])) {
    /* the first time this run names the graph: replace the old one */
    int rc = nkg_sqlite_bind_int(l->delete_graph, 1, ids[3]) ||
             nkg_sqlite_step(l->delete_graph) != 0;
    nkg_sqlite_reset(l->delete_graph);
    if (rc) {
      fail(l, "cannot remove the old statements of a graph");
      return -1;
    }
  }
  /* types are part of the key: a term of each table numbers from 1 */
  long long key[5] = {ids[0], ids[1], ids[2], ids[3],
                      (long long)terms[0]->type * 8 + terms[2]->type};
  if (!nkg_byteset_add(&l->quads, key, sizeof key))
    return 0;
  if (merge) {
    int held = held_before(l, ids, terms[0]->type, terms[2]->type);
    if (held < 0) {
      fail(l, "cannot look up a statement of the entity graph");
      return -1;
    }
    if (held)
      return 0;
  }
  nkg_sqlite_stmt *ins = l->insert_triple;
  int bad = bind_row(ins, ids, terms[0]->type, terms[2]->type);
  if (!bad)
    bad = nkg_sqlite_step(ins) != 0;
  nkg_sqlite_reset(ins);
  if (bad) {
    fail(l, "cannot add a statement");
    return -1;
  }
  if (l->stats) {
    /* terms by table and id, as the rows tell them apart */
    uint64_t sk = (uint64_t)ids[0] * 8 + (uint64_t)terms[0]->type;
    uint64_t ok = (uint64_t)ids[2] * 8 + (uint64_t)terms[2]->type;
    size_t plen = 0, clen = 0;
    const char *p = (const char *)raptor_uri_as_counted_string(
        terms[1]->value.uri, &plen);
    const char *c = terms[2]->type == RAPTOR_TERM_TYPE_URI
                        ? (const char *)raptor_uri_as_counted_string(
                              terms[2]->value.uri, &clen)
                        : NULL;
    nkg_pstats_count(l->stats, p, plen, sk, ok, c, clen);
  }
  return 1;
}

/* Writes the statistics counted in this run into the two tables. */
static int write_stats(nkg_sqlite_load *l) {
  nkg_sqlite_stmt *ps = nkg_sqlite_prepare(
      l->db, "INSERT INTO newskg_predicate_stats (predicate, triples, "
             "subjects, objects) VALUES (?1, ?2, ?3, ?4)");
  nkg_sqlite_stmt *cs = nkg_sqlite_prepare(
      l->db, "INSERT INTO newskg_class_stats (class, members) VALUES "
             "(?1, ?2)");
  int bad = !ps || !cs;
  size_t n = nkg_pstats_predicates(l->stats);
  for (size_t i = 0; i <= n && !bad; i++) {
    const char *iri = "";
    size_t len = 0;
    /* the predicates, then the totals (the empty predicate) */
    const nkg_pstat *v = i < n ? nkg_pstats_nth(l->stats, i, &iri, &len)
                               : nkg_pstats_total(l->stats);
    bad = nkg_sqlite_bind_text(ps, 1, iri, len) ||
          nkg_sqlite_bind_int(ps, 2, (long long)v->triples) ||
          nkg_sqlite_bind_int(ps, 3, (long long)v->subjects) ||
          nkg_sqlite_bind_int(ps, 4, (long long)v->objects) ||
          nkg_sqlite_step(ps) != 0;
    nkg_sqlite_reset(ps);
  }
  n = nkg_pstats_classes(l->stats);
  for (size_t i = 0; i < n && !bad; i++) {
    const char *iri;
    size_t len;
    const nkg_pstat *v = nkg_pstats_nth_class(l->stats, i, &iri, &len);
    bad = nkg_sqlite_bind_text(cs, 1, iri, len) ||
          nkg_sqlite_bind_int(cs, 2, (long long)v->triples) ||
          nkg_sqlite_step(cs) != 0;
    nkg_sqlite_reset(cs);
  }
  nkg_sqlite_finalize(ps);
  nkg_sqlite_finalize(cs);
  return bad ? -1 : 0;
}

int nkg_sqlite_load_commit(nkg_sqlite_load *l) {
  if (!l->in_transaction)
    return -1;
  /* statements first: an unfinalised statement can keep COMMIT busy */
  for (int i = 0; i < N_TABLES; i++) {
    nkg_sqlite_finalize(l->select[i]);
    nkg_sqlite_finalize(l->insert[i]);
    l->select[i] = l->insert[i] = NULL;
  }
  nkg_sqlite_finalize(l->insert_triple);
  nkg_sqlite_finalize(l->delete_graph);
  nkg_sqlite_finalize(l->has_triple);
  l->insert_triple = l->delete_graph = l->has_triple = NULL;
  if (nkg_sqlite_exec(l->db, clear_stats) ||
      (l->stats ? write_stats(l) : nkg_sqlite_exec(l->db, refresh_stats)) ||
      nkg_sqlite_exec(l->db, stamp_stats)) {
    fail(l, "cannot compute the statistics of the store; nothing was "
            "loaded");
    return -1;
  }
  if (nkg_sqlite_exec(l->db, "COMMIT")) {
    if (nkg_sqlite_was_busy(l->db))
      nkg_error("--store '%s': readers kept %s busy past the lock timeout; "
                "nothing was loaded (--lock-timeout)",
                l->spec, l->path);
    else
      fail(l, "cannot commit the load; nothing was loaded");
    return -1;
  }
  l->in_transaction = 0;
  return 0;
}

void nkg_sqlite_load_free(nkg_sqlite_load *l) {
  if (!l)
    return;
  for (int i = 0; i < N_TABLES; i++) {
    nkg_sqlite_finalize(l->select[i]);
    nkg_sqlite_finalize(l->insert[i]);
  }
  nkg_sqlite_finalize(l->insert_triple);
  nkg_sqlite_finalize(l->delete_graph);
  nkg_sqlite_finalize(l->has_triple);
  if (l->in_transaction) {
    /* removed while the lock is held: a run waiting for it finds the file
     * gone and makes its own (connect_and_lock) */
    if (l->created && unlink(l->path) != 0 && errno != ENOENT)
      nkg_warn("%s: cannot remove the store this failed load created: %s",
               l->path, strerror(errno));
    nkg_sqlite_exec(l->db, "ROLLBACK");
  }
  nkg_sqlite_close(l->db);
  map_free(&l->ids);
  nkg_byteset_free(&l->graphs);
  nkg_byteset_free(&l->quads);
  nkg_buf_free(&l->key);
  nkg_pstats_free(l->stats);
  free(l->path);
  free(l->spec);
  free(l);
}
