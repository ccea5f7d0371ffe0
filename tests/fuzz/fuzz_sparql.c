/* fuzz_sparql.c: the SPARQL 1.1 front end (src/sparql*.c). The input is a
 * query; nkg_sparql_rewrite() parses it and, with no model, rewrites it
 * without running anything, so that only newskg's own code is exercised
 * (the lexer, the recursive-descent parser and the emitter), not rasqal. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "sparql.h"

static librdf_world *world;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  nkg_set_quiet(1);
  world = librdf_new_world();
  librdf_world_open(world);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* a query is text: stop at a NUL as the command line would */
  char *text = fuzz_copy(data, size);
  text[size] = '\0';
  char *out = NULL, *error = NULL;
  nkg_sparql_state *state = NULL;
  nkg_sparql_options opt = {.base = "http://example.org/base/"};
  if (nkg_sparql_rewrite(text, &opt, world, NULL, &out, &error, &state) == 0)
    nkg_sparql_cleanup(state, NULL);
  free(out);
  free(error);
  free(text);
  return 0;
}
