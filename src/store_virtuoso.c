/* store_virtuoso.c: see store_virtuoso.h. */
#define _GNU_SOURCE /* dl_iterate_phdr(), RTLD_NOLOAD, RTLD_DEFAULT */
#include "config.h"

#include "store_virtuoso.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph.h"
#include "sparql_ast.h"
#include "sparql_lex.h"
#include "sparql_results.h"
#include "sparql_value.h"
#include "store.h"
#include "util.h"

/* The exit statuses of cli.h's commands (util.h). */

int nkg_virtuoso_is_spec(const char *spec) {
  return spec && !strncmp(spec, "virtuoso", 8) &&
         (spec[8] == '\0' || spec[8] == ':' || spec[8] == ';');
}

/* ---- the vsparql query language ------------------------------------------ */

#define VIRTUOSO_MODULE "/librdf_storage_virtuoso.so"

/* dl_iterate_phdr() callback: copies the path of the loaded virtuoso
 * storage module into data (a PATH_MAX buffer) and stops. */
static int find_module(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  const char *name = info->dlpi_name;
  size_t n = name ? strlen(name) : 0, k = strlen(VIRTUOSO_MODULE);
  if (n < k || n >= PATH_MAX || strcmp(name + n - k, VIRTUOSO_MODULE))
    return 0;
  memcpy(data, name, n + 1);
  return 1;
}

/* librdf_get_query_factory() is exported by librdf.so but not declared in
 * its public headers: it is looked up by name, and when it is missing the
 * language is assumed absent (registering it twice only logs an error). */
typedef void *(*get_factory_fn)(librdf_world *, const char *, librdf_uri *);

static int has_vsparql(librdf_world *world) {
  get_factory_fn get;
  *(void **)&get = dlsym(RTLD_DEFAULT, "librdf_get_query_factory");
  return get && get(world, "vsparql", NULL) != NULL;
}

int nkg_virtuoso_register_query(librdf_world *world) {
  if (has_vsparql(world))
    return 0;
  /* The module librdf loaded (with ltdl, RTLD_LOCAL: its symbols are not
   * global), reopened without loading anything new. */
  char path[PATH_MAX] = "";
  if (!dl_iterate_phdr(find_module, path) || !*path) {
    nkg_error("virtuoso: librdf has not loaded its virtuoso storage module "
              "(on Debian install librdf-storage-virtuoso)");
    return -1;
  }
  void *lib = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
  if (!lib) {
    nkg_error("%s: cannot reopen the module: %s", path, dlerror());
    return -1;
  }
  void (*init)(librdf_world *);
  *(void **)&init = dlsym(lib, "librdf_init_query_virtuoso");
  if (!init) {
    nkg_error("%s: the module has no librdf_init_query_virtuoso()", path);
    dlclose(lib);
    return -1;
  }
  init(world);
  /* librdf keeps the module loaded: this only drops our reference */
  dlclose(lib);
  if (!has_vsparql(world) &&
      dlsym(RTLD_DEFAULT, "librdf_get_query_factory") != NULL) {
    nkg_error("%s: librdf_init_query_virtuoso() did not register vsparql",
              path);
    return -1;
  }
  return 0;
}

/* ---- messages ------------------------------------------------------------ */

/* librdf's and raptor's messages while newskg talks to the server or
 * checks a file, counted: a failure that librdf only logs (a failed
 * SQLFetch ends the results like their end; raptor's N-Quads parser
 * returns success after a syntax error) is still a failure. what starts
 * each message ("--store 'SPEC'" or a file name). */
typedef struct {
  const char *what;
  int errors;
} log_count;

static int count_log(void *data, librdf_log_message *m) {
  log_count *lc = data;
  int level = librdf_log_message_level(m);
  const char *text = librdf_log_message_message(m);
  raptor_locator *loc = librdf_log_message_locator(m);
  char where[64] = "";
  if (loc && loc->line > 0)
    snprintf(where, sizeof where, ": line %d, column %d", loc->line,
             loc->column >= 0 ? loc->column + 1 : 0);
  if (level >= LIBRDF_LOG_ERROR) {
    lc->errors++;
    nkg_error("%s%s: %s", lc->what, where, text ? text : "error");
  } else if (level >= LIBRDF_LOG_WARN) {
    nkg_warn("%s%s: %s", lc->what, where, text ? text : "warning");
  }
  return 1;
}

/* ---- ODBC ---------------------------------------------------------------- */

/* The few ODBC calls the bulk load makes, found with dlsym() in the driver
 * manager that librdf's virtuoso storage links (libodbc.so.2): no build
 * dependency on unixODBC's headers. Types and constants are those of the
 * ODBC 3 specification (sql.h, sqlext.h) on LP64: SQLRETURN and
 * SQLSMALLINT are short, SQLINTEGER int, SQLLEN long. */
typedef short sqlret;
enum {
  SQL_OK = 0,           /* SQL_SUCCESS */
  SQL_OK_INFO = 1,      /* SQL_SUCCESS_WITH_INFO */
  SQL_NODATA = 100,     /* SQL_NO_DATA */
  H_ENV = 1,            /* SQL_HANDLE_ENV */
  H_DBC = 2,            /* SQL_HANDLE_DBC */
  H_STMT = 3,           /* SQL_HANDLE_STMT */
  ATTR_ODBC_VERSION = 200,
  OV_ODBC3 = 3,
  NTS = -3,             /* SQL_NTS */
  DRIVER_NOPROMPT = 0,
  C_CHAR = 1,           /* SQL_C_CHAR */
  NULL_DATA = -1,       /* SQL_NULL_DATA */
};
#define SQL_OKAY(rc) ((rc) == SQL_OK || (rc) == SQL_OK_INFO)

typedef struct {
  void *lib, *env, *dbc;
  const char *store; /* for messages */
  sqlret (*alloc)(short, void *, void **);
  sqlret (*free_handle)(short, void *);
  sqlret (*set_env)(void *, int, void *, int);
  sqlret (*connect)(void *, void *, const unsigned char *, short,
                    unsigned char *, short, short *, unsigned short);
  sqlret (*disconnect)(void *);
  sqlret (*exec)(void *, const unsigned char *, int);
  sqlret (*fetch)(void *);
  sqlret (*get_data)(void *, unsigned short, short, void *, long, long *);
  sqlret (*diag)(short, void *, short, unsigned char *, int *,
                 unsigned char *, short, short *);
} odbc;

/* Prints the diagnostics of handle after "--store 'S': what: ". */
static void odbc_report(odbc *c, short type, void *handle, const char *what) {
  unsigned char state[8], msg[1024];
  int native = 0, any = 0;
  short len = 0;
  for (short i = 1; handle && i <= 5; i++) {
    if (!SQL_OKAY(c->diag(type, handle, i, state, &native, msg,
                          (short)sizeof msg, &len)))
      break;
    nkg_error("--store '%s': %s: [%s] %s", c->store, what, state, msg);
    any = 1;
  }
  if (!any)
    nkg_error("--store '%s': %s failed", c->store, what);
}

static void odbc_close(odbc *c) {
  if (c->dbc) {
    c->disconnect(c->dbc);
    c->free_handle(H_DBC, c->dbc);
  }
  if (c->env)
    c->free_handle(H_ENV, c->env);
  if (c->lib)
    dlclose(c->lib);
  memset(c, 0, sizeof *c);
}

/* Connects with the ODBC connection string conn. Returns 0, or -1 after a
 * message (c is then closed). */
static int odbc_open(odbc *c, const char *store, const char *conn) {
  memset(c, 0, sizeof *c);
  c->store = store;
  if (!(c->lib = dlopen("libodbc.so.2", RTLD_NOW | RTLD_LOCAL))) {
    nkg_error("--store '%s': cannot load the ODBC driver manager "
              "libodbc.so.2 (on Debian install librdf-storage-virtuoso)",
              store);
    return -1;
  }
  static const char *const names[] = {
      "SQLAllocHandle", "SQLFreeHandle", "SQLSetEnvAttr", "SQLDriverConnect",
      "SQLDisconnect",  "SQLExecDirect", "SQLFetch",      "SQLGetData",
      "SQLGetDiagRec"};
  void **slots[] = {(void **)&c->alloc,      (void **)&c->free_handle,
                    (void **)&c->set_env,    (void **)&c->connect,
                    (void **)&c->disconnect, (void **)&c->exec,
                    (void **)&c->fetch,      (void **)&c->get_data,
                    (void **)&c->diag};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!(*slots[i] = dlsym(c->lib, names[i]))) {
      nkg_error("--store '%s': libodbc.so.2 has no %s", store, names[i]);
      odbc_close(c);
      return -1;
    }
  if (!SQL_OKAY(c->alloc(H_ENV, NULL, &c->env))) {
    c->env = NULL;
    nkg_error("--store '%s': cannot make an ODBC environment", store);
    odbc_close(c);
    return -1;
  }
  if (!SQL_OKAY(c->set_env(c->env, ATTR_ODBC_VERSION,
                           (void *)(intptr_t)OV_ODBC3, 0)) ||
      !SQL_OKAY(c->alloc(H_DBC, c->env, &c->dbc))) {
    c->dbc = NULL;
    odbc_report(c, H_ENV, c->env, "ODBC set-up");
    odbc_close(c);
    return -1;
  }
  sqlret rc = c->connect(c->dbc, NULL, (const unsigned char *)conn, NTS,
                         NULL, 0, NULL, DRIVER_NOPROMPT);
  if (!SQL_OKAY(rc)) {
    odbc_report(c, H_DBC, c->dbc, "cannot connect");
    c->free_handle(H_DBC, c->dbc);
    c->dbc = NULL;
    odbc_close(c);
    return -1;
  }
  return 0;
}

/* A list of strings, each kept once. */
typedef struct {
  nkg_byteset seen;
  char **items;
  size_t n, cap;
} str_list;

/* Adds s[0..len) unless present. Returns 1 if it was new. */
static int str_list_add(str_list *l, const char *s, size_t len) {
  if (!nkg_byteset_add(&l->seen, s, len))
    return 0;
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->items = nkg_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  l->items[l->n++] = nkg_xstrndup(s, len);
  return 1;
}

static void str_list_free(str_list *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->items[i]);
  free(l->items);
  nkg_byteset_free(&l->seen);
  memset(l, 0, sizeof *l);
}

/* The first column of the current row as text into value; *is_null says
 * whether it was NULL. Returns the last ODBC status. */
static sqlret get_text(odbc *c, void *st, nkg_buf *value, int *is_null) {
  char chunk[4096];
  long got = 0;
  sqlret r;
  *is_null = 1;
  /* SQLGetData returns a long value in pieces, each NUL-terminated */
  while (SQL_OKAY(r = c->get_data(st, 1, C_CHAR, chunk, sizeof chunk,
                                  &got))) {
    if (got == NULL_DATA)
      break;
    *is_null = 0;
    size_t n = got < 0 || (size_t)got >= sizeof chunk ? sizeof chunk - 1
                                                       : (size_t)got;
    nkg_buf_add(value, chunk, n);
    if (r == SQL_OK)
      break;
  }
  return r == SQL_NODATA ? SQL_OK : r;
}

/* Runs sql. With value (may be NULL), the first column of the first row
 * is appended to it as text, and *is_null (then required) says whether it
 * was NULL or missing. With rows (may be NULL), the first column of every
 * row that is not NULL is added to it. Returns 0, or -1 after a message
 * naming what. */
static int odbc_run(odbc *c, const char *sql, const char *what, nkg_buf *value,
                    int *is_null, str_list *rows) {
  void *st = NULL;
  int rc = -1;
  nkg_buf text = {0};
  if (!SQL_OKAY(c->alloc(H_STMT, c->dbc, &st))) {
    odbc_report(c, H_DBC, c->dbc, what);
    return -1;
  }
  sqlret r = c->exec(st, (const unsigned char *)sql, NTS);
  if (!SQL_OKAY(r) && r != SQL_NODATA) {
    odbc_report(c, H_STMT, st, what);
    goto out;
  }
  if (value)
    *is_null = 1;
  for (int first = 1; (value && first) || rows; first = 0) {
    r = c->fetch(st);
    if (r == SQL_NODATA)
      break;
    int null = 1;
    nkg_buf_clear(&text);
    if (!SQL_OKAY(r) || !SQL_OKAY(get_text(c, st, &text, &null))) {
      odbc_report(c, H_STMT, st, what);
      goto out;
    }
    if (value && first && !null) {
      *is_null = 0;
      nkg_buf_add(value, text.data ? text.data : "", text.len);
    }
    if (rows && !null)
      str_list_add(rows, text.data ? text.data : "", text.len);
  }
  rc = 0;
out:
  nkg_buf_free(&text);
  c->free_handle(H_STMT, st);
  return rc;
}

/* ---- bulk load ----------------------------------------------------------- */

/* Appends s as an SQL string literal ('...', quotes doubled). */
static void sql_string(nkg_buf *b, const char *s) {
  nkg_buf_addc(b, '\'');
  for (; *s; s++) {
    if (*s == '\'')
      nkg_buf_addc(b, '\'');
    nkg_buf_addc(b, *s);
  }
  nkg_buf_addc(b, '\'');
}

/* 1 when iri can be written between < and > in SPARQL (IRIREF). */
static int iriref_ok(const char *iri) {
  for (const unsigned char *p = (const unsigned char *)iri; *p; p++)
    if (*p <= 0x20 || strchr("<>\"{}|^`\\", *p))
      return 0;
  return *iri != '\0';
}

/* The syntaxes Virtuoso's bulk loader reads, by the extension it goes by
 * (ld_file in its DB.DBA procedures), and raptor's parser for each. */
static const struct {
  const char *ext, *parser;
} bulk_syntaxes[] = {
    {".nq", "nquads"}, {".nt", "ntriples"}, {".ttl", "turtle"},
    {".trig", "trig"}, {".rdf", "rdfxml"},  {".owl", "rdfxml"},
    {".xml", "rdfxml"},
};

static const char *bulk_parser(const char *path) {
  size_t n = strlen(path);
  for (size_t i = 0; i < sizeof bulk_syntaxes / sizeof bulk_syntaxes[0]; i++) {
    size_t k = strlen(bulk_syntaxes[i].ext);
    if (n > k && !strcmp(path + n - k, bulk_syntaxes[i].ext))
      return bulk_syntaxes[i].parser;
  }
  return NULL;
}

/* The graphs of one file, collected while raptor checks it. */
typedef struct {
  str_list graphs;
  int has_triples; /* statements without a graph: the file's own graph */
  int bad_iri;
} graph_list;

static void add_graph(graph_list *gl, const char *iri, size_t len) {
  if (str_list_add(&gl->graphs, iri, len) &&
      !iriref_ok(gl->graphs.items[gl->graphs.n - 1]))
    gl->bad_iri = 1;
}

static void graph_list_free(graph_list *gl) {
  str_list_free(&gl->graphs);
  memset(gl, 0, sizeof *gl);
}

static void on_quad(void *data, raptor_statement *st) {
  graph_list *gl = data;
  if (!st->graph) {
    gl->has_triples = 1;
    return;
  }
  if (st->graph->type != RAPTOR_TERM_TYPE_URI) {
    gl->bad_iri = 1;
    return;
  }
  size_t len = 0;
  const unsigned char *s =
      raptor_uri_as_counted_string(st->graph->value.uri, &len);
  add_graph(gl, (const char *)s, len);
}

static int deny_uri(void *data, raptor_uri *uri) {
  (void)data;
  (void)uri;
  return 1; /* only the files named are read */
}

/* Parses path with raptor (errors with their lines go to the world's
 * logger) and lists its graphs; own is the file's graph for triples.
 * Returns 0, or -1 after a message. */
static int check_file(librdf_world *world, const char *path,
                      const char *parser_name, const char *own,
                      graph_list *gl) {
  raptor_world *rw = librdf_world_get_raptor(world);
  FILE *fh = fopen(path, "rb");
  if (!fh) {
    nkg_error("%s: %s", path, strerror(errno));
    return -1;
  }
  int rc = -1;
  raptor_uri *base = raptor_new_uri(rw, (const unsigned char *)own);
  raptor_parser *p = base ? raptor_new_parser(rw, parser_name) : NULL;
  if (!p) {
    nkg_error("%s: cannot make a %s parser", path, parser_name);
    goto out;
  }
  raptor_parser_set_uri_filter(p, deny_uri, NULL);
  raptor_parser_set_statement_handler(p, gl, on_quad);
  log_count lc = {.what = path};
  librdf_world_set_logger(world, &lc, count_log);
  int failed = raptor_parser_parse_file_stream(p, fh, NULL, base) ||
               ferror(fh) || lc.errors;
  nkg_query_set_logger(world, path);
  if (failed) {
    nkg_error("%s: not parsed as %s (nothing of it loaded)", path,
              parser_name);
    goto out;
  }
  if (gl->has_triples)
    add_graph(gl, own, strlen(own));
  if (gl->bad_iri) {
    nkg_error("%s: a graph name is a blank node or an IRI Virtuoso cannot "
              "take", path);
    goto out;
  }
  rc = 0;
out:
  if (p)
    raptor_free_parser(p);
  if (base)
    raptor_free_uri(base);
  fclose(fh);
  return rc;
}

/* Empties the graphs of gl in the server. Returns 0 or -1. */
static int clear_graphs(odbc *c, const graph_list *gl, const char *path) {
  nkg_buf sql = {0};
  int rc = 0;
  for (size_t i = 0; i < gl->graphs.n && !rc; i++) {
    nkg_buf_clear(&sql);
    nkg_buf_printf(&sql, "SPARQL CLEAR GRAPH <%s>", gl->graphs.items[i]);
    if (odbc_run(c, sql.data, path, NULL, NULL, NULL))
      rc = -1;
  }
  nkg_buf_free(&sql);
  return rc;
}

/* The ODBC connection string librdf's virtuoso storage builds from the
 * storage options of spec (store_virtuoso.h). NULL after a message. */
static char *connection_string(librdf_world *world, const char *spec) {
  const char *semi = strchr(spec, ';');
  librdf_hash *h =
      librdf_new_hash_from_string(world, NULL, semi ? semi + 1 : "");
  if (!h) {
    nkg_error("--store '%s': cannot read the options", spec);
    return NULL;
  }
  static const char *const keys[][2] = {
      {"dsn", "DSN"},           {"host", "HOST"}, {"database", "DATABASE"},
      {"user", "UID"},          {"password", "PWD"},
      {"charset", "CHARSET"},
  };
  nkg_buf b = {0};
  int missing = 0;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    char *v = librdf_hash_get(h, keys[i][0]);
    if (v)
      nkg_buf_printf(&b, "%s=%s;", keys[i][1], v);
    else if (i == 0 || i == 3 || i == 4)
      missing = 1;
    free(v);
  }
  librdf_free_hash(h);
  if (missing) {
    nkg_error("--store '%s': virtuoso needs dsn=, user= and password= "
              "(e.g. virtuoso;dsn='VOS',user='dba',password='dba')",
              spec);
    nkg_buf_free(&b);
    return NULL;
  }
  return nkg_buf_steal(&b);
}

typedef struct {
  char *path;       /* absolute */
  const char *given;
  graph_list graphs;
  int ok;
} bulk_file;

int nkg_virtuoso_load(librdf_world *world, const char *spec,
                      const char *input, char *const *files, int n_files,
                      int quiet) {
  bulk_file *bf = nkg_xcalloc((size_t)n_files + 1, sizeof *bf);
  odbc c = {0};
  int connected = 0, status = NKG_FAIL, n_bad = 0;
  nkg_buf sql = {0}, value = {0};
  nkg_byteset cleared = {0};
  char *conn = NULL;

  /* usage first: what the bulk loader cannot read at all */
  if (input) {
    nkg_error("load: -i %s: the Virtuoso bulk loader picks the syntax by "
              "the file's extension",
              input);
    status = NKG_USAGE;
  }
  for (int i = 0; i < n_files; i++) {
    const char *path = files[i];
    bf[i].given = path;
    if (!strcmp(path, "-") || !bulk_parser(path)) {
      nkg_error("%s: the Virtuoso bulk loader reads RDF files by their "
                "extension (.nq .nt .ttl .trig .rdf .owl .xml)%s",
                strcmp(path, "-") ? path : "stdin",
                strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".txt")
                    ? "; extract articles first: newskg extract -f nquads "
                      "-o FILE.nq ARTICLE..."
                    : "");
      status = NKG_USAGE;
    }
  }
  if (status == NKG_USAGE || !(conn = connection_string(world, spec))) {
    status = status == NKG_USAGE ? NKG_USAGE : NKG_FAIL;
    goto out;
  }

  /* each file read here first: a file that does not parse is not loaded */
  for (int i = 0; i < n_files; i++) {
    char *abs = realpath(files[i], NULL);
    if (!abs) {
      nkg_error("%s: %s", files[i], strerror(errno));
      n_bad++;
      continue;
    }
    bf[i].path = abs;
    librdf_node *own = nkg_store_file_context(world, abs);
    if (!own) {
      nkg_error("%s: cannot name its graph", files[i]);
      n_bad++;
      continue;
    }
    const char *own_iri =
        (const char *)librdf_uri_as_string(librdf_node_get_uri(own));
    nkg_query_set_logger(world, files[i]);
    bf[i].ok = check_file(world, abs, bulk_parser(abs), own_iri,
                          &bf[i].graphs) == 0;
    librdf_free_node(own);
    if (!bf[i].ok)
      n_bad++;
  }
  nkg_query_set_logger(world, spec);

  if (odbc_open(&c, spec, conn))
    goto out;
  connected = 1;
  /* Replace: each graph named by the files is emptied once (a graph that
   * several files of this run share keeps all of them), and each file is
   * queued afresh (the loader skips a file it has loaded before). The
   * entity graph is merged instead (graph.h): Virtuoso's quads are a set,
   * so loading it again adds only what it lacks. */
  for (int i = 0; i < n_files; i++) {
    if (!bf[i].ok)
      continue;
    graph_list fresh = {0};
    for (size_t g = 0; g < bf[i].graphs.graphs.n; g++) {
      const char *iri = bf[i].graphs.graphs.items[g];
      if (!nkg_graph_is_entity_graph(iri, strlen(iri)) &&
          nkg_byteset_add(&cleared, iri, strlen(iri)))
        add_graph(&fresh, iri, strlen(iri));
    }
    int failed = clear_graphs(&c, &fresh, bf[i].given);
    graph_list_free(&fresh);
    librdf_node *own = failed ? NULL
                              : nkg_store_file_context(world, bf[i].path);
    nkg_buf_clear(&sql);
    nkg_buf_adds(&sql, "DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file = ");
    sql_string(&sql, bf[i].path);
    if (!failed && own && !odbc_run(&c, sql.data, bf[i].given, NULL, NULL, NULL)) {
      nkg_buf_clear(&sql);
      nkg_buf_adds(&sql, "ld_add(");
      sql_string(&sql, bf[i].path);
      nkg_buf_addc(&sql, ',');
      sql_string(&sql,
                 (const char *)librdf_uri_as_string(librdf_node_get_uri(own)));
      nkg_buf_addc(&sql, ')');
      failed = odbc_run(&c, sql.data, bf[i].given, NULL, NULL, NULL);
    } else {
      failed = 1;
    }
    if (own)
      librdf_free_node(own);
    if (failed) {
      bf[i].ok = 0;
      n_bad++;
    }
  }
  if (odbc_run(&c, "rdf_loader_run()", "rdf_loader_run()", NULL, NULL, NULL))
    goto out;

  /* what the loader says of each file: state 2 is done, ll_error is
   * set when it failed */
  for (int i = 0; i < n_files; i++) {
    if (!bf[i].ok)
      continue;
    int is_null = 1;
    nkg_buf_clear(&sql);
    nkg_buf_clear(&value);
    nkg_buf_adds(&sql, "SELECT CASE WHEN ll_state <> 2 THEN 'not loaded "
                       "(state ' || cast(ll_state AS VARCHAR) || ')' ELSE "
                       "ll_error END FROM DB.DBA.LOAD_LIST WHERE ll_file = ");
    sql_string(&sql, bf[i].path);
    if (odbc_run(&c, sql.data, bf[i].given, &value, &is_null, NULL)) {
      bf[i].ok = 0;
    } else if (!is_null) {
      nkg_error("%s: the Virtuoso bulk loader failed: %s", bf[i].given,
                value.data ? value.data : "");
      if (value.data && strstr(value.data, "DirsAllowed"))
        nkg_error("%s: add its directory to DirsAllowed in the [Parameters] "
                  "of the server's virtuoso.ini",
                  bf[i].given);
      bf[i].ok = 0;
      /* no half file: its graphs are emptied again */
      clear_graphs(&c, &bf[i].graphs, bf[i].given);
    }
    if (!bf[i].ok)
      n_bad++;
  }
  /* the bulk loader writes without a transaction log: a checkpoint makes
   * the load durable */
  if (odbc_run(&c, "checkpoint", "checkpoint", NULL, NULL, NULL))
    goto out;
  if (!quiet && isatty(STDERR_FILENO)) {
    size_t graphs = 0;
    for (int i = 0; i < n_files; i++)
      if (bf[i].ok)
        graphs += bf[i].graphs.graphs.n;
    nkg_warn("%d files (%zu graphs) loaded into %s by the bulk loader",
             n_files - n_bad, graphs, spec);
  }
  status = n_bad ? NKG_FAIL : NKG_OK;
out:
  if (connected)
    odbc_close(&c);
  for (int i = 0; i < n_files; i++) {
    free(bf[i].path);
    graph_list_free(&bf[i].graphs);
  }
  free(bf);
  free(conn);
  nkg_byteset_free(&cleared);
  nkg_buf_free(&sql);
  nkg_buf_free(&value);
  return status;
}

/* ---- queries ------------------------------------------------------------- */

static const char *const kind_words[] = {
    [Q_SELECT] = "SELECT",
    [Q_CONSTRUCT] = "CONSTRUCT",
    [Q_ASK] = "ASK",
    [Q_DESCRIBE] = "DESCRIBE",
};

/* librdf 1.0.17's virtuoso storage caches the IRI of each of the server's
 * datatype ids, and the tag of each language id, in a hash without the
 * terminating NUL: from the second literal of a datatype on, the IRI it
 * gives is the right one followed by whatever bytes follow it in memory
 * ("...#nonNegativeIntegerc"). The server's own tables of datatypes and
 * languages tell the right one: the longest of them that the IRI (or tag)
 * starts with. */
typedef struct {
  str_list dts, langs;
} known_names;

/* The datatypes librdf gives without asking the server (rdf2node). */
static const char *const native_types[] = {
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#float",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#date",
    "http://www.w3.org/2001/XMLSchema#time",
    "http://www.w3.org/2001/XMLSchema#dateTime",
};

/* Reads the server's datatypes and languages into k. Returns 0, or -1
 * after a message. */
static int load_known(librdf_world *world, const char *spec,
                      known_names *k) {
  for (size_t i = 0; i < sizeof native_types / sizeof native_types[0]; i++)
    str_list_add(&k->dts, native_types[i], strlen(native_types[i]));
  char *conn = connection_string(world, spec);
  odbc c;
  if (!conn || odbc_open(&c, spec, conn)) {
    free(conn);
    return -1;
  }
  int rc = odbc_run(&c, "SELECT RDT_QNAME FROM DB.DBA.RDF_DATATYPE",
                    "reading the datatypes", NULL, NULL, &k->dts) ||
                   odbc_run(&c, "SELECT RL_ID FROM DB.DBA.RDF_LANGUAGE",
                            "reading the languages", NULL, NULL, &k->langs)
               ? -1
               : 0;
  odbc_close(&c);
  free(conn);
  return rc;
}

/* got itself if l has it, else the longest entry of l that got starts
 * with, else NULL. */
static const char *repair(const str_list *l, const char *got) {
  size_t n = strlen(got), best_len = 0;
  const char *best = NULL;
  if (nkg_byteset_has(&l->seen, got, n))
    return got;
  for (size_t i = 0; i < l->n; i++) {
    size_t k = strlen(l->items[i]);
    if (k < n && k > best_len && !memcmp(got, l->items[i], k)) {
      best = l->items[i];
      best_len = k;
    }
  }
  return best;
}

/* The term of a value the server gave, its datatype or language repaired
 * (see known_names). 0 after a message when neither can be. */
static nkg_tid term_of(nkg_terms *terms, librdf_node *v, const known_names *k,
                       const char *store) {
  if (!librdf_node_is_literal(v))
    return nkg_terms_from_node(terms, v);
  size_t len = 0;
  const unsigned char *lex =
      librdf_node_get_literal_value_as_counted_string(v, &len);
  const char *lang = librdf_node_get_literal_value_language(v);
  librdf_uri *u = librdf_node_get_literal_value_datatype_uri(v);
  const char *dt = u ? (const char *)librdf_uri_as_string(u) : NULL;
  const char *fixed_lang = lang ? repair(&k->langs, lang) : NULL;
  const char *fixed_dt = dt ? repair(&k->dts, dt) : NULL;
  if ((lang && !fixed_lang) || (dt && !fixed_dt) || !lex) {
    nkg_error("--store '%s': the server gave a literal of an unknown %s",
              store, lang && !fixed_lang ? "language" : "datatype");
    return 0;
  }
  return nkg_terms_intern(terms, NKG_T_LIT, (const char *)lex, len,
                          fixed_lang, fixed_lang ? NULL : fixed_dt);
}

/* Writes the rows of a SELECT's results. Returns 0 or -1.
 * With distinct, a row the server repeats is written once: Virtuoso 7.2
 * can return a row of SELECT DISTINCT twice when its columns come from two
 * OPTIONALs (tests/virtuoso.test; openlink/virtuoso-opensource issue 568),
 * where SPARQL 1.1 section 18.5 keeps each solution once. Terms are
 * interned, so equal rows have equal ids. (With LIMIT, the server counted
 * the repeated row, so fewer rows than the limit may come.) */
static int write_select(librdf_query_results *r, const char *format,
                        FILE *out, const log_count *lc,
                        const known_names *known, const char *store,
                        int distinct) {
  int n = librdf_query_results_get_bindings_count(r);
  if (n < 0) {
    nkg_error("--store '%s': the server gave no result columns", store);
    return -1;
  }
  nkg_terms *terms = nkg_terms_new();
  const char **vars = nkg_xcalloc((size_t)n + 1, sizeof *vars);
  nkg_tid *row = nkg_xcalloc((size_t)n + 1, sizeof *row);
  nkg_rs *rs = NULL;
  nkg_byteset seen = {0};
  int rc = -1;
  for (int i = 0; i < n; i++)
    if (!(vars[i] = librdf_query_results_get_binding_name(r, i))) {
      nkg_error("--store '%s': result column %d has no name", store,
                i + 1);
      goto out;
    }
  rs = nkg_rs_begin(out, "standard output", format, terms, vars, (size_t)n);
  if (!rs)
    goto out;
  int failed = 0;
  for (; !failed && !librdf_query_results_finished(r);
       librdf_query_results_next(r)) {
    for (int i = 0; i < n; i++) {
      /* a new node (the caller's), or NULL when unbound */
      librdf_node *v = librdf_query_results_get_binding_value(r, i);
      row[i] = 0;
      if (v) {
        row[i] = term_of(terms, v, known, store);
        failed |= !row[i];
        librdf_free_node(v);
      }
    }
    if (failed)
      break;
    if (distinct && !nkg_byteset_add(&seen, row, (size_t)n * sizeof *row))
      continue;
    failed = nkg_rs_row(rs, row) != 0;
  }
  if (nkg_rs_end(rs) || failed || lc->errors)
    goto out;
  rc = 0;
out:
  nkg_byteset_free(&seen);
  free(row);
  free(vars);
  nkg_terms_free(terms);
  return rc;
}

/* An ASK's answer, from the SELECT it was sent as: true when there is a
 * row. (librdf 1.0.17's vsparql fetches the first row when the query runs,
 * so librdf_query_results_get_boolean() would fetch past it.) */
static int ask_answer(librdf_query_results *r) {
  return !librdf_query_results_finished(r);
}

int nkg_virtuoso_query(librdf_world *world, librdf_model *model,
                       const char *store, const char *text,
                       const nkg_query_options *o, FILE *out, int *ask) {
  const char *source = o->source ? o->source : "query";
  nkg_buf sent = {0};
  char *error = NULL;
  nkg_terms *terms = nkg_terms_new();
  sq_ast *ast = NULL;
  librdf_uri *base = NULL;
  librdf_query *q = NULL;
  librdf_query_results *r = NULL;
  nkg_buf store_what = {0};
  nkg_buf_printf(&store_what, "--store '%s'", store);
  log_count lc = {.what = store_what.data};
  known_names known = {0};
  int rc = -1;
  const char *old_what = nkg_query_set_logger(world, store);
  *ask = -1;

  if (nkg_query_check_safety(text, source))
    goto out;
  /* The text newskg checks is the text the server runs: first a comment
   * naming the query form, because librdf's vsparql takes the form from
   * the first whitespace-separated word SELECT, ASK, CONSTRUCT or DESCRIBE
   * anywhere in the text, comments included; then the predeclared
   * prefixes on one line (the server knows nkg: and id: from nowhere);
   * then the user's text. */
  nkg_buf prefixes = {0};
  nkg_query_add_prefixes(text, &prefixes);
  nkg_buf checked = {0};
  int prefixes_lines = prefixes.len ? 1 : 0;
  if (prefixes.len)
    nkg_buf_printf(&checked, "%s\n", prefixes.data);
  nkg_buf_adds(&checked, text);
  nkg_buf_free(&prefixes);
  int parsed = nkg_sq_parse_query(checked.data, o->base, terms, &ast, &error);
  if (parsed) {
    /* lines counted in the user's text, as nkg_query_run() reports them */
    int line = 0, column = 0, used = 0;
    if (error && sscanf(error, "line %d, column %d: %n", &line, &column,
                        &used) == 2 && used > 0) {
      line -= prefixes_lines;
      nkg_error("%s: line %d, column %d: %s", source, line < 1 ? 1 : line,
                column, error + used);
    } else {
      nkg_error("%s: %s", source, error ? error : "the query is malformed");
    }
    nkg_buf_free(&checked);
    goto out;
  }
  if (ast->q->kind == Q_ASK) {
    /* Virtuoso 7.2 refuses ASK in the result format vsparql asks for
     * (output:format '_JAVA_': "SQ074"), so an ASK is sent as the SELECT
     * of one row that exists exactly when the ASK is true. */
    const nkg_sq_tok *t = ast->toks;
    while (t->type != SQ_EOF && !(t->type == SQ_WORD && nkg_sq_tok_is(t, "ASK")))
      t++;
    size_t at = (size_t)(t->s - checked.data);
    nkg_buf_printf(&sent, "# SELECT\n%.*sSELECT (1 AS ?ask)%s%s",
                   (int)at, checked.data, checked.data + at + 3,
                   ast->q->limit < 0 && !ast->q->values ? "\nLIMIT 1" : "");
  } else {
    nkg_buf_printf(&sent, "# %s\n%s", kind_words[ast->q->kind],
                   checked.data);
  }
  nkg_buf_free(&checked);
  /* FROM and FROM NAMED name graphs of the store (an article's graph, the
   * entity graph, file:... for triples loaded from a file): Virtuoso reads
   * nothing from the network for them unless a pragma that our parser
   * refuses asks it to, so every IRI is passed on as written. */
  if (ast->q->kind == Q_CONSTRUCT || ast->q->kind == Q_DESCRIBE) {
    nkg_error("%s: %s is not run inside Virtuoso (librdf's vsparql returns "
              "no graphs): use SELECT, or export the data and query it in "
              "memory",
              source, kind_words[ast->q->kind]);
    goto out;
  }
  if (o->explain) {
    fprintf(out, "%s\n", sent.data);
    goto done;
  }

  if (nkg_virtuoso_register_query(world) || load_known(world, store, &known))
    goto out;
  librdf_world_set_logger(world, &lc, count_log);
  if (o->base &&
      !(base = librdf_new_uri(world, (const unsigned char *)o->base))) {
    nkg_error("%s: cannot make the base IRI", source);
    goto out;
  }
  q = librdf_new_query(world, "vsparql", NULL,
                       (const unsigned char *)sent.data, base);
  if (!q) {
    nkg_error("--store '%s': cannot make a vsparql query", store);
    goto out;
  }
  r = librdf_model_query_execute(model, q);
  if (!r || lc.errors) {
    nkg_error("%s: the query failed in --store '%s'", source, store);
    goto out;
  }
  const char *fmt = o->results_format ? o->results_format : "table";
  if (ast->q->kind == Q_ASK) {
    int value = ask_answer(r);
    if (lc.errors || nkg_rs_boolean(out, "standard output", fmt, value))
      goto out;
    *ask = value;
  } else if (write_select(r, fmt, out, &lc, &known, store,
                          ast->q->distinct)) {
    if (lc.errors)
      nkg_error("%s: the query failed in --store '%s'", source, store);
    goto out;
  }
done:
  if (fflush(out) || ferror(out)) {
    nkg_error("standard output: write error");
    goto out;
  }
  rc = 0;
out:
  if (r)
    librdf_free_query_results(r);
  if (q)
    librdf_free_query(q);
  if (base)
    librdf_free_uri(base);
  nkg_sq_free(ast);
  nkg_terms_free(terms);
  free(error);
  nkg_buf_free(&sent);
  nkg_buf_free(&store_what);
  str_list_free(&known.dts);
  str_list_free(&known.langs);
  nkg_query_set_logger(world, old_what);
  return rc;
}

