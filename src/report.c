/* report.c: see report.h.
 *
 * Three steps: the queries fill plain tables (strings interned in maps from
 * IRI to index), the network is laid out by Graphviz from a cgraph graph
 * built in memory, and the page is written. Only run_select() knows how a
 * query is run (nkg_query_run() writing TSV into a stream that parses it
 * row by row): adapt it alone if the query API changes. */
#define _GNU_SOURCE /* fopencookie */
#include "config.h"

#include "report.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "report_queries.h"
#include "tokens.h"
#include "util.h"

#define NKG_NS_IRI "https://w3id.org/newskg/ns#"

/* ---- small containers ---------------------------------------------------- */

/* A map from strings to indexes 0, 1, 2... in insertion order; keys are
 * copied into keys[]. */
typedef struct {
  char **keys;
  size_t n, cap;
  size_t *slots; /* index + 1, 0 when empty */
  size_t nslots;
} strmap;

static uint64_t hash_str(const char *s) {
  return nkg_hash64(s, strlen(s), NKG_HASH_SEED);
}

static void strmap_grow(strmap *m) {
  size_t ns = m->nslots ? m->nslots * 2 : 64;
  size_t *slots = nkg_xcalloc(ns, sizeof *slots);
  for (size_t i = 0; i < m->n; i++) {
    size_t h = (size_t)hash_str(m->keys[i]) & (ns - 1);
    while (slots[h])
      h = (h + 1) & (ns - 1);
    slots[h] = i + 1;
  }
  free(m->slots);
  m->slots = slots;
  m->nslots = ns;
}

/* The index of key, or (size_t)-1 (with add zero) when absent. */
static size_t strmap_find(strmap *m, const char *key, int add, int *added) {
  if (added)
    *added = 0;
  if (!m->nslots || (add && (m->n + 1) * 2 > m->nslots))
    strmap_grow(m);
  size_t h = (size_t)hash_str(key) & (m->nslots - 1);
  while (m->slots[h]) {
    if (!strcmp(m->keys[m->slots[h] - 1], key))
      return m->slots[h] - 1;
    h = (h + 1) & (m->nslots - 1);
  }
  if (!add)
    return (size_t)-1;
  if (m->n == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 64;
    m->keys = nkg_xrealloc(m->keys, m->cap * sizeof *m->keys);
  }
  m->keys[m->n] = nkg_xstrdup(key);
  m->slots[h] = m->n + 1;
  if (added)
    *added = 1;
  return m->n++;
}

static void strmap_free(strmap *m) {
  for (size_t i = 0; i < m->n; i++)
    free(m->keys[i]);
  free(m->keys);
  free(m->slots);
}

/* A growable array of size_t. */
typedef struct {
  size_t *v;
  size_t n, cap;
} idxlist;

static void idx_push(idxlist *l, size_t x) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 4;
    l->v = nkg_xrealloc(l->v, l->cap * sizeof *l->v);
  }
  l->v[l->n++] = x;
}

static int idx_has(const idxlist *l, size_t x) {
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i] == x)
      return 1;
  return 0;
}

static void idx_add_unique(idxlist *l, size_t x) {
  if (!idx_has(l, x))
    idx_push(l, x);
}

#define GROW(arr, n, cap)                                                      \
  do {                                                                         \
    if ((n) == (cap)) {                                                        \
      (cap) = (cap) ? (cap) * 2 : 16;                                          \
      (arr) = nkg_xrealloc((arr), (cap) * sizeof *(arr));                      \
    }                                                                          \
  } while (0)

#define NONE ((size_t)-1)

/* ---- the report's tables ------------------------------------------------- */

typedef struct {
  size_t country;  /* index into countries, or NONE */
  idxlist positions; /* label indexes (into r->strings) */
  idxlist edges;
  size_t meetings; /* how many meetings */
  int shown;       /* in the network */
} official;

typedef struct {
  size_t officials; /* how many represent it */
  size_t colour;    /* palette index, or NONE */
} country;

typedef struct {
  idxlist participants; /* officials */
  size_t date, place;   /* strings, or NONE */
  idxlist evidence;
} meeting;

typedef struct {
  size_t a, b;      /* officials, a < b */
  idxlist meetings;
} edge;

/* Predicates the report knows. */
enum { P_OTHER, P_PARTICIPANT, P_DATE, P_PLACE, P_HOLDS, P_REPRESENTS,
       P_COOP_WITH, P_COOP_IN, P_MET };

typedef struct {
  size_t s, o;          /* resources (index into r->iris), or NONE */
  int p;
  size_t rule, doc;     /* string, resource, or NONE */
  size_t matched;       /* string or NONE */
  size_t sentence;      /* resource or NONE */
  long begin, end;      /* code points, -1 when unknown */
} evidence;

typedef struct {
  size_t country, sector; /* resources */
  size_t docs;
} cell;

typedef struct {
  size_t a, b;     /* countries, a < b */
  size_t docs;
  idxlist sectors; /* resources */
  idxlist sector_docs;
} pair;

typedef struct {
  librdf_world *world;
  librdf_model *model;
  const nkg_report_options *o;
  strmap iris;      /* every resource */
  strmap strings;   /* every literal, interned */
  size_t *label;    /* per resource: its label (string), or NONE */
  size_t n_label, cap_label;
  size_t *doc_title, *doc_source; /* per resource */
  size_t *sent_text, *sent_begin;  /* per resource: sentences */
  /* per resource: index into officials / countries / meetings / ev, or
   * NONE */
  size_t *as_official, *as_country, *as_meeting, *as_evidence;
  official *officials;
  size_t n_officials, cap_officials;
  size_t *official_iri;
  country *countries;
  size_t n_countries, cap_countries;
  size_t *country_iri;
  meeting *meetings;
  size_t n_meetings, cap_meetings;
  size_t *meeting_iri;
  edge *edges;
  size_t n_edges, cap_edges;
  strmap edge_keys;
  evidence *ev;
  size_t n_ev, cap_ev;
  cell *cells;
  size_t n_cells, cap_cells;
  strmap cell_keys;
  pair *pairs;
  size_t n_pairs, cap_pairs;
  strmap pair_keys;
  nkg_byteset seen; /* "kind|..." keys counted once */
  size_t n_documents;
} report;

/* Makes the per-resource arrays as long as r->iris. */
static void grow_resources(report *r) {
  if (r->iris.n <= r->cap_label)
    return;
  size_t old = r->cap_label, cap = old ? old : 256;
  while (cap < r->iris.n)
    cap *= 2;
  size_t **arrays[] = {&r->label,       &r->doc_title,   &r->doc_source,
                       &r->sent_text,   &r->sent_begin,  &r->as_official,
                       &r->as_country,  &r->as_meeting, &r->as_evidence};
  for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) {
    *arrays[k] = nkg_xrealloc(*arrays[k], cap * sizeof **arrays[k]);
    for (size_t i = old; i < cap; i++)
      (*arrays[k])[i] = NONE;
  }
  r->cap_label = cap;
}

static size_t resource(report *r, const char *iri) {
  size_t i = strmap_find(&r->iris, iri, 1, NULL);
  grow_resources(r);
  return i;
}

static size_t string_id(report *r, const char *s) {
  return strmap_find(&r->strings, s, 1, NULL);
}

static const char *str(const report *r, size_t i) {
  return i == NONE ? "" : r->strings.keys[i];
}

/* The label of a resource, else the last segment of its IRI. */
static const char *label_of(const report *r, size_t res) {
  if (res == NONE)
    return "";
  if (r->label[res] != NONE)
    return r->strings.keys[r->label[res]];
  const char *iri = r->iris.keys[res];
  const char *slash = strrchr(iri, '/');
  return slash && slash[1] ? slash + 1 : iri;
}

static int once(report *r, const char *fmt, size_t a, size_t b, size_t c) {
  char key[96];
  int n = snprintf(key, sizeof key, fmt, a, b, c);
  return nkg_byteset_add(&r->seen, key, (size_t)n);
}

/* ---- running the queries --------------------------------------------------- */

static void add_utf8(nkg_buf *b, unsigned long cp) {
  /* code points that HTML forbids, and surrogates, become U+FFFD */
  if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
      (cp >= 0x7F && cp < 0xA0) || (cp >= 0xD800 && cp < 0xE000) ||
      (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE ||
      cp > 0x10FFFF)
    cp = 0xFFFD;
  nkg_utf8_add(b, (unsigned)cp);
}

/* Decodes one cell of a SPARQL TSV result (as rasqal writes it: <IRI>,
 * "literal" with \-escapes and an optional @lang or ^^<type>, _:blank, or
 * empty for unbound) into out: the IRI, the literal's lexical form, or the
 * blank node label. Returns 0 for unbound, else 1. */
static int decode_term(const char *s, size_t n, nkg_buf *out) {
  nkg_buf_clear(out);
  nkg_buf_adds(out, "");
  if (n == 0)
    return 0;
  if (s[0] == '<') {
    size_t e = n;
    while (e > 1 && s[e - 1] != '>')
      e--;
    nkg_buf_add(out, s + 1, e > 1 ? e - 2 : 0);
    return 1;
  }
  if (s[0] != '"') {
    nkg_buf_add(out, s, n);
    return 1;
  }
  for (size_t i = 1; i < n && s[i] != '"'; i++) {
    if (s[i] != '\\' || i + 1 >= n) {
      nkg_buf_addc(out, s[i]);
      continue;
    }
    char c = s[++i];
    switch (c) {
    case 't':
      nkg_buf_addc(out, '\t');
      break;
    case 'n':
      nkg_buf_addc(out, '\n');
      break;
    case 'r':
      nkg_buf_addc(out, '\r');
      break;
    case 'b':
    case 'f':
      nkg_buf_addc(out, ' ');
      break;
    case 'u':
    case 'U': {
      size_t len = c == 'u' ? 4 : 8;
      unsigned long cp = 0;
      size_t k = 0;
      for (; k < len && i + 1 + k < n; k++) {
        char h = s[i + 1 + k];
        int v = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (v < 0)
          break;
        cp = cp * 16 + (unsigned long)v;
      }
      i += k;
      add_utf8(out, k == len ? cp : 0xFFFD);
      break;
    }
    default:
      nkg_buf_addc(out, c);
    }
  }
  return 1;
}

typedef void (*row_fn)(report *r, const char *const *cols, const int *bound);

#define MAX_COLS 12

/* The parser behind the stream nkg_query_run() writes to: complete lines
 * are decoded and handed to fn as they arrive, so a large result is never
 * held whole. */
typedef struct {
  report *r;
  row_fn fn;
  size_t ncols;
  nkg_buf line;
  int header_done;
  nkg_buf cells[MAX_COLS];
} tsv_reader;

static void tsv_line(tsv_reader *t, const char *line, size_t n) {
  if (!t->header_done) {
    t->header_done = 1;
    return;
  }
  const char *cols[MAX_COLS];
  int bound[MAX_COLS];
  const char *p = line, *stop = line + n;
  for (size_t c = 0; c < t->ncols; c++) {
    const char *q = p;
    while (q < stop && *q != '\t')
      q++;
    bound[c] = decode_term(p, (size_t)(q - p), &t->cells[c]);
    cols[c] = t->cells[c].data;
    p = q < stop ? q + 1 : stop;
  }
  t->fn(t->r, cols, bound);
}

static ssize_t tsv_write(void *cookie, const char *buf, size_t size) {
  tsv_reader *t = cookie;
  const char *p = buf, *end = buf + size;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) {
      nkg_buf_add(&t->line, p, (size_t)(end - p));
      break;
    }
    if (t->line.len) {
      nkg_buf_add(&t->line, p, (size_t)(nl - p));
      tsv_line(t, t->line.data, t->line.len);
      nkg_buf_clear(&t->line);
    } else {
      tsv_line(t, p, (size_t)(nl - p));
    }
    p = nl + 1;
  }
  return (ssize_t)size;
}

/* Runs the SELECT query text (named name in messages) and calls fn for each
 * row with its ncols cells decoded. Returns 0 or -1 after a message. The
 * one place that knows the query API. */
static int run_select(report *r, const char *name, const char *text,
                      size_t ncols, row_fn fn) {
  tsv_reader t;
  memset(&t, 0, sizeof t);
  t.r = r;
  t.fn = fn;
  t.ncols = ncols;
  cookie_io_functions_t io = {.write = tsv_write};
  FILE *stream = fopencookie(&t, "w", io);
  if (!stream) {
    nkg_error("report: %s: cannot open a stream for its results", name);
    return -1;
  }
  nkg_query_options qo = {.source = name, .results_format = "tsv"};
  int ask = -1;
  int rc = nkg_query_run(r->world, r->model, text, &qo, stream, &ask);
  if (fclose(stream) != 0 && rc == 0) {
    nkg_error("report: %s: cannot read its results", name);
    rc = -1;
  }
  if (rc == 0 && t.line.len) /* a last line without a newline */
    tsv_line(&t, t.line.data, t.line.len);
  nkg_buf_free(&t.line);
  for (size_t c = 0; c < MAX_COLS; c++)
    nkg_buf_free(&t.cells[c]);
  return rc;
}

/* ---- filling the tables ------------------------------------------------- */

static void on_label(report *r, const char *const *c, const int *bound) {
  if (!bound[0] || !bound[1])
    return;
  size_t res = resource(r, c[0]);
  if (r->label[res] == NONE)
    r->label[res] = string_id(r, c[1]);
}

/* The handlers merge rows into their resource: a column may be unbound
 * (an OPTIONAL that found nothing), and a resource may come in several
 * rows (one per participant, position, ...); the first value of a
 * single-valued column wins, in the queries' ORDER BY. */

static void on_document(report *r, const char *const *c, const int *bound) {
  if (!bound[0])
    return;
  size_t res = resource(r, c[0]);
  if (r->doc_title[res] == NONE && r->doc_source[res] == NONE)
    r->n_documents++;
  if (bound[1] && r->doc_title[res] == NONE)
    r->doc_title[res] = string_id(r, c[1]);
  if (bound[2] && r->doc_source[res] == NONE)
    r->doc_source[res] = string_id(r, c[2]);
}

static long number(const char *s) {
  char *end;
  long v = strtol(s, &end, 10);
  return end != s && *end == '\0' && v >= 0 ? v : -1;
}

static void on_sentence(report *r, const char *const *c, const int *bound) {
  if (!bound[0])
    return;
  size_t res = resource(r, c[0]);
  if (bound[1])
    r->sent_text[res] = string_id(r, c[1]);
  long b = bound[2] ? number(c[2]) : -1;
  if (b >= 0)
    r->sent_begin[res] = (size_t)b;
}

static size_t country_of(report *r, size_t res) {
  if (r->as_country[res] != NONE)
    return r->as_country[res];
  GROW(r->countries, r->n_countries, r->cap_countries);
  r->country_iri = nkg_xrealloc(r->country_iri,
                                r->cap_countries * sizeof *r->country_iri);
  country *k = &r->countries[r->n_countries];
  memset(k, 0, sizeof *k);
  k->colour = NONE;
  r->country_iri[r->n_countries] = res;
  return r->as_country[res] = r->n_countries++;
}

static size_t official_of(report *r, size_t res) {
  if (r->as_official[res] != NONE)
    return r->as_official[res];
  GROW(r->officials, r->n_officials, r->cap_officials);
  r->official_iri = nkg_xrealloc(r->official_iri,
                                 r->cap_officials * sizeof *r->official_iri);
  official *f = &r->officials[r->n_officials];
  memset(f, 0, sizeof *f);
  f->country = NONE;
  r->official_iri[r->n_officials] = res;
  return r->as_official[res] = r->n_officials++;
}

static void on_official(report *r, const char *const *c, const int *bound) {
  if (!bound[0])
    return;
  size_t f = official_of(r, resource(r, c[0]));
  if (bound[2] && r->officials[f].country == NONE) {
    size_t k = country_of(r, resource(r, c[2]));
    r->officials[f].country = k;
    r->countries[k].officials++;
  }
  if (bound[3])
    idx_add_unique(&r->officials[f].positions, resource(r, c[3]));
}

static void on_meeting(report *r, const char *const *c, const int *bound) {
  if (!bound[0])
    return;
  size_t res = resource(r, c[0]);
  size_t m = r->as_meeting[res];
  if (m == NONE) {
    GROW(r->meetings, r->n_meetings, r->cap_meetings);
    r->meeting_iri = nkg_xrealloc(r->meeting_iri,
                                  r->cap_meetings * sizeof *r->meeting_iri);
    memset(&r->meetings[r->n_meetings], 0, sizeof *r->meetings);
    r->meetings[r->n_meetings].date = NONE;
    r->meetings[r->n_meetings].place = NONE;
    r->meeting_iri[r->n_meetings] = res;
    m = r->as_meeting[res] = r->n_meetings++;
  }
  meeting *mt = &r->meetings[m];
  if (bound[1])
    idx_add_unique(&mt->participants, official_of(r, resource(r, c[1])));
  if (bound[2] && mt->date == NONE)
    mt->date = string_id(r, c[2]);
  if (bound[3] && mt->place == NONE)
    mt->place = resource(r, c[3]);
}

static int predicate_kind(const char *iri) {
  static const struct {
    const char *name;
    int kind;
  } known[] = {{"participant", P_PARTICIPANT},   {"date", P_DATE},
               {"place", P_PLACE},               {"holdsPosition", P_HOLDS},
               {"represents", P_REPRESENTS},     {"cooperatesWith", P_COOP_WITH},
               {"cooperatesIn", P_COOP_IN},      {"met", P_MET}};
  size_t n = strlen(NKG_NS_IRI);
  if (strncmp(iri, NKG_NS_IRI, n))
    return P_OTHER;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (!strcmp(iri + n, known[i].name))
      return known[i].kind;
  return P_OTHER;
}

static void on_evidence(report *r, const char *const *c, const int *bound) {
  if (!bound[0])
    return;
  size_t res = resource(r, c[0]);
  if (r->as_evidence[res] == NONE) {
    GROW(r->ev, r->n_ev, r->cap_ev);
    r->ev[r->n_ev] = (evidence){.s = NONE, .o = NONE, .p = P_OTHER,
                                .rule = NONE, .doc = NONE, .matched = NONE,
                                .sentence = NONE, .begin = -1, .end = -1};
    r->as_evidence[res] = r->n_ev++;
  }
  evidence *e = &r->ev[r->as_evidence[res]];
  if (bound[1])
    e->s = resource(r, c[1]);
  if (bound[2])
    e->p = predicate_kind(c[2]);
  if (bound[3])
    e->o = resource(r, c[3]);
  if (bound[4])
    e->rule = string_id(r, c[4]);
  if (bound[5])
    e->doc = resource(r, c[5]);
  if (bound[6])
    e->matched = string_id(r, c[6]);
  if (bound[7])
    e->begin = number(c[7]);
  if (bound[8])
    e->end = number(c[8]);
  if (bound[9])
    e->sentence = resource(r, c[9]);
}

/* Drops evidence records that lack their fact or document. */
static void check_evidence(report *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->n_ev; i++) {
    evidence *e = &r->ev[i];
    if (e->s == NONE || e->o == NONE || e->p == P_OTHER || e->doc == NONE)
      continue;
    if (e->rule == NONE)
      e->rule = string_id(r, "");
    r->ev[n++] = *e;
  }
  r->n_ev = n;
}

/* Edges of the network: one per pair of officials who met. */
static void build_edges(report *r) {
  char key[64];
  for (size_t m = 0; m < r->n_meetings; m++) {
    meeting *mt = &r->meetings[m];
    for (size_t i = 0; i < mt->participants.n; i++) {
      r->officials[mt->participants.v[i]].meetings++;
      for (size_t j = i + 1; j < mt->participants.n; j++) {
        size_t a = mt->participants.v[i], b = mt->participants.v[j];
        if (a > b) {
          size_t t = a;
          a = b;
          b = t;
        }
        snprintf(key, sizeof key, "%zu,%zu", a, b);
        int added;
        size_t e = strmap_find(&r->edge_keys, key, 1, &added);
        if (added) {
          GROW(r->edges, r->n_edges, r->cap_edges);
          memset(&r->edges[e], 0, sizeof *r->edges);
          r->edges[e].a = a;
          r->edges[e].b = b;
          r->n_edges++;
          idx_push(&r->officials[a].edges, e);
          idx_push(&r->officials[b].edges, e);
        }
        idx_add_unique(&r->edges[e].meetings, m);
      }
    }
  }
}


/* Cooperation: documents per country and sector, per country pair, and the
 * sectors a pair shares within one document. */
static void build_cooperation(report *r) {
  char key[64];
  for (size_t i = 0; i < r->n_ev; i++) {
    evidence *e = &r->ev[i];
    if (e->p == P_COOP_IN) {
      snprintf(key, sizeof key, "%zu,%zu", e->s, e->o);
      int added;
      size_t c = strmap_find(&r->cell_keys, key, 1, &added);
      if (added) {
        GROW(r->cells, r->n_cells, r->cap_cells);
        r->cells[c] = (cell){.country = e->s, .sector = e->o};
        r->n_cells++;
      }
      if (once(r, "in|%zu|%zu|%zu", e->s, e->o, e->doc))
        r->cells[c].docs++;
    } else if (e->p == P_COOP_WITH) {
      size_t a = e->s < e->o ? e->s : e->o, b = e->s < e->o ? e->o : e->s;
      snprintf(key, sizeof key, "%zu,%zu", a, b);
      int added;
      size_t p = strmap_find(&r->pair_keys, key, 1, &added);
      if (added) {
        GROW(r->pairs, r->n_pairs, r->cap_pairs);
        memset(&r->pairs[p], 0, sizeof *r->pairs);
        r->pairs[p].a = a;
        r->pairs[p].b = b;
        r->n_pairs++;
      }
      if (once(r, "with|%zu|%zu|%zu", p, e->doc, 0))
        r->pairs[p].docs++;
    }
  }
  /* sectors of a pair: both countries cooperate in it in a document that
   * reports the pair */
  for (size_t i = 0; i < r->n_ev; i++) {
    evidence *e = &r->ev[i];
    if (e->p != P_COOP_IN)
      continue;
    nkg_byteset_add(&r->seen, key,
                    (size_t)snprintf(key, sizeof key, "cin|%zu|%zu|%zu",
                                     e->doc, e->s, e->o));
  }
  for (size_t i = 0; i < r->n_ev; i++) {
    evidence *e = &r->ev[i];
    if (e->p != P_COOP_WITH)
      continue;
    size_t a = e->s < e->o ? e->s : e->o, b = e->s < e->o ? e->o : e->s;
    snprintf(key, sizeof key, "%zu,%zu", a, b);
    size_t p = strmap_find(&r->pair_keys, key, 0, NULL);
    for (size_t j = 0; j < r->n_ev; j++) {
      evidence *f = &r->ev[j];
      if (f->p != P_COOP_IN || f->doc != e->doc || f->s != a)
        continue;
      int n = snprintf(key, sizeof key, "cin|%zu|%zu|%zu", f->doc, b, f->o);
      if (!nkg_byteset_has(&r->seen, key, (size_t)n) ||
          !once(r, "ps|%zu|%zu|%zu", p, f->o, f->doc))
        continue;
      pair *pr = &r->pairs[p];
      size_t k = 0;
      while (k < pr->sectors.n && pr->sectors.v[k] != f->o)
        k++;
      if (k == pr->sectors.n) {
        idx_push(&pr->sectors, f->o);
        idx_push(&pr->sector_docs, 0);
      }
      pr->sector_docs.v[k]++;
    }
  }
}

/* ---- HTML output --------------------------------------------------------- */

void nkg_report_escape(FILE *out, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *e = p + n;
  while (p < e) {
    unsigned char c = *p;
    if (c < 0x80) {
      switch (c) {
      case '&':
        fputs("&amp;", out);
        break;
      case '<':
        fputs("&lt;", out);
        break;
      case '>':
        fputs("&gt;", out);
        break;
      case '"':
        fputs("&quot;", out);
        break;
      case '\'':
        fputs("&#39;", out);
        break;
      default:
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
          fputs("\xEF\xBF\xBD", out);
        else
          fputc(c, out);
      }
      p++;
      continue;
    }
    /* a whole UTF-8 sequence, checked */
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    unsigned long cp = len == 4 ? c & 0x07 : len == 3 ? c & 0x0F : c & 0x1F;
    size_t k = 1;
    for (; len && k < len && p + k < e && (p[k] & 0xC0) == 0x80; k++)
      cp = (cp << 6) | (p[k] & 0x3F);
    int ok = len && k == len && c < 0xF5 &&
             !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800) &&
             !(len == 4 && cp < 0x10000) && !(cp >= 0xD800 && cp < 0xE000) &&
             !(cp >= 0x80 && cp < 0xA0) && !(cp >= 0xFDD0 && cp <= 0xFDEF) &&
             (cp & 0xFFFE) != 0xFFFE && cp <= 0x10FFFF;
    if (ok)
      fwrite(p, 1, len, out);
    else
      fputs("\xEF\xBF\xBD", out);
    p += ok ? len : (k ? k : 1);
  }
}

static void esc(FILE *out, const char *s) { nkg_report_escape(out, s, strlen(s)); }

/* Byte offset of the code point cp in s (or NONE past the end). */
static size_t byte_at(const char *s, long cp) {
  size_t i = 0;
  for (long k = 0; k < cp; k++) {
    if (!s[i])
      return NONE;
    i++;
    while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
      i++;
  }
  return i;
}

/* The evidence of e: its sentence with the matched span in <mark>, or the
 * matched text alone when the sentence is not known. */
static void write_span(FILE *out, const report *r, const evidence *e) {
  const char *sent = NULL;
  long sbegin = -1;
  if (e->sentence != NONE && r->sent_text[e->sentence] != NONE) {
    sent = str(r, r->sent_text[e->sentence]);
    sbegin = (long)r->sent_begin[e->sentence];
  }
  const char *m = str(r, e->matched);
  size_t mlen = strlen(m), from = NONE, to = NONE;
  if (sent && e->begin >= 0 && e->end >= e->begin && sbegin >= 0 &&
      e->begin >= sbegin) {
    from = byte_at(sent, e->begin - sbegin);
    to = byte_at(sent, e->end - sbegin);
    /* offsets that disagree with the matched text are not trusted */
    if (from == NONE || to == NONE ||
        (mlen && (to - from != mlen || memcmp(sent + from, m, mlen))))
      from = to = NONE;
  }
  if (sent && from == NONE && mlen) {
    const char *hit = strstr(sent, m);
    if (hit) {
      from = (size_t)(hit - sent);
      to = from + mlen;
    }
  }
  fputs("<q>", out);
  if (sent && from != NONE) {
    nkg_report_escape(out, sent, from);
    fputs("<mark>", out);
    nkg_report_escape(out, sent + from, to - from);
    fputs("</mark>", out);
    esc(out, sent + to);
  } else if (sent) {
    esc(out, sent);
  } else {
    fputs("<mark>", out);
    esc(out, m);
    fputs("</mark>", out);
  }
  fputs("</q>", out);
}

static void write_doc(FILE *out, const report *r, size_t doc) {
  const char *title = str(r, r->doc_title[doc]);
  const char *source = str(r, r->doc_source[doc]);
  fputs("<cite title=\"", out);
  esc(out, source);
  fputs("\">", out);
  esc(out, *title ? title : source);
  fputs("</cite>", out);
}

static void write_rule(FILE *out, const report *r, size_t rule) {
  fputs("<code>", out);
  esc(out, str(r, rule));
  fputs("</code>", out);
}

/* A name that filters the facts to key when clicked. */
static void write_filter_link(FILE *out, char kind, size_t id,
                              const char *name) {
  fprintf(out, "<a href=\"#facts\" data-key=\"%c%zu\">", kind, id);
  esc(out, name);
  fputs("</a>", out);
}

static const char *const palette[] = {
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
    "#b3de69", "#fccde5", "#bc80bd", "#ccebc5", "#ffed6f", "#a6cee3"};
#define N_PALETTE (sizeof palette / sizeof palette[0])
#define OTHER_COLOUR "#e0e0e0"

static const char *colour_of(const report *r, size_t country) {
  if (country == NONE || r->countries[country].colour == NONE)
    return OTHER_COLOUR;
  return palette[r->countries[country].colour];
}

static const char *country_name(const report *r, size_t k) {
  return k == NONE ? "" : label_of(r, r->country_iri[k]);
}

static const char *official_name(const report *r, size_t f) {
  return label_of(r, r->official_iri[f]);
}

/* ---- the network --------------------------------------------------------- */

/* Graphviz reads escapes (\N, \G, \n...) and character entities in its
 * strings: '&' is written as "&amp;" (which the SVG renderer writes back
 * escaped), and a backslash is doubled in labels, where Graphviz undoes
 * that, but becomes U+29F5 (a reverse solidus operator) in tooltips, where
 * Graphviz would not; so a name shows as itself. */
static char *gv_text(const char *s, int label) {
  nkg_buf b = {0};
  nkg_buf_adds(&b, "");
  for (; *s; s++) {
    if (*s == '\\')
      nkg_buf_adds(&b, label ? "\\\\" : "\xE2\xA7\xB5");
    else if (*s == '&')
      nkg_buf_adds(&b, "&amp;");
    else if ((unsigned char)*s >= 0x20 || *s == '\t')
      nkg_buf_addc(&b, *s);
    else
      nkg_buf_addc(&b, ' ');
  }
  return nkg_buf_steal(&b);
}

static void gv_set(void *obj, const char *name, const char *value) {
  agsafeset(obj, (char *)name, (char *)value, "");
}

static void gv_set_text(void *obj, const char *name, const char *value) {
  char *t = gv_text(value, !strcmp(name, "label"));
  gv_set(obj, name, t);
  free(t);
}

static int by_degree_desc(const void *x, const void *y, void *ctx) {
  const report *r = ctx;
  size_t a = *(const size_t *)x, b = *(const size_t *)y;
  const official *fa = &r->officials[a], *fb = &r->officials[b];
  if (fa->edges.n != fb->edges.n)
    return fa->edges.n > fb->edges.n ? -1 : 1;
  if (fa->meetings != fb->meetings)
    return fa->meetings > fb->meetings ? -1 : 1;
  int c = strcmp(official_name(r, a), official_name(r, b));
  return c ? c : (a < b ? -1 : a > b);
}

/* qsort with a context, on a copy of the comparison's context pointer (C11
 * has no qsort_r): insertion into a sorted array is too slow for 10^5
 * elements, so a small merge sort. */
static void sort_idx(size_t *v, size_t n, void *ctx,
                     int (*cmp)(const void *, const void *, void *)) {
  if (n < 2)
    return;
  size_t *tmp = nkg_xmalloc(n * sizeof *tmp);
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        tmp[k++] = cmp(&v[j], &v[i], ctx) < 0 ? v[j++] : v[i++];
      while (i < mid)
        tmp[k++] = v[i++];
      while (j < hi)
        tmp[k++] = v[j++];
    }
    memcpy(v, tmp, n * sizeof *v);
  }
  free(tmp);
}

/* Lays out the shown part of the network and writes it as inline SVG.
 * Returns 0 or -1 after a message. */
static int write_network(FILE *out, report *r, size_t *n_shown_officials,
                         size_t *n_shown_edges) {
  size_t limit = r->o->max_officials ? r->o->max_officials
                                     : NKG_REPORT_MAX_OFFICIALS;
  size_t *order = nkg_xmalloc((r->n_officials + 1) * sizeof *order);
  for (size_t i = 0; i < r->n_officials; i++)
    order[i] = i;
  sort_idx(order, r->n_officials, r, by_degree_desc);
  size_t shown = r->n_officials < limit ? r->n_officials : limit;
  for (size_t i = 0; i < shown; i++)
    r->officials[order[i]].shown = 1;
  free(order);
  *n_shown_officials = shown;
  *n_shown_edges = 0;
  if (shown == 0) {
    fputs("<p class=\"note\">No officials were found.</p>\n", out);
    return 0;
  }
  size_t n_edges = 0;
  for (size_t e = 0; e < r->n_edges; e++)
    if (r->officials[r->edges[e].a].shown && r->officials[r->edges[e].b].shown)
      n_edges++;
  int edge_labels = n_edges <= 150;

  GVC_t *gvc = gvContext();
  if (!gvc) {
    nkg_error("report: cannot initialise Graphviz");
    return -1;
  }
  Agraph_t *g = agopen("network", Agundirected, NULL);
  gv_set(g, "overlap", "false");
  gv_set(g, "outputorder", "edgesfirst");
  gv_set(g, "bgcolor", "transparent");
  gv_set(g, "pad", "0.2");
  gv_set(g, "sep", "+6");
  gv_set(g, "start", "1"); /* the same layout every run */
  agattr(g, AGNODE, "shape", "box");
  agattr(g, AGNODE, "style", "rounded,filled");
  agattr(g, AGNODE, "fontname", "Helvetica");
  agattr(g, AGNODE, "fontsize", "11");
  agattr(g, AGNODE, "penwidth", "0.8");
  agattr(g, AGEDGE, "fontname", "Helvetica");
  agattr(g, AGEDGE, "fontsize", "8");
  agattr(g, AGEDGE, "fontcolor", "#555555");
  agattr(g, AGEDGE, "color", "#777777");
  agattr(g, AGEDGE, "len", edge_labels ? "2.6" : "1.2"); /* room for labels */
  Agnode_t **nodes = nkg_xcalloc(r->n_officials + 1, sizeof *nodes);
  char name[48];
  for (size_t f = 0; f < r->n_officials; f++) {
    if (!r->officials[f].shown)
      continue;
    snprintf(name, sizeof name, "o%zu", f);
    Agnode_t *n = nodes[f] = agnode(g, name, 1);
    official *of = &r->officials[f];
    gv_set_text(n, "label", official_name(r, f));
    snprintf(name, sizeof name, "g-o%zu", f);
    gv_set(n, "id", name);
    gv_set(n, "class", "official");
    gv_set(n, "fillcolor", colour_of(r, of->country));
    gv_set(n, "URL", "#facts");
    nkg_buf tip = {0};
    nkg_buf_adds(&tip, official_name(r, f));
    for (size_t k = 0; k < of->positions.n; k++) {
      nkg_buf_adds(&tip, k ? "; " : ", ");
      nkg_buf_adds(&tip, label_of(r, of->positions.v[k]));
    }
    if (of->country != NONE) {
      nkg_buf_adds(&tip, " (");
      nkg_buf_adds(&tip, country_name(r, of->country));
      nkg_buf_adds(&tip, ")");
    }
    nkg_buf_printf(&tip, ": %zu meeting%s", of->meetings,
                   of->meetings == 1 ? "" : "s");
    gv_set_text(n, "tooltip", tip.data);
    nkg_buf_free(&tip);
  }
  for (size_t e = 0; e < r->n_edges; e++) {
    edge *ed = &r->edges[e];
    if (!nodes[ed->a] || !nodes[ed->b])
      continue;
    (*n_shown_edges)++;
    snprintf(name, sizeof name, "e%zu", e);
    Agedge_t *x = agedge(g, nodes[ed->a], nodes[ed->b], name, 1);
    snprintf(name, sizeof name, "g-e%zu", e);
    gv_set(x, "id", name);
    gv_set(x, "class", "meeting");
    gv_set(x, "URL", "#facts");
    nkg_buf lab = {0}, tip = {0};
    nkg_buf_adds(&lab, "");
    nkg_buf_printf(&tip, "%s and %s: ", official_name(r, ed->a),
                   official_name(r, ed->b));
    for (size_t k = 0; k < ed->meetings.n; k++) {
      meeting *m = &r->meetings[ed->meetings.v[k]];
      nkg_buf one = {0};
      nkg_buf_adds(&one, m->date != NONE ? str(r, m->date) : "date unknown");
      if (m->place != NONE) {
        nkg_buf_adds(&one, ", ");
        nkg_buf_adds(&one, label_of(r, m->place));
      }
      if (k == 0)
        nkg_buf_adds(&lab, one.data);
      nkg_buf_printf(&tip, "%s%s", k ? "; " : "", one.data);
      nkg_buf_free(&one);
    }
    if (ed->meetings.n > 1)
      nkg_buf_printf(&lab, " (+%zu)", ed->meetings.n - 1);
    if (edge_labels)
      gv_set_text(x, "label", lab.data);
    gv_set_text(x, "tooltip", tip.data);
    gv_set(x, "penwidth", ed->meetings.n > 1 ? "2" : "1");
    nkg_buf_free(&lab);
    nkg_buf_free(&tip);
  }
  free(nodes);
  char *svg = NULL;
  unsigned int len = 0;
  int rc = -1;
  if (gvLayout(gvc, g, "neato") != 0) {
    nkg_error("report: Graphviz could not lay out the network (is the "
              "neato layout plugin of libgvc installed?)");
    goto out;
  }
  if (gvRenderData(gvc, g, "svg", &svg, &len) != 0 || !svg) {
    nkg_error("report: Graphviz could not render the network as SVG");
    gvFreeLayout(gvc, g);
    goto out;
  }
  gvFreeLayout(gvc, g);
  /* drop the XML declaration, DOCTYPE and comments before <svg */
  const char *start = strstr(svg, "<svg");
  if (!start) {
    nkg_error("report: Graphviz wrote no <svg> element");
    goto out;
  }
  fwrite(start, 1, len - (size_t)(start - svg), out);
  rc = 0;
out:
  if (svg)
    gvFreeRenderData(svg);
  agclose(g);
  gvFreeContext(gvc);
  return rc;
}

/* ---- sections ------------------------------------------------------------ */

static int by_country_officials(const void *x, const void *y, void *ctx) {
  const report *r = ctx;
  size_t a = *(const size_t *)x, b = *(const size_t *)y;
  if (r->countries[a].officials != r->countries[b].officials)
    return r->countries[a].officials > r->countries[b].officials ? -1 : 1;
  return strcmp(country_name(r, a), country_name(r, b));
}

static void assign_colours(report *r) {
  size_t *order = nkg_xmalloc((r->n_countries + 1) * sizeof *order);
  for (size_t i = 0; i < r->n_countries; i++)
    order[i] = i;
  sort_idx(order, r->n_countries, r, by_country_officials);
  for (size_t i = 0; i < r->n_countries && i < N_PALETTE; i++)
    if (r->countries[order[i]].officials)
      r->countries[order[i]].colour = i;
  free(order);
}

static void write_legend(FILE *out, const report *r) {
  fputs("<ul class=\"legend\">", out);
  int other = 0;
  for (size_t i = 0; i < N_PALETTE; i++)
    for (size_t k = 0; k < r->n_countries; k++)
      if (r->countries[k].colour == i) {
        fprintf(out, "<li><span class=\"swatch c%zu\"></span>", i);
        write_filter_link(out, 'c', k, country_name(r, k));
        fputs("</li>", out);
      }
  for (size_t f = 0; f < r->n_officials; f++)
    if (r->officials[f].country == NONE ||
        r->countries[r->officials[f].country].colour == NONE)
      other = 1;
  if (other)
    fputs("<li><span class=\"swatch other\"></span>other or unknown "
          "country</li>",
          out);
  fputs("</ul>\n", out);
}

typedef struct {
  size_t res, docs;
} ranked;

static int by_docs_desc(const void *x, const void *y, void *ctx) {
  const ranked *v = ctx;
  const ranked *a = &v[*(const size_t *)x], *b = &v[*(const size_t *)y];
  if (a->docs != b->docs)
    return a->docs > b->docs ? -1 : 1;
  return a->res < b->res ? -1 : a->res > b->res;
}

/* The resources (countries or sectors) of the cells, ranked by documents;
 * returns how many and sets *out (caller frees). */
static size_t rank_cells(const report *r, int sectors, ranked **out) {
  strmap seen = {0};
  ranked *v = NULL;
  size_t n = 0, cap = 0;
  char key[32];
  for (size_t i = 0; i < r->n_cells; i++) {
    size_t res = sectors ? r->cells[i].sector : r->cells[i].country;
    snprintf(key, sizeof key, "%zu", res);
    int added;
    size_t k = strmap_find(&seen, key, 1, &added);
    if (added) {
      GROW(v, n, cap);
      v[n++] = (ranked){res, 0};
    }
    v[k].docs += r->cells[i].docs;
  }
  strmap_free(&seen);
  size_t *order = nkg_xmalloc((n + 1) * sizeof *order);
  for (size_t i = 0; i < n; i++)
    order[i] = i;
  sort_idx(order, n, v, by_docs_desc);
  ranked *sorted = nkg_xmalloc((n + 1) * sizeof *sorted);
  for (size_t i = 0; i < n; i++)
    sorted[i] = v[order[i]];
  free(order);
  free(v);
  *out = sorted;
  return n;
}

#define HEAT_ROWS 30
#define HEAT_COLS 20

static void write_cooperation(FILE *out, report *r) {
  ranked *cs, *ss;
  size_t nc = rank_cells(r, 0, &cs), ns = rank_cells(r, 1, &ss);
  fputs("<section id=\"cooperation\">\n<h2>Country cooperation</h2>\n", out);
  if (nc == 0) {
    fputs("<p class=\"note\">No country was found to cooperate in a "
          "sector.</p>\n",
          out);
  } else {
    size_t rows = nc < HEAT_ROWS ? nc : HEAT_ROWS;
    size_t cols = ns < HEAT_COLS ? ns : HEAT_COLS;
    size_t max = 1;
    for (size_t i = 0; i < r->n_cells; i++)
      if (r->cells[i].docs > max)
        max = r->cells[i].docs;
    fprintf(out,
            "<div class=\"scroll\"><table class=\"heat\">\n<caption>Articles "
            "that report a country cooperating in a sector (%zu of %zu "
            "countries, %zu of %zu sectors, the most reported)</caption>\n"
            "<thead><tr><th scope=\"col\">Country</th>",
            rows, nc, cols, ns);
    for (size_t j = 0; j < cols; j++) {
      fputs("<th scope=\"col\"><span>", out);
      esc(out, label_of(r, ss[j].res));
      fputs("</span></th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    char key[64];
    for (size_t i = 0; i < rows; i++) {
      size_t k = r->as_country[cs[i].res];
      fputs("<tr><th scope=\"row\">", out);
      if (k != NONE)
        write_filter_link(out, 'c', k, label_of(r, cs[i].res));
      else
        esc(out, label_of(r, cs[i].res));
      fputs("</th>", out);
      for (size_t j = 0; j < cols; j++) {
        snprintf(key, sizeof key, "%zu,%zu", cs[i].res, ss[j].res);
        size_t c = strmap_find(&r->cell_keys, key, 0, NULL);
        size_t d = c == NONE ? 0 : r->cells[c].docs;
        fprintf(out, "<td class=\"h%zu\">", d ? 1 + (d * 4 - 1) / max : 0);
        if (d)
          fprintf(out, "%zu", d);
        fputs("</td>", out);
      }
      fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
  }
  free(cs);
  free(ss);

  fputs("<h3 id=\"pairs\">Country pairs</h3>\n", out);
  if (r->n_pairs == 0) {
    fputs("<p class=\"note\">No two countries were found to "
          "cooperate.</p>\n",
          out);
  } else {
    fputs("<table class=\"facts sortable\" id=\"t-pairs\">\n"
          "<caption><span class=\"shown\"></span>Country pairs reported to "
          "cooperate, with the sectors both name in the same "
          "article</caption>\n"
          "<thead><tr><th scope=\"col\">Country</th><th scope=\"col\">"
          "Partner</th><th scope=\"col\">Articles</th><th scope=\"col\">"
          "Sectors (articles)</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t p = 0; p < r->n_pairs; p++) {
      pair *pr = &r->pairs[p];
      size_t ka = country_of(r, pr->a), kb = country_of(r, pr->b);
      fprintf(out, "<tr data-k=\"c%zu c%zu\"><td>", ka, kb);
      write_filter_link(out, 'c', ka, label_of(r, pr->a));
      fputs("</td><td>", out);
      write_filter_link(out, 'c', kb, label_of(r, pr->b));
      fprintf(out, "</td><td>%zu</td><td>", pr->docs);
      for (size_t s = 0; s < pr->sectors.n; s++) {
        if (s)
          fputs(", ", out);
        esc(out, label_of(r, pr->sectors.v[s]));
        fprintf(out, " (%zu)", pr->sector_docs.v[s]);
      }
      fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
  }
  fputs("</section>\n", out);
}

static void write_table_head(FILE *out, const char *id, const char *caption,
                             const char *const *cols) {
  fprintf(out,
          "<table class=\"facts sortable\" id=\"%s\">\n<caption><span "
          "class=\"shown\"></span>%s</caption>\n<thead><tr>",
          id, caption);
  for (size_t i = 0; cols[i]; i++)
    fprintf(out, "<th scope=\"col\">%s</th>", cols[i]);
  fputs("</tr></thead>\n<tbody>\n", out);
}

static void write_truncated(FILE *out, size_t shown, size_t total) {
  if (shown < total)
    fprintf(out,
            "<p class=\"note\">%zu more rows are not shown (the table "
            "stops at %zu rows; see --max-rows, or run the query of "
            "examples/queries/report-evidence.rq).</p>\n",
            total - shown, shown);
}

static int by_evidence_doc(const void *x, const void *y, void *ctx) {
  const report *r = ctx;
  const evidence *a = &r->ev[*(const size_t *)x], *b = &r->ev[*(const size_t *)y];
  int c = strcmp(str(r, r->doc_title[a->doc]), str(r, r->doc_title[b->doc]));
  if (c)
    return c;
  if (a->doc != b->doc)
    return a->doc < b->doc ? -1 : 1;
  if (a->begin != b->begin)
    return a->begin < b->begin ? -1 : 1;
  return a->s < b->s ? -1 : a->s > b->s;
}

static int by_meeting_date(const void *x, const void *y, void *ctx) {
  const report *r = ctx;
  const meeting *a = &r->meetings[*(const size_t *)x],
                *b = &r->meetings[*(const size_t *)y];
  int c = strcmp(str(r, b->date), str(r, a->date)); /* newest first */
  if (c)
    return c;
  return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

static void write_meetings(FILE *out, report *r, size_t max_rows) {
  static const char *const cols[] = {"Participants", "Date", "Place",
                                     "Evidence", "Article", "Rule", NULL};
  fputs("<h3 id=\"meetings\">Meetings</h3>\n", out);
  if (!r->n_meetings) {
    fputs("<p class=\"note\">No meetings were found.</p>\n", out);
    return;
  }
  write_table_head(out, "t-meetings", "Meetings, newest first", cols);
  for (size_t i = 0; i < r->n_ev; i++) {
    evidence *e = &r->ev[i];
    size_t m = r->as_meeting[e->s];
    if (m != NONE && (e->p == P_PARTICIPANT || e->p == P_DATE ||
                      e->p == P_PLACE))
      idx_push(&r->meetings[m].evidence, i);
  }
  size_t *order = nkg_xmalloc((r->n_meetings + 1) * sizeof *order);
  for (size_t i = 0; i < r->n_meetings; i++)
    order[i] = i;
  sort_idx(order, r->n_meetings, r, by_meeting_date);
  size_t rows = r->n_meetings < max_rows ? r->n_meetings : max_rows;
  for (size_t i = 0; i < rows; i++) {
    size_t m = order[i];
    meeting *mt = &r->meetings[m];
    fprintf(out, "<tr id=\"m-%zu\" data-k=\"", m);
    for (size_t k = 0; k < mt->participants.n; k++) {
      size_t f = mt->participants.v[k];
      fprintf(out, "%so%zu", k ? " " : "", f);
      if (r->officials[f].country != NONE)
        fprintf(out, " c%zu", r->officials[f].country);
      for (size_t j = 0; j < r->officials[f].edges.n; j++) {
        edge *ed = &r->edges[r->officials[f].edges.v[j]];
        if (ed->a == f && idx_has(&ed->meetings, m))
          fprintf(out, " e%zu", r->officials[f].edges.v[j]);
      }
    }
    fputs("\"><td>", out);
    for (size_t k = 0; k < mt->participants.n; k++) {
      size_t f = mt->participants.v[k];
      if (k)
        fputs("<br>", out);
      write_filter_link(out, 'o', f, official_name(r, f));
      if (r->officials[f].country != NONE) {
        fputs(" <small>", out);
        esc(out, country_name(r, r->officials[f].country));
        fputs("</small>", out);
      }
    }
    fputs("</td><td>", out);
    esc(out, str(r, mt->date));
    fputs("</td><td>", out);
    if (mt->place != NONE)
      esc(out, label_of(r, mt->place));
    fputs("</td><td>", out);
    /* distinct spans of its evidence: the participants' (usually one),
     * then the date's and the place's when they come from elsewhere */
    idxlist shown = {0}, rules = {0};
    size_t doc = NONE;
    for (size_t k = 0; k < mt->evidence.n; k++) {
      evidence *e = &r->ev[mt->evidence.v[k]];
      idx_add_unique(&rules, e->rule);
      if (doc == NONE)
        doc = e->doc;
      int dup = 0;
      for (size_t j = 0; j < shown.n && !dup; j++) {
        evidence *s = &r->ev[shown.v[j]];
        dup = s->begin == e->begin && s->end == e->end && s->doc == e->doc;
      }
      if (dup)
        continue;
      if (shown.n)
        fputs("<br>", out);
      if (e->p == P_DATE)
        fputs("<small>date:</small> ", out);
      else if (e->p == P_PLACE)
        fputs("<small>place:</small> ", out);
      write_span(out, r, e);
      idx_push(&shown, mt->evidence.v[k]);
    }
    fputs("</td><td>", out);
    if (doc != NONE)
      write_doc(out, r, doc);
    fputs("</td><td>", out);
    for (size_t k = 0; k < rules.n; k++) {
      if (k)
        fputs(" ", out);
      write_rule(out, r, rules.v[k]);
    }
    fputs("</td></tr>\n", out);
    free(shown.v);
    free(rules.v);
  }
  free(order);
  fputs("</tbody></table>\n", out);
  write_truncated(out, rows, r->n_meetings);
}

/* The fact table of the evidence of kinds k1 and k2. */
static void write_evidence_table(FILE *out, report *r, const char *id,
                                 const char *title, const char *caption,
                                 int k1, int k2, size_t max_rows) {
  static const char *const cols[] = {"Subject", "Fact",    "Object",
                                     "Evidence", "Article", "Rule", NULL};
  size_t *order = nkg_xmalloc((r->n_ev + 1) * sizeof *order);
  size_t n = 0;
  for (size_t i = 0; i < r->n_ev; i++)
    if (r->ev[i].p == k1 || r->ev[i].p == k2)
      order[n++] = i;
  fprintf(out, "<h3 id=\"%s\">%s</h3>\n", id, title);
  if (!n) {
    fputs("<p class=\"note\">None were found.</p>\n", out);
    free(order);
    return;
  }
  char tid[64];
  snprintf(tid, sizeof tid, "t-%s", id);
  write_table_head(out, tid, caption, cols);
  sort_idx(order, n, r, by_evidence_doc);
  size_t rows = n < max_rows ? n : max_rows;
  for (size_t i = 0; i < rows; i++) {
    evidence *e = &r->ev[order[i]];
    size_t fs = r->as_official[e->s], cs = r->as_country[e->s];
    size_t co = r->as_country[e->o];
    fputs("<tr data-k=\"", out);
    if (fs != NONE) {
      fprintf(out, "o%zu", fs);
      if (r->officials[fs].country != NONE)
        fprintf(out, " c%zu", r->officials[fs].country);
    }
    if (cs != NONE)
      fprintf(out, "%sc%zu", fs != NONE ? " " : "", cs);
    if (co != NONE && (e->p == P_COOP_WITH || e->p == P_REPRESENTS))
      fprintf(out, " c%zu", co);
    fputs("\"><td>", out);
    if (fs != NONE)
      write_filter_link(out, 'o', fs, official_name(r, fs));
    else if (cs != NONE)
      write_filter_link(out, 'c', cs, label_of(r, e->s));
    else
      esc(out, label_of(r, e->s));
    static const char *const verbs[] = {
        [P_OTHER] = "",           [P_PARTICIPANT] = "took part",
        [P_DATE] = "date",        [P_PLACE] = "place",
        [P_HOLDS] = "holds",      [P_REPRESENTS] = "represents",
        [P_COOP_WITH] = "cooperates with",
        [P_COOP_IN] = "cooperates in",
        [P_MET] = "met"};
    fprintf(out, "</td><td>%s</td><td>", verbs[e->p]);
    if (co != NONE)
      write_filter_link(out, 'c', co, label_of(r, e->o));
    else
      esc(out, label_of(r, e->o));
    fputs("</td><td>", out);
    write_span(out, r, e);
    fputs("</td><td>", out);
    write_doc(out, r, e->doc);
    fputs("</td><td>", out);
    write_rule(out, r, e->rule);
    fputs("</td></tr>\n", out);
  }
  free(order);
  fputs("</tbody></table>\n", out);
  write_truncated(out, rows, n);
}

/* ---- the page ------------------------------------------------------------ */

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Helvetica,"
    "Arial,sans-serif;margin:0 auto;max-width:1400px;padding:0 1.2em 3em;"
    "color:#222;background:#fff}\n"
    "h1{margin:.6em 0 .1em}h2{margin-top:1.6em;border-bottom:1px solid "
    "#ccc}\n"
    "nav a{margin-right:1em}.note{color:#666;font-style:italic}\n"
    ".graph{border:1px solid #ddd;border-radius:4px;overflow:auto;"
    "max-height:80vh}\n"
    ".graph svg{display:block;max-width:100%;height:auto;margin:auto}\n"
    ".graph g.node,.graph g.edge{cursor:pointer}\n"
    ".graph g.sel polygon,.graph g.sel path{stroke:#d00;stroke-width:3}\n"
    ".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;"
    "gap:.3em 1.2em}\n"
    ".swatch{display:inline-block;width:.9em;height:.9em;border:1px solid "
    "#888;border-radius:2px;margin-right:.3em;vertical-align:-.1em}\n"
    ".swatch.other{background:" OTHER_COLOUR "}\n"
    ".swatch.c0{background:#8dd3c7}.swatch.c1{background:#ffffb3}"
    ".swatch.c2{background:#bebada}.swatch.c3{background:#fb8072}"
    ".swatch.c4{background:#80b1d3}.swatch.c5{background:#fdb462}"
    ".swatch.c6{background:#b3de69}.swatch.c7{background:#fccde5}"
    ".swatch.c8{background:#bc80bd}.swatch.c9{background:#ccebc5}"
    ".swatch.c10{background:#ffed6f}.swatch.c11{background:#a6cee3}\n"
    "table{border-collapse:collapse;margin:.5em 0 1em}\n"
    "caption{text-align:left;color:#555;padding:.3em 0}\n"
    "th,td{border:1px solid #ddd;padding:.25em .5em;vertical-align:top;"
    "text-align:left}\n"
    "thead th{background:#f4f4f4;position:sticky;top:0}\n"
    "table.sortable thead th{cursor:pointer;user-select:none}\n"
    "table.sortable thead th[aria-sort=ascending]::after{content:\" \\25B2\"}"
    "\ntable.sortable thead th[aria-sort=descending]::after{content:\" "
    "\\25BC\"}\n"
    "table.facts{width:100%}\n"
    "mark{background:#ffe066;padding:0 .1em}\n"
    "q{quotes:none}cite{font-style:normal}code{font-size:.85em;color:#555}\n"
    ".scroll{overflow-x:auto}\n"
    ".heat td{text-align:center;min-width:1.8em}\n"
    ".heat thead th span{writing-mode:vertical-rl;transform:rotate(180deg);"
    "white-space:nowrap}\n"
    ".h1{background:#deebf7}.h2{background:#9ecae1}.h3{background:#4292c6;"
    "color:#fff}.h4{background:#08519c;color:#fff}\n"
    "#filterbar{position:sticky;top:0;background:#fff;padding:.5em 0;"
    "z-index:1;border-bottom:1px solid #eee}\n"
    "#filterbar input{font:inherit;padding:.2em .4em;width:20em}\n"
    "#filter-status{margin-left:1em;font-weight:bold}\n";

/* Our own script: sorting, filtering and click-to-filter. It reads the page
 * only; no graph data is written into it. */
static const char script[] =
    "(function () {\n"
    "  'use strict';\n"
    "  var key = null, keyName = '';\n"
    "  var input = document.getElementById('filter');\n"
    "  var status = document.getElementById('filter-status');\n"
    "  var clear = document.getElementById('filter-clear');\n"
    "  var tables = Array.prototype.slice.call(\n"
    "    document.querySelectorAll('table.facts'));\n"
    "  function apply() {\n"
    "    var text = input.value.trim().toLowerCase();\n"
    "    tables.forEach(function (t) {\n"
    "      var rows = t.tBodies[0].rows, shown = 0;\n"
    "      for (var i = 0; i < rows.length; i++) {\n"
    "        var tr = rows[i];\n"
    "        var keys = ' ' + (tr.getAttribute('data-k') || '') + ' ';\n"
    "        var ok = (!key || keys.indexOf(' ' + key + ' ') >= 0) &&\n"
    "          (!text || tr.textContent.toLowerCase().indexOf(text) >= 0);\n"
    "        tr.hidden = !ok;\n"
    "        if (ok) shown++;\n"
    "      }\n"
    "      var c = t.querySelector('caption .shown');\n"
    "      if (c) c.textContent = (key || text) ?\n"
    "        shown + ' of ' + rows.length + ' shown. ' : '';\n"
    "    });\n"
    "    status.textContent = key ? 'Facts of ' + keyName : '';\n"
    "    clear.hidden = !key && !text;\n"
    "    var sel = document.querySelectorAll('.graph g.sel');\n"
    "    for (var i = 0; i < sel.length; i++) sel[i].classList.remove('sel');\n"
    "    var g = key && document.getElementById('g-' + key);\n"
    "    if (g) g.classList.add('sel');\n"
    "  }\n"
    "  function select(k, name) {\n"
    "    key = k;\n"
    "    keyName = name;\n"
    "    apply();\n"
    "    document.getElementById('facts').scrollIntoView();\n"
    "  }\n"
    "  document.addEventListener('click', function (ev) {\n"
    "    var t = ev.target;\n"
    "    if (!t.closest) return;\n"
    "    var g = t.closest('.graph g.node, .graph g.edge');\n"
    "    if (g && g.id.indexOf('g-') === 0) {\n"
    "      ev.preventDefault();\n"
    "      var title = g.querySelector('a');\n"
    "      var name = title ? (title.getAttribute('xlink:title') ||\n"
    "        title.getAttribute('title') || '') : '';\n"
    "      select(g.id.slice(2), name.split(':')[0]);\n"
    "      return;\n"
    "    }\n"
    "    var a = t.closest('[data-key]');\n"
    "    if (a) {\n"
    "      ev.preventDefault();\n"
    "      select(a.getAttribute('data-key'), a.textContent);\n"
    "      return;\n"
    "    }\n"
    "    var th = t.closest('table.sortable thead th');\n"
    "    if (th) sortBy(th);\n"
    "  });\n"
    "  function cellValue(tr, i) {\n"
    "    var c = tr.cells[i];\n"
    "    return c ? c.textContent.trim() : '';\n"
    "  }\n"
    "  function sortBy(th) {\n"
    "    var table = th.closest('table'), i = th.cellIndex;\n"
    "    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;\n"
    "    var ths = th.parentNode.cells;\n"
    "    for (var k = 0; k < ths.length; k++) "
    "ths[k].removeAttribute('aria-sort');\n"
    "    th.setAttribute('aria-sort', dir > 0 ? 'ascending' : "
    "'descending');\n"
    "    var body = table.tBodies[0];\n"
    "    var rows = Array.prototype.slice.call(body.rows);\n"
    "    rows.sort(function (a, b) {\n"
    "      var x = cellValue(a, i), y = cellValue(b, i);\n"
    "      var nx = parseFloat(x), ny = parseFloat(y);\n"
    "      var c = (!isNaN(nx) && !isNaN(ny) && String(nx) === x &&\n"
    "        String(ny) === y) ? nx - ny : x.localeCompare(y);\n"
    "      return c * dir;\n"
    "    });\n"
    "    rows.forEach(function (r) { body.appendChild(r); });\n"
    "  }\n"
    "  input.addEventListener('input', apply);\n"
    "  clear.addEventListener('click', function () {\n"
    "    key = null;\n"
    "    input.value = '';\n"
    "    apply();\n"
    "  });\n"
    "  apply();\n"
    "})();\n";

static int run_queries(report *r) {
  static const struct {
    const char *name, *text;
    size_t ncols;
    row_fn fn;
  } queries[] = {
      {"report-labels.rq", nkg_report_query_labels, 2, on_label},
      {"report-documents.rq", nkg_report_query_documents, 3, on_document},
      {"report-officials.rq", nkg_report_query_officials, 4, on_official},
      {"report-meetings.rq", nkg_report_query_meetings, 4, on_meeting},
      {"report-evidence.rq", nkg_report_query_evidence, 10, on_evidence},
      {"report-sentences.rq", nkg_report_query_sentences, 3, on_sentence},
  };
  size_t n = sizeof queries / sizeof queries[0];
  nkg_progress *p = nkg_progress_new("report", "queries", n, r->o->progress);
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    rc = run_select(r, queries[i].name, queries[i].text, queries[i].ncols,
                    queries[i].fn);
    nkg_progress_add(p, 1);
  }
  nkg_progress_end(p);
  return rc;
}

static void report_free(report *r) {
  strmap_free(&r->iris);
  strmap_free(&r->strings);
  strmap_free(&r->edge_keys);
  strmap_free(&r->cell_keys);
  strmap_free(&r->pair_keys);
  nkg_byteset_free(&r->seen);
  free(r->label);
  free(r->doc_title);
  free(r->doc_source);
  free(r->sent_text);
  free(r->sent_begin);
  free(r->as_evidence);
  free(r->as_official);
  free(r->as_country);
  free(r->as_meeting);
  for (size_t i = 0; i < r->n_officials; i++) {
    free(r->officials[i].positions.v);
    free(r->officials[i].edges.v);
  }
  free(r->officials);
  free(r->official_iri);
  free(r->countries);
  free(r->country_iri);
  for (size_t i = 0; i < r->n_meetings; i++) {
    free(r->meetings[i].participants.v);
    free(r->meetings[i].evidence.v);
  }
  free(r->meetings);
  free(r->meeting_iri);
  for (size_t i = 0; i < r->n_edges; i++)
    free(r->edges[i].meetings.v);
  free(r->edges);
  free(r->ev);
  free(r->cells);
  for (size_t i = 0; i < r->n_pairs; i++) {
    free(r->pairs[i].sectors.v);
    free(r->pairs[i].sector_docs.v);
  }
  free(r->pairs);
}

int nkg_report_write(librdf_world *world, librdf_model *model,
                     const nkg_report_options *o, FILE *out) {
  report r;
  memset(&r, 0, sizeof r);
  r.world = world;
  r.model = model;
  r.o = o;
  int rc = -1;
  if (run_queries(&r) != 0)
    goto done;
  check_evidence(&r);
  build_edges(&r);
  build_cooperation(&r);
  assign_colours(&r);
  size_t max_rows = o->max_rows ? o->max_rows : NKG_REPORT_MAX_ROWS;
  const char *title = o->title ? o->title : "newskg report";

  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"newskg " PACKAGE_VERSION "\">\n"
        "<title>",
        out);
  esc(out, title);
  fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>",
          style);
  esc(out, title);
  size_t n_meetings_shown = 0, n_officials_shown = 0, n_edges_shown = 0;
  fprintf(out,
          "</h1>\n<p>%zu articles, %zu officials, %zu meetings, %zu country "
          "pairs, %zu facts with evidence. Written by newskg " PACKAGE_VERSION
          " from the queries of examples/queries/report-*.rq.</p>\n"
          "<nav><a href=\"#network\">Meeting network</a><a "
          "href=\"#cooperation\">Country cooperation</a><a "
          "href=\"#meetings\">Meetings</a><a href=\"#positions\">Positions</a>"
          "<a href=\"#cooperation-facts\">Cooperation facts</a></nav>\n"
          "</header>\n<main>\n",
          r.n_documents, r.n_officials, r.n_meetings, r.n_pairs, r.n_ev);
  fputs("<section id=\"network\">\n<h2>Meeting network</h2>\n<p>Officials "
        "(coloured by the country they represent) and the meetings between "
        "them, labelled with date and place. Click an official or a meeting "
        "to see its facts.</p>\n",
        out);
  write_legend(out, &r);
  fputs("<div class=\"graph\">\n", out);
  /* the network goes to a buffer first: its note comes before it */
  char *svg = NULL;
  size_t svg_len = 0;
  FILE *mem = open_memstream(&svg, &svg_len);
  if (!mem) {
    nkg_error("report: out of memory");
    goto done;
  }
  int net = write_network(mem, &r, &n_officials_shown, &n_edges_shown);
  if (fclose(mem) != 0 || net != 0) {
    if (net == 0)
      nkg_error("report: out of memory");
    free(svg);
    goto done;
  }
  fwrite(svg, 1, svg_len, out);
  free(svg);
  fputs("</div>\n", out);
  for (size_t e = 0; e < r.n_edges; e++)
    if (r.officials[r.edges[e].a].shown && r.officials[r.edges[e].b].shown)
      n_meetings_shown += r.edges[e].meetings.n;
  if (n_officials_shown < r.n_officials)
    fprintf(out,
            "<p class=\"note\" id=\"network-note\">The network shows the "
            "%zu most connected of %zu officials and the %zu pairs that met "
            "among them; %zu officials and %zu pairs are left out (see "
            "--max-officials). The tables below list every fact.</p>\n",
            n_officials_shown, r.n_officials, n_edges_shown,
            r.n_officials - n_officials_shown, r.n_edges - n_edges_shown);
  fputs("</section>\n", out);

  write_cooperation(out, &r);

  fputs("<section id=\"facts\">\n<h2>Facts and their evidence</h2>\n"
        "<p>Each fact with the sentence it was read from (the text the rule "
        "matched is highlighted), the article and the rule. Click a column "
        "heading to sort, a name to filter.</p>\n"
        "<p id=\"filterbar\"><label>Filter: <input type=\"search\" "
        "id=\"filter\" placeholder=\"text in any column\"></label>"
        "<span id=\"filter-status\"></span> <button type=\"button\" "
        "id=\"filter-clear\" hidden>Show all</button></p>\n",
        out);
  write_meetings(out, &r, max_rows);
  write_evidence_table(out, &r, "positions", "Positions",
                       "Positions held and countries represented", P_HOLDS,
                       P_REPRESENTS, max_rows);
  write_evidence_table(out, &r, "cooperation-facts", "Cooperation",
                       "Countries that cooperate, and the sectors they "
                       "cooperate in",
                       P_COOP_WITH, P_COOP_IN, max_rows);
  fprintf(out, "</section>\n</main>\n<script>\n%s</script>\n</body>\n</html>\n",
          script);
  rc = 0;
done:
  report_free(&r);
  return rc;
}
