/* fuzz_extract.c: the whole pipeline over the shipped extract/ rules: read,
 * analyse, extract, build the graph and serialise it as Turtle and JSON
 * (the formats with the most escaping). */
#include <raptor2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "document.h"
#include "extract.h"
#include "fuzz_common.h"
#include "graph.h"
#include "lexicon.h"

static nkg_lexicon *lex;
static nkg_rules *rules;
static raptor_world *world;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  nkg_set_quiet(1);
  lex = nkg_lexicon_load(fuzz_rules_dir());
  rules = nkg_rules_load(fuzz_rules_dir());
  world = raptor_new_world();
  if (!lex || !rules || !world || raptor_world_open(world) != 0)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const syntaxes[] = {"turtle", "json"};
  nkg_document *doc =
      nkg_document_from_text("fuzz.txt", fuzz_copy(data, size), size);
  nkg_extraction x;
  memset(&x, 0, sizeof x);
  if (nkg_document_analyse(doc, lex) != 0 ||
      nkg_extract_document(rules, lex, doc, &x) != 0)
    abort(); /* documented never to fail on text */
  nkg_graph *g = nkg_graph_new(world, NULL);
  if (!g)
    abort();
  if (nkg_graph_add(g, doc, &x, lex) != 0)
    abort();
  nkg_buf out = {0};
  /* nkg_graph_flush() empties the graph: add it again for the second one */
  for (size_t i = 0; i < sizeof syntaxes / sizeof syntaxes[0]; i++) {
    if (i && nkg_graph_add(g, doc, &x, lex) != 0)
      abort();
    if (nkg_graph_flush(g, syntaxes[i], &out) != 0)
      abort();
    nkg_buf_clear(&out);
  }
  nkg_buf_free(&out);
  nkg_graph_free(g);
  nkg_extraction_free(&x);
  nkg_document_free(doc);
  return 0;
}
