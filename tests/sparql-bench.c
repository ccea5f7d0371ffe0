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
 * rows and the first value of the first row. */
#define _POSIX_C_SOURCE 200809L
#include <redland.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sparql_algebra.h"
#include "sparql_ast.h"
#include "sparql_value.h"

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

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s DATA.nt QUERY...\n", argv[0]);
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
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
    for (int i = 2; i < argc; i++)
      rc |= bench(world, model, argv[i]);
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
