/* sparql_algebra.h: newskg's evaluator of the SPARQL 1.1 algebra
 * (section 18 of the recommendation) over a librdf model.
 *
 * nkg_alg_new() translates a parsed query (sparql_ast.h) into the algebra:
 * each group becomes Join / LeftJoin (with the OPTIONAL's filter) / Minus /
 * Union / Graph / Extend / ToMultiSet (VALUES) / sub-SELECT, with the
 * group's FILTERs over the whole group; then Group / Aggregation / Having,
 * the select expressions, OrderBy, Project, Distinct / Reduced and Slice.
 * nkg_alg_run() evaluates it through indexed statement lookups
 * (librdf_model_find_statements with the bound positions substituted), and
 * never adds or removes a statement of the model.
 *
 * The dataset: the default graph is the RDF merge of every graph of the
 * model (librdf's view, and what the example queries over per-article
 * graphs expect), as a set: a triple stated in several graphs matches
 * once. GRAPH ?g ranges over the named graphs: every context but the
 * "unnamed" ones (contexts of RDF files read without graph names). FROM
 * and FROM NAMED choose contexts of the model by name instead (nothing is
 * ever read from anywhere). */
#ifndef NKG_SPARQL_ALGEBRA_H
#define NKG_SPARQL_ALGEBRA_H

#include <redland.h>
#include <stdio.h>

#include "pstats.h"
#include "sparql_ast.h"
#include "sparql_value.h"

typedef struct nkg_alg nkg_alg;

typedef struct {
  librdf_world *world;
  librdf_model *model;
  nkg_terms *terms;      /* the table the query was parsed with */
  const char *source;    /* names the query in messages */
  const char *base;      /* base IRI for IRI(), or NULL */
  librdf_node *const *unnamed; /* contexts that are default-graph data */
  size_t nunnamed;
  /* per-predicate counts of the model (pstats.h), or NULL. With them, a
   * basic graph pattern reads next, among the patterns left, the one with
   * the fewest statements estimated to match given the positions bound so
   * far (a bound subject: count / distinct subjects, and so on; a
   * predicate with no statement: none; "?x rdf:type C": the members of
   * C); property paths by the fan-out of
   * their steps, after plain triples when neither end is bound. Ties, and
   * every choice without them, go by the bound positions: subject, then
   * object, then predicate. The answers are the same either way. */
  const nkg_pstats *stats;
} nkg_alg_options;

/* The answer. SELECT: nrows rows of nvars terms (0 = unbound), named by
 * vars. ASK: boolean. CONSTRUCT, DESCRIBE: ntriples triples (s, p, o),
 * without duplicates. */
typedef struct {
  const char **vars; /* names without '?', in the tree's arena */
  size_t nvars;
  nkg_tid *rows;
  size_t nrows;
  int boolean;
  nkg_tid *triples;
  size_t ntriples;
} nkg_alg_result;

/* Translates ast's query. Returns NULL after a message "newskg: SOURCE:
 * ..." when the query cannot be evaluated. ast must outlive the result. */
nkg_alg *nkg_alg_new(const nkg_alg_options *o, sq_ast *ast);
void nkg_alg_free(nkg_alg *a);

/* Prints the algebra as an S-expression (one operator a line, indented).
 * With statistics, the line after the prefixes says how many predicates
 * and statements they describe, and each basic graph pattern ends with
 * (plan ...): its patterns in the order they are read when nothing outside
 * binds their variables, each with its estimated matches. */
int nkg_alg_explain(nkg_alg *a, FILE *out);

/* Evaluates the query into *r (free it with nkg_alg_result_free). Returns
 * 0, or -1 after a message. */
int nkg_alg_run(nkg_alg *a, nkg_alg_result *r);
void nkg_alg_result_free(nkg_alg_result *r);

/* Streaming. Where the algebra allows it, the answer is handed over one
 * solution (or triple) at a time while the query is evaluated, so the
 * first row comes before the evaluation ends and the answer is never held
 * whole. That is a SELECT without GROUP BY, aggregates, HAVING, ORDER BY or
 * a trailing VALUES, whose select expressions call no BNODE() (DISTINCT
 * and REDUCED keep a set of the projected rows seen; OFFSET skips; LIMIT
 * stops the evaluation once it has its rows), and a CONSTRUCT whose
 * template names no blank node (a set of the triples written). Fresh blank
 * nodes are minted after the evaluation when the answer is collected, so
 * their labels would differ; those queries, ASK, DESCRIBE and the others
 * need all solutions and take nkg_alg_run(). The rows, their order and
 * the triples are exactly those of nkg_alg_run(). */
typedef struct {
  /* SELECT: one solution, values[i] the value of the i-th variable of
   * nkg_alg_vars() (0 unbound). CONSTRUCT: one triple (s, p, o), each
   * once. Returns 0 to go on, or -1 to stop the query as failed (the sink
   * has printed its own message). */
  int (*put)(void *data, const nkg_tid *values);
  void *data;
} nkg_alg_sink;

/* 1 when nkg_alg_stream() can evaluate a's query (see above), else 0. */
int nkg_alg_streams(const nkg_alg *a);

/* The projected variables of a SELECT (names without '?', in the tree's
 * arena), as nkg_alg_result.vars; *n is set to their number. */
const char *const *nkg_alg_vars(const nkg_alg *a, size_t *n);

/* Evaluates a query that nkg_alg_streams(), handing each solution or
 * triple to sink as soon as it is produced. Returns 0, or -1 after a
 * message (or after the sink failed); what was handed over stays so. */
int nkg_alg_stream(nkg_alg *a, const nkg_alg_sink *sink);

#endif
