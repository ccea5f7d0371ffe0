/* extract.h: the extraction pipeline for one document.
 *
 * nkg_rules_load() reads every *.rules file of the rules directory (format in
 * extract/README.rules... see the header of extract/officials.rules), expands
 * placeholders and compiles each pattern once with PCRE2 and its JIT, with
 * match and depth limits. A malformed rule is reported as FILE:LINE: message.
 *
 * nkg_extract_document() tags each sentence, runs the rules, resolves the
 * people mentioned within the document and fills an nkg_extraction. It never
 * fails on text: a pattern that hits its match limit is reported as a warning
 * and skipped for that sentence. Rules and lexicon are read-only here, so one
 * set may serve several threads. */
#ifndef NKG_EXTRACT_H
#define NKG_EXTRACT_H

#include "document.h"
#include "extraction.h"
#include "lexicon.h"

typedef struct nkg_rules nkg_rules;

nkg_rules *nkg_rules_load(const char *dir);
/* The same rules, compiled (JIT code, prefilters) by up to `threads`
 * threads at once (at most 8): for `extract -j N`, whose start was serial. */
nkg_rules *nkg_rules_load_threads(const char *dir, int threads);
void nkg_rules_free(nkg_rules *rules);
size_t nkg_rules_count(const nkg_rules *rules);

/* Returns 0 on success (out filled; free with nkg_extraction_free), -1 on an
 * internal error (message printed). */
int nkg_extract_document(const nkg_rules *rules, const nkg_lexicon *lex,
                         nkg_document *doc, nkg_extraction *out);

#endif
