/* sparql_lex.h: the SPARQL 1.1 tokenizer of the query front end.
 *
 * nkg_sq_lex() splits a query into tokens that point into the caller's
 * text (which must outlive them). Every token carries its line and column
 * (1-based, columns in bytes) so that parse errors can name them. */
#ifndef NKG_SPARQL_LEX_H
#define NKG_SPARQL_LEX_H

#include <stddef.h>

typedef enum {
  SQ_EOF = 0,
  SQ_IRI,      /* <...> */
  SQ_PNAME_NS, /* ex: */
  SQ_PNAME_LN, /* ex:local */
  SQ_BNODE,    /* _:label */
  SQ_VAR,      /* ?x or $x */
  SQ_LANGTAG,  /* @en */
  SQ_INTEGER,
  SQ_DECIMAL,
  SQ_DOUBLE,
  SQ_STRING,   /* any of the four quoted forms */
  SQ_WORD,     /* keywords, function names, a, true, false */
  SQ_PUNCT,    /* { } ( ) [ ] . , ; * + - / ! ^ | ? = != < > <= >= && || ^^ */
  SQ_NIL,      /* ( ) */
  SQ_ANON      /* [ ] */
} nkg_sq_toktype;

typedef struct {
  nkg_sq_toktype type;
  const char *s; /* into the query text */
  size_t n;
  int line, col;
} nkg_sq_tok;

/* Tokenizes text. Returns 0 and sets *toks (malloc'd, ending with SQ_EOF)
 * and *ntoks, or -1 and sets *error (malloc'd, "line L, column C: ..."). */
int nkg_sq_lex(const char *text, nkg_sq_tok **toks, size_t *ntoks,
               char **error);

/* Case-insensitive comparison of a SQ_WORD or SQ_PUNCT token with word. */
int nkg_sq_tok_is(const nkg_sq_tok *t, const char *word);

#endif
