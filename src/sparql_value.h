/* sparql_value.h: RDF terms as the SPARQL evaluator sees them.
 *
 * Every term a query touches (from the store, the query text, or computed
 * by an expression) is interned once in an nkg_terms table and named by a
 * small integer id. Equal terms (same kind, lexical form, language tag and
 * datatype) have the same id, so joins, DISTINCT, GROUP BY and hashing
 * compare integers and never re-decode a URI. Id 0 means "unbound".
 *
 * Normal forms, so that ids are equal exactly when RDF terms are equal:
 *   - language tags are stored in lower case ("en-gb"); the datatype of a
 *     language-tagged literal is rdf:langString (dt holds that IRI);
 *   - a simple literal and an xsd:string literal are the same term: dt is
 *     NULL for both;
 *   - other literals keep their lexical form as written ("01"^^xsd:integer
 *     and "1"^^xsd:integer are different terms, as in RDF; value equality
 *     is the expression module's job).
 *
 * The table owns all its memory; ids stay valid until nkg_terms_free().
 * Interning never fails (allocation failure aborts, as nkg_xmalloc does). */
#ifndef NKG_SPARQL_VALUE_H
#define NKG_SPARQL_VALUE_H

#include <redland.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t nkg_tid;

typedef enum { NKG_T_IRI = 1, NKG_T_BNODE, NKG_T_LIT } nkg_term_kind;

typedef struct {
  nkg_term_kind kind;
  const char *lex; /* IRI, blank node label (without "_:"), or lexical form;
                      NUL-terminated, may contain no NUL */
  size_t len;      /* strlen(lex) */
  const char *lang; /* lower-case language tag, or NULL */
  const char *dt;   /* datatype IRI, or NULL for simple / xsd:string */
  uint64_t hash;
} nkg_term;

typedef struct nkg_terms nkg_terms;

nkg_terms *nkg_terms_new(void);
void nkg_terms_free(nkg_terms *t);

/* Interns a term. lex need not be NUL-terminated (len bytes are copied).
 * For literals: lang (any case) or dt may be given, not both; a dt equal
 * to xsd:string is stored as NULL; with lang, dt becomes rdf:langString. */
nkg_tid nkg_terms_intern(nkg_terms *t, nkg_term_kind kind, const char *lex,
                         size_t len, const char *lang, const char *dt);
nkg_tid nkg_terms_iri(nkg_terms *t, const char *iri);
/* A simple literal. */
nkg_tid nkg_terms_string(nkg_terms *t, const char *s, size_t len);

/* The term of id (id != 0). */
const nkg_term *nkg_terms_get(const nkg_terms *t, nkg_tid id);

/* The id of an existing term, or 0 if it was never interned (lookups of a
 * constant that cannot be in the data need not grow the table). */
nkg_tid nkg_terms_find(const nkg_terms *t, nkg_term_kind kind,
                       const char *lex, size_t len, const char *lang,
                       const char *dt);

/* librdf bridges. from_node never fails for a valid node (returns 0 for
 * NULL). to_node returns a new node the caller frees, or NULL on error;
 * conversions are cached, so the same id gives an equal node cheaply. */
nkg_tid nkg_terms_from_node(nkg_terms *t, librdf_node *n);
librdf_node *nkg_terms_to_node(nkg_terms *t, librdf_world *w, nkg_tid id);

/* A fresh blank node label unique within this table ("b0", "b1", ...
 * prefixed so it cannot clash with labels read from the data). */
nkg_tid nkg_terms_fresh_bnode(nkg_terms *t);

#endif
