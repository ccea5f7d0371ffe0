/* iricache.h: one raptor IRI term per distinct IRI string, shared by the
 * statements of a document instead of made for each of them.
 *
 * A document repeats the same IRIs many times (its own IRI, its sentences,
 * the people and the predicates); making a raptor term for each use cost
 * a tenth of `newskg extract -f ntriples` (a URI lookup in the raptor
 * world's tree, two allocations, and as many frees). The cache hands out
 * new references (raptor_term_copy) to a term made once. It is emptied by
 * nkg_iri_cache_clear(), after each document, so what it holds is bounded
 * by the largest document, not the corpus. Not thread-safe: one cache per
 * graph, and so per raptor world and thread. */
#ifndef NKG_IRICACHE_H
#define NKG_IRICACHE_H

#include <raptor2.h>
#include <stddef.h>

typedef struct nkg_iri_cache nkg_iri_cache;

/* An empty cache making terms in world, which must outlive it. */
nkg_iri_cache *nkg_iri_cache_new(raptor_world *world);

/* Drops the cache's references (terms still used by statements live on). */
void nkg_iri_cache_free(nkg_iri_cache *c);

/* A new reference to the IRI term of the string iri of len bytes (len is
 * strlen(iri): the caller has it already), for the caller to free with
 * raptor_free_term(); made on first use. Returns NULL if raptor cannot
 * make it (an empty string, no memory). */
raptor_term *nkg_iri_cache_term(nkg_iri_cache *c, const char *iri,
                                size_t len);

/* The number of terms held. */
size_t nkg_iri_cache_size(const nkg_iri_cache *c);

/* Puts the terms held (borrowed: the cache keeps its references) into
 * out, which has room for nkg_iri_cache_size(c) of them, in no particular
 * order; returns how many. */
size_t nkg_iri_cache_list(const nkg_iri_cache *c, raptor_term **out);

/* Drops every term held; the table keeps its size for the next document. */
void nkg_iri_cache_clear(nkg_iri_cache *c);

#endif
