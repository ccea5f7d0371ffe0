/* fuzz_document.c: the document reader and sentence splitter.
 * nkg_document_from_text() (BOM, invalid UTF-8 and control bytes), then
 * nkg_document_analyse() (title, date line, dateline, furniture, sentences),
 * and a check of the invariants the rest of newskg relies on. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "document.h"
#include "fuzz_common.h"
#include "lexicon.h"

static nkg_lexicon *lex;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  nkg_set_quiet(1);
  lex = nkg_lexicon_load(fuzz_rules_dir());
  if (!lex) {
    fprintf(stderr, "fuzz_document: cannot load the lexicon\n");
    abort();
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  nkg_document *doc =
      nkg_document_from_text("fuzz.txt", fuzz_copy(data, size), size);
  if (nkg_document_analyse(doc, lex) != 0)
    abort(); /* documented never to fail on text */
  for (size_t i = 0; i < doc->n_sentences; i++) {
    const nkg_sentence *s = &doc->sentences[i];
    if (s->begin >= s->end || s->end > doc->len)
      abort();
    if (i && s->begin < doc->sentences[i - 1].end)
      abort(); /* sentences are in order and do not overlap */
    (void)nkg_document_cp_offset(doc, s->begin);
    (void)nkg_document_cp_offset(doc, s->end);
  }
  if (doc->title_end > doc->len || doc->title_begin > doc->title_end)
    abort();
  if (doc->dateline_end > doc->len || doc->dateline_begin > doc->dateline_end)
    abort();
  if (strlen(doc->text) != doc->len)
    abort(); /* NUL bytes were replaced */
  nkg_document_free(doc);
  return 0;
}
