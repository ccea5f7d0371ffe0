/* sparql.h: the SPARQL 1.1 front end that runs before rasqal.
 *
 * nkg_sparql_rewrite() parses a query (recursive descent over the SPARQL 1.1
 * grammar) and rewrites the forms rasqal lacks (property paths, EXISTS,
 * NOT EXISTS, MINUS, ...) into forms rasqal executes correctly, passing
 * everything else through untouched. Rewrites that need data (closures of
 * p+ and p*) may add statements to the model under a private context that
 * the rewritten query reads; nkg_sparql_cleanup() removes them.
 *
 * Returns 0 and sets *out (malloc'd) to the query to run, or -1 and sets
 * *error (malloc'd) to "line L, column C: message". */
#ifndef NKG_SPARQL_H
#define NKG_SPARQL_H

#include <redland.h>

typedef struct nkg_sparql_state nkg_sparql_state;

/* What the rewriter knows of the data beyond the model. */
typedef struct {
  /* Resolves relative IRIs when the query has no BASE of its own: the
   * steps the rewriter runs itself need it, the query it returns does not
   * state it (the caller runs it with the same base). May be NULL. */
  const char *base;
  /* Contexts that hold default-graph data only (RDF files without graph
   * names are stored in a context named after the file): GRAPH ?g does not
   * range over them. */
  librdf_node *const *unnamed;
  size_t n_unnamed;
} nkg_sparql_options;

/* opt may be NULL. */
int nkg_sparql_rewrite(const char *query, const nkg_sparql_options *opt,
                       librdf_world *world, librdf_model *model, char **out,
                       char **error, nkg_sparql_state **state);

/* Undoes what a rewrite added to the model; state may be NULL. */
void nkg_sparql_cleanup(nkg_sparql_state *state, librdf_model *model);

#endif
