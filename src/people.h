/* people.h: one identity for a person across the documents of a run.
 *
 * Within a document the extractor already merges mentions of one person.
 * Across documents, nkg_people_unify() gives a person the spelling under
 * which an earlier document named them when the evidence agrees: the names
 * match (nkg_name_same: same tokens up to small spelling variants, such as
 * Makhdum / Makhdoom), and the countries do not conflict (equal, or one
 * unknown). Person IRIs are minted from the name, so the two documents then
 * share one IRI. Documents must be passed in input order for the output to
 * be deterministic. Separate runs (shards) know nothing of each other: there
 * the same spelling still gives the same IRI, a variant spelling does not. */
#ifndef NKG_PEOPLE_H
#define NKG_PEOPLE_H

#include "extraction.h"

typedef struct nkg_people nkg_people;

nkg_people *nkg_people_new(void);
void nkg_people_free(nkg_people *p);

/* Rewrites the names of x's persons to the spellings first seen for them,
 * and remembers x's persons for later documents. */
void nkg_people_unify(nkg_people *p, nkg_extraction *x);

#endif
