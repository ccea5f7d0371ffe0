/* document.h: reading a news article and splitting it into sentences.
 *
 * A document keeps its text exactly as read (after removing a UTF-8 BOM and
 * replacing invalid UTF-8 and control bytes, byte for byte, so that offsets do
 * not move; invalid bytes become '?', control characters spaces, and one
 * warning per document gives both counts). Every offset newskg reports is a byte offset into that text;
 * nkg_document_cp_offset() converts it to the code-point offset written to
 * the graph (NIF counts code points).
 *
 * Header conventions of the genre are recognised: line 1 is the title, a line
 * " date YYYY-MM-DD" gives the publication date, a dateline
 * ("ISLAMABAD, Dec 17 (APP):") is split off the first body sentence and its
 * place kept. Lines matching the furniture patterns (menus, share buttons,
 * bylines, copyright, headline lists) are not split into sentences. */
#ifndef NKG_DOCUMENT_H
#define NKG_DOCUMENT_H

#include <stddef.h>

typedef struct nkg_lexicon nkg_lexicon;

typedef struct {
  size_t begin; /* byte offset of the first byte */
  size_t end;   /* byte offset one past the last byte */
  int paragraph; /* index of the paragraph (line block) it belongs to */
} nkg_sentence;

typedef struct {
  char *name;        /* source name as given (file path or "-") */
  char *text;        /* the text, NUL-terminated, len bytes */
  size_t len;
  size_t title_begin, title_end; /* title span, empty if none */
  char published[11];            /* "YYYY-MM-DD" or "" */
  size_t dateline_begin, dateline_end; /* dateline place span, or empty */
  nkg_sentence *sentences;
  size_t n_sentences;
  size_t cp_byte, cp_count; /* last conversion, to make the next cheap */
  int replaced_bytes; /* invalid UTF-8 or control bytes replaced */
} nkg_document;

/* Reads path ("-" for stdin) into a new document. On failure prints
 * "newskg: PATH: reason" and returns NULL. */
nkg_document *nkg_document_read(const char *path);

/* Makes a document named name from text, taking ownership of text
 * (malloc'd, len bytes, need not be NUL-terminated: it is reallocated).
 * Warns, naming the document, when the text is empty or only white space or
 * looks like an HTML page; the document is still made. Never fails. */
nkg_document *nkg_document_from_text(const char *name, char *text, size_t len);

/* Finds title, date, dateline and sentences using lex (furniture patterns,
 * abbreviations). Returns 0, or -1 with a message on stderr. */
int nkg_document_analyse(nkg_document *doc, const nkg_lexicon *lex);

size_t nkg_document_cp_offset(nkg_document *doc, size_t byte_offset);

void nkg_document_free(nkg_document *doc);

#endif
