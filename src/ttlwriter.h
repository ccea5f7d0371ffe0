/* ttlwriter.h: one document's Turtle, byte for byte as raptor 2's "turtle"
 * serialiser writes it, for the statements newskg makes.
 *
 * raptor's Turtle serialiser puts every term in an AVL tree and, for each
 * IRI it writes, tries every namespace of its stack for a prefixed name
 * (raptor_new_qname_from_namespace_uri, an allocation and an XML name check
 * each time): a fifth of `newskg extract` to Turtle went there. This module
 * writes the same bytes in one pass over statements that are already in
 * raptor's order, with each IRI's written form kept for the batch.
 *
 * It copies raptor 2.0.15/2.0.16 (raptor_serialize_turtle.c,
 * raptor_turtle_writer.c) for what it accepts:
 * - "@prefix rdf: <...> ." and then one line per declared prefix, in the
 *   order given, and an empty line;
 * - subjects in order, each as "S\n    P O, O ;\n    P O .\n\n"; the
 *   predicate rdf:type as "a";
 * - an IRI as prefix:local when a declared namespace (or xml:) is a proper
 *   prefix of it and the rest is an XML 1.0 name; for subjects and objects
 *   only when that rest also starts with an ASCII letter, digit or '_' and
 *   has no '.' (raptor_turtle_is_legal_turtle_qname); otherwise <...> with
 *   raptor's Turtle IRI escapes (\\, \u00XX for > and 0x00-0x20 < " { } |
 *   ^ `, UTF-8 as it is). rdf:nil as a subject or object is "( )".
 * - literals "..." (or """...""" when the string holds a newline) with \"
 *   and \\ escaped and every other byte as it is; then ^^datatype (a
 *   prefixed name without the Turtle check, or <...>) or @lang. xsd:integer,
 *   xsd:decimal, xsd:double and xsd:boolean values are written bare.
 *
 * What it does not write the way raptor does, it refuses, writing nothing,
 * so that the caller hands the batch to raptor: blank nodes (raptor nests
 * and names them by use counts), terms of other types, UTF-8 that raptor's
 * decoder refuses anywhere (raptor then cuts terms and drops properties),
 * numeric or boolean literals raptor reports as illegal, and namespace
 * tables where one namespace is a prefix of another (raptor's choice then
 * follows its hash table). No state is kept between calls but in the
 * writer the caller owns; one writer per thread. */
#ifndef NKG_TTLWRITER_H
#define NKG_TTLWRITER_H

#include <raptor2.h>
#include <stddef.h>

#include "util.h"

typedef struct nkg_ttl_writer nkg_ttl_writer;

/* A writer for prefixes[i] bound to namespaces[i], i < n, declared in that
 * order after rdf: (as raptor_serializer_set_namespace() declares them).
 * Never NULL (allocation failure aborts, as nkg_xcalloc does). */
nkg_ttl_writer *nkg_ttl_writer_new(const char *const *prefixes,
                                   const char *const *namespaces, size_t n);
void nkg_ttl_writer_free(nkg_ttl_writer *w);

/* Appends to out the Turtle document raptor's serialiser writes for
 * statements v[0..n) (graph terms ignored), which must be sorted by
 * raptor_term_compare() of subject, predicate, object; repeated triples are
 * written once. The terms must stay alive and unchanged between calls on
 * the same writer (IRI forms are kept by address); call
 * nkg_ttl_writer_reset() before terms may be freed. Returns 0, or -1 with
 * out's contents unchanged (its room may have grown) when the batch holds
 * something raptor must write (see above). */
int nkg_ttl_write(nkg_ttl_writer *w, nkg_buf *out, raptor_statement *const *v,
                  size_t n);

/* Forgets the IRI forms kept from earlier calls. */
void nkg_ttl_writer_reset(nkg_ttl_writer *w);

#endif
