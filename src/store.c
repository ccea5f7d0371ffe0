/* store.c: see store.h. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph.h"
#include "memstore.h"
#include "sqlstore.h"
#include "sqlitedb.h"
#include "util.h"

struct nkg_store {
  char *spec;
  librdf_storage *storage;
  librdf_model *model;
  int transient;
  int is_set; /* keeps one copy of a quad (compact) */
  int in_transaction;
  nkg_sqlite *guard; /* sqlite opened for reading: see hold_read_lock() */
  nkg_pstats *stats; /* read from the guard's connection, once */
  int stats_read;
};

/* Nonzero if the librdf option string opts sets key (key=... at the start
 * or after a comma, ignoring spaces). */
static int has_option(const char *opts, const char *key) {
  size_t n = strlen(key);
  for (const char *p = opts; p && *p;) {
    while (*p == ' ' || *p == ',')
      p++;
    if (!strncmp(p, key, n) && (p[n] == '=' || p[n] == ' '))
      return 1;
    /* Skip to the next comma outside quotes. */
    char quote = 0;
    for (; *p; p++) {
      if (quote) {
        if (*p == quote)
          quote = 0;
      } else if (*p == '\'' || *p == '"') {
        quote = *p;
      } else if (*p == ',') {
        break;
      }
    }
  }
  return 0;
}

static void add_option(nkg_buf *b, const char *user, const char *key,
                       const char *value) {
  if (has_option(user, key))
    return;
  if (b->len)
    nkg_buf_addc(b, ',');
  nkg_buf_printf(b, "%s='%s'", key, value);
}

static int storage_known(librdf_world *world, const char *type) {
  for (unsigned int i = 0;; i++) {
    const char *name = NULL, *label = NULL;
    if (librdf_storage_enumerate(world, i, &name, &label) || !name)
      return 0;
    if (!strcmp(name, type))
      return 1;
  }
}

void nkg_store_list_types(librdf_world *world, FILE *out) {
  for (unsigned int i = 0;; i++) {
    const char *name = NULL, *label = NULL;
    if (librdf_storage_enumerate(world, i, &name, &label) || !name)
      break;
    fprintf(out, "  %-12s %s\n", name, label ? label : "");
  }
}

static void available_types(librdf_world *world, nkg_buf *b) {
  for (unsigned int i = 0;; i++) {
    const char *name = NULL, *label = NULL;
    if (librdf_storage_enumerate(world, i, &name, &label) || !name)
      break;
    nkg_buf_printf(b, "%s%s", i ? ", " : "", name);
  }
}

/* librdf's sqlite tables index uris and subjects only: finding the id of
 * a literal scans the literals table and removing a graph scans the
 * triples, so loads were quadratic (10,000 new literals: 7 s; with the
 * index, 1.2 s). newskg adds the missing indexes to the file, through the
 * SQLite library that librdf-storage-sqlite already loads (dlopen: no
 * build dependency). CREATE INDEX IF NOT EXISTS is cheap when they exist.
 * Returns 0, or -1 if SQLite cannot be reached (the store still works). */
static int add_sqlite_indexes(const char *path) {
  static const char sql[] =
      "CREATE INDEX IF NOT EXISTS newskg_literals ON literals (text);"
      "CREATE INDEX IF NOT EXISTS newskg_blanks ON blanks (blank);"
      "CREATE INDEX IF NOT EXISTS newskg_context ON triples (contextUri);"
      "CREATE INDEX IF NOT EXISTS newskg_po ON triples "
      "(predicateUri, objectUri, objectLiteral);";
  nkg_sqlite *c = nkg_sqlite_open(path, NKG_SQLITE_READWRITE, 0, NULL, 0);
  if (!c)
    return -1;
  int rc = nkg_sqlite_exec(c, sql);
  nkg_sqlite_close(c);
  return rc;
}

/* librdf opens an sqlite file with sqlite3_open(), read-write whenever the
 * file system allows it (a file the user cannot write is opened read-only
 * by SQLite itself, and answers). So that a store opened for reading can
 * never change, even through a bug, newskg holds a read transaction on a
 * read-only connection of its own while the store is open: SQLite then
 * refuses to commit any change to the file, librdf's connection included
 * ("database is locked"), and the query reads one consistent state even
 * if a 'newskg load' runs meanwhile (that load's commit waits for the query
 * to end, up to its --lock-timeout). Best effort: without it the store
 * still answers. */
static nkg_sqlite *hold_read_lock(const char *path) {
  nkg_sqlite *c = nkg_sqlite_open(path, NKG_SQLITE_READONLY, 0, NULL, 0);
  if (c && nkg_sqlite_exec(c, "BEGIN; SELECT count(*) FROM sqlite_master;")) {
    nkg_sqlite_close(c);
    c = NULL;
  }
  return c;
}

/* Whether an sqlite store opened for reading is read through newskg's
 * own storage (sqlstore.h), the default, or through librdf's sqlite
 * storage (NEWSKG_SQLITE=librdf, to compare the two). */
static int use_sqlstore(void) {
  const char *env = getenv("NEWSKG_SQLITE");
  return !env || strcmp(env, "librdf");
}

int nkg_store_split_sqlite(const char *spec, char **path, char **opts) {
  const char *semi = strchr(spec, ';');
  size_t head = semi ? (size_t)(semi - spec) : strlen(spec);
  if (head < 7 || strncmp(spec, "sqlite:", 7))
    return 0;
  *path = nkg_xstrndup(spec + 7, head - 7);
  *opts = nkg_xstrdup(semi ? semi + 1 : "");
  return 1;
}

/* Storage options that create a store or wipe it: refused when a store is
 * opened for reading (librdf's sqlite storage deletes the file for
 * new='yes'; postgresql, mysql and hashes drop or truncate their tables). */
static const char *const wiping_options[] = {"new", NULL};

int nkg_store_check_read_spec(const char *spec) {
  const char *semi = spec ? strchr(spec, ';') : NULL;
  for (size_t i = 0; semi && wiping_options[i]; i++)
    if (has_option(semi + 1, wiping_options[i])) {
      nkg_error("--store '%s': the option %s= creates or empties a store; "
                "'newskg query' only reads (use 'newskg load' to make a "
                "store)",
                spec, wiping_options[i]);
      return -1;
    }
  return 0;
}

/* A file: store opened for reading: librdf's file storage writes the
 * whole model back to the file when it is freed after any change, so the
 * file is read into an in-memory model instead, as librdf would read it
 * (the format option, else RDF/XML; no named graphs), and never written. */
static librdf_storage *file_copy(librdf_world *world, const char *given,
                                 const char *name, const char *user_opts,
                                 librdf_model **model) {
  char *format = NULL;
  librdf_storage *st = NULL;
  *model = NULL;
  librdf_hash *h = librdf_new_hash_from_string(world, NULL, user_opts);
  if (!h) {
    nkg_error("--store '%s': cannot read the options", given);
    return NULL;
  }
  format = librdf_hash_get(h, "format");
  librdf_free_hash(h);
  const char *parser =
      nkg_store_parser_for(world, name, format ? format : "rdfxml");
  if (!parser)
    goto out;
  st = librdf_new_storage(world, "hashes", "file-copy",
                          "hash-type='memory',contexts='no'");
  if (!st || !(*model = librdf_new_model(world, st, NULL))) {
    nkg_error("--store '%s': cannot make an in-memory copy", given);
    goto fail;
  }
  if (nkg_store_parse_file(world, *model, name, parser, NULL, NULL) < 0)
    goto fail;
  goto out;
fail:
  if (*model)
    librdf_free_model(*model);
  *model = NULL;
  if (st)
    librdf_free_storage(st);
  st = NULL;
out:
  free(format);
  return st;
}

nkg_store *nkg_store_open(librdf_world *world, const char *spec, int create) {
  const char *given = spec ? spec : "";
  char *type = NULL, *name = NULL, *user_opts = NULL;
  nkg_buf opts = {0};
  nkg_store *s = NULL;

  /* TYPE[:NAME][;OPTIONS] */
  const char *semi = strchr(given, ';');
  size_t head_len = semi ? (size_t)(semi - given) : strlen(given);
  const char *colon = memchr(given, ':', head_len);
  if (colon) {
    type = nkg_xstrndup(given, (size_t)(colon - given));
    name = nkg_xstrndup(colon + 1, head_len - (size_t)(colon - given) - 1);
  } else {
    type = nkg_xstrndup(given, head_len);
    name = nkg_xstrdup("");
  }
  user_opts = nkg_xstrdup(semi ? semi + 1 : "");
  if (!*type) {
    /* NEWSKG_MEMORY=hashes keeps librdf's own storage as the default (to
     * compare the two); anything but hashes or compact is an error */
    const char *env = getenv("NEWSKG_MEMORY");
    if (env && *env && strcmp(env, "hashes") &&
        strcmp(env, NKG_MEMSTORE_NAME)) {
      nkg_error("NEWSKG_MEMORY='%s' is neither 'hashes' nor '%s'", env,
                NKG_MEMSTORE_NAME);
      goto out;
    }
    free(type);
    type = nkg_xstrdup(env && *env ? env : NKG_MEMSTORE_NAME);
  }

  if (!storage_known(world, type)) {
    nkg_buf avail = {0};
    available_types(world, &avail);
    nkg_error("--store '%s': unknown storage type '%s' (this librdf has: %s)",
              given, type, avail.data ? avail.data : "none");
    if (!strcmp(type, "sqlite") || !strcmp(type, "postgresql") ||
        !strcmp(type, "mysql") || !strcmp(type, "virtuoso"))
      nkg_error("--store '%s': on Debian install librdf-storage-%s", given,
                type);
    nkg_buf_free(&avail);
    goto out;
  }

  if (!strcmp(type, "uri")) {
    /* The uri storage reads its name as a URL: a network request. */
    nkg_error("--store '%s': the uri storage is refused (newskg makes no "
              "network requests; download the file and name it instead)",
              given);
    goto out;
  }

  if (!create && nkg_store_check_read_spec(given))
    goto out;

  int transient = 0;
  if (!create && !strcmp(type, "file")) {
    if (!*name) {
      nkg_error("--store '%s': file needs a file name (file:PATH)", given);
      goto out;
    }
    if (access(name, R_OK) != 0) {
      nkg_error("%s: %s", name, strerror(errno));
      goto out;
    }
    s = nkg_xcalloc(1, sizeof *s);
    s->spec = nkg_xstrdup(given);
    s->storage = file_copy(world, given, name, user_opts, &s->model);
    if (!s->storage) {
      nkg_store_close(s);
      s = NULL;
    }
    goto out;
  }
  if (!strcmp(type, "hashes")) {
    if (!has_option(user_opts, "hash-type")) {
      add_option(&opts, user_opts, "hash-type", "memory");
      transient = 1;
    } else {
      transient = strstr(user_opts, "'memory'") != NULL;
    }
    /* hash files (bdb) opened for reading are opened read-only */
    if (!create && !transient)
      add_option(&opts, user_opts, "write", "no");
    add_option(&opts, user_opts, "contexts", "yes");
    /* a pattern with only its predicate bound (?s p ?o) reads the p2so
     * index instead of scanning every statement */
    add_option(&opts, user_opts, "index-predicates", "yes");
    if (!*name) {
      free(name);
      name = nkg_xstrdup("newskg");
    }
  } else if (!strcmp(type, NKG_MEMSTORE_NAME)) {
    transient = 1;
    add_option(&opts, user_opts, "contexts", "yes");
  } else if (!strcmp(type, "memory")) {
    transient = 1;
    add_option(&opts, user_opts, "contexts", "yes");
  } else if (!strcmp(type, "sqlite")) {
    if (!*name) {
      nkg_error("--store '%s': sqlite needs a file name (sqlite:PATH)",
                given);
      goto out;
    }
    int exists = access(name, F_OK) == 0;
    if (!exists && !create) {
      nkg_error("%s: no such store (create it with 'newskg load --store "
                "%s FILE...')",
                name, given);
      goto out;
    }
    if (exists && access(name, R_OK) != 0) {
      nkg_error("%s: %s", name, strerror(errno));
      goto out;
    }
    add_option(&opts, user_opts, "contexts", "yes");
    if (!exists && !has_option(user_opts, "new")) {
      /* Create the file and its tables, then reopen it: a transaction
       * started on a store opened with new='yes' fails with "no such
       * table" (REDLAND-FACTS.md). */
      nkg_buf first = {0};
      nkg_buf_printf(&first, "%s%s%snew='yes'", opts.data,
                     *user_opts ? "," : "", user_opts);
      librdf_storage *st =
          librdf_new_storage(world, "sqlite", name, first.data);
      nkg_buf_free(&first);
      if (!st) {
        nkg_error("%s: cannot create the sqlite store", name);
        goto out;
      }
      librdf_model *m = librdf_new_model(world, st, NULL);
      if (m)
        librdf_free_model(m);
      librdf_free_storage(st);
    }
    if (create && access(name, W_OK) == 0 && add_sqlite_indexes(name))
      nkg_warn("%s: cannot add newskg's indexes to the sqlite store (loads "
               "will be slow)",
               name);
  } else {
    add_option(&opts, user_opts, "contexts", "yes");
  }
  if (*user_opts) {
    if (opts.len)
      nkg_buf_addc(&opts, ',');
    nkg_buf_adds(&opts, user_opts);
  }

  s = nkg_xcalloc(1, sizeof *s);
  s->spec = nkg_xstrdup(given);
  s->transient = transient;
  s->is_set = !strcmp(type, NKG_MEMSTORE_NAME);
  const char *open_type = type;
  if (!create && !strcmp(type, "sqlite")) {
    /* the guard first: while it is held no load can commit, so the
     * reader's own transaction below sees the state the guard sees */
    s->guard = hold_read_lock(name);
    if (use_sqlstore())
      open_type = NKG_SQLSTORE_NAME;
  }
  s->storage = librdf_new_storage(world, open_type, *name ? name : NULL,
                                  opts.data ? opts.data : "");
  if (!s->storage) {
    nkg_error("--store '%s': cannot open the %s storage%s%s", given, type,
              *name ? " " : "", name);
    nkg_store_close(s);
    s = NULL;
    goto out;
  }
  s->model = librdf_new_model(world, s->storage, NULL);
  if (!s->model) {
    nkg_error("--store '%s': cannot make a model on the %s storage", given,
              type);
    nkg_store_close(s);
    s = NULL;
    goto out;
  }
  if (!librdf_model_supports_contexts(s->model))
    nkg_warn("--store '%s': the %s storage keeps no named graphs", given,
             type);
out:
  nkg_buf_free(&opts);
  free(type);
  free(name);
  free(user_opts);
  return s;
}

void nkg_store_close(nkg_store *s) {
  if (!s)
    return;
  if (s->in_transaction)
    nkg_store_rollback(s);
  if (s->model)
    librdf_free_model(s->model);
  if (s->storage)
    librdf_free_storage(s->storage);
  /* after librdf's connection is closed: nothing it left can commit */
  nkg_sqlite_close(s->guard);
  nkg_pstats_free(s->stats);
  free(s->spec);
  free(s);
}

/* Reads newskg_predicate_stats through c; NULL when the table is missing
 * or its totals do not match the triples table. */
static nkg_pstats *read_stats(nkg_sqlite *c) {
  nkg_sqlite_stmt *st = nkg_sqlite_prepare(
      c, "SELECT predicate, triples, subjects, objects FROM "
         "newskg_predicate_stats");
  nkg_sqlite_stmt *count =
      st ? nkg_sqlite_prepare(c, "SELECT COUNT(*) FROM triples") : NULL;
  if (!st || !count) {
    nkg_sqlite_finalize(st);
    return NULL;
  }
  nkg_pstats *ps = nkg_pstats_new();
  int rc, have_total = 0;
  while ((rc = nkg_sqlite_step(st)) > 0) {
    size_t n;
    const char *p = nkg_sqlite_column_text(st, 0, &n);
    nkg_pstat v = {(double)nkg_sqlite_column_int(st, 1),
                   (double)nkg_sqlite_column_int(st, 2),
                   (double)nkg_sqlite_column_int(st, 3)};
    if (!p)
      continue;
    /* the totals are the row of the empty predicate */
    nkg_pstats_set(ps, n ? p : NULL, n, &v);
    have_total |= !n;
  }
  int ok = rc == 0 && have_total && nkg_sqlite_step(count) > 0 &&
           (double)nkg_sqlite_column_int(count, 0) ==
               nkg_pstats_total(ps)->triples;
  nkg_sqlite_finalize(st);
  nkg_sqlite_finalize(count);
  if (!ok) {
    nkg_pstats_free(ps);
    return NULL;
  }
  /* the classes, when the store has them */
  st = nkg_sqlite_prepare(c, "SELECT class, members FROM newskg_class_stats");
  if (st) {
    nkg_pstats_set_class(ps, "", 0, 0); /* classes known: the others 0 */
    while ((rc = nkg_sqlite_step(st)) > 0) {
      size_t n;
      const char *k = nkg_sqlite_column_text(st, 0, &n);
      if (k && n)
        nkg_pstats_set_class(ps, k, n, (double)nkg_sqlite_column_int(st, 1));
    }
    nkg_sqlite_finalize(st);
  }
  return ps;
}

const nkg_pstats *nkg_store_stats(nkg_store *s) {
  if (!s || !s->guard)
    return NULL;
  if (!s->stats_read) {
    s->stats_read = 1;
    s->stats = read_stats(s->guard);
  }
  return s->stats;
}

librdf_model *nkg_store_model(nkg_store *s) { return s->model; }

int nkg_store_is_transient(const nkg_store *s) { return s->transient; }

int nkg_store_is_set(const nkg_store *s) { return s->is_set; }

const char *nkg_store_spec(const nkg_store *s) { return s->spec; }

/* The librdf 1.0.17 storages that implement transaction_start; librdf
 * answers non-zero both for a failed BEGIN and for a storage without
 * transactions, so the names tell the two apart. */
static const char *const transactional[] = {"sqlite", "postgresql", "mysql",
                                            "virtuoso", NULL};

int nkg_store_begin(nkg_store *s) {
  if (s->transient || s->in_transaction)
    return 0;
  size_t n = strcspn(s->spec, ":;");
  int has = 0;
  for (size_t i = 0; transactional[i]; i++)
    if (strlen(transactional[i]) == n && !strncmp(s->spec, transactional[i], n))
      has = 1;
  if (!has)
    return 1;
  if (librdf_model_transaction_start(s->model) != 0) {
    nkg_error("--store '%s': cannot start a transaction; nothing was loaded",
              s->spec);
    return -1;
  }
  s->in_transaction = 1;
  return 0;
}

int nkg_store_commit(nkg_store *s) {
  if (!s->in_transaction)
    return 0;
  s->in_transaction = 0;
  if (librdf_model_transaction_commit(s->model) != 0) {
    nkg_error("--store '%s': commit failed", s->spec);
    return -1;
  }
  return 0;
}

void nkg_store_rollback(nkg_store *s) {
  if (!s->in_transaction)
    return;
  s->in_transaction = 0;
  librdf_model_transaction_rollback(s->model);
}

/* ---- files ------------------------------------------------------------ */

static const struct {
  const char *ext, *parser;
} extensions[] = {
    {".ttl", "turtle"},  {".turtle", "turtle"}, {".nt", "ntriples"},
    {".nq", "nquads"},   {".rdf", "rdfxml"},    {".owl", "rdfxml"},
    {".xml", "rdfxml"},  {".json", "json"},     {".rj", "json"},
    {".trig", "trig"},   {".jsonld", "jsonld"}, {".n3", "turtle"},
};

static const struct {
  const char *name, *parser;
} short_names[] = {
    {"rdfxml-abbrev", "rdfxml"}, {"nt", "ntriples"}, {"ttl", "turtle"},
    {"nq", "nquads"}, {"rdf", "rdfxml"},
};

/* Nonzero if s ends with suffix, ignoring ASCII case. */
static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  if (n < k)
    return 0;
  s += n - k;
  for (size_t i = 0; i < k; i++) {
    char a = s[i], b = suffix[i];
    if (a >= 'A' && a <= 'Z')
      a = (char)(a - 'A' + 'a');
    if (a != b)
      return 0;
  }
  return 1;
}

const char *nkg_store_parser_for(librdf_world *world, const char *path,
                                 const char *syntax) {
  raptor_world *rw = librdf_world_get_raptor(world);
  const char *name = syntax;
  if (name) {
    for (size_t i = 0; i < sizeof short_names / sizeof short_names[0]; i++)
      if (!strcmp(name, short_names[i].name))
        name = short_names[i].parser;
  } else if (!strcmp(path, "-")) {
    name = "turtle";
  } else {
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
      if (ends_with(path, extensions[i].ext))
        name = extensions[i].parser;
    if (!name) {
      nkg_error("%s: unknown RDF file extension (use -i FORMAT; .txt is "
                "an article)",
                path);
      return NULL;
    }
  }
  if (!raptor_world_is_parser_name(rw, name)) {
    if (!strcmp(name, "jsonld"))
      nkg_error("%s: this raptor has no JSON-LD parser (convert the file "
                "to N-Quads or Turtle first)",
                path);
    else
      nkg_error("%s: raptor has no parser '%s'", path, name);
    return NULL;
  }
  return name;
}

/* Refuses every URI a parser wants to read while parsing (RDF/XML external
 * entities, includes): only the files named on the command line are
 * read. */
static int deny_uri(void *data, raptor_uri *uri) {
  (void)data;
  (void)uri;
  return 1;
}

/* What the raptor statement handler needs. librdf's own parser stream
 * drops N-Quads graph names, so files are parsed with raptor directly; a
 * raptor_statement is a librdf_statement and a raptor_term a librdf_node. */
typedef struct {
  librdf_world *world;
  librdf_model *model;     /* where statements go, or else: */
  nkg_store_sink sink;     /* what takes them */
  void *sink_data;
  librdf_node *context;
  nkg_store_loaded *loaded;
  long added;
  int failed;
} parse_state;

/* 1 when the statement is new in graph g (always 1 without a record). */
static int first_time(librdf_world *world, nkg_store_loaded *loaded,
                      librdf_statement *st, librdf_node *g) {
  if (!loaded || loaded->store_is_set)
    return 1;
  size_t n = librdf_statement_encode_parts2(world, st, g, NULL, 0,
                                            LIBRDF_STATEMENT_ALL);
  if (n > loaded->key_cap) {
    free(loaded->key);
    loaded->key_cap = n * 2;
    loaded->key = nkg_xmalloc(loaded->key_cap);
  }
  if (!n ||
      !librdf_statement_encode_parts2(world, st, g, loaded->key,
                                      loaded->key_cap, LIBRDF_STATEMENT_ALL))
    return 1; /* cannot tell: keep it */
  return nkg_byteset_add(&loaded->seen, loaded->key, n);
}

int nkg_store_add(librdf_world *world, librdf_model *model,
                  librdf_statement *st, librdf_node *g,
                  nkg_store_loaded *loaded) {
  if (!first_time(world, loaded, st, g))
    return 0;
  int rc = g ? librdf_model_context_add_statement(model, g, st)
             : librdf_model_add_statement(model, st);
  if (rc)
    return -1;
  if (loaded && loaded->stats)
    nkg_store_count_stats(loaded->stats, st);
  return 1;
}

void nkg_store_count_stats(nkg_pstats *stats, librdf_statement *st) {
  if (!st->predicate || st->predicate->type != RAPTOR_TERM_TYPE_URI)
    return;
  size_t plen = 0, clen = 0;
  const unsigned char *p =
      raptor_uri_as_counted_string(st->predicate->value.uri, &plen);
  const unsigned char *c =
      st->object && st->object->type == RAPTOR_TERM_TYPE_URI
          ? raptor_uri_as_counted_string(st->object->value.uri, &clen)
          : NULL;
  if (p)
    nkg_pstats_count(stats, (const char *)p, plen,
                     nkg_store_term_hash(st->subject),
                     nkg_store_term_hash(st->object), (const char *)c, clen);
}

/* Eight bytes at a time (nkg_hash64 takes one): this runs twice for every
 * statement a query reads into memory. Only for telling terms apart. */
static uint64_t hash_bytes(const void *data, size_t n, uint64_t h) {
  const unsigned char *b = data;
  const uint64_t k = UINT64_C(0x9e3779b97f4a7c15);
  for (; n >= 8; b += 8, n -= 8) {
    uint64_t w;
    memcpy(&w, b, 8);
    h = (h ^ w) * k;
    h ^= h >> 29;
  }
  uint64_t w = 0;
  if (n)
    memcpy(&w, b, n);
  h = (h ^ w ^ ((uint64_t)n << 59)) * k;
  return h ^ (h >> 32);
}

uint64_t nkg_store_term_hash(librdf_node *t) {
  if (!t)
    return 0;
  /* the kind, then its strings; a literal's text, language and datatype
   * each end a hash step of their own */
  uint64_t h = NKG_HASH_SEED + (uint64_t)t->type;
  const unsigned char *str = NULL;
  size_t n = 0;
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI:
    str = raptor_uri_as_counted_string(t->value.uri, &n);
    return hash_bytes(str, str ? n : 0, h);
  case RAPTOR_TERM_TYPE_BLANK:
    return hash_bytes(t->value.blank.string, t->value.blank.string_len, h);
  case RAPTOR_TERM_TYPE_LITERAL:
    h = hash_bytes(t->value.literal.string, t->value.literal.string_len, h);
    if (t->value.literal.language)
      h = hash_bytes(t->value.literal.language,
                     t->value.literal.language_len, h);
    h = hash_bytes("", 0, h);
    if (t->value.literal.datatype) {
      str = raptor_uri_as_counted_string(t->value.literal.datatype, &n);
      h = hash_bytes(str, str ? n : 0, h);
    }
    return h;
  default:
    return h;
  }
}

static int graph_key(librdf_node *g, const unsigned char **s, size_t *n) {
  if (!g || !librdf_node_is_resource(g))
    return 0;
  *s = librdf_uri_as_counted_string(librdf_node_get_uri(g), n);
  return *s != NULL;
}

void nkg_store_loaded_free(nkg_store_loaded *l) {
  nkg_byteset_free(&l->seen);
  nkg_byteset_free(&l->named);
  free(l->key);
  l->key = NULL;
  l->key_cap = 0;
}

int nkg_store_loaded_named(const nkg_store_loaded *l, librdf_node *g) {
  const unsigned char *s;
  size_t n;
  if (!graph_key(g, &s, &n))
    return 0;
  return nkg_byteset_has(&l->named, s, n);
}

static void on_statement(void *data, raptor_statement *st) {
  parse_state *ps = data;
  if (ps->failed)
    return;
  librdf_node *g = st->graph ? st->graph : ps->context;
  if (ps->loaded && st->graph) {
    const unsigned char *s;
    size_t n;
    if (graph_key(st->graph, &s, &n))
      nkg_byteset_add(&ps->loaded->named, s, n);
  }
  if (ps->sink) {
    int rc = ps->sink(ps->sink_data, st, g);
    if (rc < 0)
      ps->failed = 1;
    else
      ps->added += rc;
    return;
  }
  int rc = nkg_store_add(ps->world, ps->model, st, g, ps->loaded);
  if (rc < 0)
    ps->failed = 1;
  else
    ps->added += rc;
}

librdf_node *nkg_store_file_context(librdf_world *world, const char *path) {
  nkg_buf b = {0};
  nkg_buf_adds(&b, "file://");
  if (path[0] != '/') {
    char *cwd = getcwd(NULL, 0);
    if (cwd) {
      for (const char *p = cwd; *p; p++)
        nkg_buf_addc(&b, *p);
      free(cwd);
    }
    nkg_buf_addc(&b, '/');
  }
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
        (*p >= '0' && *p <= '9') || strchr("/-._~", *p)) {
      nkg_buf_addc(&b, (char)*p);
    } else {
      nkg_buf_addc(&b, '%');
      nkg_buf_addc(&b, hex[*p >> 4]);
      nkg_buf_addc(&b, hex[*p & 15]);
    }
  }
  librdf_node *n =
      librdf_new_node_from_uri_string(world, (const unsigned char *)b.data);
  nkg_buf_free(&b);
  return n;
}

/* The body of nkg_store_parse_file() and nkg_store_parse_file_to(): ps
 * says where the statements go. */
static long parse_file(parse_state *ps, const char *path,
                       const char *parser_name) {
  librdf_world *world = ps->world;
  int is_stdin = !strcmp(path, "-");
  const char *shown = is_stdin ? "stdin" : path;
  raptor_world *rw = librdf_world_get_raptor(world);
  FILE *fh = is_stdin ? stdin : fopen(path, "rb");
  if (!fh) {
    nkg_error("%s: %s", path, strerror(errno));
    return -1;
  }
  long n = -1;
  raptor_parser *parser = NULL;
  librdf_node *file_ctx =
      nkg_store_file_context(world, is_stdin ? "stdin" : path);
  librdf_uri *base = file_ctx ? librdf_node_get_uri(file_ctx) : NULL;
  if (!base) {
    nkg_error("%s: cannot make a base IRI", shown);
    goto out;
  }
  parser = raptor_new_parser(rw, parser_name);
  if (!parser) {
    nkg_error("%s: cannot make a %s parser", shown, parser_name);
    goto out;
  }
  raptor_parser_set_uri_filter(parser, deny_uri, NULL);
  raptor_parser_set_statement_handler(parser, ps, on_statement);
  /* Errors are reported by the world's log handler (raptor's messages
   * carry the line). */
  if (raptor_parser_parse_file_stream(parser, fh, NULL, base) || ps->failed) {
    if (ps->failed)
      nkg_error("%s: cannot add a statement to the store", shown);
    else
      nkg_error("%s: not parsed as %s", shown, parser_name);
    goto out;
  }
  if (ferror(fh)) {
    nkg_error("%s: read error", shown);
    goto out;
  }
  n = ps->added;
out:
  if (parser)
    raptor_free_parser(parser);
  if (file_ctx)
    librdf_free_node(file_ctx);
  if (!is_stdin)
    fclose(fh);
  return n;
}

long nkg_store_parse_file(librdf_world *world, librdf_model *model,
                          const char *path, const char *parser_name,
                          librdf_node *context, nkg_store_loaded *loaded) {
  parse_state ps = {
      .world = world, .model = model, .context = context, .loaded = loaded};
  return parse_file(&ps, path, parser_name);
}

long nkg_store_parse_file_to(librdf_world *world, const char *path,
                             const char *parser_name, librdf_node *context,
                             nkg_store_sink sink, void *data) {
  parse_state ps = {.world = world,
                    .sink = sink,
                    .sink_data = data,
                    .context = context};
  return parse_file(&ps, path, parser_name);
}

long nkg_store_model_to(librdf_model *from, nkg_store_sink sink, void *data) {
  long added = 0;
  librdf_iterator *it = librdf_model_get_contexts(from);
  if (!it) {
    nkg_error("cannot list the named graphs to load");
    return -1;
  }
  for (; added >= 0 && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *g = librdf_iterator_get_object(it);
    librdf_stream *s = librdf_model_context_as_stream(from, g);
    if (!s) {
      nkg_error("cannot read the graph <%s>",
                librdf_uri_as_string(librdf_node_get_uri(g)));
      added = -1;
    }
    for (; s && !librdf_stream_end(s); librdf_stream_next(s)) {
      int rc = sink(data, librdf_stream_get_object(s), g);
      if (rc < 0) {
        added = -1;
        break;
      }
      added += rc;
    }
    if (s)
      librdf_free_stream(s);
  }
  librdf_free_iterator(it);
  return added;
}

librdf_model *nkg_store_new_memory_model(librdf_world *world) {
  librdf_storage *st = librdf_new_storage(world, "hashes", "staging",
                                          "hash-type='memory',contexts='yes'");
  if (!st)
    return NULL;
  librdf_model *m = librdf_new_model(world, st, NULL);
  /* The model holds a reference to its storage. */
  librdf_free_storage(st);
  return m;
}

/* 1 when model holds st in graph g, 0 when not, -1 when librdf cannot
 * answer. Through the targets of (subject, predicate), which the hashes and
 * sqlite storages look up by index; librdf 1.0.17's
 * find_statements_in_context walks the whole graph instead. */
static int holds(librdf_model *model, librdf_statement *st, librdf_node *g) {
  librdf_node *obj = librdf_statement_get_object(st);
  librdf_iterator *it =
      librdf_model_get_targets(model, librdf_statement_get_subject(st),
                               librdf_statement_get_predicate(st));
  if (!it)
    return -1;
  int found = 0;
  for (; !found && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *o = librdf_iterator_get_object(it);
    librdf_node *c = librdf_iterator_get_context(it);
    found = o && c && librdf_node_equals(o, obj) && librdf_node_equals(c, g);
  }
  librdf_free_iterator(it);
  return found;
}

/* Adds to graph g of to each statement of graph g of from that to lacks
 * there, counting them in *added. Returns 0, or -1 after a message (and
 * *added set to -1). */
static int merge_graph(librdf_model *to, librdf_model *from, librdf_node *g,
                       long *added) {
  librdf_stream *s = librdf_model_context_as_stream(from, g);
  int rc = s ? 0 : -1;
  for (; s && !librdf_stream_end(s); librdf_stream_next(s)) {
    librdf_statement *st = librdf_stream_get_object(s);
    int h = holds(to, st, g);
    if (h < 0 || (!h && librdf_model_context_add_statement(to, g, st))) {
      rc = -1;
      break;
    }
    *added += !h;
  }
  if (s)
    librdf_free_stream(s);
  if (rc) {
    nkg_error("cannot merge the graph <%s>",
              librdf_uri_as_string(librdf_node_get_uri(g)));
    *added = -1;
  }
  return rc;
}

long nkg_store_replace_graphs(librdf_model *to, librdf_model *from) {
  long added = 0;
  librdf_iterator *it = librdf_model_get_contexts(from);
  if (!it) {
    nkg_error("cannot list the named graphs to load");
    return -1;
  }
  for (; !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *g = librdf_iterator_get_object(it);
    const unsigned char *gs;
    size_t gn;
    if (graph_key(g, &gs, &gn) &&
        nkg_graph_is_entity_graph((const char *)gs, gn)) {
      if (merge_graph(to, from, g, &added))
        break;
      continue;
    }
    if (librdf_model_context_remove_statements(to, g) != 0) {
      nkg_error("cannot remove the old graph <%s>",
                librdf_uri_as_string(librdf_node_get_uri(g)));
      added = -1;
      break;
    }
    librdf_stream *s = librdf_model_context_as_stream(from, g);
    for (; s && !librdf_stream_end(s); librdf_stream_next(s)) {
      if (librdf_model_context_add_statement(to, g,
                                             librdf_stream_get_object(s))) {
        added = -1;
        break;
      }
      added++;
    }
    if (s)
      librdf_free_stream(s);
    if (added < 0) {
      nkg_error("cannot add the graph <%s>",
                librdf_uri_as_string(librdf_node_get_uri(g)));
      break;
    }
  }
  librdf_free_iterator(it);
  return added;
}
