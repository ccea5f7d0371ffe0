/* test_rules_veto.c: a rule that begins ^(?!.*X)... is split into vetoes
 * and a rest (rules.h), only when that is exact, and nkg_rule_match()
 * then gives what pcre2_match() of the whole pattern gives: the same
 * result code and the same groups, on subjects with and without vetoed
 * words, line breaks and offsets other than 0. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "rules.h"

/* rule id, pattern, vetoes it must be split into */
static const struct {
  const char *id, *pattern;
  int vetoes;
} cases[] = {
    {"plain", "^(?!.*\\b(?:will|not)\\b)(?<a>OFFICIAL) met (?<b>OFFICIAL)", 1},
    /* as a {DEFINE} expands: (?:(?!.*X)), and several in a row */
    {"wrapped",
     "^(?:(?!.*\\bwill\\b))(?:(?!.*OFFICIAL(?<=letter from OFFICIAL)))"
     "(?:(?=.*?\\b(?<split>in the presence of)\\b))?.*?\\b(?<t>met|talks)\\b",
     2},
    /* lookbehinds, atomic groups and classes inside a veto are fine */
    {"inner", "^(?!.*(?>[a-c]x|\\(y\\))(?<!z))(?:.* )?(?<w>x|y)", 1},
    /* not split: a capture group inside (it would renumber the others),
     * an alternative at the lookahead's own level, a lazy or possessive
     * .*, a back-reference, no ^ */
    {"capture", "^(?!.*(will))(?<a>OFFICIAL)", 0},
    {"alternative", "^(?!.*will|not)(?<a>OFFICIAL)", 0},
    {"lazy", "^(?!.*?will)(?<a>OFFICIAL)", 0},
    {"possessive", "^(?!.*+will)(?<a>OFFICIAL)", 0},
    {"backref", "^(?<q>a)(?!.*\\k<q>)b", 0},
    {"unanchored", "(?!.*will)(?<a>OFFICIAL)", 0},
    /* the veto ends where its group ends, not at a ')' in a class */
    {"class", "^(?!.*[)(]will)(?<a>OFFICIAL)", 1},
};

static const char *subjects[] = {
    "OFFICIAL met OFFICIAL",
    "OFFICIAL met OFFICIAL , who will return",
    "OFFICIAL will have met OFFICIAL",
    "OFFICIAL met OFFICIAL\nthey will",
    "they will\nOFFICIAL met OFFICIAL",
    "OFFICIAL did not meet OFFICIAL",
    "OFFICIAL held talks in the presence of OFFICIAL",
    "a letter from OFFICIAL : OFFICIAL met OFFICIAL",
    "willing OFFICIAL met OFFICIAL",
    "OFFICIAL met OFFICIAL (will) x",
    "ax bx (y) zx y",
    "cx x",
    "ab",
    "aab",
    "OFFICIAL )will",
    "",
    "\r\nOFFICIAL met OFFICIAL will",
};

static char *write_rules(void) {
  char *dir = strdup("/tmp/newskg-veto.XXXXXX");
  ck_assert_ptr_nonnull(dir);
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/t.rules", dir);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    fprintf(f, "%s cooperation %s\n", cases[i].id, cases[i].pattern);
  ck_assert_int_eq(fclose(f), 0);
  return dir;
}

static void remove_rules(char *dir) {
  char path[256];
  snprintf(path, sizeof path, "%s/t.rules", dir);
  unlink(path);
  rmdir(dir);
  free(dir);
}

START_TEST(test_split) {
  char *dir = write_rules();
  nkg_rules *rs = nkg_rules_load(dir);
  ck_assert_ptr_nonnull(rs);
  ck_assert_uint_eq(rs->n, sizeof cases / sizeof cases[0]);
  for (size_t i = 0; i < rs->n; i++) {
    ck_assert_str_eq(rs->rules[i].id, cases[i].id);
    ck_assert_msg(rs->rules[i].n_vetoes == cases[i].vetoes,
                  "rule %s: %d vetoes, expected %d", cases[i].id,
                  rs->rules[i].n_vetoes, cases[i].vetoes);
    ck_assert(!cases[i].vetoes || rs->rules[i].rest);
  }
  nkg_rules_free(rs);
  remove_rules(dir);
}
END_TEST

START_TEST(test_same_as_whole_pattern) {
  char *dir = write_rules();
  nkg_rules *rs = nkg_rules_load(dir);
  ck_assert_ptr_nonnull(rs);
  pcre2_match_data *a = pcre2_match_data_create(16, NULL);
  pcre2_match_data *b = pcre2_match_data_create(16, NULL);
  ck_assert(a && b);
  nkg_prefilter_index *x = malloc(sizeof *x);
  ck_assert_ptr_nonnull(x);
  size_t matched = 0, vetoed = 0;
  for (size_t i = 0; i < rs->n; i++) {
    const nkg_rule *r = &rs->rules[i];
    for (size_t j = 0; j < sizeof subjects / sizeof subjects[0]; j++) {
      const char *s = subjects[j];
      size_t n = strlen(s);
      for (size_t from = 0; from <= n; from++) {
        int current = 0;
        int want = pcre2_match(r->code, (PCRE2_SPTR)s, n, from, 0, a, NULL);
        int got = nkg_rule_match(rs, r, s, n, from, b, x, &current);
        ck_assert_msg(got == want,
                      "rule %s on \"%s\" from %zu: %d, whole "
                      "pattern %d",
                      r->id, s, from, got, want);
        if (want < 0) {
          vetoed += r->n_vetoes > 0 && from == 0;
          continue;
        }
        matched++;
        PCRE2_SIZE *ova = pcre2_get_ovector_pointer(a);
        PCRE2_SIZE *ovb = pcre2_get_ovector_pointer(b);
        for (int k = 0; k < 2 * want; k++)
          ck_assert_msg(ova[k] == ovb[k],
                        "rule %s on \"%s\": ovector[%d] "
                        "%zu, whole pattern %zu",
                        r->id, s, k, (size_t)ovb[k], (size_t)ova[k]);
      }
    }
  }
  /* the sweep tests something both ways */
  ck_assert_uint_gt(matched, 20);
  ck_assert_uint_gt(vetoed, 20);
  free(x);
  pcre2_match_data_free(a);
  pcre2_match_data_free(b);
  nkg_rules_free(rs);
  remove_rules(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rules_veto");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_split);
  tcase_add_test(tc, test_same_as_whole_pattern);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
