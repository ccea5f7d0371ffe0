/* test_jsonl.c: unit tests of the JSON Lines reader (jsonl.c): tables of
 * good lines with the fields they give and bad lines with the message they
 * get, then the reader on a file with good and bad lines. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonl.h"

static const struct {
  const char *line;
  const char *id, *url, *date, *title, *text;
} good[] = {
    {"{\"id\":\"a1\",\"text\":\"Body.\"}", "a1", NULL, "", NULL, "Body."},
    {" { \"id\" : \"a2\" , \"url\" : \"https://x.org/a\" , \"date\" : "
     "\"2021-12-17\" , \"title\" : \"T\" , \"text\" : \"B\" } ",
     "a2", "https://x.org/a", "2021-12-17", "T", "B"},
    {"{\"id\":\"a3\",\"date\":\"2021-12-17T10:20:00Z\",\"text\":\"\"}", "a3",
     NULL, "2021-12-17", NULL, ""},
    {"{\"id\":\"a4\",\"date\":null,\"title\":null,\"url\":null,\"text\":\"x\"}",
     "a4", NULL, "", NULL, "x"},
    {"{\"id\":\"a5\",\"date\":\"\",\"text\":\"x\"}", "a5", NULL, "", NULL, "x"},
    /* escapes, and members that are not ours, of every kind */
    {"{\"id\":\"a\\u00e9\",\"text\":\"l1\\nl2\\t\\\"q\\\"\\\\\\/\","
     "\"extra\":[1,-2.5e+3,true,false,null,{\"k\":[]},\"s\"],\"n\":0}",
     "a\xc3\xa9", NULL, "", NULL, "l1\nl2\t\"q\"\\/"},
    {"{\"id\":\"s\",\"text\":\"\\ud83d\\ude00 \\u20ac\"}", "s", NULL, "", NULL,
     "\xf0\x9f\x98\x80 \xe2\x82\xac"},
    {"{\"id\":\"u\",\"text\":\"caf\xc3\xa9\"}", "u", NULL, "", NULL,
     "caf\xc3\xa9"},
};

static const struct {
  const char *line, *error;
} bad[] = {
    {"", "not a JSON object"},
    {"[1,2]", "not a JSON object"},
    {"{\"id\":\"a\"}", "no \"text\" (a string)"},
    {"{\"text\":\"a\"}", "no \"id\" (a non-empty string)"},
    {"{\"id\":\"\",\"text\":\"a\"}", "no \"id\" (a non-empty string)"},
    {"{\"id\":1,\"text\":\"a\"}", "\"id\" is not a string"},
    {"{\"id\":\"a\",\"text\":[\"a\"]}", "\"text\" is not a string"},
    {"{\"id\":\"a\",\"id\":\"b\",\"text\":\"a\"}", "duplicate member"},
    {"{\"id\":\"a\",\"text\":\"a\"} x", "data after the object"},
    {"{\"id\":\"a\",\"text\":\"a\"", "expected ',' or '}'"},
    {"{\"id\":\"a\" \"text\":\"a\"}", "expected ',' or '}'"},
    {"{\"id\":\"a\",\"text\":\"a\",}", "expected a string"},
    {"{\"id\" \"a\"}", "expected ':'"},
    {"{\"id\":\"a\",\"text\":\"a\tb\"}", "control character in a string"},
    {"{\"id\":\"a\",\"text\":\"a\\qb\"}", "bad escape in a string"},
    {"{\"id\":\"a\",\"text\":\"\\u12\"}", "bad \\u escape"},
    {"{\"id\":\"a\",\"text\":\"\\u0000\"}", "\\u0000 in a string"},
    {"{\"id\":\"a\",\"text\":\"\\ud83d x\"}",
     "lone high surrogate in \\u escape"},
    {"{\"id\":\"a\",\"text\":\"\\ude00\"}", "lone low surrogate in \\u escape"},
    {"{\"id\":\"a\",\"text\":\"abc", "unterminated string"},
    {"{\"id\":\"a\",\"date\":\"17/12/2021\",\"text\":\"a\"}",
     "\"date\" does not start with YYYY-MM-DD"},
    {"{\"id\":\"a\",\"date\":\"2021-13-01\",\"text\":\"a\"}",
     "\"date\" does not start with YYYY-MM-DD"},
    {"{\"id\":\"a\",\"text\":\"a\",\"x\":01}", "expected ',' or '}'"},
    {"{\"id\":\"a\",\"text\":\"a\",\"x\":tru}", "invalid value"},
    {"{\"id\":\"a\",\"text\":\"a\",\"x\":-}", "invalid number"},
    {"{\"id\":\"a\",\"text\":\"a\",\"x\":1.}", "invalid number"},
    {"{\"id\":\"a\",\"text\":\"a\",\"x\":[1 2]}", "expected ',' or ']'"},
    {"{\"id\":\"a\",\"text\":\"a\",\"x\":"
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
     "}",
     "nested too deeply"},
};

static int same(const char *a, const char *b) {
  return (!a && !b) || (a && b && !strcmp(a, b));
}

START_TEST(test_good) {
  nkg_jsonl_article a;
  const char *err = NULL;
  int rc = nkg_jsonl_parse(good[_i].line, strlen(good[_i].line), &a, &err);
  ck_assert_msg(rc == 0, "line %d: %s", _i, err ? err : "?");
  ck_assert_str_eq(a.id, good[_i].id);
  ck_assert_msg(same(a.url, good[_i].url), "url of line %d", _i);
  ck_assert_str_eq(a.date, good[_i].date);
  ck_assert_msg(same(a.title, good[_i].title), "title of line %d", _i);
  ck_assert_str_eq(a.text, good[_i].text);
  ck_assert_uint_eq(a.text_len, strlen(good[_i].text));
  nkg_jsonl_article_free(&a);
}
END_TEST

START_TEST(test_bad) {
  nkg_jsonl_article a;
  const char *err = NULL;
  int rc = nkg_jsonl_parse(bad[_i].line, strlen(bad[_i].line), &a, &err);
  ck_assert_msg(rc == -1, "line %d parsed", _i);
  ck_assert_ptr_nonnull(err);
  ck_assert_str_eq(err, bad[_i].error);
}
END_TEST

START_TEST(test_article_text) {
  nkg_jsonl_article a = {0};
  size_t len;
  char *t;
  a.id = "x";
  a.title = "Two\nlines";
  a.title_len = 9;
  a.text = "Body.";
  a.text_len = 5;
  strcpy(a.date, "2020-01-02");
  t = nkg_jsonl_article_text(&a, &len);
  ck_assert_str_eq(t, "Two lines\n date 2020-01-02\n\nBody.");
  ck_assert_uint_eq(len, strlen(t));
  free(t);
  a.title = NULL;
  a.date[0] = '\0';
  t = nkg_jsonl_article_text(&a, &len);
  ck_assert_str_eq(t, "\n\nBody.");
  free(t);
}
END_TEST

START_TEST(test_reader) {
  char path[] = "/tmp/test_jsonl.XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  FILE *f = fdopen(fd, "w");
  fputs("{\"id\":\"1\",\"text\":\"a\"}\n"
        "\n"
        "{\"id\":\"2\"}\n"
        "{\"id\":\"3\",\"text\":\"c\"}\r\n"
        "{\"id\":\"4\",\"text\":\"d\"}",
        f);
  fclose(f);
  nkg_jsonl_reader *r = nkg_jsonl_open(path);
  ck_assert_ptr_nonnull(r);
  nkg_jsonl_article a;
  ck_assert_int_eq(nkg_jsonl_next(r, &a), 1);
  ck_assert_str_eq(a.id, "1");
  nkg_jsonl_article_free(&a);
  ck_assert_int_eq(nkg_jsonl_next(r, &a), -1); /* line 3, reported */
  ck_assert_uint_eq(nkg_jsonl_errors(r), 1);
  ck_assert_int_eq(nkg_jsonl_next(r, &a), 1);
  ck_assert_str_eq(a.text, "c");
  nkg_jsonl_article_free(&a);
  ck_assert_int_eq(nkg_jsonl_next(r, &a), 1); /* no final newline */
  ck_assert_str_eq(a.id, "4");
  nkg_jsonl_article_free(&a);
  ck_assert_int_eq(nkg_jsonl_next(r, &a), 0);
  nkg_jsonl_close(r);
  unlink(path);
  ck_assert_ptr_null(nkg_jsonl_open("/nonexistent/x.jsonl"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("jsonl");
  TCase *tc = tcase_create("core");
  tcase_add_loop_test(tc, test_good, 0, sizeof good / sizeof good[0]);
  tcase_add_loop_test(tc, test_bad, 0, sizeof bad / sizeof bad[0]);
  tcase_add_test(tc, test_article_text);
  tcase_add_test(tc, test_reader);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
