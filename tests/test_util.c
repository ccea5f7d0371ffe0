/* test_util.c: unit tests of util.c with exact expected values. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static char *slug(const char *s) {
  nkg_buf b = {0};
  nkg_slug(&b, s, strlen(s));
  return nkg_buf_steal(&b);
}

static const struct {
  const char *in, *out;
} slug_cases[] = {
    {"Matsuo Takehiko", "matsuo-takehiko"},
    {"Prime Minister of Japan", "prime-minister-of-japan"},
    {"  --Hello, World!-- ", "hello-world"},
    {"Minister for Foreign Affairs (acting)",
     "minister-for-foreign-affairs-acting"},
    {"H.E. Dr. A.B. Khan", "h-e-dr-a-b-khan"},
    {"ABC123xyz", "abc123xyz"},
    {"Caf\xc3\xa9", "caf%C3%A9"},
    {"\xc3\x89lys\xc3\xa9"
     "e Palace",
     "%C3%89lys%C3%A9e-palace"},
    {"S\xc3\xa3o Paulo", "s%C3%A3o-paulo"},
    {"\xe6\x97\xa5\xe6\x9c\xac", "%E6%97%A5%E6%9C%AC"},
    {"a\xc2\xa0"
     "b",
     "a%C2%A0b"},
    {"!!!", ""},
    {"", ""},
    {"x", "x"},
    {"O'Brien-Smith", "o-brien-smith"},
    {"tab\there\nnew", "tab-here-new"},
};

START_TEST(test_slug) {
  for (size_t i = 0; i < sizeof slug_cases / sizeof slug_cases[0]; i++) {
    char *s = slug(slug_cases[i].in);
    ck_assert_msg(!strcmp(s, slug_cases[i].out),
                  "slug(\"%s\") = \"%s\", want \"%s\"", slug_cases[i].in, s,
                  slug_cases[i].out);
    free(s);
  }
}
END_TEST

START_TEST(test_slug_appends) {
  nkg_buf b = {0};
  nkg_buf_adds(&b, "person/");
  nkg_slug(&b, "-Ali Khan-", 10);
  ck_assert_str_eq(b.data, "person/ali-khan");
  ck_assert_uint_eq(b.len, 15);
  /* Only the first n bytes count. */
  nkg_buf_clear(&b);
  nkg_slug(&b, "Ali Khan", 3);
  ck_assert_str_eq(b.data, "ali");
  nkg_buf_free(&b);
}
END_TEST

START_TEST(test_buf) {
  nkg_buf b = {0};
  nkg_buf_add(&b, "abc", 2);
  ck_assert_str_eq(b.data, "ab");
  ck_assert_uint_eq(b.len, 2);
  nkg_buf_adds(&b, "cd");
  nkg_buf_addc(&b, 'e');
  nkg_buf_printf(&b, "-%d-%s-%05.1f", 42, "x", 2.5);
  ck_assert_str_eq(b.data, "abcde-42-x-002.5");
  ck_assert_uint_eq(b.len, strlen(b.data));
  nkg_buf_add(&b, "", 0);
  ck_assert_uint_eq(b.len, 16);

  /* Growth far beyond the first allocation keeps every byte. */
  nkg_buf_clear(&b);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_str_eq(b.data, "");
  for (int i = 0; i < 1000; i++)
    nkg_buf_printf(&b, "%03d", i);
  ck_assert_uint_eq(b.len, 3000);
  ck_assert_uint_ge(b.cap, 3001);
  ck_assert_int_eq(memcmp(b.data + 2997, "999", 4), 0);

  /* Embedded NULs are kept; len counts them. */
  nkg_buf_clear(&b);
  nkg_buf_add(&b, "a\0b", 3);
  ck_assert_uint_eq(b.len, 3);
  ck_assert_int_eq(memcmp(b.data, "a\0b\0", 4), 0);

  char *s = nkg_buf_steal(&b);
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_uint_eq(b.cap, 0);
  ck_assert_int_eq(memcmp(s, "a\0b", 3), 0);
  free(s);

  /* Stealing an empty buffer gives an empty string, not NULL. */
  s = nkg_buf_steal(&b);
  ck_assert_str_eq(s, "");
  free(s);
  nkg_buf_free(&b);
  nkg_buf_free(&b); /* twice is harmless */
}
END_TEST

/* A buffer on the caller's memory stays there while it fits, moves to the
 * heap (keeping its bytes) when it outgrows it, and is freed or stolen
 * without freeing the caller's memory (ASan and valgrind would see it). */
START_TEST(test_buf_use) {
  char mem[8];
  nkg_buf b;
  nkg_buf_use(&b, mem, sizeof mem);
  ck_assert_ptr_eq(b.data, mem);
  ck_assert_str_eq(b.data, "");
  nkg_buf_add(&b, "abcdefg", 7); /* 7 bytes and the NUL: fits */
  ck_assert_ptr_eq(b.data, mem);
  ck_assert_str_eq(b.data, "abcdefg");
  nkg_buf_addc(&b, 'h'); /* no room for the NUL: to the heap */
  ck_assert_ptr_ne(b.data, mem);
  ck_assert_str_eq(b.data, "abcdefgh");
  ck_assert_uint_eq(b.len, 8);
  for (int i = 0; i < 100; i++)
    nkg_buf_addc(&b, 'x');
  ck_assert_uint_eq(b.len, 108);
  ck_assert_int_eq(memcmp(b.data, "abcdefghxx", 10), 0);
  nkg_buf_free(&b); /* frees the heap copy */
  ck_assert_ptr_null(b.data);

  nkg_buf_use(&b, mem, sizeof mem);
  nkg_buf_adds(&b, "ab");
  nkg_buf_free(&b); /* leaves mem alone */
  ck_assert_ptr_null(b.data);
  nkg_buf_adds(&b, "then the heap"); /* reusable as a zeroed buffer */
  ck_assert_str_eq(b.data, "then the heap");
  nkg_buf_free(&b);

  nkg_buf_use(&b, mem, sizeof mem);
  nkg_buf_adds(&b, "ab");
  char *s = nkg_buf_steal(&b); /* a heap copy, not mem */
  ck_assert_ptr_ne(s, mem);
  ck_assert_str_eq(s, "ab");
  free(s);
  ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(test_hash64) {
  /* FNV-1a 64 reference values. */
  ck_assert_uint_eq(nkg_hash64("", 0, NKG_HASH_SEED),
                    UINT64_C(0xcbf29ce484222325));
  ck_assert_uint_eq(nkg_hash64("a", 1, NKG_HASH_SEED),
                    UINT64_C(0xaf63dc4c8601ec8c));
  ck_assert_uint_eq(nkg_hash64("foobar", 6, NKG_HASH_SEED),
                    UINT64_C(0x85944171f73967e8));
  /* Length, not NUL, ends the input. */
  ck_assert_uint_eq(nkg_hash64("foobar", 3, NKG_HASH_SEED),
                    nkg_hash64("foo", 3, NKG_HASH_SEED));
  ck_assert_uint_ne(nkg_hash64("a\0", 2, NKG_HASH_SEED),
                    nkg_hash64("a", 1, NKG_HASH_SEED));
  /* The seed is the starting state: chaining equals one pass. */
  ck_assert_uint_eq(nkg_hash64("bar", 3, nkg_hash64("foo", 3, NKG_HASH_SEED)),
                    nkg_hash64("foobar", 6, NKG_HASH_SEED));
}
END_TEST

START_TEST(test_utf8_count) {
  ck_assert_uint_eq(nkg_utf8_count("", 0), 0);
  ck_assert_uint_eq(nkg_utf8_count("abc", 3), 3);
  ck_assert_uint_eq(nkg_utf8_count("Caf\xc3\xa9", 5), 4);
  ck_assert_uint_eq(nkg_utf8_count("\xe6\x97\xa5\xe6\x9c\xac", 6), 2);
  ck_assert_uint_eq(nkg_utf8_count("\xf0\x9f\x98\x80!", 5), 2);
  ck_assert_uint_eq(nkg_utf8_count("a\xe2\x80\x93"
                                   "b",
                                   5),
                    3);
  /* A prefix ending inside a character counts the character once. */
  ck_assert_uint_eq(nkg_utf8_count("\xe6\x97\xa5", 1), 1);
  ck_assert_uint_eq(nkg_utf8_count("\xe6\x97\xa5", 2), 1);
}
END_TEST

/* nkg_utf8_count() reads eight bytes at a time: every start and length
 * over a text with characters across the 8-byte steps and every kind of
 * byte (ASCII, leads, continuations, 0x40, 0x7F, 0xBF, 0xC0, 0xFF) must
 * give the count of a byte-at-a-time loop. */
START_TEST(test_utf8_count_words) {
  static const char t[] = "The \xe2\x80\x9cquote\xe2\x80\x9d in "
                          "\xe6\x97\xa5\xe6\x9c\xac, \xf0\x9f\x98\x80 "
                          "@\x7f\xbf\xc0\xff\x80\x40 Caf\xc3\xa9 end.";
  size_t len = sizeof t - 1;
  for (size_t from = 0; from <= len; from++)
    for (size_t n = 0; from + n <= len; n++) {
      size_t want = 0;
      for (size_t i = from; i < from + n; i++)
        want += ((unsigned char)t[i] & 0xC0) != 0x80;
      ck_assert_uint_eq(nkg_utf8_count(t + from, n), want);
    }
}
END_TEST

int main(void) {
  Suite *s = suite_create("util");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_slug);
  tcase_add_test(tc, test_slug_appends);
  tcase_add_test(tc, test_buf_use);
  tcase_add_test(tc, test_buf);
  tcase_add_test(tc, test_hash64);
  tcase_add_test(tc, test_utf8_count);
  tcase_add_test(tc, test_utf8_count_words);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
