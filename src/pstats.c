/* pstats.c: see pstats.h. */
#include "config.h"

#include "pstats.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
  char *iri;
  size_t len;
  uint64_t hash;
  nkg_pstat v;
} entry;

/* A set of 64-bit keys (open addressing; 0 is stored as 1). */
typedef struct {
  uint64_t *slot;
  size_t nslot, n;
} u64set;

struct nkg_pstats {
  entry *e; /* predicates */
  size_t n, cap;
  size_t *slot; /* index into e + 1, 0 when empty */
  size_t nslot;
  size_t last;  /* index + 1 of the entry counted last: statements come in
                   runs of one predicate, and a compare costs less than a
                   hash */
  nkg_pstat total;
  u64set seen; /* (predicate, subject or object) pairs counted */
  struct nkg_pstats *classes; /* members by class, in .triples */
};

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= UINT64_C(0xff51afd7ed558ccd);
  x ^= x >> 33;
  x *= UINT64_C(0xc4ceb9fe1a85ec53);
  x ^= x >> 33;
  return x;
}

/* Adds k; 1 when it was new. */
static int u64set_add(u64set *s, uint64_t k) {
  if (!k) k = 1;
  if ((s->n + 1) * 2 > s->nslot) {
    size_t ns = s->nslot ? s->nslot * 2 : 1024;
    uint64_t *sl = nkg_xcalloc(ns, sizeof *sl);
    for (size_t i = 0; i < s->nslot; i++) {
      if (!s->slot[i]) continue;
      size_t j = (size_t)mix(s->slot[i]) & (ns - 1);
      while (sl[j]) j = (j + 1) & (ns - 1);
      sl[j] = s->slot[i];
    }
    free(s->slot);
    s->slot = sl;
    s->nslot = ns;
  }
  size_t j = (size_t)mix(k) & (s->nslot - 1);
  while (s->slot[j]) {
    if (s->slot[j] == k) return 0;
    j = (j + 1) & (s->nslot - 1);
  }
  s->slot[j] = k;
  s->n++;
  return 1;
}

nkg_pstats *nkg_pstats_new(void) { return nkg_xcalloc(1, sizeof(nkg_pstats)); }

void nkg_pstats_free(nkg_pstats *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) free(s->e[i].iri);
  free(s->e);
  free(s->slot);
  free(s->seen.slot);
  nkg_pstats_free(s->classes);
  free(s);
}

/* The slot of p: holding it, or the empty one where it would go. */
static size_t find_slot(const nkg_pstats *s, const char *p, size_t plen,
                        uint64_t h) {
  size_t j = (size_t)h & (s->nslot - 1);
  while (s->slot[j]) {
    const entry *e = &s->e[s->slot[j] - 1];
    if (e->hash == h && e->len == plen && !memcmp(e->iri, p, plen)) break;
    j = (j + 1) & (s->nslot - 1);
  }
  return j;
}

/* The entry of p, made when missing. */
static entry *get_entry(nkg_pstats *s, const char *p, size_t plen) {
  uint64_t h = nkg_hash64(p, plen, NKG_HASH_SEED);
  if ((s->n + 1) * 2 > s->nslot) {
    size_t ns = s->nslot ? s->nslot * 2 : 64;
    free(s->slot);
    s->slot = nkg_xcalloc(ns, sizeof *s->slot);
    s->nslot = ns;
    for (size_t i = 0; i < s->n; i++)
      s->slot[find_slot(s, s->e[i].iri, s->e[i].len, s->e[i].hash)] = i + 1;
  }
  size_t j = find_slot(s, p, plen, h);
  if (s->slot[j]) return &s->e[s->slot[j] - 1];
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 32;
    s->e = nkg_xrealloc(s->e, s->cap * sizeof *s->e);
  }
  entry *e = &s->e[s->n];
  memset(e, 0, sizeof *e);
  e->iri = nkg_xstrndup(p, plen);
  e->len = plen;
  e->hash = h;
  s->slot[j] = ++s->n;
  return e;
}

static void count_class(nkg_pstats *s, const char *c, size_t clen) {
  if (!s->classes) s->classes = nkg_pstats_new();
  get_entry(s->classes, c, clen)->v.triples++;
}

void nkg_pstats_count(nkg_pstats *s, const char *p, size_t plen,
                      uint64_t subject, uint64_t object, const char *cls,
                      size_t clen) {
  if (cls && plen == sizeof NKG_PSTATS_RDF_TYPE - 1 &&
      !memcmp(p, NKG_PSTATS_RDF_TYPE, plen))
    count_class(s, cls, clen);
  entry *e = s->last ? &s->e[s->last - 1] : NULL;
  if (!e || e->len != plen || memcmp(e->iri, p, plen)) {
    e = get_entry(s, p, plen);
    s->last = (size_t)(e - s->e) + 1;
  }
  /* the pair (predicate, term); subjects and objects are told apart by a
   * salt */
  uint64_t who = s->last;
  e->v.triples++;
  if (u64set_add(&s->seen, mix(subject ^ mix(who * 2)))) {
    e->v.subjects++;
    if (e->v.subjects > s->total.subjects) s->total.subjects = e->v.subjects;
  }
  if (u64set_add(&s->seen, mix(object ^ mix(who * 2 + 1)))) {
    e->v.objects++;
    if (e->v.objects > s->total.objects) s->total.objects = e->v.objects;
  }
  s->total.triples++;
}

void nkg_pstats_set(nkg_pstats *s, const char *p, size_t plen,
                    const nkg_pstat *v) {
  if (!p)
    s->total = *v;
  else
    get_entry(s, p, plen)->v = *v;
}

const nkg_pstat *nkg_pstats_get(const nkg_pstats *s, const char *p,
                                size_t plen) {
  if (!s->nslot) return NULL;
  size_t j = find_slot(s, p, plen, nkg_hash64(p, plen, NKG_HASH_SEED));
  return s->slot[j] ? &s->e[s->slot[j] - 1].v : NULL;
}

const nkg_pstat *nkg_pstats_total(const nkg_pstats *s) { return &s->total; }

size_t nkg_pstats_predicates(const nkg_pstats *s) { return s->n; }

void nkg_pstats_set_class(nkg_pstats *s, const char *c, size_t clen,
                          double members) {
  if (!s->classes) s->classes = nkg_pstats_new();
  get_entry(s->classes, c, clen)->v.triples = members;
}

double nkg_pstats_class(const nkg_pstats *s, const char *c, size_t clen) {
  if (!s->classes) return -1;
  const nkg_pstat *v = nkg_pstats_get(s->classes, c, clen);
  return v ? v->triples : 0;
}

const nkg_pstat *nkg_pstats_nth(const nkg_pstats *s, size_t i,
                                const char **iri, size_t *len) {
  *iri = s->e[i].iri;
  *len = s->e[i].len;
  return &s->e[i].v;
}

size_t nkg_pstats_classes(const nkg_pstats *s) {
  return s->classes ? s->classes->n : 0;
}

const nkg_pstat *nkg_pstats_nth_class(const nkg_pstats *s, size_t i,
                                      const char **iri, size_t *len) {
  return nkg_pstats_nth(s->classes, i, iri, len);
}
