/* resolve.h: deciding whether two mentions name the same person.
 *
 * Names are compared as sets of tokens, folded to ASCII lower case. Two
 * tokens match when equal, or when both are long (5+ letters) and at most
 * two edits apart (Makhdum / Makhdoom, Ganiev / Ganivev). */
#ifndef NKG_RESOLVE_H
#define NKG_RESOLVE_H

#include <stddef.h>

#include "util.h"

/* Writes the display form of a name given as the text of its words: runs of
 * spaces collapse, a trailing possessive goes, and words in capitals of five
 * letters or more are written in title case (MATSUO -> Matsuo). */
void nkg_name_normalise(nkg_buf *out, const char *s, size_t n);

/* Nonzero if full names a and b denote the same person: same tokens, or the
 * shorter has two or more tokens that all match tokens of the longer. */
int nkg_name_same(const char *a, const char *b);

/* Nonzero if every token of the partial mention ref ("Bakhtyar",
 * "Di Maio") matches a token of the full name. */
int nkg_name_refers(const char *ref, const char *full);

#endif
