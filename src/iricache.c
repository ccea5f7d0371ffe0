/* iricache.c: an open-addressing hash table (linear probing, at most half
 * full) from IRI strings to raptor terms. The string of an entry is the
 * term's own URI string, so nothing is copied. */
#include "iricache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
  uint64_t hash;
  raptor_term *term; /* NULL: empty slot */
  const unsigned char *str; /* the term's URI string, and its length: */
  size_t len;               /* compared without a call into raptor */
} entry;

struct nkg_iri_cache {
  raptor_world *world;
  entry *slots;
  size_t cap; /* a power of two, or 0 */
  size_t n;
};

nkg_iri_cache *nkg_iri_cache_new(raptor_world *world) {
  nkg_iri_cache *c = nkg_xcalloc(1, sizeof *c);
  c->world = world;
  return c;
}

void nkg_iri_cache_clear(nkg_iri_cache *c) {
  if (!c->n)
    return;
  for (size_t i = 0; i < c->cap; i++)
    if (c->slots[i].term) {
      raptor_free_term(c->slots[i].term);
      c->slots[i].term = NULL;
    }
  c->n = 0;
}

void nkg_iri_cache_free(nkg_iri_cache *c) {
  if (!c)
    return;
  nkg_iri_cache_clear(c);
  free(c->slots);
  free(c);
}

/* Doubles the table (or makes the first one) and re-inserts the terms. */
static void grow(nkg_iri_cache *c) {
  size_t cap = c->cap ? c->cap * 2 : 256;
  entry *slots = nkg_xcalloc(cap, sizeof *slots);
  for (size_t i = 0; i < c->cap; i++) {
    if (!c->slots[i].term)
      continue;
    size_t k = (size_t)c->slots[i].hash & (cap - 1);
    while (slots[k].term)
      k = (k + 1) & (cap - 1);
    slots[k] = c->slots[i];
  }
  free(c->slots);
  c->slots = slots;
  c->cap = cap;
}

/* The hash of an IRI: its length and its last 16 bytes. newskg's IRIs
 * share long prefixes (the base, the kind) and differ at the end (a slug,
 * a hash, a sentence number), and hashing the whole string was 4% of
 * extract; a collision costs a string comparison, never a wrong term. The
 * bytes are mixed 8 at a time (FNV-1a, a byte at a time, was still 3%):
 * the hash only places entries in this table, it names nothing. Sixteen
 * bytes hold an evidence IRI's 16 hex digits, or a sentence number and
 * the end of its document's hash; 32 cost 4.9M instructions more over the
 * 300 real articles of tests/eval. */
static uint64_t iri_hash(const char *iri, size_t len) {
  const uint64_t k = UINT64_C(0x9E3779B97F4A7C15);
  size_t from = len > 16 ? len - 16 : 0;
  const char *p = iri + from;
  size_t n = len - from;
  uint64_t h = (uint64_t)len * k, w;
  for (; n >= 8; p += 8, n -= 8) {
    memcpy(&w, p, 8);
    h = (h ^ w) * k;
    h ^= h >> 29;
  }
  w = 0;
  memcpy(&w, p, n);
  h = (h ^ w) * k;
  return h ^ (h >> 32);
}

raptor_term *nkg_iri_cache_term(nkg_iri_cache *c, const char *iri,
                                size_t len) {
  uint64_t h = iri_hash(iri, len);
  if (2 * (c->n + 1) > c->cap)
    grow(c);
  size_t k = (size_t)h & (c->cap - 1);
  for (; c->slots[k].term; k = (k + 1) & (c->cap - 1)) {
    const entry *e = &c->slots[k];
    if (e->hash == h && e->len == len && !memcmp(e->str, iri, len))
      return raptor_term_copy(e->term);
  }
  raptor_term *t =
      raptor_new_term_from_counted_uri_string(c->world,
                                              (const unsigned char *)iri, len);
  if (!t)
    return NULL;
  raptor_term *copy = raptor_term_copy(t);
  if (!copy) {
    raptor_free_term(t);
    return NULL;
  }
  size_t n;
  const unsigned char *str = raptor_uri_as_counted_string(t->value.uri, &n);
  c->slots[k] = (entry){h, t, str, n};
  c->n++;
  return copy;
}

size_t nkg_iri_cache_size(const nkg_iri_cache *c) { return c->n; }

size_t nkg_iri_cache_list(const nkg_iri_cache *c, raptor_term **out) {
  size_t k = 0;
  for (size_t i = 0; i < c->cap; i++)
    if (c->slots[i].term)
      out[k++] = c->slots[i].term;
  return k;
}
