/* sparql_eval.h: the parts of SPARQL the front end evaluates itself over a
 * librdf model: property paths (breadth-first, cycles handled) and tables
 * of solutions stored in the model as rows the rewritten query reads.
 *
 * A table K is stored as statements
 *   <urn:nkg:sparql:K:i> <urn:nkg:sparql:K#_> "r"          (one per row)
 *   <urn:nkg:sparql:K:i> <urn:nkg:sparql:K#var> value      (bound values)
 * in the row's graph (no context for the default graph). Every statement
 * added is recorded in an nkg_sq_store so that it can be removed again. */
#ifndef NKG_SPARQL_EVAL_H
#define NKG_SPARQL_EVAL_H

#include <redland.h>
#include <stddef.h>

#include "sparql_ast.h"

#define NKG_SQ_NS "urn:nkg:sparql:"

/* Statements added to a model, for removal. */
typedef struct {
  librdf_statement **st;
  librdf_node **ctx; /* NULL entries: no context */
  size_t n, cap;
} nkg_sq_store;

void nkg_sq_store_add(nkg_sq_store *s, librdf_world *w, librdf_model *m,
                      librdf_node *ctx, librdf_node *subj, librdf_node *pred,
                      librdf_node *obj);
void nkg_sq_store_undo(nkg_sq_store *s, librdf_model *m);

/* A set of nodes in insertion order (nodes are copies owned by the set). */
typedef struct {
  librdf_node **v;
  size_t n, cap;
  size_t *slots; /* open addressing over v indices + 1 */
  size_t nslots;
} nkg_nodeset;

int nkg_nodeset_add(nkg_nodeset *s, librdf_node *n); /* 1 if new */
int nkg_nodeset_has(const nkg_nodeset *s, librdf_node *n);
void nkg_nodeset_free(nkg_nodeset *s);

/* A table of solutions: rows of ncols nodes (NULL when unbound) and the
 * graph each row belongs to (NULL: default graph). */
typedef struct {
  int id;
  char **cols;
  size_t ncols;
  librdf_node **cells; /* nrows * ncols */
  librdf_node **graph; /* nrows */
  size_t nrows, cap;
} nkg_sq_table;

void nkg_sq_table_init(nkg_sq_table *t, int id, const char **cols,
                       size_t ncols);
/* Appends a row; takes ownership of the nodes in cells and of graph. */
void nkg_sq_table_add(nkg_sq_table *t, librdf_node **cells,
                      librdf_node *graph);
void nkg_sq_table_free(nkg_sq_table *t);
/* Writes the table's rows into the model (see above). */
void nkg_sq_table_store(const nkg_sq_table *t, librdf_world *w,
                        librdf_model *m, nkg_sq_store *s);
int nkg_sq_table_always(const nkg_sq_table *t, size_t col);

/* Path evaluation context: the graph is NULL for the default graph. */
typedef struct {
  librdf_world *world;
  librdf_model *model;
  librdf_node *graph;
} nkg_sq_graph;

/* Adds to out every node reachable from x over path (backwards when fwd
 * is 0), with the set semantics of SPARQL 1.1 paths. Returns -1 when the
 * path names an IRI that cannot be made into a node. */
int nkg_sq_path_step(const nkg_sq_graph *g, const sq_path *path,
                     librdf_node *x, int fwd, nkg_nodeset *out);
/* Adds every node of the graph (subjects and objects) to out. */
void nkg_sq_graph_nodes(const nkg_sq_graph *g, nkg_nodeset *out);
/* Evaluates "s path o" into table t (columns s and o): s and o are the
 * constant endpoints or NULL for variables. Negated property sets at the
 * top keep one row per matching statement, as the recommendation says. */
int nkg_sq_path_table(const nkg_sq_graph *g, const sq_path *path,
                      librdf_node *s, librdf_node *o, nkg_sq_table *t);

/* Makes a node for a constant term (IRIs resolved against base, which may
 * be NULL); NULL for variables, blank nodes and undeclared prefixes. */
librdf_node *nkg_sq_term_node(librdf_world *w, const sq_term *t,
                              const char *base);

/* 1 when the node is one the front end made (urn:nkg:sparql:...). */
int nkg_sq_internal(librdf_node *n);

#endif
