/* pstats.h: per-predicate statistics of a graph, for the join order of
 * the SPARQL evaluator (sparql_algebra.h).
 *
 * For each predicate IRI: the statements that use it, and how many
 * distinct subjects and distinct objects they have; and the same three
 * numbers over all statements (the totals). The evaluator estimates from
 * them how many statements a triple pattern matches once some of its
 * positions are bound (count / distinct subjects for a bound subject, and
 * so on), and reads the pattern with the fewest matches first.
 *
 * Two ways to fill them:
 *   - nkg_pstats_count() for each statement added to an in-memory model
 *     (newskg query FILES): terms are given as 64-bit hashes, so the
 *     distinct counts are exact up to hash collisions;
 *   - nkg_pstats_set() with counts kept elsewhere (the table that
 *     `newskg load` writes into an sqlite store, store.h).
 *
 * Statements are counted as given: a triple stated in two graphs counts
 * twice (an estimate, not an answer). The totals' distinct subjects and
 * objects are the largest of any one predicate (a lower bound that costs
 * no count of its own). */
#ifndef NKG_PSTATS_H
#define NKG_PSTATS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  double triples;  /* statements */
  double subjects; /* distinct subjects */
  double objects;  /* distinct objects */
} nkg_pstat;

typedef struct nkg_pstats nkg_pstats;

/* An empty set of statistics (never NULL: allocation failure aborts). */
nkg_pstats *nkg_pstats_new(void);
void nkg_pstats_free(nkg_pstats *s);

/* Counts one statement with the predicate IRI p (plen bytes), and the
 * hashes of its subject and object (any hash that tells terms apart, the
 * same for the same term). cls is the object's IRI (clen bytes) when the
 * object is an IRI, else NULL: with p rdf:type the statement also counts
 * a member of that class (below). About 0.1 microsecond a statement. */
void nkg_pstats_count(nkg_pstats *s, const char *p, size_t plen,
                      uint64_t subject, uint64_t object, const char *cls,
                      size_t clen);

/* Sets the numbers of the predicate p (plen bytes), or the totals when p
 * is NULL. */
void nkg_pstats_set(nkg_pstats *s, const char *p, size_t plen,
                    const nkg_pstat *v);

/* The numbers of the predicate p, or NULL when no statement uses it. */
const nkg_pstat *nkg_pstats_get(const nkg_pstats *s, const char *p,
                                size_t plen);

/* Classes: the members of each class, that is the statements
 * "x rdf:type C" for each IRI C (rdf:type's objects are few and their
 * sizes far apart, so an average per object misleads). Counted by
 * nkg_pstats_count() for each such statement, or set from a store. nkg_pstats_class() gives C's members, 0 when it has none, or -1
 * when no class was ever counted or set (no numbers). */
#define NKG_PSTATS_RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
void nkg_pstats_set_class(nkg_pstats *s, const char *c, size_t clen,
                          double members);
double nkg_pstats_class(const nkg_pstats *s, const char *c, size_t clen);

/* The numbers over all statements. */
const nkg_pstat *nkg_pstats_total(const nkg_pstats *s);

/* How many predicates have numbers, and the i-th of them (from 0, in the
 * order they were first counted or set): its IRI into *iri (owned by s)
 * and *len. */
size_t nkg_pstats_predicates(const nkg_pstats *s);
const nkg_pstat *nkg_pstats_nth(const nkg_pstats *s, size_t i,
                                const char **iri, size_t *len);

/* How many classes have members, and the i-th of them as above (its
 * members in .triples of the result). */
size_t nkg_pstats_classes(const nkg_pstats *s);
const nkg_pstat *nkg_pstats_nth_class(const nkg_pstats *s, size_t i,
                                      const char **iri, size_t *len);

#endif
