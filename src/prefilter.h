/* prefilter.h: a cheap necessary condition for a PCRE2 pattern to match.
 *
 * Most rules cannot match most sentences: "met ... OFFICIAL" needs the word
 * "met" and the tag OFFICIAL. nkg_prefilter_new() reads a pattern's text
 * and keeps the literals that every match must contain, in the order the
 * match consumes them, with alternations kept as "one of": for
 *   (?<a>OFFICIAL) {NOTOFF}{0,60}?\b(?:met|meets) (?<b>OFFICIAL)
 * it keeps  OFFICIAL, then one of {"met", "meets"}, then OFFICIAL.
 * nkg_prefilter_may_match() answers 0 only when the subject lacks them, so
 * skipping the match then never changes a result.
 *
 * The reader is conservative: literals under a quantifier that allows zero,
 * inside lookarounds, classes or escapes other than an escaped punctuation
 * mark are not kept, and a pattern with constructs it does not know
 * (options such as (?i), verbs, conditionals, \Q, back-references,
 * \x{...}) gets no prefilter at all. It assumes the options newskg compiles
 * rules with: UTF, case-sensitive, not extended. */
#ifndef NKG_PREFILTER_H
#define NKG_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct nkg_prefilter nkg_prefilter;

/* The prefilter of the pattern p[0..n), or NULL when nothing is required of
 * a subject (then every subject may match). The caller frees it. */
nkg_prefilter *nkg_prefilter_new(const char *p, size_t n);

/* The bytes and byte pairs a subject holds: most absent literals are ruled
 * out by a few bit tests, before any search. Pairs are hashed to 4096 bits
 * (a cleared 512-byte map per subject stays in the L1 cache; a collision
 * only lets the search run). Built once per subject and shared by every
 * prefilter tried on it; no allocation. */
#define NKG_PREFILTER_PAIR_BITS 4096
typedef struct {
  uint64_t pairs[NKG_PREFILTER_PAIR_BITS / 64];
  uint64_t bytes[256 / 64];
} nkg_prefilter_index;

/* Fills x for the subject s[0..n). */
void nkg_prefilter_index_build(nkg_prefilter_index *x, const char *s,
                               size_t n);

/* 0 when no match of the pattern can start at or after offset from in
 * s[0..n); 1 when one may. x is the index of that same s[0..n). */
int nkg_prefilter_may_match(const nkg_prefilter *f,
                            const nkg_prefilter_index *x, const char *s,
                            size_t n, size_t from);

/* Appends the prefilter in a readable form to out (for tests): literals in
 * quotes, in order, "one of" as {"a"|"b"}; nothing for NULL. */
void nkg_prefilter_describe(const nkg_prefilter *f, nkg_buf *out);

void nkg_prefilter_free(nkg_prefilter *f);

#endif
