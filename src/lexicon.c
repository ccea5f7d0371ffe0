/* lexicon.c: see lexicon.h. */
#define _POSIX_C_SOURCE 200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lexicon.h"

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokens.h"
#include "util.h"

typedef struct {
  char *key; /* normalised phrase: word keys joined by ' ' */
  size_t len;    /* of key */
  uint64_t hash; /* nkg_hash64() of key: probes compare it first */
  nkg_lex_entry entry;
} slot;

typedef struct {
  pcre2_code *code;
  char *source; /* "file:line" for messages */
} pattern;

struct nkg_lexicon {
  char *dir;
  slot *slots;
  size_t n_slots, used;
  size_t max_words;
  /* Hashes of every word-boundary prefix of every key in slots (the whole
   * key included), so that a lookup can stop as soon as no longer phrase can
   * start with the words seen so far. 0 marks an empty place. */
  uint64_t *prefixes;
  size_t n_prefixes, used_prefixes;
  nkg_country *countries;
  size_t n_countries;
  nkg_place *places;
  size_t n_places;
  nkg_sector *sectors;
  size_t n_sectors;
  char **suffixes; /* endings of portfolio words */
  size_t n_suffixes;
  pattern *furniture;
  size_t n_furniture;
  pattern *datelines;
  size_t n_datelines;
  uint32_t dateline_pairs; /* ovector pairs of the one with most groups */
  pattern *pagedates;
  size_t n_pagedates;
  uint32_t pagedate_pairs;
  pcre2_match_data *md; /* only used while loading */
};

/* ---- the phrase table ---- */

/* The slot of key[0..n), whose nkg_hash64() is h: its own, or the empty
 * slot where it would go. */
static slot *table_find_h(const nkg_lexicon *lex, const char *key, size_t n,
                          uint64_t h) {
  size_t mask = lex->n_slots - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    slot *s = &lex->slots[i];
    if (!s->key ||
        (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0))
      return s;
  }
}

static slot *table_find(const nkg_lexicon *lex, const char *key, size_t n) {
  return table_find_h(lex, key, n, nkg_hash64(key, n, NKG_HASH_SEED));
}

/* Gives an empty slot found by table_find() the key key[0..n) (taken). */
static void slot_set_key(slot *sl, char *key, size_t n) {
  sl->key = key;
  sl->len = n;
  sl->hash = nkg_hash64(key, n, NKG_HASH_SEED);
}

static void table_grow(nkg_lexicon *lex) {
  slot *old = lex->slots;
  size_t old_n = lex->n_slots;
  lex->n_slots = old_n ? old_n * 2 : 4096;
  lex->slots = nkg_xcalloc(lex->n_slots, sizeof *lex->slots);
  for (size_t i = 0; i < old_n; i++)
    if (old[i].key)
      *table_find_h(lex, old[i].key, old[i].len, old[i].hash) = old[i];
  free(old);
}

static uint64_t prefix_hash(const char *key, size_t n) {
  uint64_t h = nkg_hash64(key, n, NKG_HASH_SEED);
  return h ? h : 1;
}

/* Whether a key prefix whose nkg_hash64() is key_hash was recorded. */
static int prefix_has_h(const nkg_lexicon *lex, uint64_t key_hash) {
  uint64_t h = key_hash ? key_hash : 1; /* as prefix_hash() */
  size_t mask = lex->n_prefixes - 1;
  for (size_t i = (size_t)h & mask; lex->prefixes[i]; i = (i + 1) & mask)
    if (lex->prefixes[i] == h)
      return 1;
  return 0;
}

static void prefix_put(nkg_lexicon *lex, uint64_t h) {
  size_t mask = lex->n_prefixes - 1;
  size_t i = (size_t)h & mask;
  while (lex->prefixes[i] && lex->prefixes[i] != h)
    i = (i + 1) & mask;
  if (!lex->prefixes[i]) {
    lex->prefixes[i] = h;
    lex->used_prefixes++;
  }
}

/* Records key[0..p) for every p at a word boundary (a ' ') and at n. */
static void prefix_add(nkg_lexicon *lex, const char *key, size_t n) {
  for (size_t p = 1; p <= n; p++) {
    if (p < n && key[p] != ' ')
      continue;
    if ((lex->used_prefixes + 1) * 2 > lex->n_prefixes) {
      uint64_t *old = lex->prefixes;
      size_t old_n = lex->n_prefixes;
      lex->n_prefixes = old_n ? old_n * 2 : 8192;
      lex->prefixes = nkg_xcalloc(lex->n_prefixes, sizeof *lex->prefixes);
      lex->used_prefixes = 0;
      for (size_t i = 0; i < old_n; i++)
        if (old[i])
          prefix_put(lex, old[i]);
      free(old);
    }
    prefix_put(lex, prefix_hash(key, p));
  }
}

/* Normalises a phrase the way sentences are tokenised. Phrases of capitals of
 * up to 4 letters keep their case and get a leading '=' so that they only
 * match exactly. */
static int phrase_key(nkg_buf *key, const char *s, size_t n, size_t *words) {
  nkg_token *toks = NULL;
  size_t nt = 0, cap = 0;
  nkg_tokenize(s, 0, n, &toks, &nt, &cap);
  int caps = 1;
  size_t letters = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 'a' && c <= 'z')
      caps = 0;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
      letters++;
  }
  int keep = caps && letters >= 1 && letters <= 4;
  nkg_buf_clear(key);
  if (keep)
    nkg_buf_addc(key, '=');
  for (size_t i = 0; i < nt; i++) {
    if (i)
      nkg_buf_addc(key, ' ');
    nkg_word_key(key, s + toks[i].begin, toks[i].end - toks[i].begin, keep);
  }
  *words = nt;
  free(toks);
  return nt > 0;
}

static void add_phrase(nkg_lexicon *lex, const char *s, size_t n,
                       nkg_word_class cls, int value) {
  nkg_buf key = {0};
  size_t words;
  if (!phrase_key(&key, s, n, &words)) {
    nkg_buf_free(&key);
    return;
  }
  if ((lex->used + 1) * 2 > lex->n_slots)
    table_grow(lex);
  slot *sl = table_find(lex, key.data, key.len);
  if (!sl->key) {
    prefix_add(lex, key.data, key.len);
    size_t len = key.len;
    slot_set_key(sl, nkg_buf_steal(&key), len);
    lex->used++;
  }
  /* the first entry of a class wins: files list the usual sense first */
  if (!(sl->entry.mask & (1u << cls))) {
    sl->entry.mask |= 1u << cls;
    sl->entry.value[cls] = value;
  }
  if (words > lex->max_words)
    lex->max_words = words;
  nkg_buf_free(&key);
}

/* The keys for 1, 2, ... words are built one word at a time, exact ('='
 * and case kept) and folded side by side; a form is dropped once it is no
 * prefix of any phrase, and the longest hit wins, exact before folded at the
 * same length (the order of a search from the longest phrase down). */
size_t nkg_lexicon_match(const nkg_lexicon *lex, const char *const *words,
                         const size_t *lens, size_t n, size_t i,
                         const nkg_lex_entry **out) {
  size_t best = 0;
  size_t maxw = lex->max_words;
  if (!lex->n_slots || !lex->n_prefixes)
    return 0;
  if (maxw > n - i)
    maxw = n - i;
  /* on the stack: two mallocs and frees per word of every sentence */
  char exact_mem[256], folded_mem[256];
  nkg_buf exact, folded;
  nkg_buf_use(&exact, exact_mem, sizeof exact_mem);
  nkg_buf_use(&folded, folded_mem, sizeof folded_mem);
  int exact_live = 1, folded_live = 1;
  /* FNV-1a runs on: each form's hash grows with its key, not rehashed */
  nkg_buf_addc(&exact, '=');
  uint64_t exact_h = nkg_hash64("=", 1, NKG_HASH_SEED);
  uint64_t folded_h = NKG_HASH_SEED;
  for (size_t len = 1; len <= maxw && (exact_live || folded_live); len++) {
    const char *w = words[i + len - 1];
    size_t wl = lens[i + len - 1];
    const slot *hit = NULL;
    /* exact keys are those of phrases without a lower-case ASCII letter
     * (phrase_key), and nkg_word_key() makes none: a word with one ends
     * the exact form without a key or a hash (most words have one) */
    for (size_t k = 0; exact_live && k < wl; k++)
      if (w[k] >= 'a' && w[k] <= 'z')
        exact_live = 0;
    if (exact_live) {
      size_t from = exact.len;
      if (len > 1)
        nkg_buf_addc(&exact, ' ');
      nkg_word_key(&exact, w, wl, 1);
      exact_h = nkg_hash64(exact.data + from, exact.len - from, exact_h);
      exact_live = prefix_has_h(lex, exact_h);
      if (exact_live) {
        const slot *sl = table_find_h(lex, exact.data, exact.len, exact_h);
        if (sl->key)
          hit = sl;
      }
    }
    if (folded_live) {
      size_t from = folded.len;
      if (len > 1)
        nkg_buf_addc(&folded, ' ');
      nkg_word_key(&folded, w, wl, 0);
      folded_h = nkg_hash64(folded.data + from, folded.len - from, folded_h);
      folded_live = prefix_has_h(lex, folded_h);
      if (folded_live && !hit) {
        const slot *sl = table_find_h(lex, folded.data, folded.len, folded_h);
        if (sl->key)
          hit = sl;
      }
    }
    if (hit) {
      *out = &hit->entry;
      best = len;
    }
  }
  nkg_buf_free(&exact);
  nkg_buf_free(&folded);
  return best;
}

/* ---- file reading ---- */

/* Makes room for element n of an array that grows one element at a time
 * (and only through this function): the capacity doubles whenever n reaches
 * a power of two, so a huge gazetteer loads in linear time (realloc() always
 * copies under AddressSanitizer, which made a 50 000-place table take
 * minutes). */
static void *grow_array(void *p, size_t n, size_t size) {
  if (n & (n - 1))
    return p; /* not a power of two: there is room */
  return nkg_xrealloc(p, (n ? 2 * n : 1) * size);
}

typedef struct {
  const char *path;
  FILE *f;
  char *line;
  size_t cap;
  long lineno;
  long entries; /* data lines returned */
  int required; /* an empty file is an error, not a warning */
} reader;

static int reader_open(reader *r, const char *dir, const char *name,
                       nkg_buf *path) {
  nkg_buf_clear(path);
  nkg_buf_printf(path, "%s/%s", dir, name);
  r->path = path->data;
  r->f = fopen(path->data, "r");
  r->line = NULL;
  r->cap = 0;
  r->lineno = 0;
  r->entries = 0;
  r->required = 0;
  if (!r->f) {
    nkg_error("%s: %s", path->data, strerror(errno));
    return -1;
  }
  return 0;
}

/* Next data line without its newline, or NULL at the end; skips blank and
 * '#' lines. */
static char *reader_next(reader *r) {
  ssize_t got;
  while ((got = getline(&r->line, &r->cap, r->f)) >= 0) {
    r->lineno++;
    while (got > 0 && (r->line[got - 1] == '\n' || r->line[got - 1] == '\r'))
      r->line[--got] = '\0';
    const char *p = r->line;
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '\0' || *p == '#')
      continue;
    r->entries++;
    return r->line;
  }
  return NULL;
}

static int reader_close(reader *r) {
  int err = ferror(r->f);
  fclose(r->f);
  free(r->line);
  if (err) {
    nkg_error("%s: read error", r->path);
    return -1;
  }
  /* an empty table is allowed but most likely a mistake */
  if (!r->entries && r->required) {
    nkg_error("%s: no entries; the other tables and the rules need them",
              r->path);
    return -1;
  }
  if (!r->entries)
    nkg_warn("%s: no entries (the file is empty or only comments)", r->path);
  return 0;
}

/* Splits line at tabs into at most max fields (in place). */
static size_t split_tabs(char *line, char **fields, size_t max) {
  size_t n = 0;
  fields[n++] = line;
  for (char *p = line; *p && n < max; p++)
    if (*p == '\t') {
      *p = '\0';
      fields[n++] = p + 1;
    }
  return n;
}

static char *trim(char *s) {
  while (*s == ' ')
    s++;
  size_t n = strlen(s);
  while (n && s[n - 1] == ' ')
    s[--n] = '\0';
  return s;
}

/* Calls fn for each '|'-separated alternative of s. */
static void each_alt(nkg_lexicon *lex, char *s, nkg_word_class cls,
                     int value) {
  char *save = NULL;
  for (char *a = strtok_r(s, "|", &save); a; a = strtok_r(NULL, "|", &save)) {
    a = trim(a);
    if (*a)
      add_phrase(lex, a, strlen(a), cls, value);
  }
}

static int find_country(const nkg_lexicon *lex, const char *key) {
  for (size_t i = 0; i < lex->n_countries; i++)
    if (strcmp(lex->countries[i].key, key) == 0)
      return (int)i;
  return -1;
}

static int load_countries(nkg_lexicon *lex, nkg_buf *path) {
  reader r;
  if (reader_open(&r, lex->dir, "countries.tsv", path) < 0)
    return -1;
  r.required = 1;
  char *line;
  int rc = 0;
  while ((line = reader_next(&r))) {
    char *f[5];
    if (split_tabs(line, f, 5) != 5 || !*f[0] || !*f[1]) {
      nkg_error("%s:%ld: expected 5 tab-separated fields: key, name, "
                "wikidata, variants, demonyms",
                r.path, r.lineno);
      rc = -1;
      continue;
    }
    if (find_country(lex, f[0]) >= 0) {
      nkg_error("%s:%ld: duplicate country key '%s'", r.path, r.lineno, f[0]);
      rc = -1;
      continue;
    }
    lex->countries =
        grow_array(lex->countries, lex->n_countries, sizeof *lex->countries);
    int idx = (int)lex->n_countries++;
    nkg_country *c = &lex->countries[idx];
    c->key = nkg_xstrdup(f[0]);
    c->name = nkg_xstrdup(f[1]);
    c->wikidata = nkg_xstrdup(f[2]);
    add_phrase(lex, f[1], strlen(f[1]), NKG_WC_COUNTRY, idx);
    each_alt(lex, f[3], NKG_WC_COUNTRY, idx);
    each_alt(lex, f[4], NKG_WC_DEMONYM, idx);
  }
  if (reader_close(&r) < 0)
    rc = -1;
  return rc;
}

static int load_places(nkg_lexicon *lex, nkg_buf *path) {
  reader r;
  if (reader_open(&r, lex->dir, "places.tsv", path) < 0)
    return -1;
  char *line;
  int rc = 0;
  while ((line = reader_next(&r))) {
    char *f[4];
    if (split_tabs(line, f, 4) != 4 || !*f[0]) {
      nkg_error("%s:%ld: expected 4 tab-separated fields: name, country, "
                "wikidata, variants",
                r.path, r.lineno);
      rc = -1;
      continue;
    }
    int country = *f[1] ? find_country(lex, f[1]) : -1;
    if (*f[1] && country < 0) {
      nkg_error("%s:%ld: unknown country key '%s'", r.path, r.lineno, f[1]);
      rc = -1;
      continue;
    }
    lex->places = grow_array(lex->places, lex->n_places, sizeof *lex->places);
    int idx = (int)lex->n_places++;
    nkg_place *p = &lex->places[idx];
    p->name = nkg_xstrdup(f[0]);
    p->country = country;
    p->wikidata = nkg_xstrdup(f[2]);
    add_phrase(lex, f[0], strlen(f[0]), NKG_WC_PLACE, idx);
    each_alt(lex, f[3], NKG_WC_PLACE, idx);
  }
  if (reader_close(&r) < 0)
    rc = -1;
  return rc;
}

static int load_sectors(nkg_lexicon *lex, nkg_buf *path) {
  reader r;
  if (reader_open(&r, lex->dir, "sectors.tsv", path) < 0)
    return -1;
  char *line;
  int rc = 0;
  char **broader = NULL;
  long *broader_line = NULL;
  while ((line = reader_next(&r))) {
    char *f[4];
    if (split_tabs(line, f, 4) != 4 || !*f[0] || !*f[1]) {
      nkg_error("%s:%ld: expected 4 tab-separated fields: key, prefLabel, "
                "altLabels, broader",
                r.path, r.lineno);
      rc = -1;
      continue;
    }
    lex->sectors =
        grow_array(lex->sectors, lex->n_sectors, sizeof *lex->sectors);
    broader = grow_array(broader, lex->n_sectors, sizeof *broader);
    broader_line =
        grow_array(broader_line, lex->n_sectors, sizeof *broader_line);
    int idx = (int)lex->n_sectors++;
    nkg_sector *s = &lex->sectors[idx];
    memset(s, 0, sizeof *s);
    s->key = nkg_xstrdup(f[0]);
    s->pref_label = nkg_xstrdup(f[1]);
    s->broader = -1;
    broader[idx] = nkg_xstrdup(trim(f[3]));
    broader_line[idx] = r.lineno;
    add_phrase(lex, f[1], strlen(f[1]), NKG_WC_SECTOR, idx);
    char *save = NULL;
    for (char *a = strtok_r(f[2], "|", &save); a;
         a = strtok_r(NULL, "|", &save)) {
      a = trim(a);
      if (!*a)
        continue;
      s->alt_labels = nkg_xrealloc(s->alt_labels,
                                   (s->n_alt_labels + 1) * sizeof(char *));
      s->alt_labels[s->n_alt_labels++] = nkg_xstrdup(a);
      add_phrase(lex, a, strlen(a), NKG_WC_SECTOR, idx);
    }
  }
  for (size_t i = 0; i < lex->n_sectors; i++) {
    if (*broader[i]) {
      for (size_t j = 0; j < lex->n_sectors; j++)
        if (strcmp(lex->sectors[j].key, broader[i]) == 0)
          lex->sectors[i].broader = (int)j;
      if (lex->sectors[i].broader < 0) {
        nkg_error("%s:%ld: unknown broader sector '%s'", r.path,
                  broader_line[i], broader[i]);
        rc = -1;
      }
    }
    free(broader[i]);
  }
  free(broader);
  free(broader_line);
  if (reader_close(&r) < 0)
    rc = -1;
  return rc;
}

static const struct {
  const char *name;
  nkg_word_class cls;
} word_classes[] = {
    {"title", NKG_WC_TITLE}, {"mod", NKG_WC_MOD},
    {"port", NKG_WC_PORT},   {"hon", NKG_WC_HON},
    {"org", NKG_WC_ORG},     {"stop", NKG_WC_STOP},
    {"month", NKG_WC_MONTH}, {"weekday", NKG_WC_WEEKDAY},
    {"pron", NKG_WC_PRON},   {"suffix", NKG_WC_SUFFIX},
    {"head", NKG_WC_HEAD},   {"func", NKG_WC_FUNC},
    {"generic", NKG_WC_GENERIC}, {"open", NKG_WC_OPEN},
    {"cue", NKG_WC_CUE},     {"host", NKG_WC_HOST},
    {"det", NKG_WC_DET},     {"def", NKG_WC_DEF},
};

static int load_words(nkg_lexicon *lex, nkg_buf *path) {
  reader r;
  if (reader_open(&r, lex->dir, "words.tsv", path) < 0)
    return -1;
  char *line;
  int rc = 0;
  while ((line = reader_next(&r))) {
    char *f[3];
    size_t n = split_tabs(line, f, 3);
    if (n < 2) {
      nkg_error("%s:%ld: expected a phrase, a tab and a class", r.path,
                r.lineno);
      rc = -1;
      continue;
    }
    nkg_word_class cls = NKG_WC_NONE;
    for (size_t i = 0; i < sizeof word_classes / sizeof *word_classes; i++)
      if (strcmp(word_classes[i].name, trim(f[1])) == 0)
        cls = word_classes[i].cls;
    if (cls == NKG_WC_NONE) {
      /* the classes listed from the table, so the message cannot lag it */
      nkg_buf known = {0};
      for (size_t i = 0; i < sizeof word_classes / sizeof *word_classes; i++)
        nkg_buf_printf(&known, "%s%s", i ? ", " : "", word_classes[i].name);
      nkg_error("%s:%ld: unknown word class '%s' (%s)", r.path, r.lineno, f[1],
                known.data);
      nkg_buf_free(&known);
      rc = -1;
      continue;
    }
    int value = 0;
    if (n == 3) {
      char *end;
      long v = strtol(f[2], &end, 10);
      if (*end || end == f[2]) {
        nkg_error("%s:%ld: the value '%s' is not a number", r.path, r.lineno,
                  f[2]);
        rc = -1;
        continue;
      }
      value = (int)v;
    }
    if (cls == NKG_WC_SUFFIX) {
      const char *suf = trim(f[0]);
      if (*suf == '-')
        suf++;
      lex->suffixes =
          nkg_xrealloc(lex->suffixes, (lex->n_suffixes + 1) * sizeof(char *));
      lex->suffixes[lex->n_suffixes++] = nkg_xstrdup(suf);
      continue;
    }
    add_phrase(lex, trim(f[0]), strlen(trim(f[0])), cls, value);
  }
  if (reader_close(&r) < 0)
    rc = -1;
  return rc;
}

/* Compiles each line of name; anchored patterns match only at the start
 * of the subject (PCRE2_ANCHORED given here, not at match time, where it
 * would keep PCRE2 from using the JIT code). */
static int load_patterns(nkg_lexicon *lex, const char *name, pattern **out,
                         size_t *n_out, int need_place, int anchored,
                         nkg_buf *path) {
  reader r;
  if (reader_open(&r, lex->dir, name, path) < 0)
    return -1;
  char *line;
  int rc = 0;
  while ((line = reader_next(&r))) {
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile(
        (PCRE2_SPTR)line, PCRE2_ZERO_TERMINATED,
        PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |
            (anchored ? PCRE2_ANCHORED : 0),
        &err, &off, NULL);
    if (!code) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(err, msg, sizeof msg);
      nkg_error("%s:%ld: column %zu: %s", r.path, r.lineno, (size_t)off + 1,
                (char *)msg);
      rc = -1;
      continue;
    }
    if (need_place &&
        pcre2_substring_number_from_name(code, (PCRE2_SPTR) "place") < 0) {
      nkg_error("%s:%ld: the pattern has no (?<place>...) group", r.path,
                r.lineno);
      pcre2_code_free(code);
      rc = -1;
      continue;
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* falls back if no JIT */
    *out = nkg_xrealloc(*out, (*n_out + 1) * sizeof **out);
    (*out)[*n_out].code = code;
    nkg_buf src = {0};
    nkg_buf_printf(&src, "%s:%ld", r.path, r.lineno);
    (*out)[*n_out].source = nkg_buf_steal(&src);
    (*n_out)++;
  }
  if (reader_close(&r) < 0)
    rc = -1;
  return rc;
}

/* The ovector pairs of the pattern with most groups: one match block
 * sized for it serves them all. */
static uint32_t max_pairs(const pattern *p, size_t n) {
  uint32_t pairs = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t groups = 0;
    if (pcre2_pattern_info(p[i].code, PCRE2_INFO_CAPTURECOUNT, &groups) == 0 &&
        groups + 1 > pairs)
      pairs = groups + 1;
  }
  return pairs;
}

/* A page date pattern without its day, month and year groups could never
 * give a date: an error in the file, not a silent no-op. */
static int check_date_groups(const pattern *p, size_t n) {
  static const char *const groups[] = {"day", "month", "year"};
  int rc = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < 3; k++)
      if (pcre2_substring_number_from_name(p[i].code,
                                           (PCRE2_SPTR)groups[k]) < 0) {
        nkg_error("%s: the pattern has no (?<%s>...) group", p[i].source,
                  groups[k]);
        rc = -1;
        break;
      }
  return rc;
}

static int load_abbreviations(nkg_lexicon *lex, nkg_buf *path) {
  reader r;
  if (reader_open(&r, lex->dir, "abbreviations.txt", path) < 0)
    return -1;
  char *line;
  while ((line = reader_next(&r))) {
    /* stored with a leading '.' marker so they never collide with phrases */
    nkg_buf key = {0};
    nkg_buf_addc(&key, '.');
    nkg_word_key(&key, trim(line), strlen(trim(line)), 0);
    if ((lex->used + 1) * 2 > lex->n_slots)
      table_grow(lex);
    slot *sl = table_find(lex, key.data, key.len);
    if (!sl->key) {
      size_t len = key.len;
      slot_set_key(sl, nkg_buf_steal(&key), len);
      lex->used++;
    }
    nkg_buf_free(&key);
  }
  return reader_close(&r);
}

nkg_lexicon *nkg_lexicon_load(const char *dir) {
  nkg_lexicon *lex = nkg_xcalloc(1, sizeof *lex);
  nkg_buf path = {0};
  lex->dir = nkg_xstrdup(dir);
  table_grow(lex);
  int rc = 0;
  /* countries first: places refer to them (without any, every place would
   * be an error of its own) */
  if (load_countries(lex, &path) < 0)
    rc = -1;
  if (lex->n_countries && load_places(lex, &path) < 0)
    rc = -1;
  if (load_sectors(lex, &path) < 0)
    rc = -1;
  if (load_words(lex, &path) < 0)
    rc = -1;
  if (load_abbreviations(lex, &path) < 0)
    rc = -1;
  if (load_patterns(lex, "furniture.txt", &lex->furniture, &lex->n_furniture,
                    0, 0, &path) < 0)
    rc = -1;
  if (load_patterns(lex, "datelines.txt", &lex->datelines, &lex->n_datelines,
                    1, 1, &path) < 0)
    rc = -1;
  lex->dateline_pairs = max_pairs(lex->datelines, lex->n_datelines);
  if (load_patterns(lex, "pagedates.txt", &lex->pagedates, &lex->n_pagedates,
                    0, 1, &path) < 0)
    rc = -1;
  else if (check_date_groups(lex->pagedates, lex->n_pagedates) < 0)
    rc = -1;
  lex->pagedate_pairs = max_pairs(lex->pagedates, lex->n_pagedates);
  nkg_buf_free(&path);
  if (rc < 0) {
    nkg_lexicon_free(lex);
    return NULL;
  }
  return lex;
}

static void free_patterns(pattern *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    pcre2_code_free(p[i].code);
    free(p[i].source);
  }
  free(p);
}

void nkg_lexicon_free(nkg_lexicon *lex) {
  if (!lex)
    return;
  for (size_t i = 0; i < lex->n_slots; i++)
    free(lex->slots[i].key);
  free(lex->slots);
  free(lex->prefixes);
  for (size_t i = 0; i < lex->n_countries; i++) {
    free(lex->countries[i].key);
    free(lex->countries[i].name);
    free(lex->countries[i].wikidata);
  }
  free(lex->countries);
  for (size_t i = 0; i < lex->n_places; i++) {
    free(lex->places[i].name);
    free(lex->places[i].wikidata);
  }
  free(lex->places);
  for (size_t i = 0; i < lex->n_sectors; i++) {
    nkg_sector *s = &lex->sectors[i];
    free(s->key);
    free(s->pref_label);
    for (size_t k = 0; k < s->n_alt_labels; k++)
      free(s->alt_labels[k]);
    free(s->alt_labels);
  }
  free(lex->sectors);
  for (size_t i = 0; i < lex->n_suffixes; i++)
    free(lex->suffixes[i]);
  free(lex->suffixes);
  free_patterns(lex->furniture, lex->n_furniture);
  free_patterns(lex->datelines, lex->n_datelines);
  free_patterns(lex->pagedates, lex->n_pagedates);
  free(lex->dir);
  free(lex);
}

const char *nkg_lexicon_dir(const nkg_lexicon *lex) { return lex->dir; }
size_t nkg_lexicon_n_countries(const nkg_lexicon *lex) {
  return lex->n_countries;
}
const nkg_country *nkg_lexicon_country(const nkg_lexicon *lex, int i) {
  return &lex->countries[i];
}
size_t nkg_lexicon_n_places(const nkg_lexicon *lex) { return lex->n_places; }
const nkg_place *nkg_lexicon_place(const nkg_lexicon *lex, int i) {
  return &lex->places[i];
}
size_t nkg_lexicon_n_sectors(const nkg_lexicon *lex) { return lex->n_sectors; }
const nkg_sector *nkg_lexicon_sector(const nkg_lexicon *lex, int i) {
  return &lex->sectors[i];
}

/* Runs code on s[0..n) anchored at its start; returns the match data or NULL.
 * A match that hits a resource limit counts as no match. */
static int run_pattern(const pattern *p, const char *s, size_t n,
                       pcre2_match_data *md) {
  return pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
}

int nkg_lexicon_is_furniture(const nkg_lexicon *lex, const char *s, size_t n) {
  int hit = 0;
  pcre2_match_data *md = pcre2_match_data_create(4, NULL);
  if (!md)
    return 0;
  for (size_t i = 0; i < lex->n_furniture && !hit; i++)
    hit = run_pattern(&lex->furniture[i], s, n, md);
  pcre2_match_data_free(md);
  return hit;
}

/* The span of the named group of a match, or 0. */
static int group_span(const pattern *p, PCRE2_SIZE *ov, const char *name,
                      size_t *b, size_t *e) {
  int g = pcre2_substring_number_from_name(p->code, (PCRE2_SPTR)name);
  if (g <= 0 || ov[2 * g] == PCRE2_UNSET)
    return 0;
  *b = ov[2 * g];
  *e = ov[2 * g + 1];
  return *e > *b;
}

static int span_number(const char *s, size_t b, size_t e) {
  int v = 0;
  for (size_t i = b; i < e; i++) {
    if (s[i] < '0' || s[i] > '9' || v > 10000)
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* The date of a dateline from its day, month and year groups. */
static void dateline_date(const nkg_lexicon *lex, const pattern *p,
                          PCRE2_SIZE *ov, const char *s, char date[11]) {
  size_t db, de, mb, me, yb, ye;
  date[0] = '\0';
  if (!group_span(p, ov, "day", &db, &de) ||
      !group_span(p, ov, "month", &mb, &me) ||
      !group_span(p, ov, "year", &yb, &ye))
    return;
  int day = span_number(s, db, de), year = span_number(s, yb, ye);
  while (me > mb && s[me - 1] == '.')
    me--;
  /* a month in digits ("14.09.2019") or in words ("Sept.") */
  int month = span_number(s, mb, me);
  if (month < 0) {
    const char *word = s + mb;
    size_t len = me - mb;
    const nkg_lex_entry *entry = NULL;
    if (nkg_lexicon_match(lex, &word, &len, 1, 0, &entry) != 1 || !entry ||
        !(entry->mask & (1u << NKG_WC_MONTH)))
      return;
    month = entry->value[NKG_WC_MONTH];
  } else if (month > 12 && day >= 1 && day <= 12) {
    /* "05/25/2023": the month came first */
    int swap = month;
    month = day;
    day = swap;
  }
  static const int month_days[] = {31, 29, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > 31 ||
      day > month_days[month - 1] ||
      year < 1900 || year > 2099)
    return;
  if (month == 2 && day == 29 &&
      !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    return; /* "29.02.2023" is no date */
  snprintf(date, 11, "%04d-%02d-%02d", year, month, day);
}

int nkg_lexicon_dateline(const nkg_lexicon *lex, const char *s, size_t n,
                         size_t *place_begin, size_t *place_end,
                         size_t *length, char date[11]) {
  int hit = 0;
  date[0] = '\0';
  /* one match block for every pattern, sized for the one with most
   * groups: a block per pattern and line was 15 allocations a line */
  pcre2_match_data *md = pcre2_match_data_create(
      lex->dateline_pairs ? lex->dateline_pairs : 1, NULL);
  if (!md)
    return 0;
  for (size_t i = 0; i < lex->n_datelines && !hit; i++) {
    /* anchored: compiled so (load_patterns) */
    if (pcre2_match(lex->datelines[i].code, (PCRE2_SPTR)s, n, 0, 0, md,
                    NULL) >= 0) {
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
      int g = pcre2_substring_number_from_name(lex->datelines[i].code,
                                               (PCRE2_SPTR) "place");
      if (g > 0 && ov[2 * g] != PCRE2_UNSET) {
        *place_begin = ov[2 * g];
        *place_end = ov[2 * g + 1];
        *length = ov[1];
        dateline_date(lex, &lex->datelines[i], ov, s, date);
        hit = 1;
      }
    }
  }
  pcre2_match_data_free(md);
  return hit;
}

int nkg_lexicon_page_date(const nkg_lexicon *lex, const char *s, size_t n,
                          char date[11]) {
  date[0] = '\0';
  if (!lex->n_pagedates)
    return 0;
  pcre2_match_data *md = pcre2_match_data_create(lex->pagedate_pairs, NULL);
  if (!md)
    return 0;
  for (size_t i = 0; i < lex->n_pagedates && !date[0]; i++)
    /* anchored: compiled so (load_patterns); the pattern ends the line */
    if (pcre2_match(lex->pagedates[i].code, (PCRE2_SPTR)s, n, 0, 0, md,
                    NULL) >= 0)
      dateline_date(lex, &lex->pagedates[i], pcre2_get_ovector_pointer(md), s,
                    date);
  pcre2_match_data_free(md);
  return date[0] != '\0';
}

int nkg_lexicon_is_port_word(const nkg_lexicon *lex, const char *s,
                             size_t n) {
  if (n < 7)
    return 0;
  for (size_t i = 1; i < n; i++)
    if ((unsigned char)s[i] >= 0x80 || !(s[i] >= 'a' && s[i] <= 'z'))
      return 0; /* plain lower-case ASCII after the capital only */
  for (size_t i = 0; i < lex->n_suffixes; i++) {
    size_t k = strlen(lex->suffixes[i]);
    if (k < n && memcmp(s + n - k, lex->suffixes[i], k) == 0)
      return 1;
  }
  return 0;
}

int nkg_lexicon_leaves_open(const nkg_lexicon *lex, const char *s, size_t n) {
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  size_t b = n;
  while (b > 0 && s[b - 1] >= 'a' && s[b - 1] <= 'z')
    b--;
  /* a whole word of lower-case ASCII letters, after a space */
  if (b == n || b == 0 || (s[b - 1] != ' ' && s[b - 1] != '\t'))
    return 0;
  const char *w = s + b;
  size_t len = n - b;
  const nkg_lex_entry *e;
  return nkg_lexicon_match(lex, &w, &len, 1, 0, &e) == 1 &&
         nkg_lex_has(e->mask, NKG_WC_OPEN);
}

int nkg_lexicon_is_abbreviation(const nkg_lexicon *lex, const char *s,
                                size_t n) {
  char mem[128];
  nkg_buf key;
  nkg_buf_use(&key, mem, sizeof mem);
  nkg_buf_addc(&key, '.');
  nkg_word_key(&key, s, n, 0);
  const slot *sl = table_find(lex, key.data, key.len);
  int hit = sl->key != NULL;
  nkg_buf_free(&key);
  return hit;
}
