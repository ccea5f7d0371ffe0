/* lexicon.h: the language knowledge newskg reads from the rules directory
 * (extract/ in the source tree, $(pkgdatadir)/extract when installed).
 *
 * Files (all UTF-8, '#' comments, tab-separated where they have columns):
 *   countries.tsv   key, name, wikidata, variants|..., demonyms|...
 *   places.tsv      name, country key, wikidata, variants|...
 *   sectors.tsv     key, prefLabel, altLabels|..., broader key
 *   words.tsv       word or phrase, class (see the file's header)
 *   furniture.txt   one PCRE2 pattern a line: page furniture lines
 *   datelines.txt   one PCRE2 pattern a line with a group (?<place>...),
 *                   and optionally (?<day>...) (?<month>...) (?<year>...)
 *   pagedates.txt   one PCRE2 pattern a line with groups (?<day>...)
 *                   (?<month>...) (?<year>...): a lead line that dates
 *                   the page ("Published 11-11-2024")
 *   abbreviations.txt  one abbreviation a line ("Mr.", "U.S.")
 * A malformed line is reported as "newskg: FILE:LINE: message" and loading
 * fails. The lexicon is read once and is immutable afterwards, so it may be
 * shared by threads. */
#ifndef NKG_LEXICON_H
#define NKG_LEXICON_H

#include <stddef.h>

typedef struct {
  char *key;      /* "jp" */
  char *name;     /* "Japan" */
  char *wikidata; /* "Q17" or "" */
} nkg_country;

typedef struct {
  char *name;  /* "Tokyo" */
  int country; /* index into countries, or -1 */
  char *wikidata;
} nkg_place;

typedef struct {
  char *key;        /* "automotive" */
  char *pref_label; /* "automotive" */
  char **alt_labels;
  size_t n_alt_labels;
  int broader; /* index into sectors, or -1 */
} nkg_sector;

/* Word classes a gazetteer entry can have; the tagger turns a matched phrase
 * into the class's token name in the tagged sentence (see tagger.h). */
typedef enum {
  NKG_WC_NONE = 0,
  NKG_WC_COUNTRY,  /* value: country index */
  NKG_WC_DEMONYM,  /* value: country index */
  NKG_WC_PLACE,    /* value: place index */
  NKG_WC_SECTOR,   /* value: sector index */
  NKG_WC_TITLE,    /* head of a title: Minister, Ambassador, Prime Minister */
  NKG_WC_MOD,      /* title modifier: Deputy, Federal, Vice, Special */
  NKG_WC_PORT,     /* portfolio word inside a title: Industries, Affairs */
  NKG_WC_HON,      /* honorific: Mr, Dr, H.E. */
  NKG_WC_ORG,      /* organisation head word: Ministry, Embassy, Department */
  NKG_WC_STOP,     /* capitalised word that is never part of a name */
  NKG_WC_MONTH,    /* value: month 1..12 */
  NKG_WC_WEEKDAY,  /* value: 0 = Monday .. 6 = Sunday */
  NKG_WC_PRON,     /* he, she: value 1 male, 2 female */
  NKG_WC_SUFFIX,   /* ending of unlisted portfolio words: "-tion" */
  NKG_WC_HEAD,     /* head noun that a sector label may be: "industry" */
  NKG_WC_FUNC,     /* function word: "the", "in", "and" */
  NKG_WC_GENERIC,  /* word that names no field: "bilateral", "mutual" */
  NKG_WC_OPEN,     /* word that never ends a sentence: "of", "the", "and" */
  NKG_WC_CUE,      /* word of cooperation or talks: "cooperation", "discussed" */
  NKG_WC_HOST,     /* verb of hosting, whose object is a guest: "received" */
  NKG_WC_DET,      /* determiner: "the", "a", "his", "their" */
  NKG_WC_DEF,      /* definite article: "the" */
  NKG_WC_COUNT
} nkg_word_class;

/* One gazetteer phrase: the set of classes it has (bit 1 << class) and the
 * value for each. "Finance" is both a portfolio word and a sector. */
typedef struct {
  unsigned mask;
  int value[NKG_WC_COUNT];
} nkg_lex_entry;

/* Nonzero if a class mask (an entry's, or a tagged unit's) has class c. */
static inline int nkg_lex_has(unsigned mask, nkg_word_class c) {
  return (mask >> c) & 1u;
}

typedef struct nkg_lexicon nkg_lexicon;

/* Loads every file above from dir. Returns NULL after printing the errors. */
nkg_lexicon *nkg_lexicon_load(const char *dir);
void nkg_lexicon_free(nkg_lexicon *lex);

const char *nkg_lexicon_dir(const nkg_lexicon *lex);

/* Longest gazetteer phrase starting at word index i of words[0..n) (each a
 * pointer and length into UTF-8 text). Matching is case-insensitive, except
 * for entries written in capitals of up to 4 letters (IT, US, SME), which
 * match exactly. Returns the number of words matched (0 if none) and points
 * *out at the entry (owned by the lexicon). */
size_t nkg_lexicon_match(const nkg_lexicon *lex, const char *const *words,
                         const size_t *lens, size_t n, size_t i,
                         const nkg_lex_entry **out);

size_t nkg_lexicon_n_countries(const nkg_lexicon *lex);
const nkg_country *nkg_lexicon_country(const nkg_lexicon *lex, int i);
size_t nkg_lexicon_n_places(const nkg_lexicon *lex);
const nkg_place *nkg_lexicon_place(const nkg_lexicon *lex, int i);
size_t nkg_lexicon_n_sectors(const nkg_lexicon *lex);
const nkg_sector *nkg_lexicon_sector(const nkg_lexicon *lex, int i);

/* Furniture: nonzero if the line s[0..n) is page furniture. */
int nkg_lexicon_is_furniture(const nkg_lexicon *lex, const char *s, size_t n);
/* Datelines: if a pattern of datelines.txt matches at the start of s[0..n),
 * sets the place span (relative to s) and the length of the whole dateline
 * and returns nonzero. When the pattern's groups (?<day>) (?<month>) and
 * (?<year>) matched a date ("Tashkent, 14 March 2024 (UzA) -"), date gets
 * "YYYY-MM-DD", else "". */
int nkg_lexicon_dateline(const nkg_lexicon *lex, const char *s, size_t n,
                         size_t *place_begin, size_t *place_end,
                         size_t *length, char date[11]);
/* Page dates: if a pattern of pagedates.txt matches at the start of
 * s[0..n) and its groups give a valid date (a month in digits or words; a
 * month above 12 that came first, "05/25/2023", is swapped with the day),
 * sets date to "YYYY-MM-DD" and returns nonzero; else date is "". */
int nkg_lexicon_page_date(const nkg_lexicon *lex, const char *s, size_t n,
                          char date[11]);
/* Nonzero if the capitalised word s[0..n), not in any gazetteer, is still
 * a portfolio word by its ending ("Transition", "Governance"): seven letters
 * or more and an ending of class suffix in words.tsv. */
int nkg_lexicon_is_port_word(const nkg_lexicon *lex, const char *s, size_t n);

/* Nonzero if the line s[0..n) ends with a word of class open in
 * words.tsv, written in lower case ("... to finalize cooperation in"): a
 * sentence broken by a line break, which the next line continues. */
int nkg_lexicon_leaves_open(const nkg_lexicon *lex, const char *s, size_t n);

/* Nonzero if the word ending at a '.' (s[0..n), including the dot) is a
 * known abbreviation that does not end a sentence. */
int nkg_lexicon_is_abbreviation(const nkg_lexicon *lex, const char *s,
                                size_t n);

#endif
