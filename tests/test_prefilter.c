/* test_prefilter.c: the literals prefilter.c keeps for a pattern, and that
 * it never rules out a subject PCRE2 matches. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "prefilter.h"

static char *describe(const char *pattern) {
  nkg_prefilter *f = nkg_prefilter_new(pattern, strlen(pattern));
  nkg_buf b = {0};
  nkg_buf_adds(&b, "");
  nkg_prefilter_describe(f, &b);
  nkg_prefilter_free(f);
  return nkg_buf_steal(&b);
}

static const struct {
  const char *pattern, *kept;
} describe_cases[] = {
    {"OFFICIAL met OFFICIAL", "\"OFFICIAL met OFFICIAL\""},
    /* a quantified character leaves the run, and splits it; one that may
     * be absent joins both ways, as do adjacent literal sets (at most 8
     * texts) */
    {"areas? of", "{\"area of\"|\"areas of\"}"},
    {"ab*c", "\"a\" \"c\""},
    {"ab{2,3}c", "\"a\" \"c\""},
    /* a group that may be absent is not kept; one that must be is */
    {"a(?:bc)?d", "{\"ad\"|\"abcd\"}"},
    {"a(?:bc){0,2}d", "\"a\" \"d\""},
    {"a(?:bc)+d", "\"a\" \"bc\" \"d\""},
    {"(?<a>OFFICIAL) (?:met|met with) (?<b>OFFICIAL)",
     "{\"OFFICIAL met OFFICIAL\"|\"OFFICIAL met with OFFICIAL\"}"},
    /* a group that is not literal text alone joins nothing */
    {"x(?:a[0-9]|b)y", "\"x\" {\"a\"|\"b\"} \"y\""},
    {"x(?:a\\s)y", "\"x\" \"a\" \"y\""},
    {"x(?:(?:a)?b)y", "\"x\" \"b\" \"y\""},
    {"(?:a|b)+c", "{\"a\"|\"b\"} \"c\""},
    /* more than 8 texts: the sets stay apart */
    {"(?:a|b|c)(?:d|e|f)", "{\"a\"|\"b\"|\"c\"} {\"d\"|\"e\"|\"f\"}"},
    /* zero-width items leave the text on both sides adjacent */
    {"to\\b (?=x)x", "\"to x\""},
    /* "she" holds "he": the shorter literal alone decides */
    {"^(?<pron>he|she)\\b", "\"he\""},
    {"(?:talks|meeting) with", "{\"talks with\"|\"meeting with\"}"},
    /* an alternative that needs nothing makes the group need nothing */
    {"x(?:a|b*)y", "\"x\" \"y\""},
    {"a|b*", ""},
    /* lookarounds, classes, escapes and dots are gaps */
    {"(?<!\\bwill )met(?= OFFICIAL)", "\"met\""},
    {"(?=.*\\bthen\\b)now", "\"now\""},
    {"a[^.;]{0,80}?b.c\\sd\\be", "\"a\" \"b\" \"c\" \"de\""},
    {"[]a]x[[:alpha:]]y", "\"x\" \"y\""},
    {"\\. \\( x", "\". ( x\""},
    {"t\xc3\xaa", "\"t\xc3\xaa\""},
    {"t\xc3\xaa?", "\"t\""},
    /* what the reader does not know gives no prefilter at all */
    {"(?i)met", ""},
    {"(?i:met) x", ""},
    {"\\Qmet\\E", ""},
    {"(a)\\1", ""},
    {"\\x{41}bc", ""},
    {"(*UTF)abc", ""},
    {"a{,3}b", ""},
    {"abc)", ""},
    {"(abc", ""},
    {".*", ""},
    {"", ""},
};

START_TEST(test_describe) {
  for (size_t i = 0; i < sizeof describe_cases / sizeof describe_cases[0];
       i++) {
    char *got = describe(describe_cases[i].pattern);
    ck_assert_msg(!strcmp(got, describe_cases[i].kept),
                  "pattern \"%s\" keeps %s, want %s",
                  describe_cases[i].pattern, got, describe_cases[i].kept);
    free(got);
  }
}
END_TEST

static int may_match(const char *pattern, const char *s, size_t from) {
  nkg_prefilter *f = nkg_prefilter_new(pattern, strlen(pattern));
  nkg_prefilter_index *x = malloc(sizeof *x);
  ck_assert_ptr_nonnull(x);
  nkg_prefilter_index_build(x, s, strlen(s));
  int r = nkg_prefilter_may_match(f, x, s, strlen(s), from);
  free(x);
  nkg_prefilter_free(f);
  return r;
}

static const struct {
  const char *pattern, *subject;
  size_t from;
  int may;
} match_cases[] = {
    {"(?<a>OFFICIAL) met (?<b>OFFICIAL)", "OFFICIAL met OFFICIAL .", 0, 1},
    /* one OFFICIAL is not two */
    {"(?<a>OFFICIAL) {0,9}met (?<b>OFFICIAL)", "OFFICIAL met NAME .", 0, 0},
    /* order counts */
    {"a.*b", "b a", 0, 0},
    {"a.*b", "a b", 0, 1},
    /* from counts */
    {"met", "met x", 1, 0},
    {"met", "x met", 1, 1},
    /* earliest ends: the later literal finds room after the first */
    {"(?:talks|meeting).*with", "meeting with talks", 0, 1},
    {"(?:talks|meeting).*with", "with talks", 0, 0},
    /* a single byte, and a pair present but not as one literal */
    {"a;b", "a ; b", 0, 0},
    {"ab", "ba b", 0, 0},
    {"ab", "xab", 0, 1},
};

START_TEST(test_may_match) {
  for (size_t i = 0; i < sizeof match_cases / sizeof match_cases[0]; i++)
    ck_assert_msg(may_match(match_cases[i].pattern, match_cases[i].subject,
                            match_cases[i].from) == match_cases[i].may,
                  "\"%s\" on \"%s\" from %zu: want %d",
                  match_cases[i].pattern, match_cases[i].subject,
                  match_cases[i].from, match_cases[i].may);
}
END_TEST

/* Every pattern against every subject and offset: whenever PCRE2 (compiled
 * as rules.c compiles rules) finds a match, the prefilter must allow it. */
static const char *const sound_patterns[] = {
    "(?<a>OFFICIAL) (?:[a-z]+ ){0,3}(?:met|meets|talks) (?:with )?(?<b>OFFICIAL)",
    "\\b(?:met|meet|signed)\\b[^.;]{0,80}?\\bin (?<place>NAME(?: NAME){0,2})",
    "^(?<pron>he|she)\\b",
    "(?<list>SECTOR(?: (?:,|and) SECTOR)*) (?:cooperation|ties)\\b",
    "(?<![^ ])(?<d>SECTOR) (?:and|&) SECTOR(?= ,| \\.|$)",
    "areas? of (?<x>[a-z]+)",
    "OFFICIAL(?: , (?:accompanied by|along with) OFFICIAL ,)? called on OFFICIAL",
    "t\xc3\xaa+te",
    "(?:will|to) (?:further |also )?(?<s>SECTOR)\\b",
    "x(?:(?:a)?b)y",
    "(?:OFFICIAL|he)(?: , (?:and )?OFFICIAL)? (?:met|talks?) (?:with )?OFFICIAL",
    "(?:a|b)+c",
};
static const char *const sound_subjects[] = {
    "OFFICIAL met OFFICIAL .",
    "OFFICIAL also met with OFFICIAL in NAME .",
    "OFFICIAL , along with OFFICIAL , called on OFFICIAL",
    "he said SECTOR and SECTOR cooperation ties",
    "she met OFFICIAL here",
    "area of trade and areas of SECTOR & SECTOR",
    "OFFICIAL talks with OFFICIAL",
    "t\xc3\xaa\xc3\xaate \xff met",
    "we will further SECTOR and to SECTOR , to also SECTOR",
    "xby xaby xy abbc",
    "he met with OFFICIAL , and OFFICIAL talk OFFICIAL",
    "",
};

START_TEST(test_sound) {
  pcre2_match_data *md = pcre2_match_data_create(16, NULL);
  ck_assert_ptr_nonnull(md);
  size_t np = sizeof sound_patterns / sizeof sound_patterns[0];
  size_t ns = sizeof sound_subjects / sizeof sound_subjects[0];
  size_t matched = 0, ruled_out = 0;
  for (size_t i = 0; i < np; i++) {
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile(
        (PCRE2_SPTR)sound_patterns[i], PCRE2_ZERO_TERMINATED,
        PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
    ck_assert_msg(code != NULL, "pattern %zu does not compile", i);
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    for (size_t j = 0; j < ns; j++) {
      const char *s = sound_subjects[j];
      size_t n = strlen(s);
      for (size_t from = 0; from <= n; from++) {
        int rc = pcre2_match(code, (PCRE2_SPTR)s, n, from, 0, md, NULL);
        int may = may_match(sound_patterns[i], s, from);
        ck_assert_msg(rc == PCRE2_ERROR_NOMATCH || rc >= 0,
                      "pattern %zu subject %zu: rc %d", i, j, rc);
        ck_assert_msg(rc < 0 || may,
                      "pattern \"%s\" matches \"%s\" from %zu, but the "
                      "prefilter rules it out",
                      sound_patterns[i], s, from);
        matched += rc >= 0;
        ruled_out += !may;
      }
    }
    pcre2_code_free(code);
  }
  pcre2_match_data_free(md);
  /* the sweep tests something both ways */
  ck_assert_uint_gt(matched, 20);
  ck_assert_uint_gt(ruled_out, 100);
}
END_TEST

int main(void) {
  Suite *s = suite_create("prefilter");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_describe);
  tcase_add_test(tc, test_may_match);
  tcase_add_test(tc, test_sound);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
