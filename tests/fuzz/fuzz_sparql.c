/* fuzz_sparql.c: the SPARQL 1.1 front end and evaluator (src/sparql_*.c).
 * The input is a query; nkg_sq_parse_query() parses it, nkg_alg_new()
 * translates it and nkg_alg_explain() prints the algebra (to /dev/null);
 * small queries are then evaluated by nkg_alg_run() over a small in-memory
 * model (default graph, a named graph, literals of several types, a blank
 * node, a cycle for the paths).
 *
 * The guard: only inputs of at most EVAL_MAX_BYTES bytes with at most
 * EVAL_MAX_SOURCES row sources (variables, blank nodes, VALUES) are
 * evaluated. A join of unconnected patterns or VALUES tables multiplies its
 * rows, and a chain of BIND(CONCAT(?a, ?a) AS ?b) doubles a string each
 * step: such answers are legitimately huge, and evaluating them would only
 * report libFuzzer timeouts and out-of-memory, not bugs. With these limits
 * the worst answer stays in the hundreds of thousands of rows. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <redland.h>

#include "fuzz_common.h"
#include "sparql_algebra.h"
#include "sparql_ast.h"
#include "sparql_value.h"

#define EVAL_MAX_BYTES 256
#define EVAL_MAX_SOURCES 8

static librdf_world *world;
static librdf_storage *storage;
static librdf_model *model;
static FILE *devnull;

static const char *DATA =
    "@prefix : <http://example.org/> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    ":a :p :b . :b :p :c . :c :p :a . :c :q \"x\"@en .\n"
    ":a :n 1 . :b :n 2.5 . :c :n \"3\"^^xsd:double .\n"
    ":a :d \"2024-03-05\"^^xsd:date . :b :s \"B\" . _:x :p :a .\n";
static const char *GRAPH =
    "@prefix : <http://example.org/> .\n"
    ":g1 :r :g2 . :g2 :r :g1 . :a :p :g1 .\n";

static int quiet_log(void *data, librdf_log_message *m) {
  (void)data;
  (void)m;
  return 1;
}

static void load(const char *text, const char *context) {
  librdf_parser *p = librdf_new_parser(world, "turtle", NULL, NULL);
  librdf_uri *base =
      librdf_new_uri(world, (const unsigned char *)"http://example.org/");
  librdf_stream *st = p && base ? librdf_parser_parse_string_as_stream(
                                      p, (const unsigned char *)text, base)
                                : NULL;
  int rc = -1;
  if (st && context) {
    librdf_node *c =
        librdf_new_node_from_uri_string(world, (const unsigned char *)context);
    rc = c ? librdf_model_context_add_statements(model, c, st) : -1;
    if (c)
      librdf_free_node(c);
  } else if (st) {
    rc = librdf_model_add_statements(model, st);
  }
  if (st)
    librdf_free_stream(st);
  if (base)
    librdf_free_uri(base);
  if (p)
    librdf_free_parser(p);
  if (rc) {
    fprintf(stderr, "fuzz_sparql: cannot load the model\n");
    exit(1);
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  nkg_set_quiet(1);
  world = librdf_new_world();
  librdf_world_set_logger(world, NULL, quiet_log);
  librdf_world_open(world);
  storage = librdf_new_storage(world, "hashes", "fuzz",
                               "hash-type='memory',contexts='yes'");
  model = storage ? librdf_new_model(world, storage, NULL) : NULL;
  devnull = fopen("/dev/null", "w");
  if (!model || !devnull) {
    fprintf(stderr, "fuzz_sparql: cannot set up\n");
    exit(1);
  }
  load(DATA, NULL);
  load(GRAPH, "http://example.org/graph1");
  return 0;
}

/* The inputs small enough to evaluate (see the top of the file). */
static int cheap(const char *text, size_t size) {
  if (size > EVAL_MAX_BYTES)
    return 0;
  size_t sources = 0;
  for (const char *s = text; *s; s++)
    if (*s == '?' || *s == '$' || *s == '[' || (*s == '_' && s[1] == ':') ||
        ((*s == 'V' || *s == 'v') && !strncasecmp(s, "VALUES", 6)))
      sources++;
  return sources <= EVAL_MAX_SOURCES;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* a query is text: stop at a NUL as the command line would */
  char *text = fuzz_copy(data, size);
  text[size] = '\0';
  nkg_terms *terms = nkg_terms_new();
  sq_ast *ast = NULL;
  char *error = NULL;
  int before = librdf_model_size(model);
  if (nkg_sq_parse_query(text, "http://example.org/base/", terms, &ast,
                         &error) == 0) {
    nkg_alg_options o = {.world = world,
                         .model = model,
                         .terms = terms,
                         .source = "fuzz",
                         .base = "http://example.org/base/"};
    nkg_alg *alg = nkg_alg_new(&o, ast);
    if (alg) {
      nkg_alg_explain(alg, devnull);
      if (cheap(text, strlen(text))) {
        nkg_alg_result r = {0};
        nkg_alg_run(alg, &r);
        nkg_alg_result_free(&r);
      }
      nkg_alg_free(alg);
    }
  }
  /* a query never writes to its model */
  if (librdf_model_size(model) != before)
    abort();
  nkg_sq_free(ast);
  nkg_terms_free(terms);
  free(error);
  free(text);
  return 0;
}
