/* extraction.h: what the extractor found in one document, before it becomes
 * RDF. Indices refer to arrays of the same struct or to the lexicon.
 *
 * Every fact carries an nkg_prov: the sentence it was read from, the byte
 * span of the text the rule matched, and the rule id. The graph module turns
 * each into an Evidence node. */
#ifndef NKG_EXTRACTION_H
#define NKG_EXTRACTION_H

#include <stddef.h>

typedef struct {
  int sentence;        /* index into doc->sentences, or -1 (document level) */
  size_t begin, end;   /* byte span in doc->text */
  const char *rule;    /* rule id; points into the rule set (static life) */
} nkg_prov;

typedef struct {
  char *name;       /* normalised full name ("Matsuo Takehiko") */
  char *position;   /* title as written, or NULL */
  int country;      /* lexicon country index, or -1 */
  int posted_to;    /* country an envoy is posted to ("to Japan"), or -1 */
  nkg_prov prov;          /* first full mention */
  nkg_prov position_prov;
  nkg_prov country_prov;
  int relevant;     /* nonzero once a fact about the person is emitted */
  int position_inherited; /* position is a counterpart's, not stated */
  /* position holds two titles joined by "and" ("Deputy Prime Minister and
   * Foreign Minister"): the first is position[0, first_len), the second
   * starts at position + second_at; both 0 when it holds one */
  size_t position_first_len, position_second_at;
} nkg_person;

typedef struct {
  char *label;  /* "Islamabad" */
  int place;    /* lexicon place index, or -1 for a free-text place */
  int country;  /* lexicon country index, or -1 */
} nkg_place_ref;

typedef struct {
  int *participants; /* person indices, sorted, no duplicates */
  size_t n_participants;
  char date[11];     /* "YYYY-MM-DD" or "" */
  int place;         /* index into places, or -1 */
  nkg_prov prov;
  nkg_prov date_prov;
  nkg_prov place_prov;
} nkg_meeting;

typedef struct {
  int a, b;     /* person indices (met) or country indices (cooperatesWith) */
  nkg_prov prov;
} nkg_pair;

typedef struct {
  int country;  /* lexicon country index */
  int sector;   /* lexicon sector index, or -1 for an unlisted one */
  int unlisted; /* index into nkg_extraction.unlisted, or -1 */
  nkg_prov prov;
} nkg_coop_in;

typedef struct {
  nkg_person *persons;
  size_t n_persons;
  nkg_place_ref *places;
  size_t n_places;
  nkg_meeting *meetings;
  size_t n_meetings;
  nkg_pair *met;            /* a < b */
  size_t n_met;
  nkg_pair *cooperates;     /* country a < country b */
  size_t n_cooperates;
  nkg_coop_in *cooperates_in;
  size_t n_cooperates_in;
  /* Sectors named in a cooperation list that the gazetteer does not list
   * ("river dredging"): their words as written, in lower case. */
  char **unlisted;
  size_t n_unlisted;
} nkg_extraction;

void nkg_extraction_free(nkg_extraction *x);

#endif
