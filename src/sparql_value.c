/* sparql_value.c: see sparql_value.h.
 *
 * Terms live in pages of fixed size, so a pointer from nkg_terms_get()
 * stays valid while the table grows; their strings live in an arena of
 * chunks that never move. One open-addressing table maps (kind, lex, lang,
 * dt) to ids. Language tags and datatype IRIs are interned as atoms, so
 * equal tags or datatypes are the same pointer and the term table compares
 * them by address. */
#include "sparql_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PAGE_BITS 10
#define PAGE_SIZE (1u << PAGE_BITS)
#define CHUNK_SIZE 65536

#define XSD_STRING "http://www.w3.org/2001/XMLSchema#string"
#define RDF_LANGSTRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

/* Strings are copied into chunks of at least CHUNK_SIZE bytes. */
typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  char data[];
} chunk;

/* A set of interned strings (language tags, datatype IRIs). */
typedef struct {
  const char **slots;
  uint64_t *hashes;
  size_t nslots, n;
} atoms;

/* raptor_uri pointer -> id, for librdf IRIs: raptor interns its URIs, so a
 * pointer we hold a reference to names one IRI for as long as we hold it. */
typedef struct {
  librdf_uri **keys;
  nkg_tid *vals;
  size_t nslots, n;
} uricache;

struct nkg_terms {
  nkg_term **pages;
  librdf_node ***nodes; /* per page: cached librdf nodes, or NULL */
  size_t npages;
  nkg_tid count; /* ids 1..count are in use */
  nkg_tid *slots; /* open addressing over terms: id, 0 when empty */
  size_t nslots;
  chunk *chunks;
  atoms langs, dts;
  uricache uris;
  librdf_world *world; /* of the cached nodes */
  unsigned long fresh;
  const char *rdf_langstring; /* the atom */
};

static char *arena_copy(nkg_terms *t, const char *s, size_t len) {
  chunk *c = t->chunks;
  if (!c || c->cap - c->used < len + 1) {
    size_t cap = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;
    c = nkg_xmalloc(sizeof *c + cap);
    c->cap = cap;
    c->used = 0;
    c->next = t->chunks;
    t->chunks = c;
  }
  char *p = c->data + c->used;
  if (len)
    memcpy(p, s, len);
  p[len] = '\0';
  c->used += len + 1;
  return p;
}

static uint64_t hash_bytes(const char *s, size_t n) {
  return nkg_hash64(s, n, NKG_HASH_SEED);
}

/* Finds s in the atom set; with t, inserts it when missing. lower: compare
 * and store ASCII-lower-cased (language tags). */
static const char *atom(nkg_terms *t, atoms *a, const char *s, int lower,
                        int insert) {
  size_t n = strlen(s);
  char buf[256];
  char *tmp = NULL;
  const char *key = s;
  if (lower) {
    tmp = n < sizeof buf ? buf : nkg_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
      char c = s[i];
      tmp[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    tmp[n] = '\0';
    key = tmp;
  }
  uint64_t h = hash_bytes(key, n);
  const char *found = NULL;
  if (a->nslots) {
    size_t mask = a->nslots - 1;
    for (size_t i = (size_t)h & mask; a->slots[i]; i = (i + 1) & mask) {
      if (a->hashes[i] == h && strcmp(a->slots[i], key) == 0) {
        found = a->slots[i];
        break;
      }
    }
  }
  if (!found && insert) {
    if ((a->n + 1) * 2 > a->nslots) {
      size_t ns = a->nslots ? a->nslots * 2 : 16;
      const char **slots = nkg_xcalloc(ns, sizeof *slots);
      uint64_t *hashes = nkg_xcalloc(ns, sizeof *hashes);
      for (size_t i = 0; i < a->nslots; i++) {
        if (!a->slots[i])
          continue;
        size_t j = (size_t)a->hashes[i] & (ns - 1);
        while (slots[j])
          j = (j + 1) & (ns - 1);
        slots[j] = a->slots[i];
        hashes[j] = a->hashes[i];
      }
      free(a->slots);
      free(a->hashes);
      a->slots = slots;
      a->hashes = hashes;
      a->nslots = ns;
    }
    size_t j = (size_t)h & (a->nslots - 1);
    while (a->slots[j])
      j = (j + 1) & (a->nslots - 1);
    found = a->slots[j] = arena_copy(t, key, n);
    a->hashes[j] = h;
    a->n++;
  }
  if (tmp && tmp != buf)
    free(tmp);
  return found;
}

static void atoms_free(atoms *a) {
  free(a->slots);
  free(a->hashes);
}

nkg_terms *nkg_terms_new(void) {
  nkg_terms *t = nkg_xcalloc(1, sizeof *t);
  t->rdf_langstring = atom(t, &t->dts, RDF_LANGSTRING, 0, 1);
  return t;
}

void nkg_terms_free(nkg_terms *t) {
  if (!t)
    return;
  for (size_t p = 0; p < t->npages; p++) {
    if (t->nodes[p]) {
      for (size_t i = 0; i < PAGE_SIZE; i++)
        if (t->nodes[p][i])
          librdf_free_node(t->nodes[p][i]);
      free(t->nodes[p]);
    }
    free(t->pages[p]);
  }
  free(t->pages);
  free(t->nodes);
  free(t->slots);
  for (size_t i = 0; i < t->uris.nslots; i++)
    if (t->uris.keys[i])
      librdf_free_uri(t->uris.keys[i]);
  free(t->uris.keys);
  free(t->uris.vals);
  atoms_free(&t->langs);
  atoms_free(&t->dts);
  while (t->chunks) {
    chunk *c = t->chunks;
    t->chunks = c->next;
    free(c);
  }
  free(t);
}

/* The term hash mixes the lexical form's hash with the kind and the
 * addresses of the interned tag and datatype (fixed for the table's life). */
static uint64_t term_hash(nkg_term_kind kind, uint64_t lexhash,
                          const char *lang, const char *dt) {
  uint64_t h = lexhash ^ ((uint64_t)kind * UINT64_C(0x9e3779b97f4a7c15));
  h ^= (uint64_t)(uintptr_t)lang * UINT64_C(0xff51afd7ed558ccd);
  h ^= (uint64_t)(uintptr_t)dt * UINT64_C(0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  h *= UINT64_C(0xff51afd7ed558ccd);
  h ^= h >> 33;
  return h;
}

const nkg_term *nkg_terms_get(const nkg_terms *t, nkg_tid id) {
  return &t->pages[id >> PAGE_BITS][id & (PAGE_SIZE - 1)];
}

static nkg_tid lookup(const nkg_terms *t, nkg_term_kind kind, const char *lex,
                      size_t len, const char *lang, const char *dt,
                      uint64_t h, size_t *slot) {
  if (!t->nslots) {
    *slot = 0;
    return 0;
  }
  size_t mask = t->nslots - 1;
  size_t i = (size_t)h & mask;
  for (; t->slots[i]; i = (i + 1) & mask) {
    const nkg_term *e = nkg_terms_get(t, t->slots[i]);
    if (e->hash == h && e->kind == kind && e->len == len && e->lang == lang &&
        e->dt == dt && memcmp(e->lex, lex, len) == 0)
      return t->slots[i];
  }
  *slot = i;
  return 0;
}

static void grow_slots(nkg_terms *t) {
  size_t ns = t->nslots ? t->nslots * 2 : 1024;
  nkg_tid *slots = nkg_xcalloc(ns, sizeof *slots);
  for (size_t i = 0; i < t->nslots; i++) {
    nkg_tid id = t->slots[i];
    if (!id)
      continue;
    size_t j = (size_t)nkg_terms_get(t, id)->hash & (ns - 1);
    while (slots[j])
      j = (j + 1) & (ns - 1);
    slots[j] = id;
  }
  free(t->slots);
  t->slots = slots;
  t->nslots = ns;
}

/* Normalises lang/dt of a literal into atoms; insert: create missing atoms.
 * Returns 0 when (without insert) an atom is missing. */
static int norm_lit(nkg_terms *t, nkg_term_kind kind, const char **lang,
                    const char **dt, int insert) {
  if (kind != NKG_T_LIT) {
    *lang = *dt = NULL;
    return 1;
  }
  if (*lang && **lang) {
    *lang = atom(t, &t->langs, *lang, 1, insert);
    if (!*lang)
      return 0;
    *dt = t->rdf_langstring;
    return 1;
  }
  *lang = NULL;
  if (*dt && strcmp(*dt, XSD_STRING) == 0)
    *dt = NULL;
  if (*dt) {
    *dt = atom(t, &t->dts, *dt, 0, insert);
    if (!*dt)
      return 0;
  }
  return 1;
}

nkg_tid nkg_terms_intern(nkg_terms *t, nkg_term_kind kind, const char *lex,
                         size_t len, const char *lang, const char *dt) {
  norm_lit(t, kind, &lang, &dt, 1);
  uint64_t h = term_hash(kind, hash_bytes(lex, len), lang, dt);
  size_t slot;
  nkg_tid id = lookup(t, kind, lex, len, lang, dt, h, &slot);
  if (id)
    return id;
  if ((size_t)(t->count + 2) * 2 > t->nslots) {
    grow_slots(t);
    lookup(t, kind, lex, len, lang, dt, h, &slot);
  }
  id = ++t->count;
  if ((id >> PAGE_BITS) >= t->npages) {
    size_t np = t->npages + 1;
    t->pages = nkg_xrealloc(t->pages, np * sizeof *t->pages);
    t->nodes = nkg_xrealloc(t->nodes, np * sizeof *t->nodes);
    t->pages[t->npages] = nkg_xcalloc(PAGE_SIZE, sizeof(nkg_term));
    t->nodes[t->npages] = NULL;
    t->npages = np;
  }
  nkg_term *e = &t->pages[id >> PAGE_BITS][id & (PAGE_SIZE - 1)];
  e->kind = kind;
  e->lex = arena_copy(t, lex, len);
  e->len = len;
  e->lang = lang;
  e->dt = dt;
  e->hash = h;
  t->slots[slot] = id;
  return id;
}

nkg_tid nkg_terms_find(const nkg_terms *t, nkg_term_kind kind,
                       const char *lex, size_t len, const char *lang,
                       const char *dt) {
  /* atom() with insert == 0 does not modify the table */
  if (!norm_lit((nkg_terms *)t, kind, &lang, &dt, 0))
    return 0;
  uint64_t h = term_hash(kind, hash_bytes(lex, len), lang, dt);
  size_t slot;
  return lookup(t, kind, lex, len, lang, dt, h, &slot);
}

nkg_tid nkg_terms_iri(nkg_terms *t, const char *iri) {
  return nkg_terms_intern(t, NKG_T_IRI, iri, strlen(iri), NULL, NULL);
}

nkg_tid nkg_terms_string(nkg_terms *t, const char *s, size_t len) {
  return nkg_terms_intern(t, NKG_T_LIT, s, len, NULL, NULL);
}

static nkg_tid uri_lookup(const uricache *c, librdf_uri *u) {
  if (!c->nslots)
    return 0;
  size_t mask = c->nslots - 1;
  uint64_t k = (uint64_t)(uintptr_t)u * UINT64_C(0x9e3779b97f4a7c15);
  for (size_t i = (size_t)(k >> 20) & mask; c->keys[i]; i = (i + 1) & mask)
    if (c->keys[i] == u)
      return c->vals[i];
  return 0;
}

static void uri_put(uricache *c, librdf_uri *u, nkg_tid id) {
  if ((c->n + 1) * 2 > c->nslots) {
    size_t ns = c->nslots ? c->nslots * 2 : 256;
    librdf_uri **keys = nkg_xcalloc(ns, sizeof *keys);
    nkg_tid *vals = nkg_xcalloc(ns, sizeof *vals);
    for (size_t i = 0; i < c->nslots; i++) {
      if (!c->keys[i])
        continue;
      uint64_t k = (uint64_t)(uintptr_t)c->keys[i] *
                   UINT64_C(0x9e3779b97f4a7c15);
      size_t j = (size_t)(k >> 20) & (ns - 1);
      while (keys[j])
        j = (j + 1) & (ns - 1);
      keys[j] = c->keys[i];
      vals[j] = c->vals[i];
    }
    free(c->keys);
    free(c->vals);
    c->keys = keys;
    c->vals = vals;
    c->nslots = ns;
  }
  uint64_t k = (uint64_t)(uintptr_t)u * UINT64_C(0x9e3779b97f4a7c15);
  size_t j = (size_t)(k >> 20) & (c->nslots - 1);
  while (c->keys[j])
    j = (j + 1) & (c->nslots - 1);
  c->keys[j] = u;
  c->vals[j] = id;
  c->n++;
}

nkg_tid nkg_terms_from_node(nkg_terms *t, librdf_node *n) {
  if (!n)
    return 0;
  if (librdf_node_is_resource(n)) {
    librdf_uri *u = librdf_node_get_uri(n);
    if (!u)
      return 0;
    nkg_tid id = uri_lookup(&t->uris, u);
    if (id)
      return id;
    size_t len = 0;
    const unsigned char *s = librdf_uri_as_counted_string(u, &len);
    id = nkg_terms_intern(t, NKG_T_IRI, (const char *)s, len, NULL, NULL);
    /* the copy keeps the pointer alive, so it cannot be reused for
     * another IRI while cached */
    librdf_uri *ref = librdf_new_uri_from_uri(u);
    if (ref)
      uri_put(&t->uris, ref, id);
    return id;
  }
  if (librdf_node_is_blank(n)) {
    const unsigned char *s = librdf_node_get_blank_identifier(n);
    if (!s)
      return 0;
    return nkg_terms_intern(t, NKG_T_BNODE, (const char *)s,
                            strlen((const char *)s), NULL, NULL);
  }
  if (librdf_node_is_literal(n)) {
    size_t len = 0;
    const unsigned char *s =
        librdf_node_get_literal_value_as_counted_string(n, &len);
    if (!s)
      s = (const unsigned char *)"";
    const char *lang = librdf_node_get_literal_value_language(n);
    const char *dt = NULL;
    librdf_uri *du = librdf_node_get_literal_value_datatype_uri(n);
    if (du && !(lang && *lang))
      dt = (const char *)librdf_uri_as_string(du);
    return nkg_terms_intern(t, NKG_T_LIT, (const char *)s, len, lang, dt);
  }
  return 0;
}

static librdf_node *make_node(librdf_world *w, const nkg_term *e) {
  switch (e->kind) {
  case NKG_T_IRI:
    return librdf_new_node_from_uri_string(w, (const unsigned char *)e->lex);
  case NKG_T_BNODE:
    return librdf_new_node_from_blank_identifier(w,
                                                 (const unsigned char *)e->lex);
  case NKG_T_LIT: {
    librdf_uri *du = NULL;
    if (e->dt && !e->lang) {
      du = librdf_new_uri(w, (const unsigned char *)e->dt);
      if (!du)
        return NULL;
    }
    librdf_node *n = librdf_new_node_from_typed_counted_literal(
        w, (const unsigned char *)e->lex, e->len, e->lang,
        e->lang ? strlen(e->lang) : 0, du);
    if (du)
      librdf_free_uri(du);
    return n;
  }
  }
  return NULL;
}

librdf_node *nkg_terms_to_node(nkg_terms *t, librdf_world *w, nkg_tid id) {
  if (!id || id > t->count)
    return NULL;
  const nkg_term *e = nkg_terms_get(t, id);
  /* the cache holds nodes of one world: the first one asked for */
  if (!t->world)
    t->world = w;
  if (t->world != w)
    return make_node(w, e);
  size_t p = id >> PAGE_BITS;
  if (!t->nodes[p])
    t->nodes[p] = nkg_xcalloc(PAGE_SIZE, sizeof(librdf_node *));
  librdf_node **slot = &t->nodes[p][id & (PAGE_SIZE - 1)];
  if (!*slot) {
    *slot = make_node(w, e);
    if (!*slot)
      return NULL;
  }
  return librdf_new_node_from_node(*slot);
}

nkg_tid nkg_terms_fresh_bnode(nkg_terms *t) {
  char label[48];
  for (;;) {
    /* a prefix raptor's generated labels never take; a label already seen
     * (in the data) is skipped */
    int n = snprintf(label, sizeof label, "nkg.f%lu", t->fresh++);
    if (!nkg_terms_find(t, NKG_T_BNODE, label, (size_t)n, NULL, NULL))
      return nkg_terms_intern(t, NKG_T_BNODE, label, (size_t)n, NULL, NULL);
  }
}
