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
  NKG_RK_COUNT
} nkg_rule_kind;

typedef struct {
  char *id;
  nkg_rule_kind kind;
  char *where;   /* "file:line" */
  char *pattern; /* after placeholder expansion */
  pcre2_code *code;
  nkg_prefilter *pre; /* what a sentence must contain to match, or NULL */
} nkg_rule;

struct nkg_rules {
  nkg_rule *rules;
  size_t n;
  pcre2_match_context *mctx; /* match and depth limits */
  /* The indices of the rules of kind k, in file order:
   * by_kind[kind_start[k]] to by_kind[kind_start[k + 1] - 1]. Each stage
   * runs one kind; skipping the other rules one by one was 3% of
   * extract. */
  size_t *by_kind;
  size_t kind_start[NKG_RK_COUNT + 1];
};

/* Group number of name in rule r, or -1. */
int nkg_rule_group(const nkg_rule *r, const char *name);

#endif
