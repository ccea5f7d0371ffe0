/* extract.c: the extraction pipeline; see extract.h.
 *
 * For each sentence: tag it (tagger.h); run the official rules, which find
 * people with their titles and countries, and collapse each mention into one
 * OFFICIAL unit; resolve later mentions (surnames, "the minister", a
 * sentence-initial pronoun) into OFFICIAL units too; then run the meeting,
 * cooperation, sectors, place and date rules over the result. After the last
 * sentence, fill in what only the whole document tells: countries of people
 * from their meeting partners, meeting dates and places, the country pair
 * each sector mention belongs to. A document with neither a meeting nor a
 * cooperation between two countries in some field is off-genre and yields
 * nothing; a meeting only the fallback found, of people of one country,
 * does not count. */
#define _POSIX_C_SOURCE 200809L
#include "extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resolve.h"
#include "rules.h"
#include "tagger.h"
#include "util.h"

/* Built-in inference steps, named like rules in the provenance. */
static const char RULE_ENVOY_HOST[] = "infer.envoy-host";
static const char RULE_PARTNER[] = "infer.meeting-partner";
static const char RULE_HOME[] = "infer.home-country";
static const char RULE_HOST_PLACE[] = "infer.meeting-place";
static const char RULE_MEETING_PAIR[] = "infer.meeting-countries";
static const char RULE_DATELINE[] = "infer.dateline";
static const char RULE_CONTEXT_DATE[] = "infer.context-date";
static const char RULE_COUNTERPART[] = "infer.counterpart-country";
static const char RULE_OTHER_SIDE[] = "infer.other-side";
static const char RULE_LIST[] = "infer.list-country";
static const char RULE_HALF_PAIR[] = "infer.half-meeting-countries";
static const char RULE_STORY_PAIR[] = "infer.story-countries";
static const char RULE_MEETING_OTHER[] = "infer.meeting-other-country";
static const char RULE_STORY_MEETING[] = "infer.story-meeting";
static const char RULE_VISITOR[] = "infer.visitor-country";
static const char RULE_SAME_TRIP[] = "infer.same-trip-place";

/* The lead: the sentences that date the story and its first meeting. */
#define LEAD_SENTENCES 5
/* How many sentences after a meeting may still tell its place. */
#define EVENT_WINDOW 2
/* How many country mentions (names, demonyms, officials) of a sentence are
 * kept to tell which country pair it is about. */
#define SENTENCE_REFS 8

typedef struct {
  int country_a, country_b; /* a < b */
  int sentence;
} pair_at;

typedef struct {
  int sector;   /* lexicon index, or -1 */
  int unlisted; /* index into x->unlisted, or -1 */
  int sentence;
  size_t begin, end;
  const char *rule;
} sector_at;

typedef struct {
  int sentence; /* first: see first_at() */
  char date[11];
  size_t begin, end;
  const char *rule;
  int priority; /* lower is better */
} date_at;

typedef struct {
  int sentence; /* first: see first_at() */
  int place;    /* index into x->places */
  size_t begin, end;
  const char *rule;
  int priority;
  int stay; /* where a visitor stays: "A arrived in X" (group "stay") */
} place_at;

typedef struct {
  size_t from, to; /* units to collapse */
  int person;
} mention;

/* A person who travels to a country ("A arrived in X", "during her visit
 * to X"): a visitor is not from there. */
typedef struct {
  int person, country;
} visit_at;

/* A meeting word with one official: the event's other side may be named
 * by country only ("A held talks with his counterpart of B"). */
typedef struct {
  int sentence, person;
  int partner; /* the other side's country (group "partner"), or -1 */
  nkg_prov prov;
} half_at;

typedef struct {
  const nkg_rules *rules;
  const nkg_lexicon *lex;
  nkg_document *doc;
  nkg_extraction *x;
  pcre2_match_data *md;
  nkg_tagged t;
  nkg_prefilter_index *pf; /* of t.tags when t.version is pf_version */
  unsigned long pf_version;
  int sentence;
  int *last_seen; /* per person: last sentence mentioned */
  size_t last_seen_cap;
  int last_subject; /* person first mentioned in the last sentence with one */
  pair_at *pairs;
  size_t n_pairs;
  sector_at *sectors;
  size_t n_sectors;
  date_at *dates;
  size_t n_dates;
  place_at *places;
  size_t n_places;
  int *meeting_sentence; /* per meeting: the first sentence telling it */
  int (*meeting_more)[4]; /* per meeting: sentences telling it again */
  int *n_meeting_more;
  unsigned char *names_country; /* per sentence: names a country */
  int *country_named; /* per country: times named in the story */
  /* per country: times named in a sentence that does not speak of "the
   * two countries" (there a country named is what the two discuss) */
  int *country_named_apart;
  /* per sentence: who it names, a country index or -2 - person index */
  int (*refs)[SENTENCE_REFS];
  unsigned char *n_refs;
  unsigned char *one_speaker;   /* per sentence: opens with one official */
  int half_meeting; /* a meeting word with one official outside quotes */
  int meeting_word; /* a sentence matched a meetany rule */
  /* the first sentence with a meeting word or a reference to talks, or -1 */
  int first_event;
  /* per person: named once as someone present, not only as an owner ("the
   * President's envoy") or a former holder */
  unsigned char *present;
  size_t present_cap;
  unsigned char *remote;        /* per sentence: tells of a remote meeting */
  unsigned char *eventref;      /* per sentence: refers to a meeting */
  int meeting_here; /* a meeting rule matched in this sentence */
  int pair_phrase_here; /* "the two countries" in this sentence */
  int trace;             /* NEWSKG_TRACE set: print tagged sentences */
  unsigned char *gave_up; /* per rule: hit a match limit in this document */
  mention *pending;      /* mentions to collapse after a stage */
  size_t n_pending;
  int (*peers)[2];       /* counterparts: "A and his Thai counterpart B" */
  size_t n_peers;
  /* "After talks with his Thai counterpart B, A said": a counterpart in a
   * fronted clause, whose peer is the subject named after it */
  int fronted_peer;
  size_t fronted_to;
  nkg_prov fronted_prov;
  /* A sentence that tells of a meeting with one official only: a partial
   * meeting, which the next sentence may complete ("A took part in the
   * meeting. Co-chaired by B, the meeting ..."). */
  int partial_sentence, partial_person;
  nkg_prov partial_prov;
  visit_at *visits; /* who visits which country */
  size_t n_visits;
  half_at *halves; /* every partial meeting, completed or not */
  size_t n_halves;
  int half_pairs; /* pairs found from partial meetings */
  /* first sentence naming the pair without its countries ("the two
   * sides"), or -1 */
  int pair_phrase;
  nkg_prov pair_phrase_prov;
  int last_meeting_sentence; /* sentence of the last meeting added */
  int ruled_meeting; /* a meeting rule (not the meetany fallback) matched */
  /* With no date line: a lead line that is only a date ("28 Feb 2019
   * 14:59"), YYYY-MM-DD, the day the story was published; else empty. */
  char lead_date[11];
} state;

#define GROW(arr, n)                                                           \
  ((arr) = nkg_xrealloc((arr), ((n) + 1) * sizeof *(arr)), &(arr)[(n)++])

/* ---- small helpers ---- */

static void set_prov(nkg_prov *p, int sentence, size_t b, size_t e,
                     const char *rule) {
  p->sentence = sentence;
  p->begin = b;
  p->end = e;
  p->rule = rule;
}

/* Units covered by tagged-string span [so, eo): [*from, *to). */
static int span_units(const nkg_tagged *t, size_t so, size_t eo, size_t *from,
                      size_t *to) {
  if (so == PCRE2_UNSET || eo <= so)
    return 0;
  *from = nkg_tagged_unit_at(t, so);
  *to = nkg_tagged_unit_at(t, eo - 1) + 1;
  if (*to > t->n)
    *to = t->n;
  return *from < *to;
}

static int group_units(const nkg_rule *r, PCRE2_SIZE *ov, const nkg_tagged *t,
                       const char *name, size_t *from, size_t *to) {
  int g = nkg_rule_group(r, name);
  if (g < 0)
    return 0;
  return span_units(t, ov[2 * g], ov[2 * g + 1], from, to);
}

static int ascii_ieq(const char *a, size_t an, const char *b, size_t bn) {
  if (an != bn)
    return 0;
  for (size_t i = 0; i < an; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (char)(y - 'A' + 'a');
    if (x != y)
      return 0;
  }
  return 1;
}

static int unit_is(const state *st, size_t i, const char *w) {
  const nkg_unit *u = &st->t.units[i];
  size_t n = strlen(w);
  return u->end - u->begin == n &&
         strncasecmp(st->doc->text + u->begin, w, n) == 0;
}

/* Country of a COUNTRY or DEMONYM unit, of a PLACE unit with a country, or
 * of an OFFICIAL unit whose person has one; -1 otherwise. */
static int unit_country(const state *st, const nkg_unit *u) {
  switch (u->cls) {
  case NKG_U_COUNTRY:
  case NKG_U_DEMONYM:
    return u->value;
  case NKG_U_PLACE:
    return nkg_lexicon_place(st->lex, u->value)->country;
  case NKG_U_OFFICIAL:
    return st->x->persons[u->value].country;
  default:
    return -1;
  }
}

/* Returns arr, an array of *cap elements of elem bytes, grown (doubling)
 * to hold index p; the new elements are zero. The caller owns arr. */
static void *grow_zeroed(void *arr, size_t *cap, size_t elem, size_t p) {
  if (p < *cap)
    return arr;
  size_t n = *cap ? *cap * 2 : 16;
  while (n <= p)
    n *= 2;
  arr = nkg_xrealloc(arr, n * elem);
  memset((char *)arr + *cap * elem, 0, (n - *cap) * elem);
  *cap = n;
  return arr;
}

static void mark_present(state *st, int p) {
  st->present = grow_zeroed(st->present, &st->present_cap, 1, (size_t)p);
  st->present[p] = 1;
}

static int is_present(const state *st, int p) {
  return (size_t)p < st->present_cap && st->present[p];
}

/* A slot past the last person holds 0, never read: each person is touched
 * when created. */
static void touch_person(state *st, int p) {
  st->last_seen = grow_zeroed(st->last_seen, &st->last_seen_cap,
                              sizeof *st->last_seen, (size_t)p);
  st->last_seen[p] = st->sentence;
}

/* ---- people ---- */

static int find_person(const state *st, const char *name) {
  for (size_t i = 0; i < st->x->n_persons; i++)
    if (nkg_name_same(st->x->persons[i].name, name))
      return (int)i;
  /* a one-word name is a reference to someone already named */
  if (!strchr(name, ' ')) {
    int best = -1;
    for (size_t i = 0; i < st->x->n_persons; i++)
      if (nkg_name_refers(name, st->x->persons[i].name) &&
          (best < 0 || st->last_seen[i] > st->last_seen[best]))
        best = (int)i;
    return best;
  }
  /* a full name for someone first named by surname alone ("Ministers
   * Albares and Rangel ... the Foreign Minister, Jose Manuel Albares"):
   * the one person of that surname, so that the fullest spelling wins */
  int only = -1;
  for (size_t i = 0; i < st->x->n_persons; i++)
    if (!strchr(st->x->persons[i].name, ' ') &&
        nkg_name_refers(st->x->persons[i].name, name)) {
      if (only >= 0)
        return -1;
      only = (int)i;
    }
  return only;
}

static size_t count_words(const char *s) {
  size_t n = 1;
  for (; *s; s++)
    if (*s == ' ')
      n++;
  return n;
}

/* Text of units [from, to) as written, with outer punctuation trimmed. */
static void units_text(const state *st, size_t from, size_t to, nkg_buf *out) {
  while (from < to && st->t.units[from].cls == NKG_U_PUNCT)
    from++;
  while (to > from && st->t.units[to - 1].cls == NKG_U_PUNCT &&
         st->doc->text[st->t.units[to - 1].begin] != ')')
    to--;
  if (from >= to)
    return;
  size_t b = st->t.units[from].begin, e = st->t.units[to - 1].end;
  /* collapse whitespace runs (line breaks inside a sentence) */
  int space = 0;
  for (size_t i = b; i < e; i++) {
    char c = st->doc->text[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = 1;
      continue;
    }
    if (space)
      nkg_buf_addc(out, ' ');
    space = 0;
    nkg_buf_addc(out, c);
  }
}

/* Nonzero if units [from, to) hold a plural title ("Ministers": a title of
 * words.tsv with value 1). */
static int has_plural_title(const state *st, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    const nkg_unit *u = &st->t.units[i];
    if ((u->cls == NKG_U_TITLE || u->cls == NKG_U_RANK) && u->value == 1)
      return 1;
  }
  return 0;
}

/* A title as written, each plural title in it made singular: "Foreign
 * Ministers" is each one's "Foreign Minister". */
static void title_text(const state *st, size_t from, size_t to,
                       nkg_buf *out) {
  units_text(st, from, to, out);
  if (!out->data)
    return;
  for (size_t i = from; i < to; i++) {
    const nkg_unit *u = &st->t.units[i];
    if (!((u->cls == NKG_U_TITLE || u->cls == NKG_U_RANK) && u->value == 1))
      continue;
    size_t n = u->end - u->begin;
    const char *w = st->doc->text + u->begin;
    if (n < 2 || (w[n - 1] != 's' && w[n - 1] != 'S'))
      continue;
    /* find the unit's text in the output and drop its final s */
    char *hit = NULL, *end = out->data + out->len;
    for (char *q = out->data; !hit && q + n <= end; q++)
      if (memcmp(q, w, n) == 0 && (q == out->data || q[-1] == ' ') &&
          (q + n == end || q[n] == ' ' || q[n] == ','))
        hit = q;
    if (!hit)
      continue;
    memmove(hit + n - 1, hit + n, (size_t)(end - (hit + n)) + 1);
    out->len--;
  }
}

/* The "and" in title units [from, to) that joins two titles, each a
 * position of its own ("Deputy Prime Minister and Foreign Minister",
 * "Vice President and Minister of Trade"): a title head before it and one
 * right after it or after modifiers and portfolio words (classes mod and
 * port in words.tsv: "Acting", "Fisheries"), and no country after it; 0
 * if none. "Minister of Trade and Industry" holds one title. */
static size_t title_and(const state *st, size_t from, size_t to) {
  int head = 0;
  for (size_t i = from; i < to; i++) {
    const nkg_unit *u = &st->t.units[i];
    if (u->cls == NKG_U_TITLE || u->cls == NKG_U_RANK) {
      head = 1;
      continue;
    }
    if (!head || i == from || !unit_is(st, i, "and"))
      continue;
    size_t k = i + 1;
    while (k < to && (st->t.units[k].cls == NKG_U_MOD ||
                      st->t.units[k].cls == NKG_U_PORT ||
                      (st->t.units[k].cls == NKG_U_WORD &&
                       nkg_lex_has(st->t.units[k].mask, NKG_WC_MOD))))
      k++;
    if (k >= to || (st->t.units[k].cls != NKG_U_TITLE &&
                    st->t.units[k].cls != NKG_U_RANK))
      continue;
    /* "... and Finance Minister of X": the country is both titles', and a
     * title read with it is one ("Deputy Prime Minister and Finance
     * Minister of X" is X's Deputy Prime Minister too) */
    for (; k < to; k++)
      if (st->t.units[k].cls == NKG_U_COUNTRY ||
          st->t.units[k].cls == NKG_U_DEMONYM ||
          st->t.units[k].cls == NKG_U_PLACE)
        return 0;
    return i;
  }
  return 0;
}

/* Sets ps's position to title, the text of title units [tf, tt) read by
 * rule r from text [b, e), with the two titles it may hold (title_and). */
static void set_position(state *st, nkg_person *ps, nkg_buf *title,
                         size_t tf, size_t tt, size_t b, size_t e,
                         const nkg_rule *r) {
  free(ps->position);
  ps->position = nkg_buf_steal(title);
  ps->position_inherited = 0;
  ps->position_first_len = ps->position_second_at = 0;
  set_prov(&ps->position_prov, st->sentence, b, e, r->id);
  size_t k = title_and(st, tf, tt);
  if (!k)
    return;
  nkg_buf first = {0}, second = {0};
  title_text(st, tf, k, &first);
  title_text(st, k + 1, tt, &second);
  size_t n = strlen(ps->position);
  /* each is a part of the whole as written, or the whole stays one */
  if (first.len && second.len && first.len < n && second.len < n &&
      memcmp(ps->position, first.data, first.len) == 0 &&
      memcmp(ps->position + n - second.len, second.data, second.len) == 0) {
    ps->position_first_len = first.len;
    ps->position_second_at = n - second.len;
  }
  nkg_buf_free(&first);
  nkg_buf_free(&second);
}

/* Countries named inside a title: the first not after "to" or "in" is the
 * one represented; one after "to"/"in" is where an envoy is posted. */
static void title_countries(const state *st, size_t from, size_t to,
                            int *represented, int *posted) {
  for (size_t i = from; i < to; i++) {
    const nkg_unit *u = &st->t.units[i];
    int c = -1;
    if (u->cls == NKG_U_COUNTRY || u->cls == NKG_U_DEMONYM)
      c = u->value;
    else if (u->cls == NKG_U_PLACE)
      c = nkg_lexicon_place(st->lex, u->value)->country;
    if (c < 0)
      continue;
    size_t k = i;
    while (k > from && st->t.units[k - 1].cls == NKG_U_WORD &&
           ascii_ieq(st->doc->text + st->t.units[k - 1].begin,
                     st->t.units[k - 1].end - st->t.units[k - 1].begin, "the",
                     3))
      k--;
    const nkg_unit *prev = k > from ? &st->t.units[k - 1] : NULL;
    int after_to =
        prev && prev->cls == NKG_U_WORD &&
        (ascii_ieq(st->doc->text + prev->begin, prev->end - prev->begin, "to",
                   2) ||
         ascii_ieq(st->doc->text + prev->begin, prev->end - prev->begin, "in",
                   2));
    if (after_to) {
      if (*posted < 0)
        *posted = c;
    } else if (*represented < 0 && u->cls != NKG_U_PLACE) {
      *represented = c;
    }
  }
}


static int overlaps_claimed(const nkg_tagged *t, size_t from, size_t to) {
  for (size_t i = from; i < to; i++)
    if (t->units[i].claimed)
      return 1;
  return 0;
}

static void collapse_mentions(state *st, mention *m, size_t n) {
  /* right to left, so earlier indices stay valid */
  for (size_t i = n; i-- > 0;)
    nkg_tagged_collapse(&st->t, m[i].from, m[i].to, NKG_U_OFFICIAL,
                        m[i].person);
  nkg_tagged_render(&st->t);
}

static int cmp_mention(const void *a, const void *b) {
  const mention *x = a, *y = b;
  return x->from < y->from ? -1 : x->from > y->from;
}

static int add_or_find_person(state *st, const char *name, int *created) {
  int p = find_person(st, name);
  *created = 0;
  if (p >= 0) {
    /* keep the fullest spelling of the name */
    nkg_person *ps = &st->x->persons[p];
    if (count_words(name) > count_words(ps->name)) {
      free(ps->name);
      ps->name = nkg_xstrdup(name);
    }
    return p;
  }
  nkg_person *ps = GROW(st->x->persons, st->x->n_persons);
  memset(ps, 0, sizeof *ps);
  ps->name = nkg_xstrdup(name);
  ps->country = -1;
  ps->posted_to = -1;
  *created = 1;
  p = (int)(st->x->n_persons - 1);
  touch_person(st, p);
  return p;
}

/* Runs every rule of kind over the tagged sentence; fn gets each match that
 * does not overlap claimed units. */
typedef void (*match_fn)(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                         size_t from, size_t to);

static void run_rules(state *st, nkg_rule_kind kind, match_fn fn) {
  const nkg_rules *rs = st->rules;
  for (size_t k = rs->kind_start[kind]; k < rs->kind_start[kind + 1]; k++) {
    size_t ri = rs->by_kind[k];
    const nkg_rule *r = &rs->rules[ri];
    size_t start = 0;
    /* the prefilter skips most rules of most sentences in a few bit tests;
     * a callback may re-render the tags, hence the version check */
    while (start <= st->t.tags.len) {
      if (r->pre && st->pf_version != st->t.version) {
        nkg_prefilter_index_build(st->pf, st->t.tags.data, st->t.tags.len);
        st->pf_version = st->t.version;
      }
      if (!nkg_prefilter_may_match(r->pre, st->pf, st->t.tags.data,
                                   st->t.tags.len, start))
        break;
      int pf_current = st->pf_version == st->t.version;
      int rc = nkg_rule_match(st->rules, r, st->t.tags.data, st->t.tags.len,
                              start, st->md, st->pf, &pf_current);
      if (pf_current)
        st->pf_version = st->t.version;
      if (rc == PCRE2_ERROR_NOMATCH)
        break;
      if (rc < 0) {
        /* once per rule and document: an adversarial text must not flood
         * standard error */
        if (!st->gave_up[ri]) {
          PCRE2_UCHAR msg[160];
          pcre2_get_error_message(rc, msg, sizeof msg);
          nkg_warn("%s: rule %s (%s) gave up on sentence %d: %s (not "
                   "reported again for this document)",
                   st->doc->name, r->id, r->where, st->sentence, (char *)msg);
        }
        st->gave_up[ri] = 1;
        break;
      }
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
      size_t so = ov[0], eo = ov[1];
      size_t from, to;
      if (span_units(&st->t, so, eo, &from, &to) &&
          !(kind == NKG_RK_OFFICIAL && overlaps_claimed(&st->t, from, to))) {
        if (st->trace)
          fprintf(stderr, "newskg: %s: sentence %d: rule %s matched \"%.*s\"\n",
                  st->doc->name, st->sentence, r->id, (int)(eo - so),
                  st->t.tags.data + so);
        fn(st, r, ov, from, to);
      }
      start = eo > so ? eo : so + 1;
      /* restart at a unit boundary */
      while (start < st->t.tags.len && st->t.tags.data[start - 1] != ' ')
        start++;
    }
  }
}

/* ---- stage 1: officials ---- */

#define MAX_LIST 8

/* The people of a list without "respectively" ("the prime ministers of A
 * and B, X and Y"). Writers mostly keep the order of the countries, but
 * not always: so when some of them already represent a country of the
 * list, that wins, and when every one but one does, each a different
 * country, the one left is from the country left (a reader who knows X is
 * from B reads Y as from A). When none does, the i-th is from the i-th
 * country, as a reader would take it. */
static void complete_among(state *st, const nkg_rule *r, const int *people,
                           const size_t (*span)[2], const int *nations,
                           size_t n) {
  int used[MAX_LIST] = {0};
  int open = -1;
  size_t placed = 0;
  for (size_t k = 0; k < n; k++) {
    if (people[k] < 0)
      return;
    placed += st->x->persons[people[k]].country >= 0;
  }
  if (!placed) {
    for (size_t k = 0; k < n; k++) {
      nkg_person *ps = &st->x->persons[people[k]];
      ps->country = nations[k];
      set_prov(&ps->country_prov, st->sentence, span[k][0], span[k][1], r->id);
    }
    return;
  }
  for (size_t k = 0; k < n; k++) {
    int c = st->x->persons[people[k]].country;
    if (c < 0) {
      if (open >= 0)
        return; /* two or more unplaced */
      open = (int)k;
      continue;
    }
    size_t j = 0;
    while (j < n && (nations[j] != c || used[j]))
      j++;
    if (j == n)
      return; /* a country the list does not name */
    used[j] = 1;
  }
  if (open < 0)
    return;
  for (size_t j = 0; j < n; j++)
    if (!used[j]) {
      nkg_person *ps = &st->x->persons[people[open]];
      ps->country = nations[j];
      set_prov(&ps->country_prov, st->sentence, span[open][0], span[open][1],
               r->id);
      return;
    }
}

/* "The foreign ministers of A, B and C, X, Y and Z, respectively": a rule
 * with the groups "names" (a list of names) and "nations" (as many
 * countries or demonyms, in the same order) gives the i-th person the i-th
 * country, and each the title of the group "title" (made singular). The
 * names are claimed one by one, so that each becomes its own OFFICIAL.
 * With "among" instead of "nations" ("the prime ministers of A and B, X
 * and Y": no "respectively", and writers do not keep the order), the title
 * must be plural, and the countries are given by complete_among. */
static void on_official_list(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                             size_t nf, size_t nt) {
  size_t cf, ct;
  int among = 0;
  if (!group_units(r, ov, &st->t, "nations", &cf, &ct)) {
    size_t tf, tt;
    if (!group_units(r, ov, &st->t, "among", &cf, &ct) ||
        !group_units(r, ov, &st->t, "title", &tf, &tt) ||
        !has_plural_title(st, tf, tt))
      return;
    among = 1;
  }
  int nations[MAX_LIST];
  size_t nn = 0;
  for (size_t i = cf; i < ct; i++) {
    const nkg_unit *u = &st->t.units[i];
    if (u->cls != NKG_U_COUNTRY && u->cls != NKG_U_DEMONYM)
      continue;
    if (nn == MAX_LIST)
      return;
    nations[nn++] = u->value;
  }
  /* the names, split at commas and "and" */
  size_t from[MAX_LIST], to[MAX_LIST];
  size_t n = 0, start = nf;
  for (size_t i = nf; i <= nt; i++) {
    int sep = i == nt || unit_is(st, i, ",") || unit_is(st, i, "and");
    if (!sep)
      continue;
    if (i > start) {
      if (n == MAX_LIST)
        return;
      from[n] = start;
      to[n++] = i;
    }
    start = i + 1;
  }
  if (n < 2 || n != nn || overlaps_claimed(&st->t, nf, nt))
    return;
  nkg_buf title = {0};
  size_t tf, tt;
  if (group_units(r, ov, &st->t, "title", &tf, &tt))
    title_text(st, tf, tt, &title);
  int people[MAX_LIST];
  size_t span[MAX_LIST][2];
  for (size_t k = 0; k < n; k++) {
    people[k] = -1;
    nkg_buf text = {0}, name = {0};
    units_text(st, from[k], to[k], &text);
    nkg_name_normalise(&name, text.data ? text.data : "", text.len);
    nkg_buf_free(&text);
    if (!name.len) {
      nkg_buf_free(&name);
      continue;
    }
    int created;
    int p = add_or_find_person(st, name.data, &created);
    nkg_buf_free(&name);
    nkg_person *ps = &st->x->persons[p];
    size_t b = st->t.units[from[k]].begin, e = st->t.units[to[k] - 1].end;
    if (created)
      set_prov(&ps->prov, st->sentence, b, e, r->id);
    if (title.len &&
        (!ps->position || ps->position_inherited ||
         count_words(title.data) > count_words(ps->position))) {
      nkg_buf copy = {0};
      nkg_buf_adds(&copy, title.data);
      set_position(st, ps, &copy, tf, tt, b, e, r);
    }
    if (ps->country < 0 && !among) {
      ps->country = nations[k];
      set_prov(&ps->country_prov, st->sentence, b, e, r->id);
    }
    people[k] = p;
    span[k][0] = b;
    span[k][1] = e;
    touch_person(st, p);
    for (size_t i = from[k]; i < to[k]; i++)
      st->t.units[i].claimed = 1;
    mention *m = GROW(st->pending, st->n_pending);
    m->from = from[k];
    m->to = to[k];
    m->person = p;
  }
  nkg_buf_free(&title);
  if (among)
    complete_among(st, r, people, (const size_t (*)[2])span, nations, n);
}

/* Person p is the counterpart of q: p holds q's position if p has none. */
static void link_peer(state *st, int p, int q, int sentence, size_t b,
                      size_t e, const char *rule) {
  nkg_person *ps = &st->x->persons[p];
  if (!ps->position && st->x->persons[q].position) {
    ps->position = nkg_xstrdup(st->x->persons[q].position);
    ps->position_inherited = 1;
    set_prov(&ps->position_prov, sentence, b, e, rule);
  }
  int *link = *GROW(st->peers, st->n_peers);
  link[0] = p;
  link[1] = q;
}

/* Nonzero if unit i is a word that opens a fronted clause ("After talks
 * with ..., A said"). */
static int fronting_word(const state *st, size_t i) {
  static const char *const words[] = {"after", "before", "during",
                                      "following", "upon", "while", "when"};
  for (size_t k = 0; k < sizeof words / sizeof *words; k++)
    if (unit_is(st, i, words[k]))
      return 1;
  return 0;
}

/* The peer of a counterpart named in a fronted clause: the first person
 * named after it in the sentence (call before the mentions collapse). */
static void link_fronted_peer(state *st) {
  int p = st->fronted_peer;
  st->fronted_peer = -1;
  if (p < 0)
    return;
  int q = -1;
  size_t best = (size_t)-1;
  for (size_t i = 0; i < st->n_pending; i++)
    if (st->pending[i].from >= st->fronted_to && st->pending[i].from < best &&
        st->pending[i].person != p) {
      q = st->pending[i].person;
      best = st->pending[i].from;
    }
  if (q >= 0)
    link_peer(st, p, q, st->fronted_prov.sentence, st->fronted_prov.begin,
              st->fronted_prov.end, st->fronted_prov.rule);
}

static void on_official(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                        size_t mfrom, size_t mto) {
  size_t nf, nt;
  (void)mfrom;
  (void)mto;
  if (group_units(r, ov, &st->t, "names", &nf, &nt)) {
    on_official_list(st, r, ov, nf, nt);
    return;
  }
  if (!group_units(r, ov, &st->t, "name", &nf, &nt))
    return;
  /* at most six capitalised words: the particles, hyphens and dots inside
   * a name ("Khalid bin Ahmed", "al-Jaber al-Sabah", "B. Tsogt") do not
   * count */
  int names = 0, words = 0;
  for (size_t i = nf; i < nt; i++) {
    if (st->t.units[i].cls == NKG_U_NAME)
      names++;
    if (st->t.units[i].cls != NKG_U_PUNCT && st->t.units[i].cls != NKG_U_WORD)
      words++;
  }
  if (!names || words > 6)
    return;
  /* a title shared by a list ("Foreign Ministers A of X and B of Y") must
   * be a plural one; it is read but not claimed with each person */
  size_t pf, pt;
  int shared = group_units(r, ov, &st->t, "ptitle", &pf, &pt);
  if (shared && !has_plural_title(st, pf, pt))
    return;
  /* "A, the presidents of ..." is not one person's title */
  size_t xf, xt;
  if (!shared && group_units(r, ov, &st->t, "title", &xf, &xt) && xf >= nt &&
      has_plural_title(st, xf, xt))
    return;
  /* the mention spans every group the rule set */
  size_t from = nf, to = nt;
  static const char *const parts[] = {"title", "country", "hon", "of"};
  for (size_t k = 0; k < sizeof parts / sizeof *parts; k++) {
    size_t a, b;
    if (group_units(r, ov, &st->t, parts[k], &a, &b)) {
      if (a < from)
        from = a;
      if (b > to)
        to = b;
    }
  }
  if (overlaps_claimed(&st->t, from, to))
    return;
  nkg_buf text = {0}, name = {0};
  units_text(st, nf, nt, &text);
  nkg_name_normalise(&name, text.data ? text.data : "", text.len);
  nkg_buf_free(&text);
  if (!name.len) {
    nkg_buf_free(&name);
    return;
  }
  int created;
  int p = add_or_find_person(st, name.data, &created);
  nkg_buf_free(&name);
  nkg_person *ps = &st->x->persons[p];
  size_t b = st->t.units[from].begin, e = st->t.units[to - 1].end;
  if (created)
    set_prov(&ps->prov, st->sentence, b, e, r->id);
  size_t tf, tt;
  int represented = -1, posted = -1;
  int has_title = group_units(r, ov, &st->t, "title", &tf, &tt);
  if (!has_title && shared)
    tf = pf, tt = pt, has_title = 1;
  if (has_title) {
    nkg_buf title = {0};
    title_text(st, tf, tt, &title);
    /* the fullest title wins; a title stated for the person wins over
     * the one read from "counterpart" ("his Mexican counterpart, B ...
     * Foreign Minister B") */
    if (title.len &&
        (!ps->position || ps->position_inherited ||
         count_words(title.data) > count_words(ps->position)))
      set_position(st, ps, &title, tf, tt, b, e, r);
    nkg_buf_free(&title);
    title_countries(st, tf, tt, &represented, &posted);
  }
  size_t of, ot;
  if (represented < 0 && group_units(r, ov, &st->t, "of", &of, &ot))
    title_countries(st, of, ot, &represented, &posted);
  size_t cf, ct;
  if (group_units(r, ov, &st->t, "country", &cf, &ct))
    for (size_t i = cf; i < ct; i++) {
      int c = unit_country(st, &st->t.units[i]);
      if (c >= 0) {
        represented = c;
        break;
      }
    }
  if (represented >= 0 && ps->country < 0) {
    ps->country = represented;
    set_prov(&ps->country_prov, st->sentence, b, e, r->id);
  }
  if (posted >= 0 && ps->posted_to < 0)
    ps->posted_to = posted;
  /* "X and his Indian counterpart Y": Y holds X's position; X is the
   * person named last before Y in this sentence */
  size_t kf, kt;
  if (group_units(r, ov, &st->t, "peer", &kf, &kt)) {
    int q = -1;
    size_t best_to = 0;
    for (size_t i = 0; i < st->n_pending; i++)
      if (st->pending[i].to <= from && st->pending[i].to >= best_to &&
          st->pending[i].person != p) {
        q = st->pending[i].person;
        best_to = st->pending[i].to;
      }
    /* else the subject that opens the sentence: a name already known
     * ("Costa later met his counterpart ..."), or "He"/"She" */
    if (q < 0 && st->t.n > 0 && st->t.units[0].cls == NKG_U_NAME) {
      size_t j = 0;
      while (j < from && st->t.units[j].cls == NKG_U_NAME)
        j++;
      nkg_buf text = {0}, nm = {0};
      units_text(st, 0, j, &text);
      nkg_name_normalise(&nm, text.data ? text.data : "", text.len);
      if (nm.len) {
        int c = find_person(st, nm.data);
        if (c != p)
          q = c;
      }
      nkg_buf_free(&text);
      nkg_buf_free(&nm);
    } else if (q < 0 && st->t.n > 0 && st->t.units[0].cls == NKG_U_WORD &&
               nkg_lex_has(st->t.units[0].mask, NKG_WC_PRON) &&
               st->last_subject != p) {
      q = st->last_subject;
    }
    if (q >= 0)
      link_peer(st, p, q, st->sentence, b, e, r->id);
    else if (from > 0 && fronting_word(st, 0)) {
      st->fronted_peer = p;
      st->fronted_to = to;
      set_prov(&st->fronted_prov, st->sentence, b, e, r->id);
    }
  }
  touch_person(st, p);
  for (size_t i = from; i < to; i++)
    st->t.units[i].claimed = 1;
  mention *m = GROW(st->pending, st->n_pending);
  m->from = from;
  m->to = to;
  m->person = p;
}

/* ---- stage 1b: references ---- */

/* Nonzero if person p is already mentioned in the current sentence. */
static int in_sentence(const state *st, int p) {
  for (size_t i = 0; i < st->t.n; i++)
    if (st->t.units[i].cls == NKG_U_OFFICIAL && st->t.units[i].value == p)
      return 1;
  for (size_t i = 0; i < st->n_pending; i++)
    if (st->pending[i].person == p)
      return 1;
  return 0;
}

/* Person whose title matches the words of units [from, to) and, if given,
 * the country; the most recently mentioned wins. "The minister" refers
 * back: not to someone named in the same sentence. */
static int resolve_title(state *st, size_t from, size_t to, int country) {
  nkg_buf title = {0};
  units_text(st, from, to, &title);
  int best = -1;
  if (!title.len) {
    nkg_buf_free(&title);
    return -1;
  }
  for (size_t i = 0; i < st->x->n_persons; i++) {
    const nkg_person *ps = &st->x->persons[i];
    if (!ps->position)
      continue;
    if (country >= 0 && ps->country >= 0 && ps->country != country)
      continue;
    if (in_sentence(st, (int)i))
      continue;
    /* every word of the title occurs in the position, or the title is an
     * acronym of words of the position ("PM") */
    int ok = nkg_name_refers(title.data, ps->position);
    if (!ok) {
      nkg_buf initials = {0};
      const char *p = ps->position;
      while (*p) {
        while (*p == ' ')
          p++;
        if (*p >= 'A' && *p <= 'Z')
          nkg_buf_addc(&initials, *p);
        while (*p && *p != ' ')
          p++;
      }
      ok = initials.data && strstr(initials.data, title.data) != NULL &&
           title.len >= 2;
      nkg_buf_free(&initials);
    }
    /* "the Kyrgyz minister": one known to be Kyrgyz beats one whose
     * country is not known, then the one mentioned last */
    int exact = country >= 0 && ps->country == country;
    int best_exact = best >= 0 && country >= 0 &&
                     st->x->persons[best].country == country;
    if (ok && (best < 0 || exact > best_exact ||
               (exact == best_exact &&
                st->last_seen[i] > st->last_seen[best])))
      best = (int)i;
  }
  nkg_buf_free(&title);
  return best;
}

static void on_anaphor(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                       size_t from, size_t to) {
  size_t tf, tt, cf, ct;
  int p = -1;
  /* "At the palace, he ...": only the pronoun is the person */
  if (group_units(r, ov, &st->t, "pron", &tf, &tt)) {
    from = tf;
    to = tt;
  }
  if (overlaps_claimed(&st->t, from, to))
    return;
  if (group_units(r, ov, &st->t, "pron", &tf, &tt)) {
    p = st->last_subject;
  } else if (group_units(r, ov, &st->t, "title", &tf, &tt)) {
    int country = -1;
    if (has_plural_title(st, tf, tt)) /* "the ministers": more than one */
      return;
    if (group_units(r, ov, &st->t, "country", &cf, &ct))
      country = unit_country(st, &st->t.units[cf]);
    p = resolve_title(st, tf, tt, country);
    /* "the Hungarian Prime Minister": the only such official with no
     * country of their own is from there, unless one from there is known */
    if (p >= 0 && country >= 0 && st->x->persons[p].country < 0 &&
        st->x->persons[p].posted_to < 0 && !in_sentence(st, p)) {
      nkg_buf title = {0};
      units_text(st, tf, tt, &title);
      int others = 0;
      for (size_t k = 0; title.len && k < st->x->n_persons; k++) {
        const nkg_person *q = &st->x->persons[k];
        if ((int)k != p && q->position &&
            (q->country < 0 || q->country == country) &&
            nkg_name_refers(title.data, q->position))
          others++;
      }
      if (title.len && !others) {
        nkg_person *ps = &st->x->persons[p];
        ps->country = country;
        set_prov(&ps->country_prov, st->sentence, st->t.units[from].begin,
                 st->t.units[to - 1].end, r->id);
      }
      nkg_buf_free(&title);
    }
  } else if (group_units(r, ov, &st->t, "country", &cf, &ct)) {
    /* "the Vietnamese official": the person of that country seen last */
    int country = unit_country(st, &st->t.units[cf]);
    for (size_t k = 0; country >= 0 && k < st->x->n_persons; k++)
      if (st->x->persons[k].country == country &&
          (p < 0 || st->last_seen[k] > st->last_seen[p]))
        p = (int)k;
  }
  if (p < 0)
    return;
  touch_person(st, p);
  for (size_t i = from; i < to; i++)
    st->t.units[i].claimed = 1;
  mention *m = GROW(st->pending, st->n_pending);
  m->from = from;
  m->to = to;
  m->person = p;
}

/* Runs of NAME units (with an honorific or title before them) that name a
 * person already met in the document. */
static void resolve_names(state *st) {
  for (size_t i = 0; i < st->t.n;) {
    if (st->t.units[i].cls != NKG_U_NAME || st->t.units[i].claimed) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < st->t.n && st->t.units[j].cls == NKG_U_NAME &&
           !st->t.units[j].claimed) {
      j++;
      /* "Al-Rashid": a hyphen joins two capitalised parts of one name */
      if (j + 1 < st->t.n && st->t.units[j].cls == NKG_U_PUNCT &&
          st->t.units[j].end - st->t.units[j].begin == 1 &&
          st->doc->text[st->t.units[j].begin] == '-' &&
          st->t.units[j].end == st->t.units[j + 1].begin &&
          st->t.units[j - 1].end == st->t.units[j].begin &&
          st->t.units[j + 1].cls == NKG_U_NAME)
        j++;
    }
    nkg_buf text = {0}, name = {0};
    units_text(st, i, j, &text);
    nkg_name_normalise(&name, text.data ? text.data : "", text.len);
    int p = -1;
    if (name.len) {
      for (size_t k = 0; k < st->x->n_persons; k++)
        if (nkg_name_refers(name.data, st->x->persons[k].name) &&
            (p < 0 || st->last_seen[k] > st->last_seen[p]))
          p = (int)k;
    }
    nkg_buf_free(&text);
    nkg_buf_free(&name);
    if (p >= 0) {
      size_t from = i;
      while (from > 0 && !st->t.units[from - 1].claimed &&
             (st->t.units[from - 1].cls == NKG_U_HON ||
              st->t.units[from - 1].cls == NKG_U_TITLE))
        from--;
      touch_person(st, p);
      for (size_t k = from; k < j; k++)
        st->t.units[k].claimed = 1;
      mention *m = GROW(st->pending, st->n_pending);
      m->from = from;
      m->to = j;
      m->person = p;
    }
    i = j;
  }
}

/* "Hungarian Foreign Minister A, Interior Minister B, and Defence Minister
 * C": in a list of three or more officials joined by commas, the ones
 * after an official whose country this sentence gives, with none of
 * their own, share it, when the list names no other country. */
static void list_countries(state *st) {
  const nkg_tagged *t = &st->t;
  nkg_person *pp = st->x->persons;
  for (size_t i = 0; i < t->n;) {
    if (t->units[i].cls != NKG_U_OFFICIAL) {
      i++;
      continue;
    }
    size_t run[16];
    size_t n = 0, j = i;
    size_t commas = 0;
    run[n++] = j;
    while (n < 16) {
      size_t k = j + 1;
      size_t c = 0;
      while (k < t->n && k - j <= 3 && t->units[k].cls != NKG_U_OFFICIAL) {
        if (unit_is(st, k, ","))
          c++;
        else if (!unit_is(st, k, "and"))
          break;
        k++;
      }
      if (k >= t->n || t->units[k].cls != NKG_U_OFFICIAL || k == j + 1)
        break;
      commas += c;
      run[n++] = j = k;
    }
    i = j + 1;
    if (n < 3 || commas < n - 2)
      continue;
    int country = -1, first = -1, mixed = 0;
    for (size_t a = 0; a < n; a++) {
      const nkg_person *ps = &pp[t->units[run[a]].value];
      if (ps->country < 0)
        continue;
      if (country >= 0 && ps->country != country)
        mixed = 1;
      if (country < 0 && ps->country_prov.sentence == st->sentence) {
        country = ps->country;
        first = (int)a;
      }
    }
    if (mixed || country < 0)
      continue;
    for (size_t a = (size_t)first + 1; a < n; a++) {
      nkg_person *ps = &pp[t->units[run[a]].value];
      if (ps->country < 0 && ps->posted_to < 0) {
        ps->country = country;
        set_prov(&ps->country_prov, st->sentence, t->units[run[first]].begin,
                 t->units[run[a]].end, RULE_LIST);
      }
    }
  }
}

static void flush_mentions(state *st) {
  if (!st->n_pending)
    return;
  if (st->n_pending > 1) /* qsort(NULL, 0, ...) is undefined */
    qsort(st->pending, st->n_pending, sizeof *st->pending, cmp_mention);
  collapse_mentions(st, st->pending, st->n_pending);
  st->n_pending = 0;
}

/* ---- stage 2: events ---- */

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return x < y ? -1 : x > y;
}

static void add_pair(state *st, int a, int b, const nkg_prov *prov) {
  if (a < 0 || b < 0 || a == b)
    return;
  if (a > b) {
    int t = a;
    a = b;
    b = t;
  }
  pair_at *pa = GROW(st->pairs, st->n_pairs);
  pa->country_a = a;
  pa->country_b = b;
  pa->sentence = st->sentence;
  for (size_t i = 0; i < st->x->n_cooperates; i++)
    if (st->x->cooperates[i].a == a && st->x->cooperates[i].b == b)
      return;
  nkg_pair *p = GROW(st->x->cooperates, st->x->n_cooperates);
  p->a = a;
  p->b = b;
  p->prov = *prov;
}

/* add_pair() as if the scan were at sentence s: pairs found after the
 * scan belong to the sentence of the event that makes them. */
static void add_pair_at(state *st, int s, int a, int b, const nkg_prov *prov) {
  int saved = st->sentence;
  st->sentence = s;
  add_pair(st, a, b, prov);
  st->sentence = saved;
}

static void add_meeting(state *st, int *people, size_t n, const nkg_prov *prov) {
  if (n > 1) /* qsort(NULL, 0, ...) is undefined */
    qsort(people, n, sizeof *people, cmp_int);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!k || people[k - 1] != people[i])
      people[k++] = people[i];
  if (k < 2)
    return;
  for (size_t i = 0; i < st->x->n_meetings; i++) {
    nkg_meeting *m = &st->x->meetings[i];
    if (m->n_participants == k &&
        memcmp(m->participants, people, k * sizeof *people) == 0) {
      /* the same meeting told again: its date or place may be here */
      int *more = st->meeting_more[i];
      int *n = &st->n_meeting_more[i];
      if (st->meeting_sentence[i] != st->sentence && *n < 4 &&
          (*n == 0 || more[*n - 1] != st->sentence))
        more[(*n)++] = st->sentence;
      return;
    }
  }
  st->last_meeting_sentence = st->sentence;
  nkg_meeting *m = GROW(st->x->meetings, st->x->n_meetings);
  memset(m, 0, sizeof *m);
  m->participants = nkg_xmalloc(k * sizeof *people);
  memcpy(m->participants, people, k * sizeof *people);
  m->n_participants = k;
  m->place = -1;
  m->prov = *prov;
  st->meeting_sentence = nkg_xrealloc(
      st->meeting_sentence, st->x->n_meetings * sizeof *st->meeting_sentence);
  st->meeting_sentence[st->x->n_meetings - 1] = st->sentence;
  st->meeting_more = nkg_xrealloc(st->meeting_more,
                                  st->x->n_meetings * sizeof *st->meeting_more);
  st->n_meeting_more = nkg_xrealloc(
      st->n_meeting_more, st->x->n_meetings * sizeof *st->n_meeting_more);
  st->n_meeting_more[st->x->n_meetings - 1] = 0;
}

static size_t officials_in(const state *st, size_t from, size_t to, int *out,
                           size_t max) {
  size_t n = 0;
  for (size_t i = from; i < to && n < max; i++)
    if (st->t.units[i].cls == NKG_U_OFFICIAL)
      out[n++] = st->t.units[i].value;
  return n;
}

#define MAX_PARTICIPANTS 16

/* Nonzero if the n people are two or more whose countries are all given
 * and the same: one side of a meeting, not several partners. */
static int one_side(const state *st, const int *people, size_t n) {
  if (n < 2)
    return 0;
  int c = st->x->persons[people[0]].country;
  for (size_t i = 0; i < n; i++)
    if (c < 0 || st->x->persons[people[i]].country != c)
      return 0;
  return 1;
}

static void on_meeting(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                       size_t from, size_t to) {
  nkg_prov prov;
  st->meeting_here = 1;
  set_prov(&prov, st->sentence, st->t.units[from].begin,
           st->t.units[to - 1].end, r->id);
  int people[MAX_PARTICIPANTS * 2];
  size_t af, at, ef, et;
  int partners = 0;
  if ((group_units(r, ov, &st->t, "each", &ef, &et) ||
       (partners = group_units(r, ov, &st->t, "partners", &ef, &et))) &&
      group_units(r, ov, &st->t, "a", &af, &at)) {
    /* "A held meetings with B; C; and D": one meeting each */
    int each[MAX_PARTICIPANTS];
    size_t ne = officials_in(st, ef, et, each, MAX_PARTICIPANTS);
    if (partners && one_side(st, each, ne)) {
      /* "A met the president of X, B, and its foreign minister, C": the
       * hosts of one country received A together */
      size_t na = officials_in(st, af, at, people, MAX_PARTICIPANTS);
      memcpy(people + na, each, ne * sizeof *each);
      add_meeting(st, people, na + ne, &prov);
      st->ruled_meeting = 1;
      return;
    }
    for (size_t i = 0; i < ne; i++) {
      size_t na = officials_in(st, af, at, people, MAX_PARTICIPANTS);
      people[na++] = each[i];
      add_meeting(st, people, na, &prov);
      st->ruled_meeting = 1;
    }
    return;
  }
  size_t n = officials_in(st, from, to, people, MAX_PARTICIPANTS * 2);
  add_meeting(st, people, n, &prov);
  st->ruled_meeting |= n >= 2;
}

/* The fallback for a sentence no meeting rule matched: a meeting word
 * ("talks", "received", "a courtesy call") and two to four officials named
 * outside quotes make a meeting of them. With one official before the word
 * and several after it ("A received B and C"), one meeting with each. */
#define MAX_ANY 4

/* Nonzero if a meeting was added while reading sentence s. */
static int meeting_told(const state *st, int s) {
  return st->x->n_meetings > 0 && st->last_meeting_sentence == s;
}

/* A meeting sentence with one official, p. "During the meeting with B,
 * the two sides ..." (p after "with", after the meeting word): a meeting
 * of p and the person the story is about, the first it names. Otherwise a partial meeting:
 * with the partial one of the sentence before, a meeting of the two
 * ("A took part in the council's meeting in X. Co-chaired by B, the
 * meeting ..."), unless either sentence tells a meeting of its own or
 * both are of one country. */
static void partial_meeting(state *st, int p, int after_trigger,
                            int partner, const nkg_prov *prov) {
  const nkg_person *ps = &st->x->persons[p];
  int people[2];
  size_t at = st->t.n;
  for (size_t i = 0; i < st->t.n && at == st->t.n; i++)
    if (st->t.units[i].cls == NKG_U_OFFICIAL && st->t.units[i].value == p)
      at = i;
  size_t w = at;
  while (w > 0 && (unit_is(st, w - 1, "the") || unit_is(st, w - 1, "his") ||
                   unit_is(st, w - 1, "her")))
    w--;
  int q = st->x->n_persons ? 0 : -1; /* the first person of the story */
  if (after_trigger && w > 0 && unit_is(st, w - 1, "with") && q >= 0 &&
      q != p &&
      (ps->country < 0 || st->x->persons[q].country != ps->country)) {
    people[0] = q;
    people[1] = p;
    add_meeting(st, people, 2, prov);
    st->meeting_here = 1;
    return;
  }
  q = st->partial_person;
  if (st->partial_sentence == st->sentence - 1 && q >= 0 && q != p &&
      !meeting_told(st, st->sentence - 1) &&
      (ps->country < 0 || st->x->persons[q].country != ps->country)) {
    int saved = st->sentence;
    people[0] = q;
    people[1] = p;
    st->sentence = st->partial_sentence;
    add_meeting(st, people, 2, &st->partial_prov);
    st->sentence = saved;
    /* this sentence tells it too: its date or place may be here */
    size_t m = st->x->n_meetings - 1;
    if (st->meeting_sentence[m] != saved && st->n_meeting_more[m] < 4)
      st->meeting_more[m][st->n_meeting_more[m]++] = saved;
    st->meeting_here = 1;
    st->partial_person = -1;
    return;
  }
  st->partial_sentence = st->sentence;
  st->partial_person = p;
  st->partial_prov = *prov;
  if (partner < 0)
    return;
  half_at *h = GROW(st->halves, st->n_halves);
  h->sentence = st->sentence;
  h->person = p;
  h->partner = partner;
  h->prov = *prov;
}

static void on_meetany(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                       size_t from, size_t to) {
  st->meeting_word = 1;
  size_t gf, gt;
  /* a signing is told of papers, not always of a meeting */
  if (st->first_event < 0 && !group_units(r, ov, &st->t, "signing", &gf, &gt))
    st->first_event = st->sentence;
  if (st->meeting_here)
    return;
  size_t tf, tt;
  if (!group_units(r, ov, &st->t, "trigger", &tf, &tt))
    return;
  size_t sf = st->t.n, st_to;
  if (!group_units(r, ov, &st->t, "split", &sf, &st_to))
    sf = st->t.n;
  int before[MAX_ANY + 1], after[MAX_ANY + 1], witness[MAX_ANY + 1];
  size_t nb = 0, na = 0, nw = 0, n = 0;
  int quoted = 0;
  for (size_t i = 0; i < st->t.n; i++) {
    const nkg_unit *u = &st->t.units[i];
    if (st->t.tags.data[st->t.pos[i]] == '"') {
      quoted = !quoted;
      continue;
    }
    if (u->cls != NKG_U_OFFICIAL || quoted)
      continue;
    /* "the President's coordinator", "by former President X": not here */
    if (i + 1 < st->t.n && strncmp(st->t.tags.data + st->t.pos[i + 1], "'s ", 3) == 0)
      continue;
    if (i > 0 && (unit_is(st, i - 1, "former") || unit_is(st, i - 1, "late")))
      continue;
    int p = u->value, dup = 0;
    for (size_t k = 0; k < nb && !dup; k++)
      dup = before[k] == p;
    for (size_t k = 0; k < na && !dup; k++)
      dup = after[k] == p;
    for (size_t k = 0; k < nw && !dup; k++)
      dup = witness[k] == p;
    if (dup)
      continue;
    if (++n > MAX_ANY)
      return; /* a list of attendees, not a meeting of them */
    if (i >= sf) {
      witness[nw++] = p; /* "in the presence of A and B" */
      continue;
    }
    if (i < tf)
      before[nb++] = p;
    else
      after[na++] = p;
  }
  nkg_prov prov;
  set_prov(&prov, st->sentence, st->t.units[from].begin,
           st->t.units[to - 1].end, r->id);
  int people[MAX_ANY + 1];
  if (nb + na == 1 && nw == 0) {
    /* "X met with the minister of ...": a meeting of one named official
     * and a partner the rules could not name (yet: a later sentence may
     * name them) */
    st->half_meeting = 1;
    size_t pf, pt;
    int partner = -1;
    if (group_units(r, ov, &st->t, "partner", &pf, &pt))
      partner = unit_country(st, &st->t.units[pf]);
    partial_meeting(st, nb ? before[0] : after[0], nb == 0, partner, &prov);
    return;
  }
  if (nw >= 2) {
    memcpy(people, witness, nw * sizeof *people);
    add_meeting(st, people, nw, &prov);
    st->meeting_here = 1;
  }
  n = nb + na;
  if (n < 2)
    return;
  st->meeting_here = 1;
  if (nb == 1 && na >= 2) {
    for (size_t k = 0; k < na; k++) {
      people[0] = before[0];
      people[1] = after[k];
      add_meeting(st, people, 2, &prov);
    }
    return;
  }
  memcpy(people, before, nb * sizeof *people);
  memcpy(people + nb, after, na * sizeof *people);
  add_meeting(st, people, n, &prov);
}

static void on_cooperation(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                           size_t from, size_t to) {
  size_t af, at, bf, bt;
  int a = -1, b = -1;
  int ga = group_units(r, ov, &st->t, "a", &af, &at);
  int gb = group_units(r, ov, &st->t, "b", &bf, &bt);
  if (!ga && !gb) {
    /* no countries: "the two countries", the sentence is about the pair in
     * force, as if it named it */
    st->names_country[st->sentence] = 1;
    st->pair_phrase_here = 1;
    if (st->pair_phrase < 0) {
      st->pair_phrase = st->sentence;
      set_prov(&st->pair_phrase_prov, st->sentence, st->t.units[from].begin,
               st->t.units[to - 1].end, RULE_STORY_PAIR);
    }
    return;
  }
  if (ga)
    a = unit_country(st, &st->t.units[af]);
  if (gb)
    b = unit_country(st, &st->t.units[bf]);
  nkg_prov prov;
  set_prov(&prov, st->sentence, st->t.units[from].begin,
           st->t.units[to - 1].end, r->id);
  add_pair(st, a, b, &prov);
}

static void on_nonsector(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                         size_t from, size_t to) {
  size_t sf, stop;
  (void)from;
  (void)to;
  if (group_units(r, ov, &st->t, "sector", &sf, &stop))
    for (size_t i = sf; i < stop; i++)
      st->t.units[i].claimed = 1;
}

/* Index of label in x->unlisted, added if new. */
static int unlisted_index(nkg_extraction *x, const char *label) {
  for (size_t i = 0; i < x->n_unlisted; i++)
    if (!strcmp(x->unlisted[i], label))
      return (int)i;
  char **slot = GROW(x->unlisted, x->n_unlisted);
  *slot = nkg_xstrdup(label);
  return (int)(x->n_unlisted - 1);
}

/* A unit that may be a word of an unlisted sector: a lower-case word that
 * is neither a function word nor in a gazetteer class. */
static int unlisted_word(const state *st, const nkg_unit *u) {
  if (u->cls != NKG_U_WORD || u->claimed || nkg_lex_has(u->mask, NKG_WC_FUNC))
    return 0;
  unsigned char c = (unsigned char)st->doc->text[u->begin];
  return c >= 'a' && c <= 'z';
}

/* Whether a unit of [from, to) is a word of cooperation or talks (class
 * cue in words.tsv): a run that holds one names the relation or the act,
 * not its field ("cooperation encompassing", "sign several agreements",
 * "technological cooperation program"). */
static int holds_cue(const state *st, size_t from, size_t to) {
  for (size_t k = from; k < to; k++)
    if (st->t.units[k].cls == NKG_U_WORD &&
        nkg_lex_has(st->t.units[k].mask, NKG_WC_CUE))
      return 1;
  return 0;
}

/* A word that is an adjective by its ending ("social", "economic",
 * "bilateral", "various"): alone, it names no sector. */
static int single_adjective(const state *st, const nkg_unit *u) {
  static const char *const ends[] = {"al", "ic", "ive", "ous", "ful",
                                     "able", "ible", "ary", "ese", "ian",
                                     "ish", "ed", "ly", "less", "er", "est"};
  const char *w = st->doc->text + u->begin;
  size_t n = u->end - u->begin;
  for (size_t k = 0; k < sizeof ends / sizeof *ends; k++) {
    size_t m = strlen(ends[k]);
    if (n > m && !memcmp(w + n - m, ends[k], m))
      return 1;
  }
  return 0;
}

/* An adjective that names a field by itself in a list of fields ("trade,
 * economic, cultural and humanitarian cooperation"): "-ic" or "-al", and
 * not a generic word ("bilateral", "strategic"). */
static int domain_adjective(const state *st, const nkg_unit *u) {
  const char *w = st->doc->text + u->begin;
  size_t n = u->end - u->begin;
  return n > 5 && (!memcmp(w + n - 2, "ic", 2) || !memcmp(w + n - 2, "al", 2)) &&
         !nkg_lex_has(u->mask, NKG_WC_GENERIC);
}

/* Nonzero if unit u is the word w (as written). */
static int word_is(const state *st, const nkg_unit *u, const char *w) {
  size_t n = strlen(w);
  return u->end - u->begin == n && !memcmp(st->doc->text + u->begin, w, n);
}

/* A comma or a conjunction between the items of a list. */
static int list_separator(const state *st, const nkg_unit *u) {
  if (!u)
    return 0;
  const char *w = st->doc->text + u->begin;
  size_t n = u->end - u->begin;
  return (n == 1 && (*w == ',' || *w == '&')) ||
         (n == 3 && !memcmp(w, "and", 3)) || (n == 2 && !memcmp(w, "or", 2));
}

/* Records the gazetteer's sector at unit u of this sentence, found by r. */
static void add_known_sector(state *st, const nkg_rule *r,
                             const nkg_unit *u) {
  sector_at *s = GROW(st->sectors, st->n_sectors);
  s->sector = u->value;
  s->unlisted = -1;
  s->sentence = st->sentence;
  s->begin = u->begin;
  s->end = u->end;
  s->rule = r->id;
}

/* Adds the words [b, e) of the text as a sector the gazetteer does not
 * know, labelled as written (lower case, one line). */
static void add_unlisted(state *st, const nkg_rule *r, size_t b, size_t e) {
  nkg_buf label = {0};
  for (size_t k = b; k < e; k++) {
    char c = st->doc->text[k];
    nkg_buf_addc(&label, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a')
                         : (c == '\n' || c == '\t') ? ' '
                                                      : c);
  }
  sector_at *s = GROW(st->sectors, st->n_sectors);
  s->sector = -1;
  s->unlisted = unlisted_index(st->x, label.data);
  s->sentence = st->sentence;
  s->begin = b;
  s->end = e;
  s->rule = r->id;
  nkg_buf_free(&label);
}

/* The items of a list (group "unlisted") that are runs of two or three
 * such words between separators (one word alone is too often something
 * else: "terms", "context"): "delta management , river dredging and
 * flood forecasting". A run next to a sector is part of that sector's
 * item ("agricultural mechanisation"); one that ends in a head noun
 * ("other areas") or a generic word names no sector, and generic words
 * that open a run are not part of it ("mutual trust": "trust"). With
 * strict, only runs between list separators (commas, "and", "or") count,
 * and a single word not before "and" + a known sector or a comma is a
 * modifier of the next item ("safe and environmentally sound shipping"):
 * for the lists of sectors.after-cue, whose separators include "in" and
 * "for". */
static void unlisted_items(state *st, const nkg_rule *r, size_t from,
                           size_t to, int strict) {
  /* in a list of at least two known sectors, a single word between
   * separators is an item too ("mining , anti-monopoly , and tourism") */
  size_t known = 0;
  for (size_t k = from; k < to; k++)
    known += st->t.units[k].cls == NKG_U_SECTOR;
  size_t i = from;
  while (i < to) {
    if (!unlisted_word(st, &st->t.units[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < to && unlisted_word(st, &st->t.units[j]))
      j++;
    const nkg_unit *before = i > from ? &st->t.units[i - 1] : NULL;
    const nkg_unit *after = j < to ? &st->t.units[j] : NULL;
    int bounded = (!before || before->cls == NKG_U_PUNCT ||
                   nkg_lex_has(before->mask, NKG_WC_FUNC)) &&
                  (!after || after->cls == NKG_U_PUNCT ||
                   nkg_lex_has(after->mask, NKG_WC_FUNC));
    size_t next = j;
    while (i < j && nkg_lex_has(st->t.units[i].mask, NKG_WC_GENERIC))
      i++;
    if (i == j) {
      i = next;
      continue;
    }
    const nkg_unit *last = &st->t.units[j - 1];
    size_t b = st->t.units[i].begin, e = last->end;
    /* "setting up", "combating illegal": a verb, not a sector; but a
     * hyphenated compound is a noun ("education-training",
     * "capacity-building") */
    size_t e0 = st->t.units[i].end;
    int verb = e0 - b > 4 && !memcmp(st->doc->text + e0 - 3, "ing", 3) &&
               !memchr(st->doc->text + b, '-', e0 - b);
    int single = j - i == 1 && !nkg_lex_has(last->mask, NKG_WC_HEAD);
    if (strict) {
      const nkg_unit *next2 = j + 1 < to ? &st->t.units[j + 1] : NULL;
      bounded = bounded && list_separator(st, before) &&
                (!after || list_separator(st, after));
      if (single && after && !word_is(st, after, ",") &&
          !(next2 && (next2->cls == NKG_U_SECTOR || word_is(st, next2, "the"))))
        single = 0;
    }
    if (bounded && !verb && single && known >= 2 &&
             list_separator(st, before) &&
             (!after || list_separator(st, after)) &&
             (!single_adjective(st, &st->t.units[i]) ||
              domain_adjective(st, &st->t.units[i])))
      ; /* a single word, taken below */
    else if (j - i < 2)
      bounded = 0;
    /* a list that opens with "the entire range of", "the development
     * of": the head of an "of" phrase, not an item */
    const nkg_unit *follow = j < st->t.n ? &st->t.units[j] : NULL;
    int of = !before && follow && follow->end - follow->begin == 2 &&
             !memcmp(st->doc->text + follow->begin, "of", 2);
    if (bounded && !verb && !of && j - i <= 3 && !holds_cue(st, i, j) &&
        !nkg_lex_has(last->mask, NKG_WC_HEAD) &&
        !nkg_lex_has(last->mask, NKG_WC_GENERIC))
      add_unlisted(st, r, b, e);
    i = next;
  }
}

/* The items of a list of domains (group "domains"): "technical, scientific
 * and cultural cooperation". Each item between separators is a sector: a
 * known one is its concept; a single word or a run of two or three that the
 * gazetteer does not know is a sector of its own, labelled as written
 * ("technical"). The rule, not this function, keeps out words that qualify
 * the relation rather than name its field ("bilateral", "strategic"). */
static void domain_items(state *st, const nkg_rule *r, size_t from,
                         size_t to) {
  size_t i = from;
  while (i < to) {
    const nkg_unit *u = &st->t.units[i];
    if (u->cls == NKG_U_SECTOR && !u->claimed) {
      add_known_sector(st, r, u);
      i++;
      continue;
    }
    if (!unlisted_word(st, u)) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < to && unlisted_word(st, &st->t.units[j]))
      j++;
    /* only a whole item: between separators, not a word glued to a
     * known sector ("cultural heritage" is the gazetteer's) */
    int whole = (i == from || list_separator(st, &st->t.units[i - 1])) &&
                (j == to || list_separator(st, &st->t.units[j]));
    if (whole && j - i <= 3)
      add_unlisted(st, r, st->t.units[i].begin, st->t.units[j - 1].end);
    i = j;
  }
}

/* Whether unit u is a word that ends one item of a list of topics and
 * opens the next: a comma, a semicolon, a colon, "and", "or", "&",
 * "plus". */
static int topic_separator(const state *st, const nkg_unit *u) {
  return list_separator(st, u) || word_is(st, u, ";") ||
         word_is(st, u, ":") || word_is(st, u, "plus");
}

/* A unit that says a topic is an event or a thing, not a field: a person,
 * a place, a name, an organisation, a number or a date ("the upcoming
 * NATO summit", "the crisis in Haiti", "Barbados' population decline"). */
static int topic_proper(const nkg_unit *u) {
  switch (u->cls) {
  case NKG_U_PLACE: case NKG_U_NAME: case NKG_U_ACR: case NKG_U_ORG:
  case NKG_U_OFFICIAL: case NKG_U_TITLE: case NKG_U_RANK: case NKG_U_NUM:
  case NKG_U_YEAR: case NKG_U_MONTH: case NKG_U_WEEKDAY: case NKG_U_PORT:
  case NKG_U_MOD: case NKG_U_HON:
    return 1;
  default:
    return 0;
  }
}

/* A verb form that acts on the noun phrase after it ("strengthening",
 * "accelerating"): a lower-case word in -ing, not hyphenated, that the
 * gazetteer does not know. */
static int gerund(const state *st, const nkg_unit *u) {
  if (u->cls != NKG_U_WORD)
    return 0;
  const char *w = st->doc->text + u->begin;
  size_t n = u->end - u->begin;
  return n > 5 && w[0] >= 'a' && w[0] <= 'z' && !memcmp(w + n - 3, "ing", 3) &&
         !memchr(w, '-', n);
}

/* One item [a, b) of a list of topics: what acts on the noun phrase is cut
 * away (function and generic words, verbs in -ing, "to" and the verb after
 * it, a country's possessive, a head before "of": "the potential role of
 * Canada's mining industry" is "mining industry"), and the phrase ends at
 * the next function word ("supply chains at the border"). A known sector
 * in it is the item; otherwise up to three words the gazetteer does not
 * know, not ending in a head or generic word, and one word alone only in a
 * list that names a known sector ("tourism, energy and competitiveness")
 * and not by its ending an adjective. */
static void topic_item(state *st, const nkg_rule *r, size_t a, size_t b) {
  for (size_t k = a; k < b; k++) {
    const nkg_unit *u = &st->t.units[k];
    /* a country only as a possessive: "Canada 's mining industry" */
    int possessive = (u->cls == NKG_U_COUNTRY || u->cls == NKG_U_DEMONYM) &&
                     k + 1 < b && (word_is(st, &st->t.units[k + 1], "'s") ||
                                   word_is(st, &st->t.units[k + 1], "'"));
    if (topic_proper(u) ||
        ((u->cls == NKG_U_COUNTRY || u->cls == NKG_U_DEMONYM) && !possessive))
      return;
  }
  /* "a currency swap", "an airport": one thing, not a field */
  if (word_is(st, &st->t.units[a], "a") || word_is(st, &st->t.units[a], "an"))
    return;
  size_t i = a;
  for (;;) {
    while (i < b) {
      const nkg_unit *u = &st->t.units[i];
      if (u->cls == NKG_U_COUNTRY || u->cls == NKG_U_DEMONYM ||
          word_is(st, u, "'s") || word_is(st, u, "'") || gerund(st, u) ||
          (u->cls == NKG_U_WORD && nkg_lex_has(u->mask, NKG_WC_GENERIC))) {
        i++;
      } else if (word_is(st, u, "to")) {
        i += 2; /* "how to strengthen", "ways to expand": the verb too */
      } else if (i + 1 < b && word_is(st, &st->t.units[i + 1], "to")) {
        i++; /* "how", "ways", "the need" before "to" */
      } else if (u->cls == NKG_U_WORD && nkg_lex_has(u->mask, NKG_WC_FUNC)) {
        i++;
      } else {
        break;
      }
    }
    size_t j = i;
    while (j < b && !(st->t.units[j].cls == NKG_U_WORD &&
                      nkg_lex_has(st->t.units[j].mask, NKG_WC_FUNC)))
      j++;
    /* "the construction of X": the head of an "of" phrase acts on X */
    if (j < b && word_is(st, &st->t.units[j], "of") && j > i) {
      i = j + 1;
      continue;
    }
    b = j;
    break;
  }
  if (i >= b)
    return;
  int has_sector = 0;
  for (size_t k = i; k < b; k++) {
    const nkg_unit *u = &st->t.units[k];
    if (u->cls != NKG_U_SECTOR || u->claimed)
      continue;
    has_sector = 1;
    add_known_sector(st, r, u);
  }
  /* one word alone is too often something else ("others", "terms") */
  if (has_sector || b - i < 2 || b - i > 3)
    return;
  for (size_t k = i; k < b; k++) {
    const nkg_unit *u = &st->t.units[k];
    const char *w = st->doc->text + u->begin;
    size_t n = u->end - u->begin;
    /* a verb ("progress achieved", "exchanged views") or a clause ("how
     * the two countries ...") is no noun phrase */
    if (!unlisted_word(st, u) || (n > 4 && !memcmp(w + n - 2, "ed", 2)) ||
        word_is(st, u, "how") || word_is(st, u, "what") ||
        word_is(st, u, "whether") || word_is(st, u, "why"))
      return;
  }
  /* a phrase cut after an adjective ("latest regional") has lost its head */
  const nkg_unit *last = &st->t.units[b - 1];
  if (holds_cue(st, i, b) || nkg_lex_has(last->mask, NKG_WC_HEAD) ||
      nkg_lex_has(last->mask, NKG_WC_GENERIC) || single_adjective(st, last))
    return;
  add_unlisted(st, r, st->t.units[i].begin, last->end);
}

/* The items of a list of topics (group "topics"): the object of a verb of
 * discussion, "the two sides talked about how to strengthen supply
 * chains, the role of the mining industry and meeting climate goals".
 * Each item between separators is cut to its noun phrase (topic_item). */
static void topic_items(state *st, const nkg_rule *r, size_t from,
                        size_t to) {
  /* "..., and C, the ministry's press release said": the last item is
   * the subject of the reporting verb after the list */
  const nkg_unit *after = to < st->t.n ? &st->t.units[to] : NULL;
  int reported = after && (word_is(st, after, "said") ||
                           word_is(st, after, "says") ||
                           word_is(st, after, "added") ||
                           word_is(st, after, "stated") ||
                           word_is(st, after, "reported"));
  size_t a = from;
  for (size_t k = from; k <= to; k++) {
    if (k < to && !topic_separator(st, &st->t.units[k]))
      continue;
    if (k > a && !(reported && k == to))
      topic_item(st, r, a, k);
    a = k + 1;
  }
}

/* Whether known sector u is already an item of this sentence (sectors are
 * recorded in sentence order: only this sentence's tail is read). */
static int sector_seen(const state *st, const nkg_unit *u) {
  for (size_t k = st->n_sectors; k-- > 0 && st->sectors[k].sentence == st->sentence;)
    if (st->sectors[k].begin == u->begin)
      return 1;
  return 0;
}

/* Group "all": a sentence that speaks of cooperation or talks (a word of
 * class cue in words.tsv) makes every
 * known sector it names an item, wherever the phrase chunker or the list
 * rules lost it ("Fisheries and tourism were high on the agenda"), except
 * a sector word inside a name ("the NAME Navy NAME") or at the head of an
 * "of" phrase ("the construction of X": an act on X). */
static void sentence_sectors(state *st, const nkg_rule *r) {
  if (!holds_cue(st, 0, st->t.n))
    return;
  for (size_t i = 0; i < st->t.n; i++) {
    const nkg_unit *u = &st->t.units[i];
    if (u->cls != NKG_U_SECTOR || u->claimed)
      continue;
    if ((i > 0 && st->t.units[i - 1].cls == NKG_U_NAME) ||
        (i + 1 < st->t.n && (st->t.units[i + 1].cls == NKG_U_NAME ||
                             word_is(st, &st->t.units[i + 1], "of"))))
      continue;
    if (!sector_seen(st, u))
      add_known_sector(st, r, u);
  }
}

static void on_sectors(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                       size_t from, size_t to) {
  size_t lf, lt;
  if (nkg_rule_group(r, "all") > 0) {
    sentence_sectors(st, r);
    return;
  }
  if (group_units(r, ov, &st->t, "domains", &lf, &lt)) {
    domain_items(st, r, lf, lt);
    return;
  }
  if (group_units(r, ov, &st->t, "topics", &lf, &lt)) {
    topic_items(st, r, lf, lt);
    return;
  }
  if (group_units(r, ov, &st->t, "unlisted", &lf, &lt)) {
    /* the known sectors of the list are its items too (below) */
    unlisted_items(st, r, lf, lt, 0);
    from = lf;
    to = lt;
  } else if (group_units(r, ov, &st->t, "list", &lf, &lt)) {
    from = lf;
    to = lt;
    /* a list of two known sectors or more is a list of fields: the
     * items between them that the gazetteer does not know are fields too
     * ("trade , student exchange and tourism"), from the first known one
     * (the words before it may end the cue's clause: "how the two nations
     * could strengthen") */
    size_t known = 0, first = to, last = to;
    for (size_t i = from; i < last; i++)
      if (st->t.units[i].cls == NKG_U_SECTOR) {
        known++;
        first = first < i ? first : i;
        /* "minerals such as cobalt , nickel": instances of that
         * sector, not fields of their own */
        if (i + 1 < last && word_is(st, &st->t.units[i + 1], "such"))
          last = i + 1;
      }
    if (known >= 2)
      unlisted_items(st, r, first, last, 1);
  }
  for (size_t i = from; i < to; i++) {
    const nkg_unit *u = &st->t.units[i];
    if (u->cls != NKG_U_SECTOR || u->claimed)
      continue;
    if (!sector_seen(st, u))
      add_known_sector(st, r, u);
  }
}

static int dateline_place(state *st);

static int rule_priority(const state *st, const nkg_rule *r) {
  return (int)(r - st->rules->rules);
}

static int add_place_ref(state *st, const char *label, int place, int country) {
  for (size_t i = 0; i < st->x->n_places; i++)
    if (strcmp(st->x->places[i].label, label) == 0)
      return (int)i;
  nkg_place_ref *p = GROW(st->x->places, st->x->n_places);
  p->label = nkg_xstrdup(label);
  p->place = place;
  p->country = country;
  return (int)(st->x->n_places - 1);
}

/* The visitor of a place match from..to whose visit word opens at unit vf
 * and whose place opens at unit pf, or -1: an official in the match
 * before the place ("A's visit to X", "A is on a visit to X"); one right
 * after it ("the visit to X by A"); else the subject, the first official
 * of the sentence before the match, or the guest of a host ("A received B
 * during his visit to X": B, named last before it); else, in a fronted
 * clause ("During his visit to X, A met B"), the first named after it.
 * None for a visit still to come ("invited B to visit X") or someone
 * else's ("A spoke on the occasion of the visit to X of B"). */
static int visitor(const state *st, size_t from, size_t vf, size_t pf,
                   size_t to) {
  if (vf > 0 && unit_is(st, vf - 1, "to"))
    return -1;
  /* "when I visited X", quoted: the speaker's journey */
  int quotes = 0;
  for (size_t i = 0; i < from; i++)
    quotes += st->t.tags.data[st->t.pos[i]] == '"';
  if (quotes % 2)
    return -1;
  for (size_t i = vf, k = 0; i-- > 0 && k < 5; k++) {
    const nkg_unit *u = &st->t.units[i];
    /* "the visit to X": a visit known from elsewhere */
    if (nkg_lex_has(u->mask, NKG_WC_DEF))
      return -1;
    /* "B visited X", "B's two-day visit to X" */
    if (u->cls == NKG_U_OFFICIAL)
      return u->value;
    /* "his visit": the words before it are another phrase */
    if (u->cls != NKG_U_WORD || nkg_lex_has(u->mask, NKG_WC_DET))
      break;
  }
  for (size_t i = from; i < pf; i++)
    if (st->t.units[i].cls == NKG_U_OFFICIAL)
      return st->t.units[i].value;
  if (to + 1 < st->t.n && unit_is(st, to, "by") &&
      st->t.units[to + 1].cls == NKG_U_OFFICIAL)
    return st->t.units[to + 1].value;
  size_t first = from, last = from, n = 0;
  int hosted = 0;
  for (size_t i = 0; i < from; i++) {
    if (st->t.units[i].cls == NKG_U_OFFICIAL) {
      if (first == from)
        first = i;
      last = i;
      n++;
    } else if (first < from &&
               (nkg_lex_has(st->t.units[i].mask, NKG_WC_HOST) ||
                unit_is(st, i, "who"))) {
      /* "A met B, who is visiting X": B, named last */
      hosted = 1;
    }
  }
  /* with several named before, "his visit" is the guest's after a host
   * or "who", the subject's after "A and her counterpart B", and
   * otherwise anyone's ("A met B during his visit") */
  if (n == 1 || (n > 1 && hosted))
    return st->t.units[last].value;
  if (n > 1) {
    int a = st->t.units[first].value, b = st->t.units[last].value;
    for (size_t i = 0; i < st->n_peers; i++)
      if ((st->peers[i][0] == a && st->peers[i][1] == b) ||
          (st->peers[i][0] == b && st->peers[i][1] == a))
        return a;
    return -1;
  }
  for (size_t i = to; i < st->t.n; i++)
    if (st->t.units[i].cls == NKG_U_OFFICIAL)
      return st->t.units[i].value;
  return -1;
}

static void on_place(state *st, const nkg_rule *r, PCRE2_SIZE *ov, size_t from,
                     size_t to) {
  size_t pf, pt;
  if (!group_units(r, ov, &st->t, "place", &pf, &pt))
    return;
  int place = -1, country = -1;
  nkg_buf label = {0};
  if (pt - pf == 1 && st->t.units[pf].cls == NKG_U_PLACE) {
    place = st->t.units[pf].value;
    const nkg_place *lp = nkg_lexicon_place(st->lex, place);
    nkg_buf_adds(&label, lp->name);
    country = lp->country;
  } else if (pt - pf == 1 && st->t.units[pf].cls == NKG_U_COUNTRY) {
    country = st->t.units[pf].value;
    nkg_buf_adds(&label, nkg_lexicon_country(st->lex, country)->name);
  } else if (pt - pf == 1 && st->t.units[pf].cls == NKG_U_WORD &&
             st->t.units[pf].end - st->t.units[pf].begin == 4 &&
             strncasecmp(st->doc->text + st->t.units[pf].begin, "here", 4) ==
                 0) {
    /* "held talks here": the dateline's place */
    int dp = dateline_place(st);
    if (dp >= 0)
      nkg_buf_adds(&label, st->x->places[dp].label);
    place = dp >= 0 ? st->x->places[dp].place : -1;
    country = dp >= 0 ? st->x->places[dp].country : -1;
  } else {
    units_text(st, pf, pt, &label);
  }
  if (label.len) {
    place_at *pa = GROW(st->places, st->n_places);
    pa->place = add_place_ref(st, label.data, place, country);
    pa->sentence = st->sentence;
    pa->begin = st->t.units[pf].begin;
    pa->end = st->t.units[pt - 1].end;
    pa->rule = r->id;
    pa->priority = rule_priority(st, r);
    size_t sf, stt;
    pa->stay = group_units(r, ov, &st->t, "stay", &sf, &stt);
    size_t vf, vt;
    int p = -1;
    if (country >= 0 && group_units(r, ov, &st->t, "visit", &vf, &vt))
      p = visitor(st, from, vf, pf, to);
    if (p >= 0) {
      visit_at *v = GROW(st->visits, st->n_visits);
      v->person = p;
      v->country = country;
    }
  }
  nkg_buf_free(&label);
}

/* ---- dates ---- */

static int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return d[m - 1];
}

static void civil_from_days(long z, int *y, int *m, int *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long yy = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

static int parse_published(const char *s, int *y, int *m, int *d) {
  if (!s[0])
    return 0;
  *y = atoi(s);
  *m = atoi(s + 5);
  *d = atoi(s + 8);
  return *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

/* The day the story was published: its date line, else a lead line that
 * is only a date. Weekdays, "yesterday" and dates without a year are
 * read against it. */
static int published_date(const state *st, int *y, int *m, int *d) {
  return parse_published(st->doc->published, y, m, d) ||
         parse_published(st->lead_date, y, m, d);
}

/* Nonzero if units [from, to) are all of sentence st->sentence but for
 * numbers, punctuation and weekdays: "Wednesday, 28 Feb 2019 14:59". */
static int lone_date(const state *st, size_t from, size_t to) {
  for (size_t i = 0; i < st->t.n; i++) {
    int c = st->t.units[i].cls;
    if ((i < from || i >= to) && c != NKG_U_NUM && c != NKG_U_PUNCT &&
        c != NKG_U_WEEKDAY)
      return 0;
  }
  return 1;
}

static void on_date(state *st, const nkg_rule *r, PCRE2_SIZE *ov, size_t from,
                    size_t to) {
  int py, pm, pd;
  int have_pub = published_date(st, &py, &pm, &pd);
  size_t f, t;
  int y = -1, m = -1, d = -1;
  if (group_units(r, ov, &st->t, "day", &f, &t)) {
    d = st->t.units[f].value;
    if (group_units(r, ov, &st->t, "month", &f, &t))
      m = st->t.units[f].value;
    if (group_units(r, ov, &st->t, "year", &f, &t))
      y = st->t.units[f].value;
    else if (have_pub) {
      y = py;
      /* "December 30" read in a January article is last year */
      if (nkg_days_from_civil(y, m > 0 ? m : 1, 1) > nkg_days_from_civil(py, pm, pd) + 31)
        y--;
    }
    if (y < 0 && st->t.units[f].cls == NKG_U_NUM)
      y = -1;
    if (m > 12 && d >= 1 && d <= 12) {
      /* "9/14/2019": the month came first */
      int swap = m;
      m = d;
      d = swap;
    }
  } else if (group_units(r, ov, &st->t, "weekday", &f, &t)) {
    if (!have_pub)
      return;
    int wd = st->t.units[f].value; /* 0 = Monday */
    long today = nkg_days_from_civil(py, pm, pd);
    int today_wd = (int)(((today % 7) + 7 + 3) % 7); /* 1970-01-01: Thursday */
    long back = (today_wd - wd + 7) % 7;
    civil_from_days(today - back, &y, &m, &d);
  } else if (group_units(r, ov, &st->t, "same", &f, &t)) {
    /* "In the afternoon, A met B": the day of the meeting told before,
     * which finish_meetings() knows; an empty date marks it */
    date_at *da = GROW(st->dates, st->n_dates);
    da->date[0] = '\0';
    da->sentence = st->sentence;
    da->begin = st->t.units[from].begin;
    da->end = st->t.units[to - 1].end;
    da->rule = r->id;
    da->priority = rule_priority(st, r);
    return;
  } else if (group_units(r, ov, &st->t, "rel", &f, &t)) {
    if (!have_pub)
      return;
    long day = nkg_days_from_civil(py, pm, pd);
    if (ascii_ieq(st->doc->text + st->t.units[f].begin,
                  st->t.units[f].end - st->t.units[f].begin, "yesterday", 9))
      day--;
    civil_from_days(day, &y, &m, &d);
  }
  if (y < 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
    /* "On December 24" with no year to read it by: the meeting's date is
     * unknown, and a date told elsewhere ("the talks of December 15, 2021")
     * is not it. "?" marks it; a full date of the sentence wins. */
    date_at *da = GROW(st->dates, st->n_dates);
    memcpy(da->date, "?", 2);
    da->sentence = st->sentence;
    da->begin = st->t.units[from].begin;
    da->end = st->t.units[to - 1].end;
    da->rule = r->id;
    da->priority = rule_priority(st, r) + 1000;
    return;
  }
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 ||
      d > days_in_month(y, m))
    return;
  date_at *da = GROW(st->dates, st->n_dates);
  char buf[32];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  if (!have_pub && st->sentence < LEAD_SENTENCES && lone_date(st, from, to))
    memcpy(st->lead_date, buf, sizeof st->lead_date);
  memcpy(da->date, buf, sizeof da->date - 1);
  da->date[sizeof da->date - 1] = '\0';
  da->sentence = st->sentence;
  da->begin = st->t.units[from].begin;
  da->end = st->t.units[to - 1].end;
  da->rule = r->id;
  da->priority = rule_priority(st, r);
}

/* "On the Senegalese side, A was joined by B and C", "Zambia was
 * represented by A and B": the side phrase (group country) gives its
 * country to every official named in group members (else in the rest of
 * the match) whom nothing placed yet; an official placed elsewhere keeps
 * their country, as the story said it first. */
static void on_side(state *st, const nkg_rule *r, PCRE2_SIZE *ov, size_t from,
                    size_t to) {
  size_t cf, ct, mf, mt;
  if (!group_units(r, ov, &st->t, "country", &cf, &ct))
    return;
  int country = unit_country(st, &st->t.units[cf]);
  if (country < 0)
    return;
  if (!group_units(r, ov, &st->t, "members", &mf, &mt)) {
    mf = ct;
    mt = to;
  }
  int people[MAX_PARTICIPANTS];
  size_t n = officials_in(st, mf, mt, people, MAX_PARTICIPANTS);
  for (size_t k = 0; k < n; k++) {
    nkg_person *ps = &st->x->persons[people[k]];
    if (ps->country >= 0 || ps->posted_to >= 0)
      continue;
    ps->country = country;
    set_prov(&ps->country_prov, st->sentence, st->t.units[from].begin,
             st->t.units[to - 1].end, r->id);
  }
}

static void on_remote(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                      size_t from, size_t to) {
  (void)r;
  (void)ov;
  (void)from;
  (void)to;
  st->remote[st->sentence] = 1;
}

static void on_eventref(state *st, const nkg_rule *r, PCRE2_SIZE *ov,
                        size_t from, size_t to) {
  (void)from;
  (void)to;
  st->eventref[st->sentence] = 1;
  size_t gf, gt;
  if (st->first_event < 0 && group_units(r, ov, &st->t, "told", &gf, &gt))
    st->first_event = st->sentence;
}

/* A capitalised sector word that the tagger read as a portfolio ("Trade",
 * "Environment"): outside a title or an office ("Minister of Trade and
 * Industry", "the Ministry for the Environment", "Trade Minister"), it is
 * the field, as in Title Case lists ("the Environment and Water Resources,
 * the Security and Defense; ..."). The run of capitalised words and "and",
 * "&", "," around it decides: an office word right before its "of"/"for"
 * or right after it keeps it a portfolio. */
static int office_unit(const nkg_unit *u) {
  return u->cls == NKG_U_ORG || u->cls == NKG_U_TITLE ||
         u->cls == NKG_U_RANK || u->cls == NKG_U_OFFICIAL ||
         u->cls == NKG_U_MOD || u->cls == NKG_U_HON;
}

static int capital_run_unit(const state *st, const nkg_unit *u) {
  return u->cls == NKG_U_PORT || u->cls == NKG_U_SECTOR ||
         u->cls == NKG_U_NAME || word_is(st, u, "and") ||
         word_is(st, u, "&") || word_is(st, u, ",");
}

static void sector_ports(state *st) {
  nkg_tagged *t = &st->t;
  int changed = 0;
  for (size_t i = 0; i < t->n; i++) {
    if (t->units[i].cls != NKG_U_PORT || t->units[i].sector < 0)
      continue;
    size_t l = i, r = i + 1;
    while (l > 0 && capital_run_unit(st, &t->units[l - 1]))
      l--;
    while (r < t->n && capital_run_unit(st, &t->units[r]))
      r++;
    int office = (r < t->n && office_unit(&t->units[r])) ||
                 (l > 0 && office_unit(&t->units[l - 1]));
    if (l > 1 && (word_is(st, &t->units[l - 1], "of") ||
                  word_is(st, &t->units[l - 1], "for"))) {
      size_t k = l - 2;
      if (k > 0 && word_is(st, &t->units[k], "the"))
        k--;
      office = office || office_unit(&t->units[k]);
    }
    if (office)
      continue;
    t->units[i].cls = NKG_U_SECTOR;
    t->units[i].value = t->units[i].sector;
    changed = 1;
  }
  if (changed)
    nkg_tagged_render(t);
}

/* ---- the document ---- */

static void process_sentence(state *st) {
  const nkg_sentence *s = &st->doc->sentences[st->sentence];
  nkg_tag_sentence(st->lex, st->doc->text, s->begin, s->end, &st->t);
  st->fronted_peer = -1;
  run_rules(st, NKG_RK_OFFICIAL, on_official);
  link_fronted_peer(st);
  flush_mentions(st);
  resolve_names(st);
  flush_mentions(st);
  list_countries(st);
  run_rules(st, NKG_RK_ANAPHOR, on_anaphor);
  flush_mentions(st);
  for (size_t i = 0; i < st->t.n; i++)
    if (st->t.units[i].cls == NKG_U_OFFICIAL) {
      st->last_subject = st->t.units[i].value;
      break;
    }
  sector_ports(st);
  if (st->trace)
    fprintf(stderr, "newskg: %s: sentence %d: %s\n", st->doc->name,
            st->sentence, st->t.tags.data);
  st->meeting_here = 0;
  st->pair_phrase_here = 0;
  run_rules(st, NKG_RK_SIDE, on_side);
  run_rules(st, NKG_RK_MEETING, on_meeting);
  run_rules(st, NKG_RK_MEETANY, on_meetany);
  run_rules(st, NKG_RK_COOPERATION, on_cooperation);
  run_rules(st, NKG_RK_NONSECTOR, on_nonsector);
  run_rules(st, NKG_RK_SECTORS, on_sectors);
  run_rules(st, NKG_RK_PLACE, on_place);
  run_rules(st, NKG_RK_DATE, on_date);
  run_rules(st, NKG_RK_REMOTE, on_remote);
  run_rules(st, NKG_RK_EVENTREF, on_eventref);
  size_t n_officials = 0;
  for (size_t i = 0; i < st->t.n; i++) {
    const nkg_unit *u = &st->t.units[i];
    int ref = -1;
    if (u->cls == NKG_U_COUNTRY || u->cls == NKG_U_DEMONYM) {
      st->names_country[st->sentence] = 1;
      st->country_named[u->value]++;
      st->country_named_apart[u->value] += !st->pair_phrase_here;
      ref = u->value;
    } else if (u->cls == NKG_U_OFFICIAL) {
      /* a person's country may be learnt later: kept as the person */
      ref = -2 - u->value;
      if (!(i + 1 < st->t.n &&
            strncmp(st->t.tags.data + st->t.pos[i + 1], "'s ", 3) == 0) &&
          !(i > 0 && (unit_is(st, i - 1, "former") ||
                      unit_is(st, i - 1, "late"))))
        mark_present(st, u->value);
    }
    n_officials += u->cls == NKG_U_OFFICIAL;
    if (ref != -1 && st->n_refs[st->sentence] < SENTENCE_REFS)
      st->refs[st->sentence][st->n_refs[st->sentence]++] = ref;
  }
  /* "He stressed the need for ...": what one person says, not what the
   * two sides do */
  st->one_speaker[st->sentence] =
      st->t.n && st->t.units[0].cls == NKG_U_OFFICIAL && n_officials == 1;
}

/* The country pair in force at sentence s: the last one named at or before
 * it, else the first one after it. */
static const pair_at *pair_for(const state *st, int s) {
  /* pairs are sorted by sentence: the last one at or before s */
  size_t lo = 0, hi = st->n_pairs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (st->pairs[mid].sentence <= s)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo > 0)
    return &st->pairs[lo - 1];
  return st->n_pairs ? &st->pairs[0] : NULL;
}

/* Index of the first of n records (each size bytes, recorded in sentence
 * order, whose first member is the int sentence) with sentence >= s. */
static size_t first_at(const void *records, size_t n, size_t size, int s) {
  const char *base = records;
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int sentence;
    memcpy(&sentence, base + mid * size, sizeof sentence);
    if (sentence < s)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static const date_at *best_date(const state *st, int sentence) {
  const date_at *best = NULL;
  size_t i = first_at(st->dates, st->n_dates, sizeof *st->dates, sentence);
  for (; i < st->n_dates && st->dates[i].sentence == sentence; i++)
    if (!best || st->dates[i].priority < best->priority)
      best = &st->dates[i];
  return best;
}

static const place_at *best_place(const state *st, int sentence) {
  const place_at *best = NULL;
  size_t i = first_at(st->places, st->n_places, sizeof *st->places, sentence);
  for (; i < st->n_places && st->places[i].sentence == sentence; i++)
    if (!best || st->places[i].priority < best->priority)
      best = &st->places[i];
  return best;
}

/* The dateline as a place (an index into x->places), if it names a known
 * place or country; -1 otherwise. */
static int dateline_place(state *st) {
  int place = -1;
  if (st->doc->dateline_end <= st->doc->dateline_begin)
    return -1;
  nkg_tagged t = {0};
  nkg_tag_sentence(st->lex, st->doc->text, st->doc->dateline_begin,
                   st->doc->dateline_end, &t);
  if (t.n == 1 && t.units[0].cls == NKG_U_PLACE) {
    const nkg_place *lp = nkg_lexicon_place(st->lex, t.units[0].value);
    place = add_place_ref(st, lp->name, t.units[0].value, lp->country);
  } else if (t.n == 1 && t.units[0].cls == NKG_U_COUNTRY) {
    const nkg_country *c = nkg_lexicon_country(st->lex, t.units[0].value);
    place = add_place_ref(st, c->name, -1, t.units[0].value);
  }
  nkg_tagged_free(&t);
  return place;
}

static int host_named(const state *st, int c);

/* The country the story is told from: the dateline's, else that of the
 * place of its first meeting when the story names that country (not
 * Belgium for a meeting in Brussels of two other countries); -1 if
 * neither is known. */
static int home_country(state *st) {
  int dp = dateline_place(st);
  if (dp >= 0 && st->x->places[dp].country >= 0)
    return st->x->places[dp].country;
  for (size_t i = 0; i < st->x->n_meetings; i++) {
    const place_at *p = best_place(st, st->meeting_sentence[i]);
    /* or where it is told again: a headline, then the story */
    for (int k = 0; k < st->n_meeting_more[i] && !p; k++)
      p = best_place(st, st->meeting_more[i][k]);
    if (p) {
      int c = st->x->places[p->place].country;
      return c >= 0 && host_named(st, c) ? c : -1;
    }
  }
  return -1;
}

/* Nonzero if a counterpart of person p ("his Chilean counterpart") is from
 * country c: a counterpart is by definition from the other side, so p is
 * not from c. */
static int peer_from(const state *st, int p, int c) {
  for (size_t i = 0; i < st->n_peers; i++)
    for (int side = 0; side < 2; side++)
      if (st->peers[i][side] == p &&
          st->x->persons[st->peers[i][!side]].country == c)
        return 1;
  return 0;
}

/* Nonzero if the story names country c other than through a town: a
 * meeting in a third country (two ministers in Brussels or New York, and
 * Belgium or the United States named nowhere) says nothing about who its
 * participants represent. */
static int host_named(const state *st, int c) {
  if (st->country_named[c])
    return 1;
  for (size_t i = 0; i < st->x->n_persons; i++)
    if (st->x->persons[i].country == c)
      return 1;
  return 0;
}

/* Nonzero if someone at meeting m is from country c. */
static int has_side_from(const nkg_extraction *x, const nkg_meeting *m,
                         int c) {
  for (size_t k = 0; k < m->n_participants; k++)
    if (x->persons[m->participants[k]].country == c)
      return 1;
  return 0;
}

/* Nonzero if person p meets someone from country c: p is not from c. */
static int meets_from(const state *st, int p, int c) {
  const nkg_extraction *x = st->x;
  for (size_t i = 0; i < x->n_meetings; i++) {
    const nkg_meeting *m = &x->meetings[i];
    int in = 0, other = 0;
    for (size_t a = 0; a < m->n_participants; a++) {
      in |= m->participants[a] == p;
      other |= m->participants[a] != p &&
               x->persons[m->participants[a]].country == c;
    }
    if (in && other)
      return 1;
  }
  return 0;
}

/* The country named most often in the story other than country but and
 * those of the people p meets, if it is named at least min_times times
 * and more often than any other, and, with alone set, is the only other
 * country named; else -1. */
static int most_named_but_n(const state *st, int p, int but, int min_times,
                            int alone) {
  size_t n = nkg_lexicon_n_countries(st->lex);
  int best = -1, second = 0;
  for (size_t c = 0; c < n; c++) {
    if ((int)c == but || !st->country_named[c] || meets_from(st, p, (int)c))
      continue;
    if (best < 0 || st->country_named[c] > st->country_named[best]) {
      if (best >= 0)
        second = st->country_named[best];
      best = (int)c;
    } else if (st->country_named[c] > second) {
      second = st->country_named[c];
    }
  }
  if (best < 0 || st->country_named[best] < min_times ||
      st->country_named[best] == second || (alone && second))
    return -1;
  return best;
}

/* most_named_but() at least twice, the usual test. */
static int most_named_but(const state *st, int p, int but) {
  return most_named_but_n(st, p, but, 2, 0);
}

static void infer_countries(state *st) {
  nkg_extraction *x = st->x;
  /* a partner of an envoy posted to X, with no country of their own, is
   * from X; then the other side of the document's country pair */
  for (size_t i = 0; i < x->n_meetings; i++) {
    nkg_meeting *m = &x->meetings[i];
    for (size_t a = 0; a < m->n_participants; a++) {
      nkg_person *pa = &x->persons[m->participants[a]];
      if (pa->country >= 0)
        continue;
      for (size_t b = 0; b < m->n_participants && pa->country < 0; b++) {
        const nkg_person *pb = &x->persons[m->participants[b]];
        if (b == a || pb->posted_to < 0 || pb->posted_to == pb->country)
          continue;
        /* with the envoy's hosts already at the table, an unknown
         * participant came with the envoy */
        int hosts_present = has_side_from(x, m, pb->posted_to);
        int c = hosts_present ? pb->country : pb->posted_to;
        if (c >= 0 && !peer_from(st, m->participants[a], c)) {
          pa->country = c;
          pa->country_prov = m->prov;
          pa->country_prov.rule = RULE_ENVOY_HOST;
        }
      }
    }
  }
  /* A country learnt from one meeting holds in the others: "A met B. A
   * also met C. A met D of X." makes A the other side of X, and then B and
   * C of X too; so repeat until nothing more is learnt. */
  for (int learnt = 1; learnt;) {
    learnt = 0;
    for (size_t i = 0; i < x->n_meetings; i++) {
      nkg_meeting *m = &x->meetings[i];
      const pair_at *pair = pair_for(st, st->meeting_sentence[i]);
      if (!pair)
        continue;
      int known = -1;
      for (size_t a = 0; a < m->n_participants; a++) {
        int c = x->persons[m->participants[a]].country;
        if (c == pair->country_a || c == pair->country_b)
          known = c;
      }
      if (known < 0)
        continue;
      int other = known == pair->country_a ? pair->country_b : pair->country_a;
      for (size_t a = 0; a < m->n_participants; a++) {
        nkg_person *pa = &x->persons[m->participants[a]];
        if (pa->country < 0) {
          pa->country = other;
          pa->country_prov = m->prov;
          pa->country_prov.rule = RULE_PARTNER;
          learnt = 1;
        }
      }
    }
  }
  /* counterparts are from the two sides of a country pair of the story:
   * "President A and his Algerian counterpart B", with Tunisia and Algeria
   * the pair, makes A Tunisian */
  for (size_t i = 0; i < st->n_peers; i++)
    for (int side = 0; side < 2; side++) {
      nkg_person *pa = &x->persons[st->peers[i][side]];
      const nkg_person *pb = &x->persons[st->peers[i][!side]];
      if (pa->country >= 0 || pa->posted_to >= 0 || pb->country < 0)
        continue;
      for (size_t k = 0; k < st->n_pairs; k++)
        if (st->pairs[k].country_a == pb->country ||
            st->pairs[k].country_b == pb->country) {
          pa->country = st->pairs[k].country_a == pb->country
                            ? st->pairs[k].country_b
                            : st->pairs[k].country_a;
          pa->country_prov = pa->prov;
          pa->country_prov.rule = RULE_COUNTERPART;
          break;
        }
      /* with no pair: the country the story names most, other than the
       * counterpart's ("Foreign Minister A met his Greek counterpart B",
       * in a story about Cyprus), if one is named most */
      if (pa->country < 0) {
        int c = most_named_but(st, st->peers[i][side], pb->country);
        if (c >= 0) {
          pa->country = c;
          pa->country_prov = pa->prov;
          pa->country_prov.rule = RULE_COUNTERPART;
        }
      }
    }
  /* a meeting held in a known country: participants with no country of
   * their own, meeting someone from elsewhere, are the hosts */
  for (size_t i = 0; i < x->n_meetings; i++) {
    nkg_meeting *m = &x->meetings[i];
    const place_at *p = best_place(st, st->meeting_sentence[i]);
    if (!p)
      continue;
    int host = x->places[p->place].country;
    int foreign = 0;
    for (size_t a = 0; a < m->n_participants; a++) {
      int c = x->persons[m->participants[a]].country;
      if (c >= 0 && c != host)
        foreign = 1;
    }
    if (host < 0 || !foreign || !host_named(st, host))
      continue;
    for (size_t a = 0; a < m->n_participants; a++) {
      nkg_person *pa = &x->persons[m->participants[a]];
      if (pa->country < 0 && pa->posted_to < 0) {
        pa->country = host;
        set_prov(&pa->country_prov, p->sentence, p->begin, p->end,
                 RULE_HOST_PLACE);
      }
    }
  }
  /* a visitor is from elsewhere: the country the story names most other
   * than the one visited ("during her visit to X", in a story of X and Y
   * that names Y most after X) */
  for (size_t i = 0; i < st->n_visits; i++) {
    nkg_person *pv = &x->persons[st->visits[i].person];
    if (pv->country >= 0 || pv->posted_to >= 0)
      continue;
    int c = most_named_but(st, st->visits[i].person, st->visits[i].country);
    if (c >= 0) {
      pv->country = c;
      pv->country_prov = pv->prov;
      pv->country_prov.rule = RULE_VISITOR;
    }
  }
  /* the rest: the home country of the story, when it is one of the pair */
  int home = home_country(st);
  int in_pair = 0;
  for (size_t i = 0; i < st->n_pairs; i++)
    if (st->pairs[i].country_a == home || st->pairs[i].country_b == home)
      in_pair = 1;
  /* or the story tells of a visitor from elsewhere meeting someone */
  for (size_t i = 0; i < x->n_meetings && !in_pair; i++)
    for (size_t a = 0; a < x->meetings[i].n_participants; a++) {
      int c = x->persons[x->meetings[i].participants[a]].country;
      if (c >= 0 && c != home)
        in_pair = 1;
    }
  if (home >= 0 && in_pair)
    for (size_t i = 0; i < x->n_persons; i++)
      if (x->persons[i].country < 0 && x->persons[i].posted_to < 0 &&
          !peer_from(st, (int)i, home)) {
        x->persons[i].country = home;
        if (st->doc->dateline_end > st->doc->dateline_begin)
          set_prov(&x->persons[i].country_prov, -1, st->doc->dateline_begin,
                   st->doc->dateline_end, RULE_HOME);
        else
          set_prov(&x->persons[i].country_prov, x->persons[i].prov.sentence,
                   x->persons[i].prov.begin, x->persons[i].prov.end,
                   RULE_HOME);
      }
}

/* A place that is only a country ("visit to Nepal"): a town or a venue
 * said elsewhere, or a dateline in that country, says more. */
static int weak_place(const state *st, const place_at *p) {
  const nkg_place_ref *r = &st->x->places[p->place];
  return r->place < 0 && r->country >= 0;
}

/* A story of one country pair in which everyone whose country is given is
 * from one side: the people with none are the other side, the hosts or
 * the partners the story is about. */
static void infer_other_side(state *st) {
  nkg_extraction *x = st->x;
  if (!st->n_pairs)
    return;
  int a = st->pairs[0].country_a, b = st->pairs[0].country_b;
  for (size_t i = 1; i < st->n_pairs; i++)
    if (st->pairs[i].country_a != a || st->pairs[i].country_b != b)
      return;
  int known = -1, unknown = 0;
  for (size_t i = 0; i < x->n_persons; i++) {
    const nkg_person *ps = &x->persons[i];
    if (ps->country < 0) {
      unknown += ps->posted_to < 0;
      continue;
    }
    if (ps->country != a && ps->country != b)
      return;
    if (known >= 0 && ps->country != known)
      return;
    known = ps->country;
  }
  if (known < 0 || !unknown)
    return;
  int other = known == a ? b : a;
  for (size_t i = 0; i < x->n_persons; i++) {
    nkg_person *ps = &x->persons[i];
    if (ps->country < 0 && ps->posted_to < 0) {
      ps->country = other;
      ps->country_prov = ps->prov;
      ps->country_prov.rule = RULE_OTHER_SIDE;
    }
  }
}

/* Nonzero if pa and pb sit on the same side of a meeting of three or more
 * ("A met the president of X, B, and its foreign minister, C"): both of
 * one country, with someone from another at the table. They came
 * together; the meeting is with the other side. */
static int same_side(const state *st, const nkg_meeting *m, int pa, int pb) {
  int c = st->x->persons[pa].country;
  if (m->n_participants < 3 || c < 0 || st->x->persons[pb].country != c)
    return 0;
  for (size_t k = 0; k < m->n_participants; k++) {
    int o = st->x->persons[m->participants[k]].country;
    if (o >= 0 && o != c)
      return 1;
  }
  return 0;
}

/* Nonzero if a sentence before s gives a date. */
static int date_before(const state *st, int s) {
  for (size_t i = 0; i < st->n_dates; i++)
    if (st->dates[i].sentence < s)
      return 1;
  return 0;
}

/* The first place where the story says a visitor stays, or NULL. */
static const place_at *stay_place(const state *st) {
  for (size_t i = 0; i < st->n_places; i++)
    if (st->places[i].stay)
      return &st->places[i];
  return NULL;
}

/* The place the headline gives ("Minister in Vilnius: ...", "... discussed
 * in Ashgabat"), when the headline is read as a sentence and names a town
 * or venue, not a country alone; NULL otherwise. */
static const place_at *headline_place(const state *st) {
  const nkg_document *doc = st->doc;
  if (doc->title_end <= doc->title_begin || doc->n_sentences == 0)
    return NULL;
  if (doc->sentences[0].begin < doc->title_begin ||
      doc->sentences[0].end > doc->title_end)
    return NULL;
  const place_at *p = best_place(st, 0);
  return p && !weak_place(st, p) ? p : NULL;
}

/* Nonzero if place q lies in the country of a participant of m: a meeting
 * takes place where one side is at home, so a headline's town elsewhere
 * ("keen to re-open its embassy in Washington") is not its place. */
static int in_side_country(const state *st, const nkg_meeting *m,
                           const place_at *q) {
  int c = st->x->places[q->place].country;
  return c >= 0 && has_side_from(st->x, m, c);
}

/* The meeting told before meeting i that shares a participant with it and
 * was placed in a known town by the story itself (not by the dateline),
 * the last such one; NULL if none. A visitor who meets several people in turn ("A held talks
 * with B in X. A also met C.") is still where the trip took her. */
static const nkg_meeting *placed_before(const state *st, size_t i) {
  const nkg_extraction *x = st->x;
  const nkg_meeting *m = &x->meetings[i], *best = NULL;
  int best_sentence = -1;
  for (size_t j = 0; j < i; j++) {
    const nkg_meeting *o = &x->meetings[j];
    /* a town the gazetteer knows: the next meeting may be in another
     * building ("at the Foreign Ministry", then "at the Palace") */
    if (o->place < 0 || x->places[o->place].place < 0 ||
        o->place_prov.rule == RULE_DATELINE ||
        st->meeting_sentence[j] > st->meeting_sentence[i] ||
        st->meeting_sentence[j] < best_sentence)
      continue;
    /* the one they share is a visitor there, of a known country other
     * than the town's: a host's next talks may be a call or a trip */
    int town_country = x->places[o->place].country, shared = 0;
    for (size_t a = 0; a < m->n_participants && !shared; a++)
      for (size_t b = 0; b < o->n_participants && !shared; b++) {
        int c = x->persons[m->participants[a]].country;
        shared = m->participants[a] == o->participants[b] && c >= 0 &&
                 town_country >= 0 && c != town_country;
      }
    if (shared) {
      best = o;
      best_sentence = st->meeting_sentence[j];
    }
  }
  return best;
}

static void finish_meetings(state *st) {
  nkg_extraction *x = st->x;
  int py, pm, pd;
  int dateline = dateline_place(st);
  for (size_t i = 0; i < x->n_meetings; i++) {
    nkg_meeting *m = &x->meetings[i];
    int sents[5];
    int ns = 0;
    sents[ns++] = st->meeting_sentence[i];
    for (int k = 0; k < st->n_meeting_more[i]; k++)
      sents[ns++] = st->meeting_more[i][k];
    const date_at *d = NULL;
    const place_at *p = NULL, *weak = NULL;
    for (int k = 0; k < ns; k++) {
      if (!d)
        d = best_date(st, sents[k]);
      if (!p) {
        p = best_place(st, sents[k]);
        if (p && weak_place(st, p)) {
          /* "during his visit to Nepal": a town may come later */
          if (!weak)
            weak = p;
          p = NULL;
        }
      }
    }
    /* a meeting told over two sentences: its place or date may be in the
     * one before ("A arrived in X on Monday. She met B ...") or after
     * ("The talks were held at the palace in X") when that sentence
     * refers to a meeting and does not tell another one */
    /* Later sentences that refer to the meeting continue it ("It was his
     * first visit to Rome. The two leaders met over lunch at the Palazzo
     * Chigi"), up to EVENT_WINDOW sentences on and not past a sentence
     * that tells another meeting; a date only from the next one. */
    const char *date_rule = NULL;
    for (int step = -1; step <= EVENT_WINDOW && (!p || !d); step++) {
      if (step == 0)
        continue;
      int s = st->meeting_sentence[i] + step;
      if (s < 0 || s >= (int)st->doc->n_sentences)
        continue;
      int other = 0;
      for (size_t j = 0; j < x->n_meetings && !other; j++) {
        other = j != i && st->meeting_sentence[j] == s;
        for (int k = 0; j != i && k < st->n_meeting_more[j] && !other; k++)
          other = st->meeting_more[j][k] == s;
      }
      if (other && step > 0)
        break;
      if (other || !st->eventref[s])
        continue;
      /* "During the talks on Monday, ..." (not the sentence before: "A
       * arrived on Monday night. He was welcomed by B" the next day) */
      if (!d && step == 1)
        d = best_date(st, s);
      const place_at *q = st->remote[s] ? NULL : best_place(st, s);
      if (!p && q && (!weak_place(st, q) || !weak)) {
        if (weak_place(st, q))
          weak = q;
        else
          p = q;
      }
    }
    if (!p) {
      /* placed nowhere near: where the visitor of the story stays ("A
       * arrived in X ... Later she met B"), a country alone as weak as a
       * visit to it */
      const place_at *sp = stay_place(st);
      if (sp && !weak_place(st, sp))
        p = sp;
      else if (sp && !weak)
        weak = sp;
    }
    if (!p && dateline < 0) {
      /* placed nowhere in the story: the headline that sums it up */
      const place_at *hp = headline_place(st);
      if (hp && in_side_country(st, m, hp))
        p = hp;
    }
    int weak_dateline = !p && weak && dateline >= 0 &&
                        x->places[dateline].country ==
                            x->places[weak->place].country;
    if (!p && !weak_dateline)
      p = weak;
    if (!d && i == 0 && st->meeting_sentence[i] < LEAD_SENTENCES) {
      /* a meeting told in the lead is dated by it: "... on Friday" */
      /* (not from a sentence after it: "... during his speech on May 9") */
      for (int k = 0; k < LEAD_SENTENCES && k <= st->meeting_sentence[i] && !d;
           k++)
        d = best_date(st, k);
      date_rule = RULE_CONTEXT_DATE;
    }
    if (d && d->date[0] == '?')
      d = NULL;
    if (d && !d->date[0]) {
      /* "on the same day", "later": the date of the meeting told last
       * before this one, if it has one */
      const nkg_meeting *prev = NULL;
      for (size_t j = 0; j < i; j++)
        if (st->meeting_sentence[j] < st->meeting_sentence[i] &&
            x->meetings[j].date[0] &&
            (!prev || st->meeting_sentence[j] >=
                          st->meeting_sentence[prev - x->meetings]))
          prev = &x->meetings[j];
      if (prev) {
        memcpy(m->date, prev->date, sizeof m->date);
        set_prov(&m->date_prov, d->sentence, d->begin, d->end, d->rule);
      } else if (!date_before(st, d->sentence) &&
                 published_date(st, &py, &pm, &pd)) {
        /* "after a meeting earlier in the day" with nothing dated
         * before it: the day the story was published */
        snprintf(m->date, sizeof m->date, "%04d-%02d-%02d", py, pm, pd);
        set_prov(&m->date_prov, d->sentence, d->begin, d->end, d->rule);
      }
      d = NULL;
    }
    if (d) {
      memcpy(m->date, d->date, sizeof m->date);
      set_prov(&m->date_prov, d->sentence, d->begin, d->end,
               date_rule ? date_rule : d->rule);
    }
    int remote = 0;
    const nkg_meeting *prev_placed = NULL;
    for (int k = 0; k < ns; k++)
      remote |= st->remote[sents[k]];
    if (remote) {
      /* a video call has no place; the dateline is where it was told */
    } else if (p) {
      m->place = p->place;
      set_prov(&m->place_prov, p->sentence, p->begin, p->end, p->rule);
    } else if (dateline < 0 && (prev_placed = placed_before(st, i))) {
      m->place = prev_placed->place;
      m->place_prov = prev_placed->place_prov;
      m->place_prov.rule = RULE_SAME_TRIP;
    } else if (dateline >= 0) {
      m->place = dateline;
      set_prov(&m->place_prov, -1, st->doc->dateline_begin,
               st->doc->dateline_end, RULE_DATELINE);
    }
    /* met: every pair of participants */
    for (size_t a = 0; a < m->n_participants; a++)
      for (size_t b = a + 1; b < m->n_participants; b++) {
        int pa = m->participants[a], pb = m->participants[b];
        if (same_side(st, m, pa, pb))
          continue;
        int dup = 0;
        for (size_t k = 0; k < x->n_met && !dup; k++)
          dup = x->met[k].a == pa && x->met[k].b == pb;
        if (dup)
          continue;
        nkg_pair *mp = GROW(x->met, x->n_met);
        mp->a = pa;
        mp->b = pb;
        mp->prov = m->prov;
      }
  }
}

static void finish_pairs_from_meetings(state *st) {
  nkg_extraction *x = st->x;
  for (size_t i = 0; i < x->n_meetings; i++) {
    nkg_meeting *m = &x->meetings[i];
    for (size_t a = 0; a < m->n_participants; a++)
      for (size_t b = a + 1; b < m->n_participants; b++) {
        int ca = x->persons[m->participants[a]].country;
        int cb = x->persons[m->participants[b]].country;
        if (ca >= 0 && cb >= 0 && ca != cb) {
          nkg_prov prov = m->prov;
          prov.rule = RULE_MEETING_PAIR;
          add_pair_at(st, st->meeting_sentence[i], ca, cb, &prov);
        }
      }
  }
}

/* Whether some meeting is told in sentence s. */
static int meeting_in(const state *st, int s) {
  for (size_t i = 0; i < st->x->n_meetings; i++) {
    if (st->meeting_sentence[i] == s)
      return 1;
    for (int k = 0; k < st->n_meeting_more[i]; k++)
      if (st->meeting_more[i][k] == s)
        return 1;
  }
  return 0;
}

/* A partial meeting that stayed partial is still an event of two
 * countries when the words after its trigger name the other side's
 * country (group "partner": "A held talks with his counterpart of B", "A
 * met with the B delegation"). Its pair owns the sectors of the story
 * like a meeting's. Run after the countries of people are inferred. */
static void finish_pairs_from_halves(state *st) {
  for (size_t i = 0; i < st->n_halves; i++) {
    const half_at *h = &st->halves[i];
    int c = st->x->persons[h->person].country;
    if (c < 0 || meeting_in(st, h->sentence))
      continue;
    /* h->partner >= 0: partial_meeting() keeps no other halves */
    if (h->partner == c)
      continue;
    nkg_prov prov = h->prov;
    prov.rule = RULE_HALF_PAIR;
    add_pair_at(st, h->sentence, c, h->partner, &prov);
    st->half_pairs++;
  }
}

/* A meeting of people of one known country a and people whose country
 * no rule could tell is still an event of two countries: the other is the
 * one the story names most besides a (at least twice, and more than any
 * other). The pair owns the story's sectors, and the people of unknown
 * country at that meeting are its other side ("Prime Minister A met the
 * Saudi king in Riyadh", in a story that names Lebanon most): a meeting
 * of the genre is between two sides. Run after the countries of people
 * are inferred. */
static void finish_pairs_from_unknown_sides(state *st) {
  nkg_extraction *x = st->x;
  for (size_t i = 0; i < x->n_meetings; i++) {
    const nkg_meeting *m = &x->meetings[i];
    int a = -1, several = 0, unknown = -1;
    for (size_t k = 0; k < m->n_participants; k++) {
      int c = x->persons[m->participants[k]].country;
      if (c < 0)
        unknown = m->participants[k];
      else if (a >= 0 && c != a)
        several = 1;
      else
        a = c;
    }
    if (a < 0 || several || unknown < 0)
      continue;
    int b = most_named_but(st, unknown, a);
    /* a story that speaks of "the two countries" (or sides, delegations)
     * and names one country besides a names the other side, even once */
    if (b < 0 && st->pair_phrase >= 0) {
      b = most_named_but_n(st, unknown, a, 1, 1);
      /* not a country named only beside "the two sides" ("the two sides
       * tackled the developments in C"): a topic of theirs, not a side */
      if (b >= 0 && !st->country_named_apart[b])
        b = -1;
    }
    if (b < 0)
      continue;
    nkg_prov prov = m->prov;
    prov.rule = RULE_MEETING_OTHER;
    add_pair_at(st, st->meeting_sentence[i], a, b, &prov);
    for (size_t k = 0; k < m->n_participants; k++) {
      nkg_person *pk = &x->persons[m->participants[k]];
      if (pk->country < 0 && pk->posted_to < 0 &&
          !peer_from(st, m->participants[k], b)) {
        pk->country = b;
        pk->country_prov = prov;
      }
    }
  }
}

/* A story that refers to its pair only as "the two countries" or "the two
 * delegations", and that names exactly two countries, each at least twice
 * (by name, demonym or an official's country), is about those two; not
 * when a meeting has a participant of unknown country, who may be from a
 * third ("A discussed with B ...; the two sides tackled the developments
 * in C"). */
static void finish_story_pair(state *st) {
  const nkg_extraction *x = st->x;
  if (st->n_pairs || st->pair_phrase < 0)
    return;
  for (size_t i = 0; i < x->n_meetings; i++)
    for (size_t k = 0; k < x->meetings[i].n_participants; k++)
      if (x->persons[x->meetings[i].participants[k]].country < 0)
        return;
  size_t n = nkg_lexicon_n_countries(st->lex);
  int cs[2] = {-1, -1}, k = 0;
  for (size_t c = 0; c < n; c++) {
    int named = st->country_named[c];
    for (size_t i = 0; i < x->n_persons; i++)
      named += x->persons[i].country == (int)c;
    if (!named)
      continue;
    if (k == 2 || named < 2)
      return;
    cs[k++] = (int)c;
  }
  if (k < 2)
    return;
  add_pair_at(st, st->pair_phrase, cs[0], cs[1], &st->pair_phrase_prov);
}

static int one_pair_story(const state *st);

/* Put person p on its side (0: country a, 1: country b) if that side has
 * nobody yet; -1 if p is of a third country, else 0. */
static int story_side(const state *st, int p, int a, int b, int *people) {
  int c = st->x->persons[p].country;
  if (c < 0 || !is_present(st, p))
    return 0;
  if (c != a && c != b)
    return -1;
  if (people[c == b] < 0)
    people[c == b] = p;
  return 0;
}

/* A story of one country pair that tells of a meeting (a meeting word
 * other than a signing, or talks told as held: an eventref with group
 * "told") in which no rule found who met: the
 * people are told apart from the event ("The talks were held in X on
 * Monday. The Thai delegation was led by A ... B said ..."). The two sides
 * are, for each country of the pair, the first person named in the
 * event's sentence or the EVENT_WINDOW after it, else the first the story
 * names; they met where and when that sentence says. Only people named as
 * present count ("the President's envoy" does not name the President
 * there). Not when the story names people of a third country, who may be
 * the ones at the table. Run after the countries of people are inferred. */
static void finish_story_meeting(state *st) {
  nkg_extraction *x = st->x;
  if (x->n_meetings || st->first_event < 0 || !one_pair_story(st))
    return;
  int a = st->pairs[0].country_a, b = st->pairs[0].country_b;
  int people[2] = {-1, -1};
  for (int s = st->first_event;
       s <= st->first_event + EVENT_WINDOW && s < (int)st->doc->n_sentences;
       s++)
    for (int k = 0; k < st->n_refs[s]; k++)
      if (st->refs[s][k] <= -2 &&
          story_side(st, -2 - st->refs[s][k], a, b, people) < 0)
        return;
  for (size_t i = 0; i < x->n_persons; i++)
    if (story_side(st, (int)i, a, b, people) < 0)
      return;
  if (people[0] < 0 || people[1] < 0)
    return;
  const nkg_sentence *s = &st->doc->sentences[st->first_event];
  nkg_prov prov;
  set_prov(&prov, st->first_event, s->begin, s->end, RULE_STORY_MEETING);
  int saved = st->sentence;
  st->sentence = st->first_event;
  add_meeting(st, people, 2, &prov);
  st->sentence = saved;
}

static int cmp_pair_sentence(const void *a, const void *b) {
  const pair_at *x = a, *y = b;
  return x->sentence < y->sentence ? -1 : x->sentence > y->sentence;
}

/* Whether every country pair of the story is the same one: the article is
 * about one bilateral relation, and what it says of fields concerns that
 * pair even where a sentence names no country ("The talks covered trade,
 * transport and energy."). */
static int one_pair_story(const state *st) {
  if (!st->n_pairs)
    return 0;
  int a = st->pairs[0].country_a, b = st->pairs[0].country_b;
  for (size_t i = 1; i < st->n_pairs; i++) {
    int c = st->pairs[i].country_a, d = st->pairs[i].country_b;
    if (!((c == a && d == b) || (c == b && d == a)))
      return 0;
  }
  return 1;
}

/* The country pair a sector of sentence s belongs to: the pair in force,
 * unless that pair was named in an earlier paragraph and the sentence's
 * own paragraph names another one after it ("Both sides discussed trade.
 * They reaffirmed the relations between A and B."): a story of several
 * pairs tells each one in its own paragraph. */
static const pair_at *sector_pair(const state *st, int s) {
  const pair_at *p = pair_for(st, s);
  if (!p || p->sentence >= s)
    return p;
  const nkg_sentence *ss = st->doc->sentences;
  if (ss[p->sentence].paragraph == ss[s].paragraph)
    return p;
  const pair_at *next = p + 1;
  if (next < st->pairs + st->n_pairs &&
      ss[next->sentence].paragraph == ss[s].paragraph)
    return next;
  return p;
}

/* Whether sentence s names country c, by name, demonym or one of its
 * officials. */
static int sentence_names(const state *st, int s, int c) {
  for (unsigned k = 0; k < st->n_refs[s]; k++) {
    int r = st->refs[s][k];
    if (r <= -2)
      r = st->x->persons[-2 - r].country;
    if (r == c)
      return 1;
  }
  return 0;
}

/* A sentence that names both countries of exactly one of the story's pairs
 * and names no pair of its own ("A's minister welcomed the investments of
 * B's companies in ...") is about that pair, whichever pair was named
 * last: from there on it is the pair in force. A story of several pairs
 * (one host meeting two guests) tells each in turn. Needs the pairs
 * sorted by sentence; leaves them so. */
static void pairs_from_mentions(state *st) {
  size_t n = st->n_pairs;
  if (n < 2)
    return;
  pair_at *more = NULL;
  size_t n_more = 0;
  size_t next = 0; /* first pair with sentence >= s */
  for (int s = 0; s < (int)st->doc->n_sentences; s++) {
    while (next < n && st->pairs[next].sentence < s)
      next++;
    if (next < n && st->pairs[next].sentence == s)
      continue; /* the sentence names its own pair */
    int a = -1, b = -1, ambiguous = 0;
    for (size_t i = 0; i < n && !ambiguous; i++) {
      const pair_at *p = &st->pairs[i];
      if ((p->country_a == a && p->country_b == b) ||
          !sentence_names(st, s, p->country_a) ||
          !sentence_names(st, s, p->country_b))
        continue;
      if (a >= 0)
        ambiguous = 1;
      a = p->country_a;
      b = p->country_b;
    }
    if (a < 0 || ambiguous)
      continue;
    pair_at *pa = GROW(more, n_more);
    pa->country_a = a;
    pa->country_b = b;
    pa->sentence = s;
  }
  if (!n_more)
    return;
  st->pairs = nkg_xrealloc(st->pairs, (n + n_more) * sizeof *st->pairs);
  memcpy(st->pairs + n, more, n_more * sizeof *more);
  st->n_pairs = n + n_more;
  free(more);
  qsort(st->pairs, st->n_pairs, sizeof *st->pairs, cmp_pair_sentence);
}

static void finish_sectors(state *st) {
  nkg_extraction *x = st->x;
  /* a story of one official and no partner is one side's view */
  int one_pair =
      one_pair_story(st) && (x->n_persons != 1 || st->half_meeting);
  /* nor is a story that never refers to talks or a meeting about its pair
   * throughout: an embassy's exhibition that recalls "the anniversary of
   * relations between A and B" says nothing of their fields in the
   * sentences that name neither */
  int talks = 0;
  for (size_t s = 0; s < st->doc->n_sentences && !talks; s++)
    talks = st->eventref[s];
  if (!x->n_meetings && !talks)
    one_pair = 0;
  /* pairs found after the fact (from meetings) are in sentence order too */
  if (st->n_pairs > 1) /* qsort(NULL, 0, ...) is undefined */
    qsort(st->pairs, st->n_pairs, sizeof *st->pairs, cmp_pair_sentence);
  pairs_from_mentions(st);
  for (size_t i = 0; i < st->n_sectors; i++) {
    const sector_at *s = &st->sectors[i];
    const pair_at *pair = sector_pair(st, s->sentence);
    if (!pair)
      continue;
    /* with no meeting to frame the story, a sector needs a country in its
     * own sentence, or a story of one pair */
    if (!x->n_meetings && !st->half_pairs && !st->names_country[s->sentence] &&
        (!one_pair || st->one_speaker[s->sentence]))
      continue;
    int cs[2] = {pair->country_a, pair->country_b};
    for (int k = 0; k < 2; k++) {
      int dup = 0;
      for (size_t j = 0; j < x->n_cooperates_in && !dup; j++)
        dup = x->cooperates_in[j].country == cs[k] &&
              x->cooperates_in[j].sector == s->sector &&
              x->cooperates_in[j].unlisted == s->unlisted;
      if (dup)
        continue;
      nkg_coop_in *ci = GROW(x->cooperates_in, x->n_cooperates_in);
      ci->country = cs[k];
      ci->sector = s->sector;
      ci->unlisted = s->unlisted;
      set_prov(&ci->prov, s->sentence, s->begin, s->end, s->rule);
    }
  }
}

void nkg_extraction_free(nkg_extraction *x) {
  if (!x)
    return;
  for (size_t i = 0; i < x->n_persons; i++) {
    free(x->persons[i].name);
    free(x->persons[i].position);
  }
  free(x->persons);
  for (size_t i = 0; i < x->n_places; i++)
    free(x->places[i].label);
  free(x->places);
  for (size_t i = 0; i < x->n_meetings; i++)
    free(x->meetings[i].participants);
  free(x->meetings);
  free(x->met);
  free(x->cooperates);
  free(x->cooperates_in);
  for (size_t i = 0; i < x->n_unlisted; i++)
    free(x->unlisted[i]);
  free(x->unlisted);
  memset(x, 0, sizeof *x);
}

/* Nonzero if the people of m who represent a country all represent the
 * same one: a domestic event ("the award was presented by the minister
 * and the governor"), which by itself does not put a story in the genre
 * of relations between countries. */
static int one_country_meeting(const nkg_extraction *x, const nkg_meeting *m) {
  int c = -1;
  for (size_t k = 0; k < m->n_participants; k++) {
    int o = x->persons[m->participants[k]].country;
    if (o < 0)
      continue;
    if (c >= 0 && o != c)
      return 0;
    c = o;
  }
  return c >= 0;
}

int nkg_extract_document(const nkg_rules *rules, const nkg_lexicon *lex,
                         nkg_document *doc, nkg_extraction *out) {
  state st;
  memset(&st, 0, sizeof st);
  memset(out, 0, sizeof *out);
  st.rules = rules;
  st.lex = lex;
  st.doc = doc;
  st.x = out;
  st.last_subject = -1;
  st.partial_sentence = -2;
  st.partial_person = -1;
  st.pair_phrase = -1;
  st.last_meeting_sentence = -1;
  st.first_event = -1;
  st.trace = getenv("NEWSKG_TRACE") != NULL;
  st.md = pcre2_match_data_create(64, NULL);
  if (!st.md) {
    nkg_error("%s: out of memory", doc->name);
    return -1;
  }
  st.pf = nkg_xmalloc(sizeof *st.pf);
  st.pf_version = 0; /* t.version starts at 1 with the first rendering */
  st.names_country = nkg_xcalloc(doc->n_sentences + 1, 1);
  st.country_named =
      nkg_xcalloc(nkg_lexicon_n_countries(lex) + 1, sizeof *st.country_named);
  st.country_named_apart = nkg_xcalloc(nkg_lexicon_n_countries(lex) + 1,
                                       sizeof *st.country_named_apart);
  st.one_speaker = nkg_xcalloc(doc->n_sentences + 1, 1);
  st.refs = nkg_xcalloc(doc->n_sentences + 1, sizeof *st.refs);
  st.n_refs = nkg_xcalloc(doc->n_sentences + 1, 1);
  st.gave_up = nkg_xcalloc(rules->n + 1, 1);
  st.remote = nkg_xcalloc(doc->n_sentences + 1, 1);
  st.eventref = nkg_xcalloc(doc->n_sentences + 1, 1);
  for (size_t i = 0; i < doc->n_sentences; i++) {
    st.sentence = (int)i;
    process_sentence(&st);
  }
  finish_pairs_from_meetings(&st);
  if (st.n_pairs > 1) /* qsort(NULL, 0, ...) is undefined */
    qsort(st.pairs, st.n_pairs, sizeof *st.pairs, cmp_pair_sentence);
  infer_countries(&st);
  infer_other_side(&st);
  /* countries learnt by inference may make more pairs */
  finish_pairs_from_meetings(&st);
  finish_pairs_from_halves(&st);
  finish_pairs_from_unknown_sides(&st);
  finish_story_pair(&st);
  finish_story_meeting(&st);
  finish_meetings(&st);
  finish_sectors(&st);
  /* The genre is relations between countries: a meeting told by a
   * meeting rule, a fallback meeting (a meeting word near two officials)
   * of people not all of one country, or a cooperation between two
   * countries in some field. Two countries named together with neither a
   * meeting nor a field ("the Australia-New Zealand match", "the
   * anniversary of relations between A and B") is a story of something
   * else: every story of the genre in the evaluation sets tells a meeting
   * or a sector. */
  int relevant = st.ruled_meeting;
  /* (a story meeting is read from a story already of the genre, never
   * the reason one is) */
  for (size_t i = 0; i < out->n_meetings && !relevant; i++)
    relevant = out->meetings[i].prov.rule != RULE_STORY_MEETING &&
               !one_country_meeting(out, &out->meetings[i]);
  /* With no meeting, a story of a relation names the pair in its lead
   * (the title or the first sentences) or tells of talks somewhere (a
   * meeting word the rules could not complete). A pair named only in
   * passing further down ("on the occasion of the anniversary of the
   * relations between A and B", in a story of an exhibition) does not
   * make a cultural story one of relations between countries. */
  int told_cooperation = out->n_cooperates > 0 && out->n_cooperates_in > 0;
  if (!relevant && told_cooperation && st.meeting_word)
    relevant = 1;
  for (size_t i = 0; i < st.n_pairs && !relevant && told_cooperation; i++)
    relevant = st.pairs[i].sentence < LEAD_SENTENCES;
  if (!relevant) {
    nkg_extraction_free(out);
  } else {
    for (size_t i = 0; i < out->n_persons; i++)
      out->persons[i].relevant = 1;
  }
  free(st.pending);
  free(st.halves);
  free(st.visits);
  free(st.peers);
  pcre2_match_data_free(st.md);
  free(st.pf);
  nkg_tagged_free(&st.t);
  free(st.last_seen);
  free(st.pairs);
  free(st.sectors);
  free(st.dates);
  free(st.places);
  free(st.meeting_sentence);
  free(st.meeting_more);
  free(st.names_country);
  free(st.country_named);
  free(st.country_named_apart);
  free(st.one_speaker);
  free(st.refs);
  free(st.n_refs);
  free(st.gave_up);
  free(st.remote);
  free(st.eventref);
  free(st.present);
  free(st.n_meeting_more);
  return 0;
}
