/* cli_data.c: articles and RDF files into a librdf model, for `newskg
 * query`, `load` and `report` (cli_data.h). */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include "cli_data.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "document.h"
#include "graph.h"
#include "memstore.h"
#include "sqlstore.h"
#include "query.h"
#include "util.h"

void nkg_cli_extractor_free(nkg_cli_extractor *e) {
  if (e->rules)
    nkg_rules_free(e->rules);
  if (e->lex)
    nkg_lexicon_free(e->lex);
}

librdf_world *nkg_cli_open_world(void) {
  librdf_world *world = librdf_new_world();
  if (!world) {
    nkg_error("cannot initialise librdf");
    return NULL;
  }
  librdf_world_open(world);
  nkg_query_set_logger(world, NULL);
  if (nkg_memstore_register(world) || nkg_sqlstore_register(world)) {
    librdf_free_world(world);
    return NULL;
  }
  return world;
}

int nkg_cli_input_known(librdf_world *world, const char *input) {
  return !input || !strcmp(input, "text") ||
         nkg_store_parser_for(world, "-", input) != NULL;
}

int nkg_cli_is_article(const char *input, const char *path) {
  if (input)
    return !strcmp(input, "text");
  size_t n = strlen(path);
  return n >= 4 && !strcmp(path + n - 4, ".txt");
}

int nkg_cli_add_article(nkg_cli_extractor *e, librdf_world *world,
                        librdf_model *model, const char *path,
                        nkg_store_loaded *loaded) {
  if (e->failed)
    return -1;
  if (!e->lex) {
    char *dir = nkg_cli_rules_dir(e->opt_rules);
    e->lex = nkg_lexicon_load(dir);
    if (e->lex)
      e->rules = nkg_rules_load(dir);
    free(dir);
    if (!e->lex || !e->rules) {
      e->failed = 1;
      return -1;
    }
  }
  int rc = -1;
  nkg_graph *g = NULL;
  nkg_extraction x;
  memset(&x, 0, sizeof x);
  nkg_document *doc = nkg_document_read(path);
  if (!doc)
    return -1;
  if (nkg_document_analyse(doc, e->lex) != 0 ||
      nkg_extract_document(e->rules, e->lex, doc, &x) != 0)
    goto out;
  g = nkg_graph_new(librdf_world_get_raptor(world), NULL);
  if (!g || nkg_graph_add(g, doc, &x, e->lex) != 0 ||
      nkg_graph_to_model(g, world, model, loaded) != 0)
    goto out;
  rc = 0;
out:
  if (rc)
    nkg_error("%s: not processed", strcmp(path, "-") ? path : "stdin");
  nkg_graph_free(g);
  nkg_extraction_free(&x);
  nkg_document_free(doc);
  return rc;
}

long nkg_cli_add_rdf_file(librdf_world *world, librdf_model *model,
                          const char *path, const char *input,
                          nkg_store_loaded *loaded, librdf_node **ctx) {
  const char *parser = nkg_store_parser_for(world, path, input);
  *ctx = nkg_store_file_context(world, strcmp(path, "-") ? path : "stdin");
  return parser && *ctx ? nkg_store_parse_file(world, model, path, parser,
                                               *ctx, loaded)
                        : -1;
}
