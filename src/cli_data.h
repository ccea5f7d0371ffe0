/* cli_data.h: the DATA operands of `newskg query`, `load` and `report`
 * (news articles and RDF files) into a librdf model.
 *
 * Each function prints its own message on failure, naming the file
 * ("stdin" for "-"), and returns a failure value; none exits. */
#ifndef NKG_CLI_DATA_H
#define NKG_CLI_DATA_H

#include <redland.h>

#include "extract.h"
#include "lexicon.h"
#include "store.h"

/* Lexicon and rules for articles, loaded on the first article: set
 * opt_rules (--rules, or NULL) and leave the rest zero. */
typedef struct {
  const char *opt_rules;
  nkg_lexicon *lex;
  nkg_rules *rules;
  int failed; /* loading failed: every later article fails too */
} nkg_cli_extractor;

/* Frees what the extractor loaded (not e itself). */
void nkg_cli_extractor_free(nkg_cli_extractor *e);

/* A new librdf world, opened, with the query logger set to no source.
 * Returns NULL after a message. */
librdf_world *nkg_cli_open_world(void);

/* Whether input (-i FORMAT, or NULL: from the extension) is "text" or a
 * parser of this raptor; if not, the message is printed. */
int nkg_cli_input_known(librdf_world *world, const char *input);

/* Whether path is read as a news article: -i text, or with no -i, a name
 * ending in .txt. */
int nkg_cli_is_article(const char *input, const char *path);

/* Extracts the article path ("-" for stdin) and adds its statements to
 * model: its own in the graph named by its document IRI, those about its
 * entities in the entity graph (graph.h). With loaded (may be NULL; the
 * record of nkg_cli_add_rdf_file() too), statements already added to the
 * same graph are skipped, so the entity graph holds each statement once
 * however many articles and N-Quads files state it. Returns 0, or -1 after
 * a message. */
int nkg_cli_add_article(nkg_cli_extractor *e, librdf_world *world,
                        librdf_model *model, const char *path,
                        nkg_store_loaded *loaded);

/* Parses the RDF file path ("-" for stdin; format input, or from the
 * extension) into model, its triples in a graph named after the file
 * (<file:///PATH>, as `load` puts them; quads keep their graph names, which
 * *loaded records). Named graphs because librdf's hashes storage with
 * contexts adds a statement without one in time linear in the store
 * (quadratic loads); the default graph of a query is the union of all
 * graphs. Sets *ctx to the file's graph name (NULL if it could not be
 * made), which the caller frees. Returns the number of statements added, or
 * -1 after a message. */
long nkg_cli_add_rdf_file(librdf_world *world, librdf_model *model,
                          const char *path, const char *input,
                          nkg_store_loaded *loaded, librdf_node **ctx);

#endif
