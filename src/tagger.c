/* tagger.c: see tagger.h. */
#include "tagger.h"

#include <stdlib.h>
#include <string.h>

#include "tokens.h"

static const char *const class_names[NKG_U_COUNT] = {
    "", "", "COUNTRY", "DEMONYM", "PLACE", "SECTOR", "TITLE", "RANK",
    "MOD", "PORT", "HON", "ORG", "NAME", "ACR", "MONTH", "WEEKDAY",
    "YEAR", "NUM", "OFFICIAL"};

const char *nkg_unit_class_name(nkg_unit_class cls) {
  return class_names[cls];
}

static void push_unit(nkg_tagged *t, size_t b, size_t e, nkg_unit_class cls,
                      int value, unsigned mask) {
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 64;
    t->units = nkg_xrealloc(t->units, t->cap * sizeof *t->units);
  }
  nkg_unit *u = &t->units[t->n++];
  u->begin = b;
  u->end = e;
  u->cls = cls;
  u->value = value;
  u->mask = mask;
  u->sector = -1;
  u->claimed = 0;
}

/* Class of a capitalised gazetteer phrase, most specific first. */
static nkg_unit_class class_of_capitalised(const nkg_lex_entry *e, int *value) {
  static const struct {
    nkg_word_class wc;
    nkg_unit_class uc;
  } order[] = {
      {NKG_WC_COUNTRY, NKG_U_COUNTRY}, {NKG_WC_PLACE, NKG_U_PLACE},
      {NKG_WC_DEMONYM, NKG_U_DEMONYM}, {NKG_WC_TITLE, NKG_U_TITLE},
      {NKG_WC_HON, NKG_U_HON},         {NKG_WC_MONTH, NKG_U_MONTH},
      {NKG_WC_WEEKDAY, NKG_U_WEEKDAY}, {NKG_WC_MOD, NKG_U_MOD},
      {NKG_WC_ORG, NKG_U_ORG},         {NKG_WC_PORT, NKG_U_PORT},
      {NKG_WC_SECTOR, NKG_U_SECTOR},
  };
  for (size_t i = 0; i < sizeof order / sizeof *order; i++)
    if (nkg_lex_has(e->mask, order[i].wc)) {
      *value = e->value[order[i].wc];
      return order[i].uc;
    }
  return NKG_U_WORD; /* stop words, pronouns */
}

static int all_caps(const char *s, size_t n, size_t *letters) {
  int caps = 1;
  *letters = 0;
  for (size_t i = 0; i < n;) {
    size_t len;
    unsigned cp = nkg_utf8_decode(s, n, i, &len);
    if (nkg_cp_is_word(cp) && !(cp >= '0' && cp <= '9')) {
      (*letters)++;
      if (!nkg_cp_is_upper(cp))
        caps = 0;
    }
    i += len;
  }
  return caps && *letters > 0;
}

/* "agriculture-forestry-fishery": a hyphenated compound that is not a
 * phrase of its own but joins sectors is tagged as its parts. Returns
 * nonzero if it pushed units. */
static int split_compound(const nkg_lexicon *lex, nkg_tagged *t,
                          const char *w, size_t n, size_t offset) {
  const char *parts[8];
  size_t lens[8];
  size_t np = 0, start = 0;
  for (size_t i = 0; i <= n && np < 8; i++)
    if (i == n || w[i] == '-') {
      if (i > start) {
        parts[np] = w + start;
        lens[np++] = i - start;
      }
      start = i + 1;
    }
  if (np < 2 || np >= 8)
    return 0;
  const nkg_lex_entry *e[8];
  for (size_t k = 0; k < np; k++) {
    if (nkg_lexicon_match(lex, parts, lens, np, k, &e[k]) != 1 ||
        !nkg_lex_has(e[k]->mask, NKG_WC_SECTOR))
      return 0;
  }
  for (size_t k = 0; k < np; k++) {
    size_t b = offset + (size_t)(parts[k] - w);
    push_unit(t, b, b + lens[k], NKG_U_SECTOR, e[k]->value[NKG_WC_SECTOR],
              e[k]->mask);
  }
  return 1;
}

/* A head word ("industry") right after a sector or a content word names
 * that thing's industry ("tourism industry", "content industry"), not the
 * sector of its own: it is then a plain word. */
static int is_head_of(const nkg_tagged *t, const nkg_lex_entry *e) {
  if (!nkg_lex_has(e->mask, NKG_WC_HEAD) || t->n == 0)
    return 0;
  const nkg_unit *prev = &t->units[t->n - 1];
  return prev->cls == NKG_U_SECTOR ||
         (prev->cls == NKG_U_WORD && !nkg_lex_has(prev->mask, NKG_WC_FUNC));
}

/* Whether the one-letter word i is followed by a dot with no space that
 * ends a name's initial: after a name, or glued to the capitalised word
 * after the dot. */
static int is_dot_initial(const char *const *words, const size_t *lens,
                          const nkg_token *toks, size_t nt, size_t i,
                          const nkg_tagged *t) {
  if (i + 1 >= nt || lens[i + 1] != 1 || words[i + 1][0] != '.' ||
      toks[i].end != toks[i + 1].begin)
    return 0;
  if (t->n > 0 && t->units[t->n - 1].cls == NKG_U_NAME)
    return 1;
  size_t len;
  return i + 2 < nt && toks[i + 1].end == toks[i + 2].begin &&
         lens[i + 2] > 1 &&
         nkg_cp_is_upper(nkg_utf8_decode(words[i + 2], lens[i + 2], 0, &len));
}

/* Whether the one-letter word i stands between a name and a capitalised
 * word of two letters or more, with no dot: a middle initial. */
static int is_bare_initial(const char *const *words, const size_t *lens,
                           size_t nt, size_t i, const nkg_tagged *t) {
  size_t len;
  return t->n > 0 && t->units[t->n - 1].cls == NKG_U_NAME && i + 1 < nt &&
         lens[i + 1] > 1 &&
         nkg_cp_is_upper(nkg_utf8_decode(words[i + 1], lens[i + 1], 0, &len)) &&
         nkg_cp_is_word(nkg_utf8_decode(words[i + 1], lens[i + 1], 0, &len));
}

void nkg_tag_sentence(const nkg_lexicon *lex, const char *text, size_t begin,
                      size_t end, nkg_tagged *t) {
  nkg_token *toks = NULL;
  size_t nt = 0, tcap = 0;
  nkg_tokenize(text, begin, end, &toks, &nt, &tcap);
  const char **words = nkg_xmalloc((nt + 1) * sizeof *words);
  size_t *lens = nkg_xmalloc((nt + 1) * sizeof *lens);
  for (size_t i = 0; i < nt; i++) {
    words[i] = text + toks[i].begin;
    lens[i] = toks[i].end - toks[i].begin;
  }
  t->text = text;
  t->n = 0;
  for (size_t i = 0; i < nt;) {
    size_t len;
    unsigned cp = nkg_utf8_decode(words[i], lens[i], 0, &len);
    int word = nkg_cp_is_word(cp);
    int upper = nkg_cp_is_upper(cp);
    const nkg_lex_entry *e = NULL;
    size_t m = word ? nkg_lexicon_match(lex, words, lens, nt, i, &e) : 0;
    size_t b = toks[i].begin;
    if (m) {
      size_t eend = toks[i + m - 1].end;
      int value = 0;
      nkg_unit_class cls;
      if (upper) {
        cls = class_of_capitalised(e, &value);
        /* A one-letter stop word ("A", "I") is an initial: with a dot
         * right after it inside a name ("Abdulmohsen A. Alfadley"), glued
         * by a dot to a capitalised word ("I.Nazaruk"), or between two
         * capitalised words of a name ("Enrique A Manalo") */
        if (cls == NKG_U_WORD && m == 1 && lens[i] == 1 &&
            (is_dot_initial(words, lens, toks, nt, i, t) ||
             is_bare_initial(words, lens, nt, i, t)))
          cls = NKG_U_NAME;
      } else if (nkg_lex_has(e->mask, NKG_WC_SECTOR) && !is_head_of(t, e)) {
        cls = NKG_U_SECTOR;
        value = e->value[NKG_WC_SECTOR];
      } else if (nkg_lex_has(e->mask, NKG_WC_TITLE)) {
        cls = NKG_U_RANK;
        value = e->value[NKG_WC_TITLE];
      } else {
        cls = NKG_U_WORD;
      }
      /* An unmatched multi-word phrase is not taken as a unit: its words
       * are tagged one by one; a stop phrase ("Letters of Credence") stays
       * one unit. */
      if (cls == NKG_U_WORD && m > 1 && !nkg_lex_has(e->mask, NKG_WC_STOP))
        m = 1, eend = toks[i].end;
      push_unit(t, b, eend, cls, value, e->mask);
      if (nkg_lex_has(e->mask, NKG_WC_SECTOR))
        t->units[t->n - 1].sector = e->value[NKG_WC_SECTOR];
      i += m;
      continue;
    }
    if (word && !upper && memchr(words[i], '-', lens[i]) &&
        split_compound(lex, t, words[i], lens[i], b)) {
      i++;
      continue;
    }
    nkg_unit_class cls = NKG_U_WORD;
    int value = 0;
    if (!word) {
      cls = NKG_U_PUNCT;
    } else if (cp >= '0' && cp <= '9') {
      char *endp;
      long v = strtol(words[i], &endp, 10);
      cls = NKG_U_NUM;
      value = (int)(v > 100000 ? 100000 : v);
      if (endp - words[i] == 4 && (size_t)(endp - words[i]) == lens[i] &&
          v >= 1900 && v <= 2099)
        cls = NKG_U_YEAR;
    } else if (upper) {
      size_t letters;
      int after_name = t->n > 0 && t->units[t->n - 1].cls == NKG_U_NAME;
      if (after_name && nkg_word_is_regnal(words[i], lens[i]))
        cls = NKG_U_NAME;
      else if (all_caps(words[i], lens[i], &letters) && letters <= 4)
        cls = letters == 1 ? NKG_U_NAME : NKG_U_ACR;
      /* a portfolio word by its ending ("Logistics"), but not right after
       * a name, where it is a surname ("Tibor Navracsics") */
      else if (nkg_lexicon_is_port_word(lex, words[i], lens[i]) &&
               !after_name)
        cls = NKG_U_PORT;
      else
        cls = NKG_U_NAME;
    }
    push_unit(t, b, toks[i].end, cls, value, 0);
    i++;
  }
  free(words);
  free(lens);
  free(toks);
  nkg_tagged_render(t);
}

/* Writes a literal unit: ASCII lower case, quotes and dashes folded. */
static void render_literal(nkg_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    /* a run of ASCII, written at once; the cases below, for ASCII */
    size_t j = i;
    while (j < n && (unsigned char)s[j] < 0x80)
      j++;
    if (j > i) {
      nkg_buf_reserve(b, j - i);
      char *o = b->data + b->len;
      for (size_t k = i; k < j; k++) {
        char c = s[k];
        *o++ = c == '`'                ? '\''
               : c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a')
               : c == ' '             ? '_'
                                      : c;
      }
      b->len += j - i;
      b->data[b->len] = '\0';
      i = j;
      continue;
    }
    size_t len;
    unsigned cp = nkg_utf8_decode(s, n, i, &len);
    if (cp == 0x2019 || cp == 0x2018 || cp == '`')
      nkg_buf_addc(b, '\'');
    else if (cp == 0x201C || cp == 0x201D || cp == 0xAB || cp == 0xBB)
      nkg_buf_addc(b, '"');
    else if (cp == 0x2013 || cp == 0x2014 || cp == 0x2011 || cp == 0x2010)
      nkg_buf_addc(b, '-');
    else if (cp >= 'A' && cp <= 'Z')
      nkg_buf_addc(b, (char)(cp - 'A' + 'a'));
    else if (cp == ' ')
      nkg_buf_addc(b, '_');
    else
      nkg_buf_add(b, s + i, len);
    i += len;
  }
}

void nkg_tagged_render(nkg_tagged *t) {
  nkg_buf_clear(&t->tags);
  t->version++;
  if (t->pos_cap < t->n + 1) {
    t->pos_cap = t->n + 1;
    t->pos = nkg_xrealloc(t->pos, t->pos_cap * sizeof *t->pos);
  }
  for (size_t i = 0; i < t->n; i++) {
    const nkg_unit *u = &t->units[i];
    if (i)
      nkg_buf_addc(&t->tags, ' ');
    t->pos[i] = t->tags.len;
    if (u->cls == NKG_U_WORD || u->cls == NKG_U_PUNCT)
      render_literal(&t->tags, t->text + u->begin, u->end - u->begin);
    else
      nkg_buf_adds(&t->tags, class_names[u->cls]);
  }
  t->pos[t->n] = t->tags.len;
  if (!t->tags.data)
    nkg_buf_add(&t->tags, "", 0);
}

size_t nkg_tagged_unit_at(const nkg_tagged *t, size_t off) {
  size_t lo = 0, hi = t->n;
  /* first unit whose end is past off */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    size_t end = t->pos[mid + 1];
    if (mid + 1 < t->n)
      end--; /* the separating space */
    if (end <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

void nkg_tagged_collapse(nkg_tagged *t, size_t from, size_t to,
                         nkg_unit_class cls, int value) {
  if (from >= to || to > t->n)
    return;
  nkg_unit *u = &t->units[from];
  u->end = t->units[to - 1].end;
  u->cls = cls;
  u->value = value;
  u->mask = 0;
  u->sector = -1;
  u->claimed = 1;
  memmove(&t->units[from + 1], &t->units[to],
          (t->n - to) * sizeof *t->units);
  t->n -= to - from - 1;
}

void nkg_tagged_free(nkg_tagged *t) {
  free(t->units);
  free(t->pos);
  nkg_buf_free(&t->tags);
  memset(t, 0, sizeof *t);
}
