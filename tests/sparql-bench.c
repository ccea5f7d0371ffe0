/* sparql-bench.c: times SPARQL queries through newskg's parser and
 * evaluator (sparql_ast.h, sparql_algebra.h) on an in-memory model, for
 * tests/bench/sparql-paths.md.
 *
 *   make tests/sparql-bench
 *   tests/sparql-bench DATA.nt 'QUERY' ['QUERY']...
 *
 * Loads DATA (N-Triples) into a hashes storage (memory; BENCH_STORAGE sets
 * its options, default with contexts as `newskg query`), then for each
 * query prints the time of parsing and translation, of the evaluation, the
 * rows and the first value of the first row.
 *
 * With BENCH_STATS=1 (tests/bench/join-stats): the standard prefixes are
 * prepended (query.h), the model's per-predicate statistics are counted
 * (pstats.h), and each query runs without them, then with them; the line
 * gives both evaluation times (the fastest of BENCH_RUNS rounds, default
 * 5, the two alternating), their ratio, and whether the rows are the same,
 * in the same order.
 *
 * With BENCH_OUT=DIR (tests/bench/query-scale): DATA is any RDF file
 * (N-Quads keep their graphs) loaded as `newskg query` loads it, into the
 * store BENCH_STORE_SPEC (default: the compact in-memory store) with the
 * per-predicate statistics, and the arguments are .rq files. The load
 * includes the first lookup (the compact store indexes its quads then). Each runs
 * through nkg_query_run(), the code of `newskg query`, its answer written
 * as SPARQL JSON to DIR/NAME.json. Prints "load SECONDS", then for each query
 * "start NAME" and "query NAME SECONDS" (wall time of the run, writing
 * included). BENCH_QUERY_TIMEOUT (seconds) ends the process with SIGALRM
 * when one query runs longer: the caller sees which one started last. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <redland.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_data.h"
#include "pstats.h"
#include "query.h"
#include "sparql_algebra.h"
#include "sparql_ast.h"
#include "sparql_value.h"
#include "store.h"
#include "util.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs one query; returns 0, or 1 after a message. */
static int bench(librdf_world *world, librdf_model *model, const char *text) {
  nkg_terms *terms = nkg_terms_new();
  sq_ast *ast = NULL;
  char *error = NULL;
  nkg_alg *alg = NULL;
  nkg_alg_result r = {0};
  int rc = 1;
  double t0 = now();
  if (nkg_sq_parse_query(text, NULL, terms, &ast, &error)) {
    fprintf(stderr, "sparql-bench: %s\n", error);
    goto out;
  }
  nkg_alg_options o = {
      .world = world, .model = model, .terms = terms, .source = "query"};
  alg = nkg_alg_new(&o, ast); /* prints its own message */
  if (!alg)
    goto out;
  double t1 = now();
  if (nkg_alg_run(alg, &r))
    goto out;
  double t2 = now();
  char first[200] = "";
  if (r.nrows && r.nvars && r.rows[0]) {
    const nkg_term *t = nkg_terms_get(terms, r.rows[0]);
    snprintf(first, sizeof first, "%s", t->kind == NKG_T_LIT ? t->lex : "(node)");
  }
  size_t n = ast->q->kind == Q_ASK ? 1
             : ast->q->kind == Q_SELECT ? r.nrows
                                        : r.ntriples;
  printf("parse %.3f s, evaluation %.3f s, total %.3f s, %zu rows, "
         "first %s: %s\n",
         t1 - t0, t2 - t1, t2 - t0, n, first, text);
  rc = 0;
out:
  nkg_alg_result_free(&r);
  nkg_alg_free(alg);
  nkg_sq_free(ast);
  nkg_terms_free(terms);
  free(error);
  return rc;
}

/* Runs text with stats (or none): the evaluation's seconds into *secs and
 * the rows as text (one a line, terms by kind and lexical form) into b.
 * 0, or 1 after a message. */
static int run_once(librdf_world *world, librdf_model *model,
                    const char *text, const nkg_pstats *stats, double *secs,
                    nkg_buf *b) {
  nkg_terms *terms = nkg_terms_new();
  sq_ast *ast = NULL;
  char *error = NULL;
  nkg_alg *alg = NULL;
  nkg_alg_result r = {0};
  int rc = 1;
  if (nkg_sq_parse_query(text, NULL, terms, &ast, &error)) {
    fprintf(stderr, "sparql-bench: %s\n", error);
    goto out;
  }
  nkg_alg_options o = {.world = world, .model = model, .terms = terms,
                       .source = "query", .stats = stats};
  if (!(alg = nkg_alg_new(&o, ast)))
    goto out;
  double t0 = now();
  if (nkg_alg_run(alg, &r))
    goto out;
  *secs = now() - t0;
  for (size_t i = 0; i < r.nrows; i++) {
    for (size_t j = 0; j < r.nvars; j++) {
      nkg_tid id = r.rows[i * r.nvars + j];
      const nkg_term *t = id ? nkg_terms_get(terms, id) : NULL;
      nkg_buf_printf(b, "\t%d %s %s %s", t ? (int)t->kind : 0,
                     t ? t->lex : "", t && t->lang ? t->lang : "",
                     t && t->dt ? t->dt : "");
    }
    nkg_buf_addc(b, '\n');
  }
  nkg_buf_printf(b, "ask %d\n", r.boolean);
  rc = 0;
out:
  nkg_alg_result_free(&r);
  nkg_alg_free(alg);
  nkg_sq_free(ast);
  nkg_terms_free(terms);
  free(error);
  return rc;
}

/* BENCH_STATS=1: one line per query, without and with the statistics. */
static int bench_stats(librdf_world *world, librdf_model *model,
                       const nkg_pstats *stats, const char *name,
                       const char *query) {
  nkg_buf text = {0}, without = {0}, with = {0};
  if (nkg_query_add_prefixes(query, &text) > 0)
    nkg_buf_addc(&text, '\n');
  nkg_buf_adds(&text, query);
  /* BENCH_RUNS rounds (default 5), alternating; the fastest of each */
  const char *r = getenv("BENCH_RUNS");
  int runs = r && atoi(r) > 0 ? atoi(r) : 5;
  double s0 = HUGE_VAL, s1 = HUGE_VAL;
  int rc = 0;
  for (int k = 0; k < runs && !rc; k++) {
    double t0 = 0, t1 = 0;
    nkg_buf_clear(&without);
    nkg_buf_clear(&with);
    rc = run_once(world, model, text.data, NULL, &t0, &without) ||
         run_once(world, model, text.data, stats, &t1, &with);
    if (t0 < s0) s0 = t0;
    if (t1 < s1) s1 = t1;
  }
  if (!rc) {
    size_t rows = 0;
    for (size_t i = 0; i < with.len; i++) rows += with.data[i] == '\n';
    printf("%-22s without %8.3f s  with %8.3f s  ratio %7.2f  rows %6zu  "
           "same %s\n",
           name, s0, s1, s0 / (s1 > 1e-4 ? s1 : 1e-4), rows - 1,
           without.len == with.len &&
                   !memcmp(without.data, with.data, with.len)
               ? "yes"
               : "NO");
  }
  nkg_buf_free(&text);
  nkg_buf_free(&without);
  nkg_buf_free(&with);
  return rc;
}

/* The text of the file path, or NULL. */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  nkg_buf b = {0};
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) nkg_buf_add(&b, chunk, n);
  fclose(f);
  if (!b.data) nkg_buf_adds(&b, "");
  return nkg_buf_steal(&b);
}

/* Counts the statistics of every statement of model. */
static nkg_pstats *count_stats(librdf_model *model) {
  nkg_pstats *ps = nkg_pstats_new();
  librdf_stream *s = librdf_model_as_stream(model);
  for (; s && !librdf_stream_end(s); librdf_stream_next(s))
    nkg_store_count_stats(ps, librdf_stream_get_object(s));
  if (s) librdf_free_stream(s);
  return ps;
}

/* BENCH_OUT=dir: see the head of this file. Returns 0, or 1 after a
 * message. */
static int bench_out(const char *dir, const char *data, char **queries,
                     int nqueries) {
  int rc = 1;
  librdf_world *world = nkg_cli_open_world(); /* compact registered */
  if (!world)
    return 1;
  nkg_store *store = nkg_store_open(world, getenv("BENCH_STORE_SPEC"), 0);
  nkg_store_loaded loaded = {0};
  librdf_node *ctx = NULL;
  const char *to = getenv("BENCH_QUERY_TIMEOUT");
  unsigned timeout = to && atoi(to) > 0 ? (unsigned)atoi(to) : 0;
  if (!store)
    goto out;
  librdf_model *model = nkg_store_model(store);
  loaded.store_is_set = nkg_store_is_set(store);
  loaded.stats = nkg_pstats_new();
  const char *parser = nkg_store_parser_for(world, data, NULL);
  ctx = nkg_store_file_context(world, data);
  double t0 = now();
  if (!parser || !ctx ||
      nkg_store_parse_file(world, model, data, parser, ctx, &loaded) < 0)
    goto out;
  /* The compact store sorts and indexes its quads at the first lookup:
   * that belongs to the load (as Oxigraph's indexes belong to its load),
   * not to whichever query comes first. */
  librdf_node *none = librdf_new_node_from_uri_string(
      world, (const unsigned char *)"urn:nkg:bench:none");
  librdf_statement *pattern =
      none ? librdf_new_statement_from_nodes(world, none, NULL, NULL) : NULL;
  librdf_stream *found =
      pattern ? librdf_model_find_statements(model, pattern) : NULL;
  if (found)
    librdf_free_stream(found);
  if (pattern)
    librdf_free_statement(pattern);
  if (!found) {
    fprintf(stderr, "sparql-bench: %s: cannot look up a statement\n", data);
    goto out;
  }
  printf("load %.3f\n", now() - t0);
  for (int i = 0; i < nqueries; i++) {
    const char *slash = strrchr(queries[i], '/');
    const char *name = slash ? slash + 1 : queries[i];
    char *text = slurp(queries[i]);
    if (!text) {
      fprintf(stderr, "sparql-bench: %s: cannot read\n", queries[i]);
      goto out;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%.*s.json", dir,
             (int)(strlen(name) - (strlen(name) > 3 ? 3 : 0)), name);
    FILE *f = fopen(path, "w");
    if (!f) {
      fprintf(stderr, "sparql-bench: %s: cannot write\n", path);
      free(text);
      goto out;
    }
    nkg_query_options qo = {.source = queries[i],
                            .results_format = "json",
                            .stats = loaded.stats};
    int ask;
    printf("start %s\n", name);
    alarm(timeout);
    t0 = now();
    int failed = nkg_query_run(world, model, text, &qo, f, &ask) != 0;
    double secs = now() - t0;
    alarm(0);
    failed = fclose(f) != 0 || failed;
    free(text);
    if (failed) {
      fprintf(stderr, "sparql-bench: %s: the query failed\n", queries[i]);
      goto out;
    }
    printf("query %s %.3f\n", name, secs);
  }
  rc = 0;
out:
  if (ctx)
    librdf_free_node(ctx);
  nkg_pstats_free(loaded.stats);
  nkg_store_loaded_free(&loaded);
  if (store)
    nkg_store_close(store);
  librdf_free_world(world);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s DATA.nt QUERY...\n", argv[0]);
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *tsv = getenv("BENCH_OUT");
  if (tsv && *tsv)
    return bench_out(tsv, argv[1], argv + 2, argc - 2);
  const char *opts = getenv("BENCH_STORAGE");
  librdf_world *world = librdf_new_world();
  librdf_world_open(world);
  librdf_storage *st =
      librdf_new_storage(world, "hashes", "bench",
                         opts ? opts : "hash-type='memory',contexts='yes'");
  librdf_model *model = st ? librdf_new_model(world, st, NULL) : NULL;
  librdf_parser *p = librdf_new_parser(world, "ntriples", NULL, NULL);
  librdf_uri *uri = librdf_new_uri_from_filename(world, argv[1]);
  double t0 = now();
  int rc = 0;
  if (!model || !p || !uri ||
      librdf_parser_parse_into_model(p, uri, NULL, model)) {
    fprintf(stderr, "sparql-bench: %s: cannot load\n", argv[1]);
    rc = 1;
  } else {
    printf("load %.2f s, %d triples\n", now() - t0, librdf_model_size(model));
    const char *with_stats = getenv("BENCH_STATS");
    if (with_stats && !strcmp(with_stats, "1")) {
      /* the arguments are .rq files */
      t0 = now();
      nkg_pstats *ps = count_stats(model);
      printf("statistics %.2f s, %zu predicates\n", now() - t0,
             nkg_pstats_predicates(ps));
      for (int i = 2; i < argc; i++) {
        char *q = slurp(argv[i]);
        const char *name = strrchr(argv[i], '/');
        if (!q) {
          fprintf(stderr, "sparql-bench: %s: cannot read\n", argv[i]);
          rc = 1;
          continue;
        }
        rc |= bench_stats(world, model, ps, name ? name + 1 : argv[i], q);
        free(q);
      }
      nkg_pstats_free(ps);
    } else {
      for (int i = 2; i < argc; i++)
        rc |= bench(world, model, argv[i]);
    }
  }
  if (uri)
    librdf_free_uri(uri);
  if (p)
    librdf_free_parser(p);
  if (model)
    librdf_free_model(model);
  if (st)
    librdf_free_storage(st);
  librdf_free_world(world);
  return rc;
}
