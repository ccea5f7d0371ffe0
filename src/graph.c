/* graph.c: documents and extractions to RDF statements, written by raptor.
 *
 * IRI terms are made by raptor (raptor_new_term_from_counted_uri_string,
 * once per IRI and document: iricache.h); literal terms too
 * (raptor_new_term_from_counted_literal), except in a streaming graph
 * (nkg_graph_stream_only()), which makes them itself in blocks it reuses.
 * Statements are raptor_statements in blocks of the graph (static for
 * raptor, see struct nkg_graph). They are written by a raptor serialiser
 * or, for N-Triples and N-Quads, by ntwriter, a copy of raptor's escaping
 * proven byte-identical by tests/ntwriter-diff.test and fuzz_ntwriter. The
 * graph owns an array of raptor_statement*, each carrying its graph term:
 * the document IRI for what the article says (facts, evidence, the document
 * and its sentences), or the one entity graph for what any article would
 * say identically about an entity (its type, labels, owl:sameAs, a sector's
 * place in the scheme). nkg_graph_add() sorts and de-duplicates the
 * statements of one document; nkg_graph_write() sorts everything and writes
 * quads (N-Quads) or triples (every other syntax: statements equal but for
 * the graph are written once, and the graph term is left out). */
#define _POSIX_C_SOURCE 200809L
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "iricache.h"
#include "ntwriter.h"
#include "ttlwriter.h"
#include "util.h"

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDFS_NS "http://www.w3.org/2000/01/rdf-schema#"
#define OWL_NS "http://www.w3.org/2002/07/owl#"
#define XSD_NS "http://www.w3.org/2001/XMLSchema#"
#define SKOS_NS "http://www.w3.org/2004/02/skos/core#"
#define FOAF_NS "http://xmlns.com/foaf/0.1/"
#define PROV_NS "http://www.w3.org/ns/prov#"
#define WIKIDATA_NS "http://www.wikidata.org/entity/"

#define RDF_TYPE RDF_NS "type"
#define RDFS_LABEL RDFS_NS "label"

struct nkg_graph {
  raptor_world *world;
  char *base;
  raptor_uri *xsd_date;
  raptor_uri *xsd_integer;
  raptor_uri *xsd_nni;
  raptor_statement **st;
  size_t n, cap;
  /* The statements st points to, in blocks that never move: statics for
   * raptor (raptor_statement_init: usage -1), so raptor_free_statement()
   * releases their terms and leaves the memory, and raptor_statement_copy()
   * makes a copy of its own. One calloc and free per statement was 7% of
   * -f ntriples, and took the malloc lock on every call with -j 2. The
   * slots are reused once every statement is gone (flush). */
  raptor_statement **blocks;
  size_t n_blocks, blocks_used; /* slots handed out, all blocks */
  /* Streaming graphs only (nkg_graph_stream_only()): literal terms made
   * here, not by raptor, in blocks like the statements', their strings in
   * a byte arena; both reset when every statement is gone. */
  int own_literals;
  raptor_term **term_blocks;
  size_t n_term_blocks, terms_used;
  char **text_blocks; /* each TEXT_BLOCK bytes */
  size_t n_text_blocks, text_block, text_used; /* the block in use */
  char **big; /* literals too long for a text block, one each */
  size_t n_big, big_cap;
  nkg_iri_cache *iris;       /* the IRI terms of the document being added */
  raptor_term *graph_term;   /* document IRI while nkg_graph_add() runs */
  raptor_term *entity_graph; /* base + NKG_ENTITY_GRAPH, for every document */
  int failed;                /* a raptor constructor returned NULL */
  int raptor_writer;         /* N-Triples/N-Quads/Turtle by raptor, not ours */
  int sorted;                /* st[0..n) is sorted and unique (sort_unique) */
  /* sort_unique()'s scratch, kept from document to document (bounded by
   * the largest document) */
  raptor_term **iri_terms;
  struct iri_key *iri_keys, *iri_keys_tmp;
  size_t iri_terms_cap;
  struct rank_slot *ranks;
  size_t ranks_cap, ranks_size; /* allocated; used (a power of two) */
  struct sort_key *keys, *keys_tmp;
  size_t keys_cap;
};

static void arena_reset(nkg_graph *g);

const char *const nkg_graph_formats[] = {
    "turtle", "ntriples", "nquads", "rdfxml", "json", "dot", NULL};
const char *const nkg_graph_format_syntaxes[] = {
    "turtle", "ntriples", "nquads", "rdfxml-abbrev", "json", "dot", NULL};

const char *nkg_graph_syntax_for(raptor_world *world, const char *user_format) {
  if (!user_format)
    return NULL;
  for (size_t i = 0; nkg_graph_formats[i]; i++)
    if (!strcmp(user_format, nkg_graph_formats[i]))
      return nkg_graph_format_syntaxes[i];
  if (world && raptor_world_is_serializer_name(world, user_format))
    return user_format;
  return NULL;
}

/* Creates an empty graph minting IRIs under base (NULL for the default). The
 * caller keeps ownership of world, which must outlive the graph. Returns NULL
 * with a message if raptor cannot make the datatype URIs. */
nkg_graph *nkg_graph_new(raptor_world *world, const char *base) {
  nkg_graph *g = nkg_xcalloc(1, sizeof *g);
  g->world = world;
  g->base = nkg_xstrdup(base ? base : NKG_DEFAULT_BASE);
  g->iris = nkg_iri_cache_new(world);
  g->xsd_date = raptor_new_uri(world, (const unsigned char *)XSD_NS "date");
  g->xsd_integer =
      raptor_new_uri(world, (const unsigned char *)XSD_NS "integer");
  g->xsd_nni =
      raptor_new_uri(world, (const unsigned char *)XSD_NS "nonNegativeInteger");
  nkg_buf eg = {0};
  nkg_buf_printf(&eg, "%s%s", g->base, NKG_ENTITY_GRAPH);
  g->entity_graph =
      raptor_new_term_from_uri_string(world, (const unsigned char *)eg.data);
  nkg_buf_free(&eg);
  if (!g->xsd_date || !g->xsd_integer || !g->xsd_nni || !g->entity_graph) {
    nkg_error("cannot create datatype URIs or the entity graph IRI");
    nkg_graph_free(g);
    return NULL;
  }
  return g;
}

void nkg_graph_free(nkg_graph *g) {
  if (!g)
    return;
  for (size_t i = 0; i < g->n; i++)
    raptor_free_statement(g->st[i]);
  free(g->st);
  for (size_t i = 0; i < g->n_blocks; i++)
    free(g->blocks[i]);
  free(g->blocks);
  for (size_t i = 0; i < g->n_term_blocks; i++)
    free(g->term_blocks[i]);
  free(g->term_blocks);
  for (size_t i = 0; i < g->n_text_blocks; i++)
    free(g->text_blocks[i]);
  free(g->text_blocks);
  arena_reset(g);
  free(g->big);
  free(g->iri_terms);
  free(g->iri_keys);
  free(g->iri_keys_tmp);
  free(g->ranks);
  free(g->keys);
  free(g->keys_tmp);
  nkg_iri_cache_free(g->iris);
  if (g->graph_term)
    raptor_free_term(g->graph_term);
  if (g->entity_graph)
    raptor_free_term(g->entity_graph);
  if (g->xsd_date)
    raptor_free_uri(g->xsd_date);
  if (g->xsd_integer)
    raptor_free_uri(g->xsd_integer);
  if (g->xsd_nni)
    raptor_free_uri(g->xsd_nni);
  free(g->base);
  free(g);
}

size_t nkg_graph_size(const nkg_graph *g) { return g->n; }

void nkg_graph_use_raptor_writer(nkg_graph *g, int on) {
  g->raptor_writer = on;
}

void nkg_graph_stream_only(nkg_graph *g) { g->own_literals = 1; }

/* ---- statements ------------------------------------------------------ */

/* An object: an IRI, or a literal with an optional datatype. */
typedef struct {
  const char *str;
  size_t len;
  raptor_uri *datatype; /* literals only; NULL for xsd:string */
  int literal;
} obj;

static obj iri(const char *s) { return (obj){s, strlen(s), NULL, 0}; }
static obj lit(const char *s, size_t n) { return (obj){s, n, NULL, 1}; }
static obj typed(const char *s, raptor_uri *dt) {
  return (obj){s, strlen(s), dt, 1};
}

#define TERM_BLOCK 1024
#define TEXT_BLOCK 65536

/* Room for n bytes in g's byte arena, valid until arena_reset(). */
static char *arena_text(nkg_graph *g, size_t n) {
  if (n > TEXT_BLOCK / 4) { /* long: a block of its own */
    if (g->n_big == g->big_cap) {
      g->big_cap = g->big_cap ? 2 * g->big_cap : 16;
      g->big = nkg_xrealloc(g->big, g->big_cap * sizeof *g->big);
    }
    return g->big[g->n_big++] = nkg_xmalloc(n);
  }
  if (g->text_block >= g->n_text_blocks || g->text_used + n > TEXT_BLOCK) {
    if (g->text_block + 1 < g->n_text_blocks) {
      g->text_block++;
    } else {
      g->text_blocks = nkg_xrealloc(
          g->text_blocks, (g->n_text_blocks + 1) * sizeof *g->text_blocks);
      g->text_blocks[g->n_text_blocks] = nkg_xmalloc(TEXT_BLOCK);
      g->text_block = g->n_text_blocks++;
    }
    g->text_used = 0;
  }
  g->text_used += n;
  return g->text_blocks[g->text_block] + g->text_used - n;
}

/* A literal term in g's memory, as raptor_new_term_from_counted_literal()
 * would make it (no language; datatype not xsd:string): usage 2, one
 * reference the statement's, one the graph's, so raptor never frees it;
 * the datatype is borrowed from g, which outlives it. */
static raptor_term *own_literal(nkg_graph *g, const char *str, size_t len,
                                raptor_uri *datatype) {
  if (!str || !*str) /* as raptor */
    len = 0;
  if (len > UINT32_MAX - 1)
    return NULL;
  size_t b = g->terms_used / TERM_BLOCK;
  if (b == g->n_term_blocks) {
    g->term_blocks = nkg_xrealloc(
        g->term_blocks, (g->n_term_blocks + 1) * sizeof *g->term_blocks);
    g->term_blocks[g->n_term_blocks++] =
        nkg_xmalloc(TERM_BLOCK * sizeof **g->term_blocks);
  }
  raptor_term *t = &g->term_blocks[b][g->terms_used++ % TERM_BLOCK];
  char *s = arena_text(g, len + 1);
  if (len)
    memcpy(s, str, len);
  s[len] = '\0';
  memset(t, 0, sizeof *t);
  t->world = g->world;
  t->usage = 2;
  t->type = RAPTOR_TERM_TYPE_LITERAL;
  t->value.literal.string = (unsigned char *)s;
  t->value.literal.string_len = (unsigned int)len;
  t->value.literal.datatype = datatype;
  return t;
}

/* Called when no statement is left: the blocks are reused. */
static void arena_reset(nkg_graph *g) {
  g->blocks_used = 0;
  g->terms_used = 0;
  g->text_block = 0;
  g->text_used = 0;
  for (size_t i = 0; i < g->n_big; i++)
    free(g->big[i]);
  g->n_big = 0;
}
static raptor_term *make_term(nkg_graph *g, obj o) {
  raptor_term *t;
  if (o.literal && g->own_literals)
    t = own_literal(g, o.str, o.len, o.datatype);
  else if (o.literal)
    t = raptor_new_term_from_counted_literal(
        g->world, (const unsigned char *)o.str, o.len, o.datatype, NULL, 0);
  else /* one term per IRI and document, shared by reference */
    t = nkg_iri_cache_term(g->iris, o.str, o.len);
  if (!t)
    g->failed = 1;
  return t;
}

#define STATEMENT_BLOCK 1024

/* A static statement of g's blocks holding the four terms (taking them
 * over). */
static raptor_statement *new_statement(nkg_graph *g, raptor_term *s,
                                       raptor_term *p, raptor_term *o,
                                       raptor_term *graph) {
  size_t b = g->blocks_used / STATEMENT_BLOCK;
  if (b == g->n_blocks) {
    g->blocks =
        nkg_xrealloc(g->blocks, (g->n_blocks + 1) * sizeof *g->blocks);
    g->blocks[g->n_blocks++] =
        nkg_xmalloc(STATEMENT_BLOCK * sizeof **g->blocks);
  }
  raptor_statement *st = &g->blocks[b][g->blocks_used++ % STATEMENT_BLOCK];
  raptor_statement_init(st, g->world);
  st->subject = s;
  st->predicate = p;
  st->object = o;
  st->graph = graph;
  return st;
}

/* Adds (s p o) in graph (a copy of it is taken; NULL for none). Failures
 * are remembered in g->failed and reported once by nkg_graph_add(). */
static void add_terms(nkg_graph *g, raptor_term *graph, raptor_term *ts,
                      raptor_term *tp, raptor_term *to);

static void add_in(nkg_graph *g, raptor_term *graph, const char *s,
                   const char *p, obj o) {
  raptor_term *ts = make_term(g, iri(s));
  raptor_term *tp = make_term(g, iri(p));
  add_terms(g, graph, ts, tp, make_term(g, o));
}

/* A new reference to t, or NULL for NULL. */
static raptor_term *ref(raptor_term *t) { return t ? raptor_term_copy(t) : NULL; }

/* Adds (ts tp to) in graph, taking over the three references (NULL ones
 * mark g failed) and taking a copy of graph (NULL for none). */
static void add_terms(nkg_graph *g, raptor_term *graph, raptor_term *ts,
                      raptor_term *tp, raptor_term *to) {
  raptor_term *tg = graph ? raptor_term_copy(graph) : NULL;
  if (!ts || !tp || !to || (graph && !tg)) {
    g->failed = 1;
    if (ts)
      raptor_free_term(ts);
    if (tp)
      raptor_free_term(tp);
    if (to)
      raptor_free_term(to);
    if (tg)
      raptor_free_term(tg);
    return;
  }
  raptor_statement *st = new_statement(g, ts, tp, to, tg);
  if (g->n == g->cap) {
    g->cap = g->cap ? g->cap * 2 : 256;
    g->st = nkg_xrealloc(g->st, g->cap * sizeof *g->st);
  }
  g->st[g->n++] = st;
  g->sorted = 0;
}

/* Adds (s p o) in the graph of the current document: what this article
 * says, or says of itself. */
static void add(nkg_graph *g, const char *s, const char *p, obj o) {
  add_in(g, g->graph_term, s, p, o);
}

/* Adds (s p o) in the entity graph: a statement that depends only on the
 * entity's key (its IRI), so that every article that names the entity
 * would state it identically. Kept out of the article graphs so that a
 * store answering over the union of graphs holds it once, not once per
 * article (issue 15). */
static void add_entity(nkg_graph *g, const char *s, const char *p, obj o) {
  add_in(g, g->entity_graph, s, p, o);
}

static int cmp_term(const raptor_term *a, const raptor_term *b) {
  if (a == b) /* shared IRI terms (iricache) */
    return 0;
  if (!a || !b)
    return (a != NULL) - (b != NULL);
  return raptor_term_compare(a, b);
}

static int cmp_triple(const raptor_statement *a, const raptor_statement *b) {
  int c = cmp_term(a->subject, b->subject);
  if (!c)
    c = cmp_term(a->predicate, b->predicate);
  if (!c)
    c = cmp_term(a->object, b->object);
  return c;
}

static int cmp_quad_p(const void *pa, const void *pb) {
  const raptor_statement *a = *(raptor_statement *const *)pa;
  const raptor_statement *b = *(raptor_statement *const *)pb;
  int c = cmp_triple(a, b);
  return c ? c : cmp_term(a->graph, b->graph);
}

/* The rank of an IRI term of the document among all of them, in
 * raptor_term_compare() order, found by the term's address. */
struct rank_slot {
  const raptor_term *t; /* NULL: empty */
  uint32_t rank;
};

/* A statement as sort_unique() compares it: the ranks of its IRI terms,
 * so that most comparisons are of integers, not of IRI strings through
 * raptor (which was 7% of `newskg extract`). LITERAL_RANK sorts after
 * every IRI, as raptor_term_compare() puts literals after URIs. */
/* The three ranks are packed in one integer, 21 bits each, subject
 * highest: one comparison orders them (a document has far fewer than
 * LITERAL_RANK IRIs; sort_by_rank() falls back otherwise). */
#define RANK_BITS 21
#define LITERAL_RANK ((UINT32_C(1) << RANK_BITS) - 1)
struct sort_key {
  uint64_t spo;
  raptor_statement *st;
};

static int cmp_sort_key(const void *pa, const void *pb) {
  const struct sort_key *a = pa, *b = pb;
  if (a->spo != b->spo)
    return a->spo < b->spo ? -1 : 1;
  int c = 0;
  if ((a->spo & LITERAL_RANK) == LITERAL_RANK)
    c = cmp_term(a->st->object, b->st->object);
  return c ? c : cmp_term(a->st->graph, b->st->graph);
}

/* A merge sort of v[0..n) by cmp_sort_key(), with tmp as room for n: the
 * comparison inlined, where qsort() called it through a pointer and
 * copied 24-byte elements a byte loop at a time (3% of extract). */
static void sort_keys(struct sort_key *v, struct sort_key *tmp, size_t n) {
  if (n <= 12) { /* insertion sort */
    for (size_t i = 1; i < n; i++) {
      struct sort_key k = v[i];
      size_t j = i;
      for (; j > 0 && cmp_sort_key(&v[j - 1], &k) > 0; j--)
        v[j] = v[j - 1];
      v[j] = k;
    }
    return;
  }
  size_t h = n / 2;
  sort_keys(v, tmp, h);
  sort_keys(v + h, tmp, n - h);
  if (cmp_sort_key(&v[h - 1], &v[h]) <= 0)
    return; /* already in order: common, statements come grouped */
  memcpy(tmp, v, h * sizeof *v);
  size_t i = 0, j = h, o = 0;
  while (i < h && j < n)
    v[o++] = cmp_sort_key(&v[j], &tmp[i]) < 0 ? v[j++] : tmp[i++];
  while (i < h)
    v[o++] = tmp[i++];
}


static size_t rank_hash(const raptor_term *t, size_t cap) {
  uintptr_t a = (uintptr_t)t;
  return (size_t)((a >> 4) ^ (a >> 12)) & (cap - 1);
}

/* The rank of IRI term t, or -1 if it is not one of the cache's. */
static int64_t rank_of(const nkg_graph *g, const raptor_term *t) {
  if (t->type != RAPTOR_TERM_TYPE_URI)
    return -1;
  for (size_t k = rank_hash(t, g->ranks_size); g->ranks[k].t;
       k = (k + 1) & (g->ranks_size - 1))
    if (g->ranks[k].t == t)
      return g->ranks[k].rank;
  return -1;
}

/* An IRI term with its string, as sort_iris() compares them. */
struct iri_key {
  const unsigned char *s;
  size_t n;
  raptor_term *t;
};

/* raptor_uri_compare() order (raptor_term_compare() of two IRI terms):
 * bytes, then the shorter first. */
static int cmp_iri_key(const struct iri_key *a, const struct iri_key *b) {
  int c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
  return c ? c : (a->n > b->n) - (a->n < b->n);
}

/* A merge sort of v[0..n) by cmp_iri_key(), tmp room for n: qsort() of the
 * terms through raptor_term_compare() was 1.4% of -f ntriples. */
static void sort_iris(struct iri_key *v, struct iri_key *tmp, size_t n) {
  if (n <= 12) {
    for (size_t i = 1; i < n; i++) {
      struct iri_key k = v[i];
      size_t j = i;
      for (; j > 0 && cmp_iri_key(&v[j - 1], &k) > 0; j--)
        v[j] = v[j - 1];
      v[j] = k;
    }
    return;
  }
  size_t h = n / 2;
  sort_iris(v, tmp, h);
  sort_iris(v + h, tmp, n - h);
  if (cmp_iri_key(&v[h - 1], &v[h]) <= 0)
    return;
  memcpy(tmp, v, h * sizeof *v);
  size_t i = 0, j = h, o = 0;
  while (i < h && j < n)
    v[o++] = cmp_iri_key(&v[j], &tmp[i]) < 0 ? v[j++] : tmp[i++];
  while (i < h)
    v[o++] = tmp[i++];
}

/* Sorts st[from..n) in cmp_quad_p order by the ranks of the IRI terms
 * held by g->iris. Returns -1, leaving st as it was, if a statement has an
 * IRI term that is not the cache's (then the caller sorts the slow way). */
static int sort_by_rank(nkg_graph *g, size_t from) {
  size_t n = g->n - from, k = nkg_iri_cache_size(g->iris);
  if (k >= LITERAL_RANK)
    return -1;
  if (g->iri_terms_cap < k) {
    g->iri_terms_cap = 2 * k;
    g->iri_terms =
        nkg_xrealloc(g->iri_terms, g->iri_terms_cap * sizeof *g->iri_terms);
    g->iri_keys =
        nkg_xrealloc(g->iri_keys, g->iri_terms_cap * sizeof *g->iri_keys);
    g->iri_keys_tmp = nkg_xrealloc(g->iri_keys_tmp,
                                   g->iri_terms_cap * sizeof *g->iri_keys);
  }
  k = nkg_iri_cache_list(g->iris, g->iri_terms);
  for (size_t i = 0; i < k; i++) {
    struct iri_key *e = &g->iri_keys[i];
    e->t = g->iri_terms[i];
    e->s = raptor_uri_as_counted_string(e->t->value.uri, &e->n);
  }
  sort_iris(g->iri_keys, g->iri_keys_tmp, k);
  for (size_t i = 0; i < k; i++)
    g->iri_terms[i] = g->iri_keys[i].t;
  size_t cap = 16;
  while (cap < 2 * k)
    cap *= 2;
  if (g->ranks_cap < cap) {
    free(g->ranks);
    g->ranks = nkg_xmalloc(cap * sizeof *g->ranks);
    g->ranks_cap = cap;
  }
  g->ranks_size = cap; /* a table at most half full */
  memset(g->ranks, 0, cap * sizeof *g->ranks);
  for (size_t i = 0; i < k; i++) {
    size_t h = rank_hash(g->iri_terms[i], cap);
    while (g->ranks[h].t)
      h = (h + 1) & (cap - 1);
    g->ranks[h] = (struct rank_slot){g->iri_terms[i], (uint32_t)i};
  }
  if (g->keys_cap < n) {
    g->keys_cap = 2 * n;
    g->keys = nkg_xrealloc(g->keys, g->keys_cap * sizeof *g->keys);
    g->keys_tmp = nkg_xrealloc(g->keys_tmp, g->keys_cap * sizeof *g->keys);
  }
  for (size_t i = 0; i < n; i++) {
    raptor_statement *st = g->st[from + i];
    int64_t rs = rank_of(g, st->subject), rp = rank_of(g, st->predicate);
    int64_t ro = st->object->type == RAPTOR_TERM_TYPE_LITERAL
                     ? (int64_t)LITERAL_RANK
                     : rank_of(g, st->object);
    if (rs < 0 || rp < 0 || ro < 0)
      return -1;
    g->keys[i] = (struct sort_key){
        (uint64_t)rs << 2 * RANK_BITS | (uint64_t)rp << RANK_BITS |
            (uint64_t)ro,
        st};
  }
  sort_keys(g->keys, g->keys_tmp, n);
  for (size_t i = 0; i < n; i++)
    g->st[from + i] = g->keys[i].st;
  return 0;
}

/* Sorts st[from..n) and removes duplicate quads from it. Call it while
 * g->iris still holds the document's IRI terms. */
static void sort_unique(nkg_graph *g, size_t from) {
  size_t n = g->n - from, out = 0;
  raptor_statement **v = g->st + from;
  g->sorted = from == 0;
  if (n < 2)
    return;
  if (!sort_by_rank(g, from)) {
    /* the keys, in the order of v, tell repeated quads apart cheaply */
    for (size_t i = 0; i < n; i++) {
      if (out && !cmp_sort_key(&g->keys[out - 1], &g->keys[i])) {
        raptor_free_statement(v[i]);
      } else {
        g->keys[out] = g->keys[i];
        v[out++] = v[i];
      }
    }
    g->n = from + out;
    return;
  }
  qsort(v, n, sizeof *v, cmp_quad_p);
  for (size_t i = 0; i < n; i++) {
    if (out && !cmp_quad_p(&v[out - 1], &v[i]))
      raptor_free_statement(v[i]);
    else
      v[out++] = v[i];
  }
  g->n = from + out;
}

/* ---- IRIs ------------------------------------------------------------ */

/* "%016llx" and "%zu" without printf, which was 3% of extract: these
 * build every evidence, sentence and offset term. */
static void add_hex(nkg_buf *b, uint64_t h) {
  static const char hex[] = "0123456789abcdef";
  char d[16];
  for (int i = 15; i >= 0; i--, h >>= 4)
    d[i] = hex[h & 0xF];
  nkg_buf_add(b, d, 16);
}

/* Writes v in decimal into num (room for 21 bytes) with its NUL. */
static void format_uint(char *num, size_t v) {
  char d[24];
  size_t n = 0;
  do
    d[n++] = (char)('0' + v % 10);
  while ((v /= 10) != 0);
  for (size_t i = 0; i < n; i++)
    num[i] = d[n - 1 - i];
  num[n] = '\0';
}

/* Appends base + kind + slug(s); a name with nothing sluggable gets "h"
 * and the hash of its bytes instead, so the IRI is never empty. */
static void mint_slug(nkg_buf *b, const nkg_graph *g, const char *kind,
                      const char *s) {
  nkg_buf_clear(b);
  nkg_buf_adds(b, g->base);
  nkg_buf_adds(b, kind);
  size_t before = b->len;
  nkg_slug(b, s, strlen(s));
  if (b->len == before) {
    nkg_buf_addc(b, 'h');
    add_hex(b, nkg_hash64(s, strlen(s), NKG_HASH_SEED));
  }
}

/* Everything nkg_graph_add() needs about the document at hand. */
typedef struct {
  nkg_graph *g;
  nkg_document *doc;
  const nkg_extraction *x;
  const nkg_lexicon *lex;
  char hash[17];
  nkg_buf doc_iri;
} ctx;

static void person_iri(nkg_buf *b, const ctx *c, int i) {
  mint_slug(b, c->g, "person/", c->x->persons[i].name);
}

static void country_iri(nkg_buf *b, const ctx *c, int i) {
  nkg_buf_clear(b);
  nkg_buf_adds(b, c->g->base);
  nkg_buf_adds(b, "country/");
  nkg_buf_adds(b, nkg_lexicon_country(c->lex, i)->key);
}

static void sector_iri(nkg_buf *b, const ctx *c, int i) {
  nkg_buf_clear(b);
  nkg_buf_adds(b, c->g->base);
  nkg_buf_adds(b, "sector/");
  nkg_buf_adds(b, nkg_lexicon_sector(c->lex, i)->key);
}

static const char *place_label(const ctx *c, int i) {
  const nkg_place_ref *r = &c->x->places[i];
  if (r->place >= 0)
    return nkg_lexicon_place(c->lex, r->place)->name;
  return r->label;
}

static void place_iri(nkg_buf *b, const ctx *c, int i) {
  mint_slug(b, c->g, "place/", place_label(c, i));
}

static void sentence_iri(nkg_buf *b, const ctx *c, int i) {
  char num[24];
  nkg_buf_clear(b);
  nkg_buf_add(b, c->doc_iri.data, c->doc_iri.len);
  nkg_buf_add(b, "/s", 2);
  long v = i;
  if (v < 0) { /* not expected: printf's form */
    nkg_buf_addc(b, '-');
    v = -v;
  }
  format_uint(num, (size_t)v);
  nkg_buf_adds(b, num);
}

static void add_index(ctx *c, const char *s, const char *p, size_t byte) {
  char num[32];
  format_uint(num, nkg_document_cp_offset(c->doc, byte));
  add(c->g, s, p, typed(num, c->g->xsd_nni));
}

/* Adds the fact (s p o) and, when prov names a rule, its evidence record. */
static void fact(ctx *c, const char *s, const char *p, obj o,
                 const nkg_prov *prov) {
  nkg_graph *g = c->g;
  if (!prov || !prov->rule) {
    add(g, s, p, o);
    return;
  }
  /* the subject, predicate and evidence terms are looked up once, not for
   * each of the ten statements of the record (the lookups were a third of
   * the cost of a fact) */
  raptor_term *ts = make_term(g, iri(s)), *tp = make_term(g, iri(p));
  add_terms(g, g->graph_term, ref(ts), ref(tp), make_term(g, o));
  nkg_buf key = {0}, ev = {0}, sent = {0};
  nkg_buf_adds(&key, c->hash);
  nkg_buf_addc(&key, '|');
  nkg_buf_adds(&key, s);
  nkg_buf_addc(&key, '|');
  nkg_buf_adds(&key, p);
  nkg_buf_addc(&key, '|');
  nkg_buf_add(&key, o.str, o.len);
  nkg_buf_adds(&ev, c->g->base);
  nkg_buf_add(&ev, "evidence/", 9);
  add_hex(&ev, nkg_hash64(key.data, key.len, NKG_HASH_SEED));

  raptor_term *tev = make_term(g, iri(ev.data)), *gt = g->graph_term;
  add_terms(g, gt, ref(tev), make_term(g, iri(RDF_TYPE)),
            make_term(g, iri(NKG_NS "Evidence")));
  add_terms(g, gt, ref(tev), make_term(g, iri(RDF_NS "subject")), ref(ts));
  add_terms(g, gt, ref(tev), make_term(g, iri(RDF_NS "predicate")), ref(tp));
  add_terms(g, gt, ref(tev), make_term(g, iri(RDF_NS "object")),
            make_term(g, o));
  add_terms(g, gt, ref(tev), make_term(g, iri(NKG_NS "document")),
            make_term(g, iri(c->doc_iri.data)));
  if (prov->sentence >= 0 && (size_t)prov->sentence < c->doc->n_sentences) {
    sentence_iri(&sent, c, prov->sentence);
    add_terms(g, gt, ref(tev), make_term(g, iri(NKG_NS "sentence")),
              make_term(g, iri(sent.data)));
  }
  add_terms(g, gt, ref(tev), make_term(g, iri(NKG_NS "rule")),
            make_term(g, lit(prov->rule, strlen(prov->rule))));
  size_t b = prov->begin, e = prov->end;
  if (e > c->doc->len)
    e = c->doc->len;
  if (b > e)
    b = e;
  add_index(c, ev.data, NKG_NS "beginIndex", b);
  add_index(c, ev.data, NKG_NS "endIndex", e);
  add_terms(g, gt, ref(tev), make_term(g, iri(NKG_NS "matchedText")),
            make_term(g, lit(c->doc->text + b, e - b)));
  /* the three references held here */
  if (ts)
    raptor_free_term(ts);
  if (tp)
    raptor_free_term(tp);
  if (tev)
    raptor_free_term(tev);
  nkg_buf_free(&key);
  nkg_buf_free(&ev);
  nkg_buf_free(&sent);
}

/* ---- nodes ----------------------------------------------------------- */

static void add_country(ctx *c, int i) {
  const nkg_country *k = nkg_lexicon_country(c->lex, i);
  nkg_buf b = {0}, w = {0};
  country_iri(&b, c, i);
  add_entity(c->g, b.data, RDF_TYPE, iri(NKG_NS "Country"));
  add_entity(c->g, b.data, RDFS_LABEL, lit(k->name, strlen(k->name)));
  if (k->wikidata && k->wikidata[0]) {
    nkg_buf_printf(&w, WIKIDATA_NS "%s", k->wikidata);
    add_entity(c->g, b.data, OWL_NS "sameAs", iri(w.data));
  }
  nkg_buf_free(&b);
  nkg_buf_free(&w);
}

/* Adds the sector and the chain of its broader sectors (bounded, in case
 * the lexicon has a cycle). All of it comes from extract/sectors.tsv, so
 * it goes to the entity graph. */
static void add_sector(ctx *c, int i) {
  nkg_buf b = {0}, up = {0};
  size_t guard = nkg_lexicon_n_sectors(c->lex);
  while (i >= 0 && guard-- > 0) {
    const nkg_sector *s = nkg_lexicon_sector(c->lex, i);
    sector_iri(&b, c, i);
    add_entity(c->g, b.data, RDF_TYPE, iri(NKG_NS "Sector"));
    add_entity(c->g, b.data, RDFS_LABEL,
               lit(s->pref_label, strlen(s->pref_label)));
    add_entity(c->g, b.data, SKOS_NS "prefLabel",
               lit(s->pref_label, strlen(s->pref_label)));
    for (size_t k = 0; k < s->n_alt_labels; k++)
      add_entity(c->g, b.data, SKOS_NS "altLabel",
                 lit(s->alt_labels[k], strlen(s->alt_labels[k])));
    add_entity(c->g, b.data, SKOS_NS "inScheme", iri(NKG_NS "sectors"));
    if (s->broader >= 0) {
      sector_iri(&up, c, s->broader);
      add_entity(c->g, b.data, SKOS_NS "broader", iri(up.data));
    }
    i = s->broader;
  }
  nkg_buf_free(&b);
  nkg_buf_free(&up);
}

/* A sector the gazetteer does not list: id/sector/other/SLUG, labelled with
 * the words that named it (keys of listed sectors have no '/'). */
static void unlisted_sector_iri(nkg_buf *b, const ctx *c, const char *label) {
  nkg_buf_clear(b);
  nkg_buf_adds(b, c->g->base);
  nkg_buf_adds(b, "sector/other/");
  nkg_slug(b, label, strlen(label));
}

/* The IRI is the slug of the label, so the label (lower-case words as
 * written) is the entity's own: entity graph. */
static void add_unlisted_sector(ctx *c, const char *iri_text,
                                const char *label) {
  add_entity(c->g, iri_text, RDF_TYPE, iri(NKG_NS "Sector"));
  add_entity(c->g, iri_text, RDFS_LABEL, lit(label, strlen(label)));
  add_entity(c->g, iri_text, SKOS_NS "prefLabel", lit(label, strlen(label)));
  add_entity(c->g, iri_text, SKOS_NS "inScheme", iri(NKG_NS "sectors"));
}

/* A place's type, label (its IRI is their slug) and Wikidata entity are
 * the place's own: entity graph. Its country is too when the gazetteer
 * gives it; a free-text place gets its country from the article (the
 * dateline, the country named), so that one stays in the article graph. */
static void add_place(ctx *c, int i) {
  const nkg_place_ref *r = &c->x->places[i];
  const nkg_place *lp =
      r->place >= 0 ? nkg_lexicon_place(c->lex, r->place) : NULL;
  const char *label = place_label(c, i);
  int country = lp && lp->country >= 0 ? lp->country : r->country;
  nkg_buf b = {0}, o = {0};
  place_iri(&b, c, i);
  add_entity(c->g, b.data, RDF_TYPE, iri(NKG_NS "Place"));
  add_entity(c->g, b.data, RDFS_LABEL, lit(label, strlen(label)));
  if (country >= 0) {
    country_iri(&o, c, country);
    if (lp && lp->country >= 0)
      add_entity(c->g, b.data, NKG_NS "country", iri(o.data));
    else
      add(c->g, b.data, NKG_NS "country", iri(o.data));
    add_country(c, country);
  }
  if (lp && lp->wikidata && lp->wikidata[0]) {
    nkg_buf_clear(&o);
    nkg_buf_printf(&o, WIKIDATA_NS "%s", lp->wikidata);
    add_entity(c->g, b.data, OWL_NS "sameAs", iri(o.data));
  }
  nkg_buf_free(&b);
  nkg_buf_free(&o);
}

/* Person b holds the position titled title[0, n); o is scratch. */
static void add_position(ctx *c, const nkg_buf *b, nkg_buf *o,
                         const char *title, size_t n, const nkg_prov *prov) {
  nkg_buf t = {0};
  nkg_buf_add(&t, title, n);
  mint_slug(o, c->g, "position/", t.data);
  add_entity(c->g, o->data, RDF_TYPE, iri(NKG_NS "Position"));
  add_entity(c->g, o->data, RDFS_LABEL, lit(t.data, t.len));
  fact(c, b->data, NKG_NS "holdsPosition", iri(o->data), prov);
  nkg_buf_free(&t);
}

/* An official's type and name, and a position's type and title, are
 * minted from the name or title itself: entity graph. Who holds which
 * position and represents which country is what an article says, with
 * evidence: article graph. */
static void add_person(ctx *c, int i) {
  const nkg_person *p = &c->x->persons[i];
  nkg_buf b = {0}, o = {0};
  person_iri(&b, c, i);
  add_entity(c->g, b.data, RDF_TYPE, iri(NKG_NS "Official"));
  add_entity(c->g, b.data, RDFS_LABEL, lit(p->name, strlen(p->name)));
  add_entity(c->g, b.data, FOAF_NS "name", lit(p->name, strlen(p->name)));
  if (p->position && p->position[0]) {
    size_t n = strlen(p->position);
    if (p->position_second_at) {
      /* two titles joined by "and": two positions */
      add_position(c, &b, &o, p->position, p->position_first_len,
                   &p->position_prov);
      add_position(c, &b, &o, p->position + p->position_second_at,
                   n - p->position_second_at, &p->position_prov);
    } else {
      add_position(c, &b, &o, p->position, n, &p->position_prov);
    }
  }
  if (p->country >= 0) {
    country_iri(&o, c, p->country);
    fact(c, b.data, NKG_NS "represents", iri(o.data), &p->country_prov);
    add_country(c, p->country);
  }
  nkg_buf_free(&b);
  nkg_buf_free(&o);
}

static int cmp_str_p(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_meeting(ctx *c, const nkg_meeting *m) {
  nkg_buf b = {0}, o = {0}, key = {0}, label = {0};
  char **slugs = nkg_xcalloc(m->n_participants, sizeof *slugs);

  for (size_t k = 0; k < m->n_participants; k++) {
    nkg_buf s = {0};
    const char *name = c->x->persons[m->participants[k]].name;
    nkg_slug(&s, name, strlen(name));
    slugs[k] = nkg_buf_steal(&s);
  }
  qsort(slugs, m->n_participants, sizeof *slugs, cmp_str_p);
  nkg_buf_adds(&key, c->hash);
  for (size_t k = 0; k < m->n_participants; k++)
    nkg_buf_printf(&key, "|%s", slugs[k]);
  nkg_buf_printf(&key, "|%s", m->date);
  nkg_buf_printf(&b, "%smeeting/", c->g->base);
  add_hex(&b, nkg_hash64(key.data, key.len, NKG_HASH_SEED));

  nkg_buf_adds(&label, "Meeting of ");
  for (size_t k = 0; k < m->n_participants; k++) {
    if (k > 0)
      nkg_buf_adds(&label, k + 1 == m->n_participants ? " and " : ", ");
    nkg_buf_adds(&label, c->x->persons[m->participants[k]].name);
  }
  /* The meeting is minted from the document: its type and label are the
   * article's, not the entity graph's. */
  add(c->g, b.data, RDF_TYPE, iri(NKG_NS "Meeting"));
  add(c->g, b.data, RDFS_LABEL, lit(label.data, label.len));
  for (size_t k = 0; k < m->n_participants; k++) {
    person_iri(&o, c, m->participants[k]);
    fact(c, b.data, NKG_NS "participant", iri(o.data), &m->prov);
  }
  if (m->date[0])
    fact(c, b.data, NKG_NS "date", typed(m->date, c->g->xsd_date),
         &m->date_prov);
  if (m->place >= 0) {
    place_iri(&o, c, m->place);
    fact(c, b.data, NKG_NS "place", iri(o.data), &m->place_prov);
    add_place(c, m->place);
  }
  for (size_t k = 0; k < m->n_participants; k++)
    free(slugs[k]);
  free(slugs);
  nkg_buf_free(&b);
  nkg_buf_free(&o);
  nkg_buf_free(&key);
  nkg_buf_free(&label);
}

/* Adds a symmetric relation: both directions, evidence for a -> b. */
static void add_pair(ctx *c, const char *a, const char *b, const char *p,
                     const nkg_prov *prov) {
  fact(c, a, p, iri(b), prov);
  add(c->g, b, p, iri(a));
}

static void add_document(ctx *c) {
  nkg_document *d = c->doc;
  nkg_buf s = {0};
  const char *doc = c->doc_iri.data;
  char num[32];

  add(c->g, doc, RDF_TYPE, iri(NKG_NS "Document"));
  const char *src = "stdin";
  if (d->name && strcmp(d->name, "-")) {
    const char *slash = strrchr(d->name, '/');
    src = slash && slash[1] ? slash + 1 : d->name;
  }
  add(c->g, doc, NKG_NS "sourceName", lit(src, strlen(src)));

  size_t tb = d->title_begin, te = d->title_end;
  if (te > d->len)
    te = d->len;
  while (tb < te && strchr(" \t\r\n\f\v", d->text[tb]))
    tb++;
  while (te > tb && strchr(" \t\r\n\f\v", d->text[te - 1]))
    te--;
  if (te > tb)
    add(c->g, doc, NKG_NS "title", lit(d->text + tb, te - tb));
  if (d->published[0])
    add(c->g, doc, NKG_NS "published", typed(d->published, c->g->xsd_date));
  snprintf(num, sizeof num, "%zu", d->n_sentences);
  add(c->g, doc, NKG_NS "sentenceCount", typed(num, c->g->xsd_integer));

  for (size_t i = 0; i < d->n_sentences; i++) {
    const nkg_sentence *sn = &d->sentences[i];
    size_t b = sn->begin, e = sn->end > d->len ? d->len : sn->end;
    if (b > e)
      b = e;
    sentence_iri(&s, c, (int)i);
    add(c->g, s.data, RDF_TYPE, iri(NKG_NS "Sentence"));
    add(c->g, s.data, NKG_NS "inDocument", iri(doc));
    add_index(c, s.data, NKG_NS "beginIndex", b);
    add_index(c, s.data, NKG_NS "endIndex", e);
    add(c->g, s.data, NKG_NS "text", lit(d->text + b, e - b));
  }
  nkg_buf_free(&s);
}

/* Nonzero if person i takes part in a fact that is written, so its node
 * must exist even if the extractor did not mark it relevant. */
static int person_needed(const nkg_extraction *x, size_t i) {
  if (x->persons[i].relevant)
    return 1;
  for (size_t k = 0; k < x->n_met; k++)
    if ((size_t)x->met[k].a == i || (size_t)x->met[k].b == i)
      return 1;
  for (size_t k = 0; k < x->n_meetings; k++)
    for (size_t j = 0; j < x->meetings[k].n_participants; j++)
      if ((size_t)x->meetings[k].participants[j] == i)
        return 1;
  return 0;
}

int nkg_graph_add(nkg_graph *g, nkg_document *doc, const nkg_extraction *x,
                  const nkg_lexicon *lex) {
  ctx c = {.g = g, .doc = doc, .x = x, .lex = lex};
  nkg_buf a = {0}, b = {0};
  size_t from = g->n;

  snprintf(c.hash, sizeof c.hash, "%016llx",
           (unsigned long long)nkg_hash64(doc->text, doc->len, NKG_HASH_SEED));
  nkg_buf_printf(&c.doc_iri, "%sdoc/%s", g->base, c.hash);
  g->failed = 0;
  g->graph_term = raptor_new_term_from_uri_string(
      g->world, (const unsigned char *)c.doc_iri.data);
  if (!g->graph_term)
    g->failed = 1;

  add_document(&c);
  if (x) {
    for (size_t i = 0; i < x->n_persons; i++)
      if (person_needed(x, i))
        add_person(&c, (int)i);
    for (size_t i = 0; i < x->n_meetings; i++)
      add_meeting(&c, &x->meetings[i]);
    for (size_t i = 0; i < x->n_met; i++) {
      person_iri(&a, &c, x->met[i].a);
      person_iri(&b, &c, x->met[i].b);
      add_pair(&c, a.data, b.data, NKG_NS "met", &x->met[i].prov);
    }
    for (size_t i = 0; i < x->n_cooperates; i++) {
      country_iri(&a, &c, x->cooperates[i].a);
      country_iri(&b, &c, x->cooperates[i].b);
      add_pair(&c, a.data, b.data, NKG_NS "cooperatesWith",
               &x->cooperates[i].prov);
      add_country(&c, x->cooperates[i].a);
      add_country(&c, x->cooperates[i].b);
    }
    for (size_t i = 0; i < x->n_cooperates_in; i++) {
      const nkg_coop_in *ci = &x->cooperates_in[i];
      country_iri(&a, &c, ci->country);
      if (ci->sector >= 0)
        sector_iri(&b, &c, ci->sector);
      else
        unlisted_sector_iri(&b, &c, x->unlisted[ci->unlisted]);
      fact(&c, a.data, NKG_NS "cooperatesIn", iri(b.data), &ci->prov);
      add_country(&c, ci->country);
      if (ci->sector >= 0)
        add_sector(&c, ci->sector);
      else
        add_unlisted_sector(&c, b.data, x->unlisted[ci->unlisted]);
    }
  }

  if (!g->failed)
    sort_unique(g, from); /* by the ranks of the cache's terms */
  if (g->graph_term)
    raptor_free_term(g->graph_term);
  g->graph_term = NULL;
  nkg_iri_cache_clear(g->iris); /* bounded by one document */
  nkg_buf_free(&a);
  nkg_buf_free(&b);
  nkg_buf_free(&c.doc_iri);
  if (g->failed) {
    nkg_error("%s: cannot build RDF terms",
              doc->name && strcmp(doc->name, "-") ? doc->name : "stdin");
    for (size_t i = from; i < g->n; i++)
      raptor_free_statement(g->st[i]);
    g->n = from;
    return -1;
  }
  return 0;
}

/* ---- writing --------------------------------------------------------- */

static const struct {
  const char *prefix, *ns;
} prefixes[] = {
    {"nkg", NKG_NS},   {"rdfs", RDFS_NS}, {"owl", OWL_NS},   {"xsd", XSD_NS},
    {"skos", SKOS_NS}, {"foaf", FOAF_NS}, {"prov", PROV_NS},
};

static int declare(raptor_serializer *ser, raptor_world *world,
                   const char *prefix, const char *ns, int required) {
  raptor_uri *u = raptor_new_uri(world, (const unsigned char *)ns);
  if (!u)
    return -1;
  int rc =
      raptor_serializer_set_namespace(ser, u, (const unsigned char *)prefix);
  raptor_free_uri(u);
  /* Serialisers without prefixes (N-Triples, N-Quads, JSON...) refuse the
   * declaration; that is only an error where prefixes are written. */
  return rc && required ? -1 : 0;
}

/* Where serialised bytes go: appended to buf, and, when f is set, written
 * to f whenever buf holds 64 KiB (and at the end). raptor writes byte by
 * byte; a plain buffer is much cheaper than its FILE* handler (a locked
 * fputc per byte). After a failed write the rest is dropped; the error stays
 * in ferror(f) for the caller's final check, which names the file. */
typedef struct {
  nkg_buf *buf;
  FILE *f;
  int failed;
  int json; /* rewrite raptor's \U escapes, see json_fix() */
} sink;

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* raptor's JSON serialisers escape a character past U+FFFF (an emoji) as
 * "\U0001F91D", which is not JSON: RFC 8259 spells it as the UTF-16 pair
 * "\uD83E\uDD1D", and JSON parsers (rapper's own) reject the file. Appends
 * s[0..n) to out with those escapes rewritten. Unless final, an escape that
 * may be cut at the end of s is left: returns the number of bytes used. */
static size_t json_fix(const char *s, size_t n, nkg_buf *out, int final) {
  size_t i = 0;
  while (i < n) {
    const char *bs = memchr(s + i, '\\', n - i);
    size_t j = bs ? (size_t)(bs - s) : n;
    nkg_buf_add(out, s + i, j - i);
    i = j;
    if (i == n)
      break;
    if (i + 10 > n && !final) /* the longest escape is 10 bytes */
      break;
    if (i + 10 > n || s[i + 1] != 'U') {
      size_t m = i + 1 < n ? 2 : 1; /* an escape pair, copied as it is */
      nkg_buf_add(out, s + i, m);
      i += m;
      continue;
    }
    unsigned long cp = 0;
    int k;
    for (k = 2; k < 10 && hex_value(s[i + k]) >= 0; k++)
      cp = cp << 4 | (unsigned long)hex_value(s[i + k]);
    if (k < 10 || cp > 0x10FFFF) {
      nkg_buf_add(out, s + i, 2);
      i += 2;
      continue;
    }
    if (cp > 0xFFFF)
      nkg_buf_printf(out, "\\u%04lX\\u%04lX",
                     0xD800 + ((cp - 0x10000) >> 10),
                     0xDC00 + ((cp - 0x10000) & 0x3FF));
    else
      nkg_buf_printf(out, "\\u%04lX", cp);
    i += 10;
  }
  return i;
}

static void sink_drain(sink *k, int final) {
  if (!k->f || !k->buf->len)
    return;
  nkg_buf fixed = {0};
  const char *data = k->buf->data;
  size_t len = k->buf->len, used = len;
  if (k->json) {
    used = json_fix(k->buf->data, k->buf->len, &fixed, final);
    data = fixed.data;
    len = fixed.len;
  }
  if (len && fwrite(data, 1, len, k->f) != len)
    k->failed = 1;
  nkg_buf_free(&fixed);
  /* keep what json_fix() left for the next round */
  memmove(k->buf->data, k->buf->data + used, k->buf->len - used);
  k->buf->len -= used;
  k->buf->data[k->buf->len] = '\0';
}

static int sink_write_byte(void *ctx, const int byte) {
  sink *k = ctx;
  nkg_buf *b = k->buf;
  if (b->len + 2 <= b->cap) { /* room for the byte and the NUL */
    b->data[b->len++] = (char)byte;
    b->data[b->len] = '\0';
  } else {
    nkg_buf_addc(b, (char)byte);
  }
  if (k->failed)
    nkg_buf_clear(k->buf);
  else if (k->f && k->buf->len >= 65536)
    sink_drain(k, 0);
  return 0;
}

static int sink_write_bytes(void *ctx, const void *ptr, size_t size,
                            size_t nmemb) {
  sink *k = ctx;
  nkg_buf_add(k->buf, ptr, size * nmemb);
  if (k->failed)
    nkg_buf_clear(k->buf);
  else if (k->f && k->buf->len >= 65536)
    sink_drain(k, 0);
  return (int)nmemb;
}

static const raptor_iostream_handler sink_handler = {
    .version = 2,
    .write_byte = sink_write_byte,
    .write_bytes = sink_write_bytes,
};

/* Nonzero if v[0..n) is already in cmp_quad_p order. */
static int sorted(raptor_statement *const *v, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (cmp_quad_p(&v[i - 1], &v[i]) > 0)
      return 0;
  return 1;
}

/* Writes statements v[0..n), sorted, into k as N-Triples or N-Quads lines
 * with ntwriter, which gives the bytes of raptor's serialisers; skips what
 * serialise() skips. Returns 0, or -1 with a message. */
static int write_lines(raptor_statement *const *v, size_t n, int quads,
                       sink *k) {
  const raptor_statement *prev = NULL;
  /* the statements' terms live until the end of this call */
  nkg_nt_memo *memo = nkg_nt_memo_new();
  for (size_t i = 0; i < n; i++) {
    const raptor_statement *st = v[i];
    if (prev && (quads ? !cmp_quad_p(&prev, &st) : !cmp_triple(prev, st)))
      continue;
    /* Invalid UTF-8 (NKG_NT_BAD_UTF8) is cut short as raptor cuts it, and
     * cannot come from the cleaned text; a NULL term is a bug. */
    if (nkg_nt_write_statement_memo(k->buf, st, quads, memo) ==
        NKG_NT_BAD_TERM) {
      nkg_error("cannot write a statement with a missing term");
      nkg_nt_memo_free(memo);
      return -1;
    }
    prev = st;
    if (k->failed)
      nkg_buf_clear(k->buf);
    else if (k->f && k->buf->len >= 65536)
      sink_drain(k, 0);
  }
  nkg_nt_memo_free(memo);
  return 0;
}

/* Writes statements v[0..n), sorted, into k as raptor's Turtle serialiser
 * writes them, with the prefixes serialise() declares, by ttlwriter.
 * Returns 0, or -1 with nothing written when ttlwriter leaves the batch to
 * raptor (blank nodes, text raptor would cut: see ttlwriter.h). */
static int write_turtle(nkg_graph *g, raptor_statement *const *v, size_t n,
                        sink *k) {
  enum { N = sizeof prefixes / sizeof prefixes[0] };
  const char *p[N + 1], *ns[N + 1];
  for (size_t i = 0; i < N; i++) {
    p[i] = prefixes[i].prefix;
    ns[i] = prefixes[i].ns;
  }
  p[N] = "id";
  ns[N] = g->base;
  /* the statements' terms live until the end of this call */
  nkg_ttl_writer *w = nkg_ttl_writer_new(p, ns, N + 1);
  int rc = nkg_ttl_write(w, k->buf, v, n);
  nkg_ttl_writer_free(w);
  if (!rc && !k->failed && k->f && k->buf->len >= 65536)
    sink_drain(k, 0);
  if (k->failed)
    nkg_buf_clear(k->buf);
  return rc;
}

/* Serialises statements v[0..n), which are sorted, into k. Quads equal to
 * their predecessor are skipped; for syntaxes other than N-Quads, so are
 * triples equal to their predecessor. Returns 0, or -1 with a message. */
static int serialise(nkg_graph *g, const char *syntax,
                     raptor_statement *const *v, size_t n, sink *k) {
  int quads = !strcmp(syntax, "nquads");
  int ntriples = !strcmp(syntax, "ntriples");
  int prefixed = !strcmp(syntax, "turtle") || !strncmp(syntax, "rdfxml", 6);
  if ((quads || ntriples) && !g->raptor_writer)
    return write_lines(v, n, quads, k);
  if (!strcmp(syntax, "turtle") && !g->raptor_writer &&
      !write_turtle(g, v, n, k))
    return 0; /* else what ttlwriter leaves to raptor goes on below */
  raptor_serializer *ser = raptor_new_serializer(g->world, syntax);
  if (!ser) {
    nkg_error("unknown output format '%s'", syntax);
    return -1;
  }
  raptor_iostream *ios =
      raptor_new_iostream_from_handler(g->world, k, &sink_handler);
  if (!ios) {
    nkg_error("cannot create a raptor stream");
    raptor_free_serializer(ser);
    return -1;
  }
  /* rdf: is predeclared by the serialisers that use prefixes; declaring it
   * again is refused, so it is not in the table. N-Triples and N-Quads have
   * no prefixes, and are written once per document when streaming. */
  for (size_t i = 0;
       !quads && !ntriples && i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (declare(ser, g->world, prefixes[i].prefix, prefixes[i].ns, prefixed)) {
      nkg_error("cannot declare prefix %s:", prefixes[i].prefix);
      goto fail;
    }
  if (!quads && !ntriples && declare(ser, g->world, "id", g->base, prefixed)) {
    nkg_error("cannot declare prefix id: for %s", g->base);
    goto fail;
  }
  if (raptor_serializer_start_to_iostream(ser, NULL, ios)) {
    nkg_error("cannot start the %s serialiser", syntax);
    goto fail;
  }

  int rc = 0;
  const raptor_statement *prev = NULL;
  for (size_t i = 0; i < n && !rc; i++) {
    raptor_statement *st = v[i];
    if (quads || ntriples) {
      /* The N-Triples serialiser leaves the graph term out itself. */
      if (prev && (quads ? !cmp_quad_p(&prev, &st) : !cmp_triple(prev, st)))
        continue;
      rc = raptor_serializer_serialize_statement(ser, st);
    } else {
      if (prev && !cmp_triple(prev, st))
        continue;
      /* The same statement without its graph term. A serialiser may keep
       * a reference to it, so it is a real (reference-counted) statement. */
      raptor_statement *t = raptor_new_statement_from_nodes(
          g->world, raptor_term_copy(st->subject),
          raptor_term_copy(st->predicate), raptor_term_copy(st->object), NULL);
      if (!t) {
        rc = 1;
        break;
      }
      rc = raptor_serializer_serialize_statement(ser, t);
      raptor_free_statement(t);
    }
    prev = st;
  }
  if (raptor_serializer_serialize_end(ser))
    rc = 1;
  raptor_free_serializer(ser);
  raptor_free_iostream(ios);
  if (rc) {
    nkg_error("the %s serialiser failed", syntax);
    return -1;
  }
  return 0;

fail:
  raptor_free_serializer(ser);
  raptor_free_iostream(ios);
  return -1;
}

int nkg_graph_write(nkg_graph *g, const char *syntax, FILE *out) {
  nkg_buf buf = {0};
  sink k = {.buf = &buf, .f = out, .json = !strncmp(syntax, "json", 4)};
  if (g->n > 1) /* qsort(NULL, 0, ...) is undefined */
    qsort(g->st, g->n, sizeof *g->st, cmp_quad_p);
  /* N-Triples and N-Quads by ntwriter, unless raptor's are asked for */
  int rc = serialise(g, syntax, g->st, g->n, &k);
  if (!rc)
    sink_drain(&k, 1); /* a failed write is in ferror(out) */
  nkg_buf_free(&buf);
  return rc;
}

int nkg_graph_syntax_streams(const char *syntax) {
  return syntax && (!strcmp(syntax, "ntriples") || !strcmp(syntax, "nquads"));
}

int nkg_graph_flush(nkg_graph *g, const char *syntax, nkg_buf *out) {
  sink k = {.buf = out};
  /* One document's statements are sorted already (nkg_graph_add); and
   * qsort(NULL, 0, ...) is undefined. */
  if (g->n > 1 && !g->sorted && !sorted(g->st, g->n))
    qsort(g->st, g->n, sizeof *g->st, cmp_quad_p);
  int rc = serialise(g, syntax, g->st, g->n, &k);
  for (size_t i = 0; i < g->n; i++)
    raptor_free_statement(g->st[i]);
  g->n = 0;
  arena_reset(g); /* no statement is left */
  g->sorted = 0;
  return rc;
}

size_t nkg_graph_drop_written_entity_quads(const char *base, nkg_byteset *seen,
                                           nkg_buf *buf) {
  nkg_buf tail = {0};
  nkg_buf_printf(&tail, " <%s%s> .", base ? base : NKG_DEFAULT_BASE,
                 NKG_ENTITY_GRAPH);
  size_t in = 0, out = 0, dropped = 0;
  /* raptor escapes line breaks inside terms: one statement a line */
  while (in < buf->len) {
    const char *nl = memchr(buf->data + in, '\n', buf->len - in);
    size_t end = nl ? (size_t)(nl - buf->data) + 1 : buf->len;
    size_t body = nl ? end - 1 : end;
    const char *line = buf->data + in;
    size_t n = end - in;
    int entity = body - in >= tail.len &&
                 !memcmp(buf->data + body - tail.len, tail.data, tail.len);
    if (entity && !nkg_byteset_add(seen, line, n)) {
      dropped++;
    } else {
      if (out != in)
        memmove(buf->data + out, line, n);
      out += n;
    }
    in = end;
  }
  buf->len = out;
  if (buf->data)
    buf->data[out] = '\0';
  nkg_buf_free(&tail);
  return dropped;
}

/* ---- librdf ------------------------------------------------------------ */

int nkg_graph_is_entity_graph(const char *iri, size_t len) {
  size_t k = sizeof NKG_ENTITY_GRAPH - 1;
  return iri && len > k &&
         (iri[len - k - 1] == '/' || iri[len - k - 1] == '#') &&
         !memcmp(iri + len - k, NKG_ENTITY_GRAPH, k);
}

int nkg_graph_to_model(nkg_graph *g, librdf_world *w, librdf_model *m,
                       nkg_store_loaded *loaded) {
  if (g->own_literals) { /* the model would keep terms of g's memory */
    nkg_error("a streaming graph cannot be added to a model");
    return -1;
  }
  if (librdf_world_get_raptor(w) != g->world) {
    nkg_error("graph and model belong to different raptor worlds");
    return -1;
  }
  for (size_t i = 0; i < g->n; i++) {
    if (nkg_store_add(w, m, g->st[i], g->st[i]->graph, loaded) < 0) {
      nkg_error("cannot add a statement to the model");
      return -1;
    }
  }
  return 0;
}
