/* rules.h: the rule set, as read from the *.rules files of the rules
 * directory (private to the extractor; see extract.h for the public side).
 *
 * Syntax, one record a line ('#' comments, a trailing backslash continues a
 * line):
 *   define NAME PATTERN      a named piece of pattern, used as {NAME}
 *   ID KIND PATTERN          a rule
 * ID is unique ([a-z0-9._-]+); KIND is one of official, anaphor, meeting,
 * cooperation, nonsector, sectors, place, date, remote. PATTERN is a PCRE2 pattern over the
 * tagged sentence (see tagger.h); the named groups it may set depend on the
 * kind and are listed in extract/README.md. Rules run in file order (files
 * in name order); a rule's matches never overlap mentions already claimed by
 * an earlier rule of the same stage. */
#ifndef NKG_RULES_H
#define NKG_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "prefilter.h"

typedef enum {
  NKG_RK_OFFICIAL,
  NKG_RK_ANAPHOR,
  NKG_RK_MEETING,
  NKG_RK_COOPERATION,
  NKG_RK_NONSECTOR,
  NKG_RK_SECTORS,
  NKG_RK_PLACE,
  NKG_RK_DATE,
  NKG_RK_REMOTE,
  NKG_RK_EVENTREF,
  NKG_RK_MEETANY,
  NKG_RK_SIDE,
  NKG_RK_COUNT
} nkg_rule_kind;

/* The most leading vetoes a rule is split into (see nkg_rule). */
#define NKG_MAX_VETOES 4

typedef struct {
  char *id;
  nkg_rule_kind kind;
  char *where;   /* "file:line" */
  char *pattern; /* after placeholder expansion */
  pcre2_code *code;
  nkg_prefilter *pre; /* what a sentence must contain to match, or NULL */
  /* Vetoes. A pattern that begins ^(?!.*X1)(?!.*X2)... (no capture group,
   * back-reference or recursion in any Xi) cannot match a subject without
   * a line break in which some Xi is found; the lookahead tries Xi after
   * each prefix, backtracking over the whole subject. So each Xi is also
   * compiled on its own (veto[i], searched from offset 0, with its
   * prefilter veto_pre[i]) and the pattern less the vetoes as rest (the
   * same groups, the same numbers): on a subject without line breaks, a
   * match of rest at offset 0 that no veto finds is a match of code, and
   * the same one. rest is NULL when the rule has no vetoes. */
  pcre2_code *rest;
  pcre2_code *veto[NKG_MAX_VETOES];
  nkg_prefilter *veto_pre[NKG_MAX_VETOES];
  int n_vetoes;
  /* when code is NULL: PCRE2's error code and where in pattern */
  int compile_error;
  size_t error_offset;
} nkg_rule;

/* Which of a rule's patterns have been JIT-compiled (see rules.c). */
typedef struct nkg_rules_jit nkg_rules_jit;

struct nkg_rules {
  nkg_rule *rules;
  size_t n;
  pcre2_match_context *mctx; /* match and depth limits */
  /* JIT compilation is lazy: a pattern is compiled to machine code just
   * before its first match, by whichever thread gets there first. Most
   * rules' prefilters never pass on a given input, and compiling all of
   * them was 40% of the start. Mutable through the const rules that the
   * matchers hold. */
  nkg_rules_jit *jit;
  /* The indices of the rules of kind k, in file order:
   * by_kind[kind_start[k]] to by_kind[kind_start[k + 1] - 1]. Each stage
   * runs one kind; skipping the other rules one by one was 3% of
   * extract. */
  size_t *by_kind;
  size_t kind_start[NKG_RK_COUNT + 1];
};

/* pcre2_match() of rule r on subject s[0..n) from offset start into md,
 * with the limits of rs, JIT-compiling the pattern it runs first if no
 * thread has yet (thread-safe): the same result as matching r->code, by the
 * vetoes and rest when start is 0 and s has no line break. x is the
 * prefilter index of s when *x_current is nonzero; it is built there (and
 * *x_current set) when a veto's prefilter needs it. */
int nkg_rule_match(const struct nkg_rules *rs, const nkg_rule *r, const char *s,
                   size_t n, size_t start, pcre2_match_data *md,
                   nkg_prefilter_index *x, int *x_current);

/* Group number of name in rule r, or -1. */
int nkg_rule_group(const nkg_rule *r, const char *name);

#endif
