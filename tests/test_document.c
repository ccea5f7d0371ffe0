/* test_document.c: unit tests of reading, cleaning and sentence splitting
 * (document.c), tokenising (tokens.c) and tagging (tagger.c), with exact
 * expected values. Uses the shipped lexicon (NEWSKG_RULES). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "lexicon.h"
#include "tagger.h"
#include "tokens.h"
#include "util.h"

static nkg_lexicon *lex;

static void load_lexicon(void) {
  const char *dir = getenv("NEWSKG_RULES");
  lex = nkg_lexicon_load(dir ? dir : "extract");
  ck_assert_ptr_nonnull(lex);
}

static void free_lexicon(void) { nkg_lexicon_free(lex); }

static nkg_document *doc_of(const char *text) {
  nkg_document *d =
      nkg_document_from_text("test.txt", nkg_xstrdup(text), strlen(text));
  ck_assert_int_eq(nkg_document_analyse(d, lex), 0);
  return d;
}

/* The sentences of text, joined with '|'. */
static char *sentences(const char *text) {
  nkg_document *d = doc_of(text);
  nkg_buf b = {0};
  for (size_t i = 0; i < d->n_sentences; i++) {
    if (i)
      nkg_buf_addc(&b, '|');
    nkg_buf_add(&b, d->text + d->sentences[i].begin,
                d->sentences[i].end - d->sentences[i].begin);
  }
  nkg_document_free(d);
  return nkg_buf_steal(&b);
}

static const struct {
  const char *in, *out;
} split_cases[] = {
    {"Title\nOne sentence. Two sentences.", "Title|One sentence.|Two sentences."},
    {"T\nMr. Khan met Dr. Lee in the U.S. capital. They spoke.",
     "T|Mr. Khan met Dr. Lee in the U.S. capital.|They spoke."},
    {"T\nGilberto C. Teodoro Jr. met him. Fine.",
     "T|Gilberto C. Teodoro Jr. met him.|Fine."},
    {"T\nIt grew 3.5 percent in Jan. this year. Next?  Yes!",
     "T|It grew 3.5 percent in Jan. this year.|Next?|Yes!"},
    {"T\n\"We agree.\" He left.", "T|\"We agree.\"|He left."},
    {"T\nA headline without a stop\nBody here.",
     "T|A headline without a stop|Body here."},
    {"T\r\nWindows line. Ends.\r\nNext line.\rOld Mac line.",
     "T|Windows line.|Ends.|Next line.|Old Mac line."},
    {"T\nlower case after a stop. is not a new sentence.",
     "T|lower case after a stop. is not a new sentence."},
    /* a space lost after the stop (scraped pages); not an initial, a
     * title or a domain */
    {"T\nIt was held on June 27.Speaking later, he agreed.Both left.",
     "T|It was held on June 27.|Speaking later, he agreed.|Both left."},
    {"T\nB.Myatiev met Mr.Lee and Gen.Ross at baochinhphu.vn today.",
     "T|B.Myatiev met Mr.Lee and Gen.Ross at baochinhphu.vn today."},
    /* a line that ends with a word that never ends a sentence goes on in
     * the next non-blank line; not the title, nor a word in capitals */
    {"Talks in\nThey agreed to work together in\n\nFishing, Tourism. Done.",
     "Talks in|They agreed to work together in\n\nFishing, Tourism.|Done."},
    {"T\nThe list: A, B and\nC.\nIt covers IT\nNext line.",
     "T|The list: A, B and\nC.|It covers IT|Next line."},
};

START_TEST(test_split) {
  char *got = sentences(split_cases[_i].in);
  ck_assert_str_eq(got, split_cases[_i].out);
  free(got);
}
END_TEST

START_TEST(test_header) {
  nkg_document *d =
      doc_of(" date 2024-03-14\nKenya and Peru agree\n\nNAIROBI, March 14 "
             "(KNA): Kenya and Peru agreed. More.\nShare this:\nRead more\n");
  ck_assert_str_eq(d->published, "2024-03-14");
  ck_assert_int_eq((int)(d->title_end - d->title_begin), 20);
  ck_assert(strncmp(d->text + d->title_begin, "Kenya and Peru agree", 20) ==
            0);
  ck_assert(strncmp(d->text + d->dateline_begin, "NAIROBI", 7) == 0);
  ck_assert_int_eq((int)(d->dateline_end - d->dateline_begin), 7);
  /* the title, then the body without its dateline; no furniture */
  ck_assert_int_eq((int)d->n_sentences, 3);
  ck_assert(strncmp(d->text + d->sentences[1].begin, "Kenya and Peru agreed.",
                    22) == 0);
  nkg_document_free(d);
}
END_TEST

/* Page dates of the lead: the published date of an article with no date
 * line (the last before the body); none from a date inside the body, and
 * a date line wins over all. */
static const struct {
  const char *in, *published;
} page_date_cases[] = {
    {"Kenya and Peru agree\nPublished 11-03-2024\nKenya and Peru agreed.",
     "2024-03-11"},
    {"Kenya and Peru agree\nSource: KNA Published: 2024-3-9 13:41:03\nBody.",
     "2024-03-09"},
    {"Kenya and Peru agree\nThứ Bảy, 22/06/2019, 20:19\nBody.", "2019-06-22"},
    {"Kenya and Peru agree\n05/25/2023 | Press release | Distributed by "
     "Public on 05/26/2023 04:32\nBody.",
     "2023-05-25"},
    {"Kenya and Peru agree\n24 November 2006\nMedia statement\nBody.",
     "2006-11-24"},
    {"Kenya and Peru agree\nTuesday, September 24, 2013\nBody.", "2013-09-24"},
    {"Kenya and Peru agree\n(Source: Ministry of Trade; issued July 02, 2019)"
     "\nBody.",
     "2019-07-02"},
    {"04.10.2025\nSaturday, 4 October 2025\nKenya and Peru agree\n03.10.2025"
     "\nBody.",
     "2025-10-03"},
    {" date 2024-03-14\nKenya and Peru agree\n24 November 2006\nBody.",
     "2024-03-14"},
    /* a body paragraph ends the lead; a sentence with a date is no page
     * date */
    {"Kenya and Peru agree\nThe two ministers of Kenya and Peru met in Nairobi "
     "and agreed to work together in trade and mining.\n24 November 2006\n",
     ""},
    {"Kenya and Peru agree\nThe talks were held on 24 November 2006.\n", ""},
    {"Kenya and Peru agree\n31/02/2024\nBody.", ""},
};

START_TEST(test_page_date) {
  nkg_document *d = doc_of(page_date_cases[_i].in);
  ck_assert_str_eq(d->published, page_date_cases[_i].published);
  nkg_document_free(d);
}
END_TEST

START_TEST(test_title_case_headline_skipped) {
  char *got = sentences("Kenya Signs Deal\nKenya And Peru Sign Major Energy "
                        "Deal In Nairobi\nKenya and Peru signed a deal.");
  ck_assert_str_eq(got, "Kenya Signs Deal|Kenya and Peru signed a deal.");
  free(got);
}
END_TEST

START_TEST(test_offsets_are_exact) {
  /* BOM removed; invalid UTF-8 and control bytes replaced one for one */
  const char text[] = "\xEF\xBB\xBFT\nCaf\xC3\xA9 \xFF ok\x01. Next one.";
  nkg_document *d = nkg_document_from_text("t", nkg_xstrdup(text),
                                           sizeof text - 1);
  ck_assert_int_eq(nkg_document_analyse(d, lex), 0);
  ck_assert_int_eq((int)d->len, (int)sizeof text - 1 - 3);
  ck_assert_int_eq(d->replaced_bytes, 2);
  ck_assert_str_eq(d->text, "T\nCaf\xC3\xA9 ? ok . Next one.");
  ck_assert_int_eq((int)d->n_sentences, 3);
  /* "Next" starts at byte 15, code point 14 (the é is two bytes) */
  ck_assert_int_eq((int)d->sentences[2].begin, 15);
  ck_assert_int_eq((int)nkg_document_cp_offset(d, d->sentences[2].begin), 14);
  ck_assert_int_eq((int)nkg_document_cp_offset(d, 2), 2);
  nkg_document_free(d);
}
END_TEST

START_TEST(test_empty_and_blank) {
  nkg_document *d = doc_of("");
  ck_assert_int_eq((int)d->n_sentences, 0);
  nkg_document_free(d);
  d = doc_of(" \n\t\r\n  ");
  ck_assert_int_eq((int)d->n_sentences, 0);
  nkg_document_free(d);
}
END_TEST

static char *tokens(const char *s) {
  nkg_token *t = NULL;
  size_t n = 0, cap = 0;
  nkg_tokenize(s, 0, strlen(s), &t, &n, &cap);
  nkg_buf b = {0};
  for (size_t i = 0; i < n; i++) {
    if (i)
      nkg_buf_addc(&b, '|');
    nkg_buf_add(&b, s + t[i].begin, t[i].end - t[i].begin);
  }
  free(t);
  return nkg_buf_steal(&b);
}

static const struct {
  const char *in, *out;
} token_cases[] = {
    {"Pakistan's U.S. ties", "Pakistan|'s|U.S|.|ties"},
    {"Pakistan\xE2\x80\x99s R&D, Chan-o-cha", "Pakistan|\xE2\x80\x99s|R&D|,|Chan-o-cha"},
    {"Pakistan-China Vice-Minister", "Pakistan|-|China|Vice|-|Minister"},
    {"(SAPM) 17th", "(|SAPM|)|17th"},
};

START_TEST(test_tokens) {
  char *got = tokens(token_cases[_i].in);
  ck_assert_str_eq(got, token_cases[_i].out);
  free(got);
}
END_TEST

static const struct {
  const char *in, *out;
} tag_cases[] = {
    {"Japan's Foreign Minister Taro Aso met the Thai ambassador.",
     "COUNTRY 's TITLE NAME NAME met the DEMONYM RANK ."},
    {"cooperation in textile, mining and food processing",
     "cooperation in SECTOR , SECTOR and SECTOR"},
    {"IT and it", "SECTOR and it"},
    {"agriculture-forestry-fishery", "SECTOR SECTOR SECTOR"},
    {"on Friday, 12 November 2024", "on WEEKDAY , NUM MONTH YEAR"},
};

START_TEST(test_tags) {
  nkg_tagged t = {0};
  const char *s = tag_cases[_i].in;
  nkg_tag_sentence(lex, s, 0, strlen(s), &t);
  ck_assert_str_eq(t.tags.data, tag_cases[_i].out);
  nkg_tagged_free(&t);
}
END_TEST

int main(void) {
  Suite *s = suite_create("document");
  TCase *tc = tcase_create("document");
  tcase_add_unchecked_fixture(tc, load_lexicon, free_lexicon);
  tcase_add_loop_test(tc, test_split, 0,
                      sizeof split_cases / sizeof *split_cases);
  tcase_add_test(tc, test_header);
  tcase_add_loop_test(tc, test_page_date, 0,
                      sizeof page_date_cases / sizeof *page_date_cases);
  tcase_add_test(tc, test_title_case_headline_skipped);
  tcase_add_test(tc, test_offsets_are_exact);
  tcase_add_test(tc, test_empty_and_blank);
  tcase_add_loop_test(tc, test_tokens, 0,
                      sizeof token_cases / sizeof *token_cases);
  tcase_add_loop_test(tc, test_tags, 0, sizeof tag_cases / sizeof *tag_cases);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
