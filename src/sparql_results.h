/* sparql_results.h: writing SPARQL query results in the W3C formats.
 *
 *   json   SPARQL 1.1 Query Results JSON Format
 *   xml    SPARQL Query Results XML Format (Second Edition)
 *   csv    SPARQL 1.1 Query Results CSV and TSV Formats, section 3 (CSV)
 *   tsv    the same, section 4 (TSV)
 *   table  a plain text table for people (the default on a terminal)
 *
 * Unbound variables are left out of a JSON binding and an XML <result>,
 * and are empty fields in CSV and TSV, as the recommendations say.
 * Rows are written as they come (table buffers them to size its columns),
 * so memory is bounded by one row for every format but table. Every write
 * is checked: a function returns -1 when the output failed (a message
 * "newskg: WHAT: ..." is printed once, naming what). */
#ifndef NKG_SPARQL_RESULTS_H
#define NKG_SPARQL_RESULTS_H

#include <stdio.h>

#include "sparql_value.h"

typedef struct nkg_rs nkg_rs;

/* 1 when name is one of the formats above. */
int nkg_rs_format_known(const char *name);

/* Starts a result set of variables vars (names without '?', in projection
 * order). what names the output in messages. NULL on a failed write (after
 * a message) or an unknown format. */
nkg_rs *nkg_rs_begin(FILE *out, const char *what, const char *format,
                     nkg_terms *terms, const char *const *vars, size_t nvars);
/* Writes one solution: row[i] is the value of vars[i], 0 when unbound. */
int nkg_rs_row(nkg_rs *rs, const nkg_tid *row);
/* Ends the result set and frees rs (also after a failed row). */
int nkg_rs_end(nkg_rs *rs);
/* Frees rs without ending the document: after a query that failed while
 * its rows were being written, what was written stays unfinished (JSON and
 * XML do not parse), so that it is not taken for a whole answer. */
void nkg_rs_abort(nkg_rs *rs);

/* An ASK answer in format (table prints "true" or "false"). */
int nkg_rs_boolean(FILE *out, const char *what, const char *format, int value);

#endif
