/* cli_query.c: `newskg query` (SPARQL over files or a store) and
 * `newskg load` (files into a persistent store, one named graph per
 * document).
 *
 * Options are parsed into one struct per command; resources are acquired
 * in order and released on one path at the end; the exit status is decided
 * here and returned to main(). */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <redland.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_data.h"
#include "graph.h"
#include "output.h"
#include "progress.h"
#include "query.h"
#include "sparql_results.h"
#include "sqlite_load.h"
#include "store.h"
#include "store_virtuoso.h"
#include "util.h"

typedef struct {
  const char *command;  /* "query" or "load" */
  const char *execute;  /* -e TEXT */
  const char *file;     /* -q FILE */
  const char *results;  /* -r FORMAT */
  const char *format;   /* -f FORMAT (CONSTRUCT, DESCRIBE) */
  const char *syntax;   /* the raptor serialiser it names */
  const char *input;    /* -i FORMAT of the data ("text": articles) */
  const char *store;    /* --store SPEC */
  const char *rules;    /* --rules DIR */
  const char *lock_timeout; /* --lock-timeout SECONDS (load) */
  int explain;
  int quiet;
  int progress; /* --progress (load) */
  int help;
  char **inputs;
  int n_inputs;
} query_options;

enum {
  OPT_STORE = 256,
  OPT_RULES,
  OPT_EXPLAIN,
  OPT_QUIET,
  OPT_PROGRESS,
  OPT_LOCK_TIMEOUT
};

/* Seconds a load waits for another writer's lock (and its commit for
 * readers) before it fails. */
#define LOCK_TIMEOUT_DEFAULT 60.0

static const struct option query_long_options[] = {
    {"execute", required_argument, NULL, 'e'},
    {"query-file", required_argument, NULL, 'q'},
    {"results", required_argument, NULL, 'r'},
    {"format", required_argument, NULL, 'f'},
    {"input", required_argument, NULL, 'i'},
    {"store", required_argument, NULL, OPT_STORE},
    {"rules", required_argument, NULL, OPT_RULES},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option load_long_options[] = {
    {"input", required_argument, NULL, 'i'},
    {"store", required_argument, NULL, OPT_STORE},
    {"rules", required_argument, NULL, OPT_RULES},
    {"quiet", no_argument, NULL, 'q'},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void print_input_formats(void) {
  printf("Data files (format from the extension, or -i FORMAT):\n"
         "  .txt          a news article, extracted on the fly (-i text)\n"
         "  .ttl .nt .nq  Turtle, N-Triples, N-Quads (named graphs kept)\n"
         "  .rdf .owl     RDF/XML;  .json RDF/JSON;  .trig TriG\n"
         "  -             standard input (Turtle unless -i says otherwise)\n");
}

static void print_query_help(librdf_world *world) {
  printf(
      "Usage: newskg query (-e SPARQL | -q FILE.rq) [OPTION]... [DATA]...\n"
      "Answer a SPARQL 1.1 query over RDF files, news articles or a store.\n"
      "With no DATA and no --store, read Turtle from standard input.\n"
      "\n"
      "Options:\n"
      "  -e, --execute SPARQL  the query text\n"
      "  -q, --query-file FILE read the query from FILE\n"
      "  -r, --results FMT     SELECT/ASK result format (default table; see "
      "below)\n"
      "  -f, --format FMT      RDF format for CONSTRUCT/DESCRIBE (default "
      "turtle;\n"
      "                        any 'newskg extract' format)\n"
      "  -i, --input FMT       format of every DATA operand (text, turtle,\n"
      "                        ntriples, nquads, rdfxml, json, trig, ...)\n"
      "      --store SPEC      query a store (see below) instead of files\n"
      "      --explain         print the algebra and the join plan, and "
      "exit\n"
      "      --rules DIR       rules and lexicon for .txt data (default "
      "$NEWSKG_RULES)\n"
      "      --quiet           no warnings on standard error\n"
      "  -h, --help            show this help and exit\n"
      "\n"
      "Predeclared prefixes (a PREFIX in the query overrides them):\n");
  for (size_t i = 0; nkg_query_prefixes[i].name; i++)
    printf("  %-8s <%s>\n", nkg_query_prefixes[i].name,
           nkg_query_prefixes[i].iri);
  printf("\n");
  print_input_formats();
  printf("\nResult formats (-r):\n"
         "  table      a text table for people (the default); holds every "
         "row\n"
         "             to size its columns and writes them at the end\n"
         "  json       SPARQL 1.1 Query Results JSON\n"
         "  xml        SPARQL Query Results XML (Second Edition)\n"
         "  csv        SPARQL 1.1 Query Results CSV (values only)\n"
         "  tsv        SPARQL 1.1 Query Results TSV (RDF terms)\n"
         "json, xml, csv and tsv write each row as it is found when the "
         "query\n"
         "has no ORDER BY, GROUP BY or aggregate (and CONSTRUCT when its "
         "template\n"
         "has no blank node): the first rows come before the query ends.\n");
  printf("\nStore specifications (--store TYPE[:NAME][;OPTIONS]):\n"
         "  compact            in memory, newskg's own storage (the "
         "default)\n"
         "  hashes             in memory, librdf's hash storage "
         "(NEWSKG_MEMORY=hashes\n"
         "                     makes it the default)\n"
         "  sqlite:PATH        an SQLite file made by 'newskg load'\n"
         "  postgresql:DB;host='H',user='U',password='P'\n"
         "  file:PATH          an RDF/XML file (format='turtle' for "
         "another)\n"
         "  virtuoso;dsn='DSN',user='U',password='P'\n"
         "                     a Virtuoso server: the query runs inside it\n"
         "A query only reads its store: options that create or empty one "
         "(new=) are\n"
         "refused, and a file: store is read into memory, never written "
         "back.\n"
         "Storage types of this librdf:\n");
  nkg_store_list_types(world, stdout);
  printf("\nNo network: SERVICE, LOAD and FROM of non-file IRIs are "
         "refused.\n"
         "Exit status: 0 success (ASK: true), 1 failure (ASK: false), "
         "2 usage error.\n");
}

static void print_load_help(librdf_world *world) {
  printf("Usage: newskg load --store SPEC [OPTION]... FILE...\n"
         "Add news articles or RDF files to a persistent store, one named "
         "graph per\n"
         "document: an article's graph is its document IRI, an N-Quads "
         "file keeps its\n"
         "graph names, any other RDF file gets the graph <file:///PATH>. "
         "A graph named\nby this run replaces the store's graph of that "
         "name; a statement given\ntwice is kept once.\n"
         "\n"
         "A load is all or nothing: one transaction for the whole run. If "
         "a file or\nthe store fails, nothing of this run is kept. While a "
         "load writes, another\nload waits for it (up to --lock-timeout), "
         "and queries see the store as it\nwas before the load.\n"
         "\n"
         "Options:\n"
         "      --store SPEC   the store, e.g. sqlite:news.db (created if "
         "missing)\n"
         "                     or virtuoso;dsn='DSN',user='U',password='P' "
         "(RDF files\n"
         "                     only, by the server's bulk loader)\n"
         "  -i, --input FMT    format of every FILE (text, turtle, nquads, "
         "...)\n"
         "      --rules DIR    rules and lexicon for .txt files\n"
         "      --lock-timeout SECONDS\n"
         "                     wait this long for another process's lock "
         "on an sqlite\n"
         "                     store (default 60; 0 fails at once)\n"
         "  -q, --quiet        no warnings, progress or summary on standard "
         "error\n"
         "      --progress     show progress (files, files per second, time "
         "left) even\n"
         "                     when standard error is not a terminal\n"
         "  -h, --help         show this help and exit\n"
         "\n");
  print_input_formats();
  printf("\nStorage types of this librdf:\n");
  nkg_store_list_types(world, stdout);
  printf("\nAn sqlite store is written by newskg itself, in librdf's "
         "tables; other\nstorages through librdf, in one transaction where "
         "they have them (a storage\nwithout transactions is written file "
         "by file, and says so).\n"
         "\nExit status: 0 success, 1 a file or the store failed (nothing "
         "was loaded),\n2 usage error.\n");
}

/* Parses argv into o. Returns NKG_OK or NKG_USAGE (message printed). */
static int parse_options(int argc, char **argv, query_options *o) {
  int load = !strcmp(o->command, "load");
  const char *shorts = load ? ":i:qh" : ":e:q:r:f:i:h";
  const struct option *longs = load ? load_long_options : query_long_options;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
    switch (c) {
    case 'e':
      o->execute = optarg;
      break;
    case 'q':
      if (load)
        o->quiet = 1;
      else
        o->file = optarg;
      break;
    case 'r':
      o->results = optarg;
      break;
    case 'f':
      o->format = optarg;
      break;
    case 'i':
      o->input = optarg;
      break;
    case OPT_STORE:
      o->store = optarg;
      break;
    case OPT_RULES:
      o->rules = optarg;
      break;
    case OPT_EXPLAIN:
      o->explain = 1;
      break;
    case OPT_QUIET:
      o->quiet = 1;
      break;
    case OPT_PROGRESS:
      o->progress = 1;
      break;
    case OPT_LOCK_TIMEOUT:
      o->lock_timeout = optarg;
      break;
    case 'h':
      o->help = 1;
      break;
    default:
      return nkg_cli_option_error(o->command, c, argv);
    }
  }
  o->inputs = argv + optind;
  o->n_inputs = argc - optind;
  return NKG_OK;
}

/* ---- shared set-up ------------------------------------------------------- */

/* Checks -i: "text" or a raptor parser name. */
static int check_input(librdf_world *world, const query_options *o) {
  if (nkg_cli_input_known(world, o->input))
    return NKG_OK;
  nkg_cli_usage_hint(o->command);
  return NKG_USAGE;
}

/* Reads a whole file ("-" for stdin). Returns NULL after a message. */
static char *read_text(const char *path) {
  int is_stdin = !strcmp(path, "-");
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
  if (!f) {
    nkg_error("%s: %s", path, strerror(errno));
    return NULL;
  }
  nkg_buf b = {0};
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    nkg_buf_add(&b, chunk, n);
  int bad = ferror(f);
  if (!is_stdin)
    fclose(f);
  if (bad) {
    nkg_error("%s: read error", is_stdin ? "stdin" : path);
    nkg_buf_free(&b);
    return NULL;
  }
  if (!b.data)
    nkg_buf_adds(&b, "");
  if (memchr(b.data, '\0', b.len)) {
    nkg_error("%s: a query cannot contain NUL bytes",
              is_stdin ? "stdin" : path);
    nkg_buf_free(&b);
    return NULL;
  }
  return nkg_buf_steal(&b);
}

/* file:///ABSOLUTE/PATH of path (a directory when path ends in '/'). */
static char *file_iri(librdf_world *world, const char *path) {
  librdf_node *n = nkg_store_file_context(world, path);
  if (!n)
    return NULL;
  char *s = nkg_xstrdup(
      (const char *)librdf_uri_as_string(librdf_node_get_uri(n)));
  librdf_free_node(n);
  return s;
}

/* ---- query ------------------------------------------------------------- */

int nkg_cli_query(int argc, char **argv) {
  query_options o = {.command = "query"};
  librdf_world *world = NULL;
  nkg_store *store = NULL;
  nkg_cli_extractor ex = {0};
  char *text = NULL, *base = NULL;
  nkg_store_loaded loaded = {0};
  librdf_node **files = NULL; /* contexts of the RDF files read */
  size_t n_files = 0;
  const nkg_pstats *stats = NULL; /* the store's (owned by it) */
  int status = parse_options(argc, argv, &o);
  if (status != NKG_OK)
    goto done;
  nkg_set_quiet(o.quiet);
  ex.opt_rules = o.rules;

  status = NKG_FAIL;
  if (!(world = nkg_cli_open_world()))
    goto done;
  if (o.help) {
    print_query_help(world);
    status = nkg_output_close_stdout() ? NKG_FAIL : NKG_OK;
    goto done;
  }

  status = NKG_USAGE;
  if (!o.execute == !o.file) {
    nkg_error("query: give the query with -e SPARQL or -q FILE (one of "
              "them)");
    nkg_cli_usage_hint(o.command);
    goto done;
  }
  if (o.results && !nkg_rs_format_known(o.results)) {
    nkg_error("query: unknown result format '%s' (json, xml, csv, tsv or "
              "table)",
              o.results);
    nkg_cli_usage_hint(o.command);
    goto done;
  }
  if (o.store && nkg_store_check_read_spec(o.store)) {
    nkg_cli_usage_hint(o.command);
    goto done;
  }
  if (o.format) {
    o.syntax = nkg_graph_syntax_for(librdf_world_get_raptor(world), o.format);
    if (!o.syntax) {
      nkg_error("query: unknown RDF format '%s'", o.format);
      nkg_cli_usage_hint(o.command);
      goto done;
    }
  }
  if ((status = check_input(world, &o)) != NKG_OK)
    goto done;
  int stdin_data = o.n_inputs == 0 && !o.store && !o.explain;
  for (int i = 0; i < o.n_inputs; i++)
    if (!strcmp(o.inputs[i], "-"))
      stdin_data = 1;
  if (o.file && !strcmp(o.file, "-") && stdin_data) {
    nkg_error("query: the query and the data cannot both come from "
              "standard input");
    nkg_cli_usage_hint(o.command);
    status = NKG_USAGE;
    goto done;
  }

  status = NKG_FAIL;
  if (o.file) {
    if (!(text = read_text(o.file)))
      goto done;
    base = file_iri(world, strcmp(o.file, "-") ? o.file : "stdin.rq");
  } else {
    text = nkg_xstrdup(o.execute);
    base = file_iri(world, "query.rq");
  }

  if (o.store)
    nkg_query_set_logger(world, o.store);
  if (!(store = nkg_store_open(world, o.store, 0)))
    goto done;
  loaded.store_is_set = nkg_store_is_set(store);
  if (o.n_inputs > 0 && !nkg_store_is_transient(store)) {
    nkg_error("query: DATA cannot be added to --store '%s' by a query (use "
              "'newskg load')",
              o.store);
    nkg_cli_usage_hint(o.command);
    status = NKG_USAGE;
    goto done;
  }
  librdf_model *model = nkg_store_model(store);
  /* the join order's statistics: counted here as the data is read into
   * memory, or those that 'newskg load' kept in the store.
   * NEWSKG_STATS=0 orders joins without them (to measure what they buy) */
  const char *use_stats = getenv("NEWSKG_STATS");
  if (!use_stats || strcmp(use_stats, "0")) {
    if (nkg_store_is_transient(store))
      loaded.stats = nkg_pstats_new();
    else
      stats = nkg_store_stats(store);
  }

  static char *const stdin_only[] = {"-"};
  char *const *inputs = o.inputs;
  int n_inputs = o.n_inputs;
  if (n_inputs == 0 && !o.store && !o.explain) {
    inputs = stdin_only;
    n_inputs = 1;
  }
  files = nkg_xcalloc((size_t)n_inputs + 1, sizeof *files);
  for (int i = 0; i < n_inputs; i++) {
    const char *path = inputs[i];
    nkg_query_set_logger(world, strcmp(path, "-") ? path : "stdin");
    if (nkg_cli_is_article(o.input, path)) {
      if (nkg_cli_add_article(&ex, world, model, path, &loaded))
        goto done;
      continue;
    }
    /* The file's graph stays out of GRAPH ?g unless quads name it. */
    librdf_node *ctx;
    int errors = nkg_query_log_errors();
    long added =
        nkg_cli_add_rdf_file(world, model, path, o.input, &loaded, &ctx);
    if (ctx)
      files[n_files++] = ctx;
    /* raptor reports a syntax error and reads on: the answer over what it
     * kept would be wrong, with exit status 0 */
    if (added >= 0 && nkg_query_log_errors() != errors) {
      nkg_error("%s: not all of it could be read: no query was run",
                strcmp(path, "-") ? path : "stdin");
      added = -1;
    }
    if (added < 0)
      goto done;
  }
  size_t n_unnamed = 0;
  /* rasqal runs GRAPH ?g with a filter on ?g badly (a subquery that
   * projects ?g crashes it): only graphs that hold data are filtered */
  for (size_t i = 0; i < n_files; i++)
    if (!nkg_store_loaded_named(&loaded, files[i]) &&
        librdf_model_contains_context(model, files[i]))
      files[n_unnamed++] = files[i];
    else
      librdf_free_node(files[i]);
  n_files = n_unnamed;

  nkg_query_options qo = {
      .source = o.file ? (strcmp(o.file, "-") ? o.file : "stdin") : "query",
      .results_format = o.results,
      .rdf_syntax = o.syntax,
      .base = base,
      .explain = o.explain,
      /* for comparisons (tests/bench/stream-vs-collect): today's answer
       * collected whole before it is written */
      .collect = getenv("NEWSKG_NO_STREAM") != NULL &&
                 strcmp(getenv("NEWSKG_NO_STREAM"), "0") != 0,
      .unnamed_graphs = files,
      .n_unnamed_graphs = n_files,
      .stats = loaded.stats ? loaded.stats : stats,
  };
  int ask = -1;
  if ((nkg_virtuoso_is_spec(o.store)
           ? nkg_virtuoso_query(world, model, o.store, text, &qo, stdout, &ask)
           : nkg_query_run(world, model, text, &qo, stdout, &ask)) != 0) {
    /* Keep what was written, and report a failing stdout too, unless the
     * failure was that write (the writer has said so already). */
    if (ferror(stdout))
      fclose(stdout);
    else
      nkg_output_close_stdout();
    goto done;
  }
  if (nkg_output_close_stdout())
    goto done;
  status = ask == 0 ? NKG_FAIL : NKG_OK;

done:
  for (size_t i = 0; i < n_files; i++)
    librdf_free_node(files[i]);
  free(files);
  nkg_pstats_free(loaded.stats);
  nkg_store_loaded_free(&loaded);
  nkg_store_close(store);
  nkg_cli_extractor_free(&ex);
  free(text);
  free(base);
  if (world)
    librdf_free_world(world);
  return status;
}

/* ---- load -------------------------------------------------------------- */

static int add_to_sqlite(void *data, librdf_statement *st, librdf_node *g) {
  return nkg_sqlite_load_add(data, st, g);
}

/* Loads the file path into the sqlite loader. Returns the statements
 * added, or -1 after a message. */
static long load_sqlite_file(nkg_cli_extractor *ex, librdf_world *world,
                             nkg_sqlite_load *l, const char *path,
                             const char *input) {
  const char *shown = strcmp(path, "-") ? path : "stdin";
  long n = -1;
  if (nkg_cli_is_article(input, path)) {
    librdf_model *staging = nkg_store_new_memory_model(world);
    if (!staging)
      nkg_error("%s: cannot make a staging model", shown);
    else if (nkg_cli_add_article(ex, world, staging, path, NULL) == 0)
      n = nkg_store_model_to(staging, add_to_sqlite, l);
    if (staging)
      librdf_free_model(staging);
    return n;
  }
  const char *parser = nkg_store_parser_for(world, path, input);
  librdf_node *ctx = nkg_store_file_context(world, shown);
  if (!ctx)
    nkg_error("%s: cannot make its graph name", shown);
  else if (parser)
    n = nkg_store_parse_file_to(world, path, parser, ctx, add_to_sqlite, l);
  if (ctx)
    librdf_free_node(ctx);
  return n;
}

/* Loads the file path into model through librdf: parsed into a staging
 * model first, whose graphs then replace those of the store. Returns the
 * statements added, or -1 after a message. */
static long load_librdf_file(nkg_cli_extractor *ex, librdf_world *world,
                             librdf_model *model, const char *path,
                             const char *input) {
  const char *shown = strcmp(path, "-") ? path : "stdin";
  librdf_model *staging = nkg_store_new_memory_model(world);
  librdf_node *ctx = NULL;
  long n = -1;
  if (!staging) {
    nkg_error("%s: cannot make a staging model", shown);
  } else if (nkg_cli_is_article(input, path)) {
    if (nkg_cli_add_article(ex, world, staging, path, NULL) == 0)
      n = 0;
  } else {
    /* duplicates within the file; a reload replaces its graphs */
    nkg_store_loaded loaded = {0};
    n = nkg_cli_add_rdf_file(world, staging, path, input, &loaded, &ctx);
    nkg_store_loaded_free(&loaded);
  }
  if (n >= 0)
    n = nkg_store_replace_graphs(model, staging);
  if (ctx)
    librdf_free_node(ctx);
  if (staging)
    librdf_free_model(staging);
  return n;
}

int nkg_cli_load(int argc, char **argv) {
  query_options o = {.command = "load"};
  librdf_world *world = NULL;
  nkg_store *store = NULL;
  nkg_sqlite_load *sq = NULL;
  nkg_progress *meter = NULL;
  char *sq_path = NULL, *sq_opts = NULL;
  nkg_cli_extractor ex = {0};
  double lock_timeout = LOCK_TIMEOUT_DEFAULT;
  int status = parse_options(argc, argv, &o);
  if (status != NKG_OK)
    goto done;
  nkg_set_quiet(o.quiet);
  ex.opt_rules = o.rules;

  status = NKG_FAIL;
  if (!(world = nkg_cli_open_world()))
    goto done;
  if (o.help) {
    print_load_help(world);
    status = nkg_output_close_stdout() ? NKG_FAIL : NKG_OK;
    goto done;
  }
  status = NKG_USAGE;
  if (!o.store) {
    nkg_error("load: --store SPEC is required (e.g. --store sqlite:news.db)");
    nkg_cli_usage_hint(o.command);
    goto done;
  }
  if (o.n_inputs == 0) {
    nkg_error("load: no FILE to load");
    nkg_cli_usage_hint(o.command);
    goto done;
  }
  if (o.lock_timeout) {
    char *end = NULL;
    errno = 0;
    lock_timeout = strtod(o.lock_timeout, &end);
    if (errno || end == o.lock_timeout || *end || !(lock_timeout >= 0) ||
        lock_timeout > 1e6) {
      nkg_error("load: --lock-timeout '%s': not a number of seconds "
                "(0 to 1000000)",
                o.lock_timeout);
      nkg_cli_usage_hint(o.command);
      goto done;
    }
  }
  if ((status = check_input(world, &o)) != NKG_OK)
    goto done;

  if (nkg_virtuoso_is_spec(o.store)) {
    /* the server's bulk loader reads the files itself */
    status = nkg_virtuoso_load(world, o.store, o.input, o.inputs, o.n_inputs,
                               o.quiet);
    if (status == NKG_USAGE)
      nkg_cli_usage_hint(o.command);
    goto done;
  }
  status = NKG_FAIL;
  librdf_model *model = NULL;
  if (nkg_store_split_sqlite(o.store, &sq_path, &sq_opts)) {
    if (!*sq_path) {
      nkg_error("--store '%s': sqlite needs a file name (sqlite:PATH)",
                o.store);
      goto done;
    }
    if (!(sq = nkg_sqlite_load_begin(world, sq_path, o.store, sq_opts,
                                     lock_timeout)))
      goto done;
  } else {
    if (!(store = nkg_store_open(world, o.store, 1)))
      goto done;
    if (nkg_store_is_transient(store))
      nkg_warn("load: --store '%s' keeps nothing after this run", o.store);
    model = nkg_store_model(store);
    int rc = nkg_store_begin(store);
    if (rc < 0)
      goto done;
    if (rc > 0)
      nkg_warn("load: the storage of '%s' has no transactions: a failed "
               "load keeps the files loaded before it",
               o.store);
  }

  meter = nkg_progress_new("load", "files", (size_t)o.n_inputs,
                           nkg_progress_mode_for(o.quiet, o.progress));
  long statements = 0;
  const char *failed = NULL;
  for (int i = 0; i < o.n_inputs && !failed; i++) {
    const char *path = o.inputs[i];
    const char *shown = strcmp(path, "-") ? path : "stdin";
    nkg_query_set_logger(world, shown);
    int errors = nkg_query_log_errors();
    long n = sq ? load_sqlite_file(&ex, world, sq, path, o.input)
                : load_librdf_file(&ex, world, model, path, o.input);
    /* a parser that skipped what it could not read still loaded less than
     * the file says */
    if (n < 0 || nkg_query_log_errors() != errors)
      failed = shown;
    else
      statements += n;
    nkg_progress_add(meter, 1);
  }
  nkg_progress_end(meter);
  meter = NULL;
  nkg_query_set_logger(world, o.store);
  if (failed) {
    nkg_error("load: %s failed: nothing was loaded into '%s' (a load is "
              "all or nothing)",
              failed, o.store);
    goto done; /* the sqlite loader and the store roll back when freed */
  }
  if (sq ? nkg_sqlite_load_commit(sq) : nkg_store_commit(store))
    goto done;
  if (!o.quiet && isatty(STDERR_FILENO))
    fprintf(stderr, "newskg: %d files, %ld statements loaded into %s\n",
            o.n_inputs, statements, o.store);
  status = NKG_OK;

done:
  nkg_progress_end(meter);
  nkg_sqlite_load_free(sq);
  nkg_store_close(store);
  free(sq_path);
  free(sq_opts);
  nkg_cli_extractor_free(&ex);
  if (world)
    librdf_free_world(world);
  return status;
}
