/* tokens.h: splitting UTF-8 text into words and punctuation.
 *
 * A word is a run of letters, digits and combining marks, with inner hyphens,
 * apostrophes, dots between single letters (U.S) and ampersands between
 * capitals (R&D) kept inside it. A possessive "'s" is its own token. Every
 * other non-space character is a one-character token. Offsets are bytes into
 * the text. The lexicon and the tagger use the same function, so gazetteer
 * phrases and sentences split alike. */
#ifndef NKG_TOKENS_H
#define NKG_TOKENS_H

#include <stddef.h>

typedef struct {
  size_t begin, end;
} nkg_token;

/* Appends the tokens of text[begin..end) to *toks (a malloc'd array of *n
 * tokens, capacity *cap; all may start at NULL/0). */
void nkg_tokenize(const char *text, size_t begin, size_t end, nkg_token **toks,
                  size_t *n, size_t *cap);

/* Decodes the UTF-8 code point at s[i] (i < n); sets *len to its length (1
 * for an invalid byte, which decodes as U+FFFD). */
unsigned nkg_utf8_decode_multi(const char *s, size_t n, size_t i,
                               size_t *len); /* the same, for any byte */
/* ASCII, most of any text, is decoded here without a call (the call was
 * 2% of extract); the rest by nkg_utf8_decode_multi. */
static inline unsigned nkg_utf8_decode(const char *s, size_t n, size_t i,
                                       size_t *len) {
  unsigned char c = (unsigned char)s[i];
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  return nkg_utf8_decode_multi(s, n, i, len);
}

/* Character classes used by the tokenizer. The ASCII cases are inline
 * (called for every character of the text); the *_multi functions answer
 * for any code point. */
int nkg_cp_is_space_multi(unsigned cp);
int nkg_cp_is_word_multi(unsigned cp);
int nkg_cp_is_upper_multi(unsigned cp);
static inline int nkg_cp_is_space(unsigned cp) {
  if (cp < 0x80)
    return cp == ' ' || (cp >= '\t' && cp <= '\r'); /* \t \n \v \f \r */
  return nkg_cp_is_space_multi(cp);
}
static inline int nkg_cp_is_word(unsigned cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= '0' && cp <= '9');
  return nkg_cp_is_word_multi(cp);
}
static inline int nkg_cp_is_upper(unsigned cp) {
  if (cp < 0x80)
    return cp >= 'A' && cp <= 'Z';
  return nkg_cp_is_upper_multi(cp);
}
/* Nonzero if s[0..n) is a Roman numeral of two to four letters ("II",
 * "VI", "XIV"): after a name, a regnal number that is part of the name
 * ("Abdullah II"), not an initialism; one letter ("I", "V") is usually a
 * word or an initial and does not count. */
int nkg_word_is_regnal(const char *s, size_t n);

/* Lower case of an upper-case letter that nkg_cp_is_upper() knows. */
unsigned nkg_cp_to_lower(unsigned cp);

/* Appends a normalised lookup key for the word s[0..n): lower-cased unless
 * keep_case (Latin letters with accents too), typographic apostrophes and
 * non-breaking hyphens mapped to ASCII. */
#include "util.h"
void nkg_word_key(nkg_buf *b, const char *s, size_t n, int keep_case);

/* Appends the UTF-8 encoding of the code point cp (at most 0x10FFFF; no
 * check that it is a character) to b. */
void nkg_utf8_add(nkg_buf *b, unsigned cp);
#endif
