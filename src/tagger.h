/* tagger.h: turns a sentence into units and a tagged string for the rules.
 *
 * A unit is a word, a punctuation mark or a gazetteer phrase. Each unit is
 * written into the tagged string either as its class name in capitals
 * (COUNTRY, TITLE, NAME...) or, for ordinary words, as the word itself in
 * lower case; units are separated by one space. So the sentence
 *   "Japan's Foreign Minister Taro Aso met the Thai ambassador."
 * becomes
 *   "COUNTRY 's PORT TITLE NAME NAME met the DEMONYM RANK ."
 * and rules are regular expressions over that string. The classes:
 *   COUNTRY DEMONYM PLACE SECTOR   gazetteer entries (value: lexicon index)
 *   TITLE RANK                     title head, capitalised / lower case
 *   MOD PORT HON ORG               title modifier, portfolio word,
 *                                  honorific, organisation head
 *   NAME ACR                       other capitalised word / short acronym
 *   MONTH WEEKDAY YEAR NUM         dates and numbers
 *   OFFICIAL                       a resolved mention of a person (value:
 *                                  person index), made by nkg_tagged_collapse
 * Punctuation is written as itself, with typographic quotes and dashes
 * folded to ASCII; a possessive is "'s". */
#ifndef NKG_TAGGER_H
#define NKG_TAGGER_H

#include <stddef.h>

#include "lexicon.h"
#include "util.h"

typedef enum {
  NKG_U_WORD = 0,
  NKG_U_PUNCT,
  NKG_U_COUNTRY,
  NKG_U_DEMONYM,
  NKG_U_PLACE,
  NKG_U_SECTOR,
  NKG_U_TITLE,
  NKG_U_RANK,
  NKG_U_MOD,
  NKG_U_PORT,
  NKG_U_HON,
  NKG_U_ORG,
  NKG_U_NAME,
  NKG_U_ACR,
  NKG_U_MONTH,
  NKG_U_WEEKDAY,
  NKG_U_YEAR,
  NKG_U_NUM,
  NKG_U_OFFICIAL,
  NKG_U_COUNT
} nkg_unit_class;

typedef struct {
  size_t begin, end; /* byte span in the document text */
  nkg_unit_class cls;
  int value;       /* lexicon index, month, weekday, number or person */
  unsigned mask;   /* every lexicon class the phrase had (1 << nkg_word_class) */
  int sector;      /* its sector (lexicon index) when mask has SECTOR, else -1 */
  int claimed;     /* part of a mention already used by a rule */
} nkg_unit;

typedef struct {
  const char *text; /* the document text the spans refer to */
  nkg_unit *units;
  size_t n, cap;
  nkg_buf tags;     /* the tagged string */
  unsigned long version; /* changes each time tags is written */
  size_t *pos;      /* pos[i]: offset of unit i in tags; pos[n] = tags.len */
  size_t pos_cap;
} nkg_tagged;

/* Tags text[begin..end). t must be zeroed the first time; it is reused. */
void nkg_tag_sentence(const nkg_lexicon *lex, const char *text, size_t begin,
                      size_t end, nkg_tagged *t);

/* Rebuilds the tagged string after units changed. */
void nkg_tagged_render(nkg_tagged *t);

/* Index of the unit that covers tagged-string offset off (the next unit if
 * off falls on a space). */
size_t nkg_tagged_unit_at(const nkg_tagged *t, size_t off);

/* Replaces units [from, to) by one unit of class cls and value value,
 * spanning their text. The tagged string is stale until the caller runs
 * nkg_tagged_render(), once after a batch of collapses. */
void nkg_tagged_collapse(nkg_tagged *t, size_t from, size_t to,
                         nkg_unit_class cls, int value);

const char *nkg_unit_class_name(nkg_unit_class cls);

void nkg_tagged_free(nkg_tagged *t);

#endif
