/* query.h: running a SPARQL query over a librdf model and writing its
 * answer.
 *
 *   1. a safety check: SERVICE and LOAD are refused (no request may leave
 *      the machine, and only the files on the command line are read);
 *   2. the standard prefixes (nkg_query_prefixes) that the query does not
 *      declare itself are prepended, on one line, so short queries work and
 *      a user's PREFIX for the same name wins;
 *   3. newskg's parser (sparql_ast.h) checks it: syntax errors name the
 *      line and column of the user's text;
 *   4. newskg's evaluator (sparql_algebra.h) runs the SPARQL algebra over
 *      the model through its statement lookups. Nothing is ever added to or
 *      removed from the model, --explain included.
 *
 * Answers: SELECT and ASK in a W3C results format or a table
 * (sparql_results.h); CONSTRUCT and DESCRIBE as RDF through a raptor
 * serialiser. */
#ifndef NKG_QUERY_H
#define NKG_QUERY_H

#include <redland.h>
#include <stdio.h>

#include "pstats.h"
#include "util.h"

typedef struct {
  const char *source;         /* names the query in messages: "query" or
                                 the .rq file */
  const char *results_format; /* a sparql_results.h format; NULL: table
                                 (ASK: true/false) */
  const char *rdf_syntax;     /* raptor serialiser for CONSTRUCT and
                                 DESCRIBE; NULL: turtle */
  const char *base;           /* base IRI of the query, or NULL */
  int explain;                /* print the prefixes prepended and the
                                 algebra, and stop */
  int collect;                /* evaluate the whole answer before writing
                                 it, even where it could stream
                                 (NEWSKG_NO_STREAM=1: for comparisons) */
  /* contexts of RDF files without graph names: default-graph data that
   * GRAPH ?g does not range over (see sparql_algebra.h) */
  librdf_node *const *unnamed_graphs;
  size_t n_unnamed_graphs;
  /* per-predicate counts of the model for the join order, or NULL
   * (sparql_algebra.h) */
  const nkg_pstats *stats;
} nkg_query_options;

/* A standard prefix: name (without ':') and namespace IRI. The table ends
 * with {NULL, NULL}. */
typedef struct {
  const char *name, *iri;
} nkg_query_prefix;
extern const nkg_query_prefix nkg_query_prefixes[];

/* Runs text over model and writes the answer (or, with explain, the
 * algebra) to out. Where the algebra allows (nkg_alg_streams() in
 * sparql_algebra.h), SELECT rows and CONSTRUCT triples are written while
 * the query is evaluated; when such a query fails midway, what was written
 * stays and the document is left unfinished. Returns 0 on success and sets
 * *ask to 1 or 0 for an ASK query's answer, -1 for any other; returns -1
 * after a message
 * "newskg: SOURCE: ..." if the query is refused, malformed or fails, or the
 * output cannot be written. */
int nkg_query_run(librdf_world *world, librdf_model *model, const char *text,
                  const nkg_query_options *o, FILE *out, int *ask);

/* Nonzero if name is a result format of sparql_results.h. */
int nkg_query_results_format_known(librdf_world *world, const char *name);

/* Prints the result formats available at run time, one per line indented
 * by two spaces, to out. */
void nkg_query_list_results_formats(librdf_world *world, FILE *out);

/* Scans text as SPARQL tokens and refuses SERVICE and LOAD. Returns 0, or
 * -1 after "newskg: SOURCE: line L, column C: ...". Exposed for tests. */
int nkg_query_check_safety(const char *text, const char *source);

/* Appends to b the declarations of the standard prefixes that text does
 * not declare, all on one line, and returns how many. */
int nkg_query_add_prefixes(const char *text, nkg_buf *b);

/* Sets the librdf logger of world to print "newskg: WHAT: message" (with
 * the line and column where librdf gives them) for errors and warnings.
 * what must outlive its use; nkg_query_run() sets it to its source while it
 * runs and back to what was set before. Returns the previous what. */
const char *nkg_query_set_logger(librdf_world *world, const char *what);

/* How many errors that logger has printed so far in this process. A parser
 * that recovers (raptor's N-Triples parser skips a bad line and reports
 * success) is caught by this count going up. */
int nkg_query_log_errors(void);

#endif
