/* explain.h: what `newskg extract --explain` prints: each event the
 * extractor built from a document, the trigger that opened it and where
 * each of its slots came from, in words a person reads.
 *
 * For every meeting: the rule and the text of the trigger, with its
 * sentence; each participant with the mention that named them, their
 * position and country and the rule behind each; the date and the place
 * with the rule or inference step that filled them and the text they were
 * read from. Then the cooperation between countries and the sectors, each
 * with its evidence. Spans are quoted from the document's text; sentence
 * numbers count from 0, as in NEWSKG_TRACE and the graph's sentence IRIs. */
#ifndef NKG_EXPLAIN_H
#define NKG_EXPLAIN_H

#include "document.h"
#include "extraction.h"
#include "lexicon.h"
#include "util.h"

/* Appends the explanation of x (extracted from doc) to out. */
void nkg_explain_document(const nkg_document *doc, const nkg_extraction *x,
                          const nkg_lexicon *lex, nkg_buf *out);

#endif
