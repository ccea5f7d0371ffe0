/* sparql-bench.c: times SPARQL queries through the front end (sparql.h)
 * and librdf/rasqal on an in-memory model, for tests/bench/sparql-paths.md.
 *
 *   make tests/sparql-bench
 *   tests/sparql-bench DATA.nt 'QUERY' ['QUERY']...
 *
 * Loads DATA (N-Triples) into a hashes storage (memory, contexts), then for
 * each query prints the time of the rewrite (including the paths it
 * evaluates), of rasqal's execution with every row read, and the rows. */
#define _POSIX_C_SOURCE 200809L
#include <redland.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sparql.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s DATA.nt QUERY...\n", argv[0]);
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  librdf_world *world = librdf_new_world();
  librdf_world_open(world);
  librdf_storage *st = librdf_new_storage(world, "hashes", "bench",
                                          getenv("BENCH_STORAGE") ? getenv("BENCH_STORAGE") : "hash-type='memory',contexts='yes'");
  librdf_model *model = librdf_new_model(world, st, NULL);
  librdf_parser *p = librdf_new_parser(world, "ntriples", NULL, NULL);
  librdf_uri *uri = librdf_new_uri_from_filename(world, argv[1]);
  double t0 = now();
  if (!model || !p || !uri || librdf_parser_parse_into_model(p, uri, NULL, model)) {
    fprintf(stderr, "sparql-bench: %s: cannot load\n", argv[1]);
    return 1;
  }
  printf("load %.2f s, %d triples\n", now() - t0, librdf_model_size(model));
  int rc = 0;
  for (int i = 2; i < argc; i++) {
    char *out = NULL, *error = NULL;
    nkg_sparql_state *state = NULL;
    t0 = now();
    if (nkg_sparql_rewrite(argv[i], NULL, world, model, &out, &error, &state)) {
      fprintf(stderr, "sparql-bench: %s\n", error);
      free(error);
      rc = 1;
      continue;
    }
    double t1 = now();
    librdf_query *q = librdf_new_query(world, "sparql", NULL,
                                       (const unsigned char *)out, NULL);
    librdf_query_results *r = q ? librdf_model_query_execute(model, q) : NULL;
    long rows = 0;
    char first[200] = "";
    while (r && !librdf_query_results_finished(r)) {
      if (!rows && librdf_query_results_get_bindings_count(r) > 0) {
        librdf_node *v = librdf_query_results_get_binding_value(r, 0);
        if (v) {
          snprintf(first, sizeof first, "%s",
                   librdf_node_is_literal(v)
                       ? (const char *)librdf_node_get_literal_value(v)
                       : "(node)");
          librdf_free_node(v);
        }
      }
      rows++;
      librdf_query_results_next(r);
    }
    double t2 = now();
    nkg_sparql_cleanup(state, model);
    double t3 = now();
    printf("rewrite %.3f s, rasqal %.3f s, cleanup %.3f s, total %.3f s, "
           "%ld rows, first %s: %s\n",
           t1 - t0, t2 - t1, t3 - t2, t3 - t0, rows, first, argv[i]);
    if (r) librdf_free_query_results(r);
    if (q) librdf_free_query(q);
    free(out);
  }
  librdf_free_uri(uri);
  librdf_free_parser(p);
  librdf_free_model(model);
  librdf_free_storage(st);
  librdf_free_world(world);
  return rc;
}
