/* graph.h: turns documents and their extractions into RDF statements and
 * writes them with a raptor serialiser, or, for N-Triples and N-Quads, with
 * ntwriter (ntwriter.h), which writes the same bytes faster.
 *
 * IRIs are minted under a base namespace (default
 * https://w3id.org/newskg/id/) from stable keys only (document content hash,
 * normalised names, lexicon keys), so the same input always gives the same
 * IRIs, and separate runs merge by concatenation. Statements are collected,
 * sorted and de-duplicated before writing, so output is byte-identical from
 * run to run. Terms of the ontology are in the namespace
 * https://w3id.org/newskg/ns# (ontology/newskg.ttl).
 *
 * Graph layout (what N-Quads and nkg_graph_to_model() name):
 *   - the entity graph, base + NKG_ENTITY_GRAPH, one for every document:
 *     statements that depend only on an entity's key, which any article
 *     naming the entity states identically: rdf:type, rdfs:label,
 *     foaf:name, owl:sameAs of officials, positions, countries, places and
 *     sectors; skos:prefLabel, altLabel, broader, inScheme of sectors; a
 *     gazetteer place's nkg:country;
 *   - the document graph, named by the document IRI: everything the
 *     article says or is (the document and its sentences, met,
 *     holdsPosition, represents, cooperatesWith, cooperatesIn, meetings
 *     with their type, label, participants, date and place, a free-text
 *     place's country, and every evidence record).
 * So a store that answers over the union of graphs sees an entity fact
 * once however many articles name the entity, and shards still merge by
 * concatenation (same IRIs, same entity graph). */
#ifndef NKG_GRAPH_H
#define NKG_GRAPH_H

#include <raptor2.h>
#include <redland.h>
#include <stdio.h>

#include "document.h"
#include "extraction.h"
#include "lexicon.h"
#include "store.h"
#include "util.h"

#define NKG_NS "https://w3id.org/newskg/ns#"
#define NKG_DEFAULT_BASE "https://w3id.org/newskg/id/"
/* The entity graph's IRI is the base followed by this. */
#define NKG_ENTITY_GRAPH "graph/entities"

typedef struct nkg_graph nkg_graph;

nkg_graph *nkg_graph_new(raptor_world *world, const char *base);
void nkg_graph_free(nkg_graph *g);

/* Adds the document node, its sentences, and every fact of x with its
 * evidence. Statements are placed in the named graph of the document or in
 * the entity graph, as the layout above says (used by N-Quads). Returns 0,
 * or -1 with a message. */
int nkg_graph_add(nkg_graph *g, nkg_document *doc, const nkg_extraction *x,
                  const nkg_lexicon *lex);

size_t nkg_graph_size(const nkg_graph *g);

/* With on nonzero, N-Triples, N-Quads and Turtle are written by raptor's
 * serialisers instead of ntwriter and ttlwriter (same bytes, slower): the
 * reference that tests/ntwriter-diff.test compares with. Off by default. */
void nkg_graph_use_raptor_writer(nkg_graph *g, int on);

/* Declares that g is only ever written (nkg_graph_flush(),
 * nkg_graph_write()), never given to nkg_graph_to_model() (which then
 * fails): its literal terms are made in g's own memory, reused from flush
 * to flush, instead of by raptor (a calloc, a malloc and their frees per
 * literal). Call it before the first nkg_graph_add(). */
void nkg_graph_stream_only(nkg_graph *g);

/* Writes every statement, sorted, in the raptor serialiser format syntax
 * ("turtle", "ntriples", "nquads", "rdfxml-abbrev", "json", "dot") to out.
 * Returns 0, or -1 if raptor reported an error. */
int nkg_graph_write(nkg_graph *g, const char *syntax, FILE *out);

/* Nonzero if syntax is written line by line with no header or state
 * (ntriples, nquads): its output for a sequence of nkg_graph_flush() calls
 * concatenates into one valid document. */
int nkg_graph_syntax_streams(const char *syntax);

/* Appends the statements held in g, sorted and without duplicates, to out in
 * the raptor serialiser format syntax, and removes them from g (the
 * streaming path: add one document, flush, write out, repeat; memory stays
 * bounded by the largest document). Statements of different flushes are not
 * de-duplicated against each other. Returns 0, or -1 with a message (g is
 * emptied in either case). */
int nkg_graph_flush(nkg_graph *g, const char *syntax, nkg_buf *out);

/* For N-Quads written flush by flush (nkg_graph_flush()): removes from the
 * N-Quads text in buf each line in the entity graph of base (NULL for the
 * default) that seen holds already, and adds the others to seen, so that a
 * run writes each entity statement once however many documents state it.
 * Lines of other graphs are kept as they are. seen grows with the distinct
 * entity statements, not with the documents. Returns the number of lines
 * removed. */
size_t nkg_graph_drop_written_entity_quads(const char *base, nkg_byteset *seen,
                                           nkg_buf *buf);

/* Maps a user-facing format name to a raptor serialiser name: turtle,
 * ntriples, nquads, json and dot map to themselves, rdfxml to rdfxml-abbrev;
 * any other serialiser name raptor knows is returned unchanged. Returns NULL
 * for an unknown name. The result is a static string or user_format. */
const char *nkg_graph_syntax_for(raptor_world *world, const char *user_format);

/* The short names of nkg_graph_syntax_for(), in help order; NULL-terminated
 * arrays of equal length. */
extern const char *const nkg_graph_formats[];
extern const char *const nkg_graph_format_syntaxes[];

/* Adds every statement of g to model m of world w, each in its named graph
 * (context: the document's or the entity graph), as N-Quads output would
 * place it. With loaded (may be NULL), a statement already added to the
 * same graph through loaded is skipped: librdf's hashes storage keeps every
 * copy, and the entity graph receives the same statements from every
 * article. The graph must have been made with
 * nkg_graph_new(librdf_world_get_raptor(w), ...): librdf statements and
 * nodes are raptor's, so they are shared, not converted. g is unchanged.
 * Returns 0, or -1 with a message. */
int nkg_graph_to_model(nkg_graph *g, librdf_world *w, librdf_model *m,
                       nkg_store_loaded *loaded);

/* Nonzero if the graph IRI iri (len bytes) names an entity graph: it ends
 * in NKG_ENTITY_GRAPH right after a '/' or '#' (whatever the base). A
 * store merges such a graph across loads instead of replacing it. */
int nkg_graph_is_entity_graph(const char *iri, size_t len);

#endif
