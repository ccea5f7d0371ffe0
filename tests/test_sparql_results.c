/* test_sparql_results.c: unit tests of the W3C result writers
 * (sparql_results.c): one result set of awkward terms (unbound values,
 * language tags, datatypes, blank nodes, quotes, line ends, tabs, control
 * characters, astral characters) written in every format and compared
 * byte for byte; the boolean forms; unknown formats; and write errors on
 * /dev/full. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparql_results.h"

#define XSD "http://www.w3.org/2001/XMLSchema#"

static const char *const vars[] = {"s", "o", "x"};

/* Writes the fixture's rows in format into a string the caller frees. */
static char *write_rows(const char *format) {
  nkg_terms *t = nkg_terms_new();
  nkg_tid iri = nkg_terms_iri(t, "http://ex.org/a?b=1&c=<2>");
  nkg_tid nkg = nkg_terms_iri(t, "https://w3id.org/newskg/ns#Meeting");
  nkg_tid bnode = nkg_terms_intern(t, NKG_T_BNODE, "b1", 2, NULL, NULL);
  const char awk[] = "say \"hi\",\n\ttab\\ \r\x01 \xf0\x9f\x98\x80 <&>";
  nkg_tid str = nkg_terms_string(t, awk, strlen(awk));
  nkg_tid lang = nkg_terms_intern(t, NKG_T_LIT, "chat", 4, "FR-be", NULL);
  nkg_tid num = nkg_terms_intern(t, NKG_T_LIT, "42", 2, NULL, XSD "integer");
  nkg_tid dec = nkg_terms_intern(t, NKG_T_LIT, "-1.5", 4, NULL, XSD "decimal");
  nkg_tid dbl = nkg_terms_intern(t, NKG_T_LIT, "1e3", 3, NULL, XSD "double");
  nkg_tid bad = nkg_terms_intern(t, NKG_T_LIT, "1x", 2, NULL, XSD "integer");
  nkg_tid yes = nkg_terms_intern(t, NKG_T_LIT, "true", 4, NULL, XSD "boolean");
  nkg_tid xs = nkg_terms_intern(t, NKG_T_LIT, "plain", 5, NULL, XSD "string");
  nkg_tid rows[][3] = {
      {iri, str, 0},   {bnode, lang, num}, {0, 0, 0},
      {nkg, dec, dbl}, {0, bad, yes},      {xs, 0, 0},
  };
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  ck_assert_ptr_nonnull(f);
  nkg_rs *rs = nkg_rs_begin(f, "test", format, t, vars, 3);
  ck_assert_ptr_nonnull(rs);
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
    ck_assert_int_eq(nkg_rs_row(rs, rows[i]), 0);
  ck_assert_int_eq(nkg_rs_end(rs), 0);
  ck_assert_int_eq(fclose(f), 0);
  nkg_terms_free(t);
  return text;
}

static void check_rows(const char *format, const char *want) {
  char *got = write_rows(format);
  ck_assert_str_eq(got, want);
  free(got);
}

START_TEST(json) {
  check_rows("json",
             "{\n"
             "  \"head\": { \"vars\": [ \"s\", \"o\", \"x\" ] },\n"
             "  \"results\": { \"bindings\": [\n"
             "    { \"s\": { \"type\": \"uri\", \"value\": "
             "\"http://ex.org/a?b=1&c=<2>\" }, "
             "\"o\": { \"type\": \"literal\", \"value\": \"say "
             "\\\"hi\\\",\\n\\ttab\\\\ "
             "\\r\\u0001 \xf0\x9f\x98\x80 <&>\" } },\n"
             "    { \"s\": { \"type\": \"bnode\", \"value\": \"b1\" }, "
             "\"o\": { \"type\": \"literal\", \"value\": \"chat\", "
             "\"xml:lang\": \"fr-be\" }, "
             "\"x\": { \"type\": \"literal\", \"value\": \"42\", "
             "\"datatype\": \"" XSD "integer\" } },\n"
             "    { },\n"
             "    { \"s\": { \"type\": \"uri\", \"value\": "
             "\"https://w3id.org/newskg/ns#Meeting\" }, "
             "\"o\": { \"type\": \"literal\", \"value\": \"-1.5\", "
             "\"datatype\": \"" XSD "decimal\" }, "
             "\"x\": { \"type\": \"literal\", \"value\": \"1e3\", "
             "\"datatype\": \"" XSD "double\" } },\n"
             "    { \"o\": { \"type\": \"literal\", \"value\": \"1x\", "
             "\"datatype\": \"" XSD "integer\" }, "
             "\"x\": { \"type\": \"literal\", \"value\": \"true\", "
             "\"datatype\": \"" XSD "boolean\" } },\n"
             "    { \"s\": { \"type\": \"literal\", \"value\": \"plain\" } }\n"
             "  ] }\n"
             "}\n");
}
END_TEST

START_TEST(xml) {
  check_rows("xml",
             "<?xml version=\"1.0\"?>\n"
             "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
             "  <head>\n"
             "    <variable name=\"s\"/>\n"
             "    <variable name=\"o\"/>\n"
             "    <variable name=\"x\"/>\n"
             "  </head>\n"
             "  <results>\n"
             "    <result>\n"
             "      <binding name=\"s\"><uri>http://ex.org/a?b=1&amp;c=&lt;2"
             "&gt;</uri></binding>\n"
             "      <binding name=\"o\"><literal>say &quot;hi&quot;,\n\ttab\\ "
             "&#xD;&#x1; \xf0\x9f\x98\x80 &lt;&amp;&gt;</literal></binding>\n"
             "    </result>\n"
             "    <result>\n"
             "      <binding name=\"s\"><bnode>b1</bnode></binding>\n"
             "      <binding name=\"o\"><literal xml:lang=\"fr-be\">chat"
             "</literal></binding>\n"
             "      <binding name=\"x\"><literal datatype=\"" XSD
             "integer\">42</literal></binding>\n"
             "    </result>\n"
             "    <result>\n"
             "    </result>\n"
             "    <result>\n"
             "      <binding name=\"s\"><uri>https://w3id.org/newskg/ns#Meeting"
             "</uri></binding>\n"
             "      <binding name=\"o\"><literal datatype=\"" XSD
             "decimal\">-1.5</literal></binding>\n"
             "      <binding name=\"x\"><literal datatype=\"" XSD
             "double\">1e3</literal></binding>\n"
             "    </result>\n"
             "    <result>\n"
             "      <binding name=\"o\"><literal datatype=\"" XSD
             "integer\">1x</literal></binding>\n"
             "      <binding name=\"x\"><literal datatype=\"" XSD
             "boolean\">true</literal></binding>\n"
             "    </result>\n"
             "    <result>\n"
             "      <binding name=\"s\"><literal>plain</literal></binding>\n"
             "    </result>\n"
             "  </results>\n"
             "</sparql>\n");
}
END_TEST

START_TEST(csv) {
  check_rows("csv", "s,o,x\r\n"
                    "http://ex.org/a?b=1&c=<2>,\"say \"\"hi\"\",\n\ttab\\ "
                    "\r\x01 \xf0\x9f\x98\x80 <&>\",\r\n"
                    "_:b1,chat,42\r\n"
                    ",,\r\n"
                    "https://w3id.org/newskg/ns#Meeting,-1.5,1e3\r\n"
                    ",1x,true\r\n"
                    "plain,,\r\n");
}
END_TEST

START_TEST(tsv) {
  check_rows("tsv", "?s\t?o\t?x\n"
                    "<http://ex.org/a?b=1&c=<2>>\t\"say \\\"hi\\\",\\n\\ttab"
                    "\\\\ \\r\x01 \xf0\x9f\x98\x80 <&>\"\t\n"
                    "_:b1\t\"chat\"@fr-be\t42\n"
                    "\t\t\n"
                    "<https://w3id.org/newskg/ns#Meeting>\t\"-1.5\"^^<" XSD
                    "decimal>\t1e3\n"
                    "\t\"1x\"^^<" XSD "integer>\ttrue\n"
                    "\"plain\"\t\t\n");
}
END_TEST

START_TEST(table) {
  check_rows(
      "table",
      "+-----------------------------+----------------------------------"
      "-----+---------------------+\n"
      "| ?s                          | ?o                               "
      "     | ?x                  |\n"
      "+-----------------------------+----------------------------------"
      "-----+---------------------+\n"
      "| <http://ex.org/a?b=1&c=<2>> | \"say \\\"hi\\\",\\n\\ttab\\\\ "
      "\\r\\u0001 \xf0\x9f\x98\x80 <&>\" |                     |\n"
      "| _:b1                        | \"chat\"@fr-be                     "
      "     | \"42\"^^xsd:integer   |\n"
      "|                             |                                  "
      "     |                     |\n"
      "| nkg:Meeting                 | \"-1.5\"^^xsd:decimal              "
      "     | \"1e3\"^^xsd:double   |\n"
      "|                             | \"1x\"^^xsd:integer                "
      "     | \"true\"^^xsd:boolean |\n"
      "| \"plain\"                     |                                  "
      "     |                     |\n"
      "+-----------------------------+----------------------------------"
      "-----+---------------------+\n");
}
END_TEST

START_TEST(empty) {
  nkg_terms *t = nkg_terms_new();
  static const struct {
    const char *format, *want;
  } cases[] = {
      {"json", "{\n  \"head\": { \"vars\": [ \"s\", \"o\", \"x\" ] },\n"
               "  \"results\": { \"bindings\": [\n  ] }\n}\n"},
      {"csv", "s,o,x\r\n"},
      {"tsv", "?s\t?o\t?x\n"},
      {"table", "+----+----+----+\n| ?s | ?o | ?x |\n+----+----+----+\n"
                "+----+----+----+\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    nkg_rs *rs = nkg_rs_begin(f, "test", cases[i].format, t, vars, 3);
    ck_assert_ptr_nonnull(rs);
    ck_assert_int_eq(nkg_rs_end(rs), 0);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_str_eq(text, cases[i].want);
    free(text);
  }
  nkg_terms_free(t);
}
END_TEST

START_TEST(boolean) {
  static const struct {
    const char *format;
    int value;
    const char *want;
  } cases[] = {
      {"json", 1, "{\n  \"head\": { },\n  \"boolean\": true\n}\n"},
      {"json", 0, "{\n  \"head\": { },\n  \"boolean\": false\n}\n"},
      {"xml", 1,
       "<?xml version=\"1.0\"?>\n"
       "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
       "  <head/>\n  <boolean>true</boolean>\n</sparql>\n"},
      {"csv", 0, "false\r\n"},
      {"tsv", 1, "true\n"},
      {"table", 0, "false\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(nkg_rs_boolean(f, "test", cases[i].format, cases[i].value),
                     0);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_str_eq(text, cases[i].want);
    free(text);
  }
}
END_TEST

START_TEST(formats) {
  ck_assert(nkg_rs_format_known("json"));
  ck_assert(nkg_rs_format_known("xml"));
  ck_assert(nkg_rs_format_known("csv"));
  ck_assert(nkg_rs_format_known("tsv"));
  ck_assert(nkg_rs_format_known("table"));
  ck_assert(!nkg_rs_format_known("JSON"));
  ck_assert(!nkg_rs_format_known("html"));
  ck_assert(!nkg_rs_format_known(""));
  ck_assert(!nkg_rs_format_known(NULL));
  nkg_terms *t = nkg_terms_new();
  ck_assert_ptr_null(nkg_rs_begin(stdout, "test", "html", t, vars, 3));
  ck_assert_int_eq(nkg_rs_boolean(stdout, "test", "html", 1), -1);
  nkg_terms_free(t);
}
END_TEST

/* Every format reports a full disk, by the row that fails or at the end. */
START_TEST(full_disk) {
  FILE *f = fopen("/dev/full", "w");
  if (!f)
    return; /* not on this system */
  nkg_terms *t = nkg_terms_new();
  nkg_tid s = nkg_terms_string(t, "x", 1);
  nkg_tid row[3] = {s, s, s};
  static const char *const formats[] = {"json", "xml", "csv", "tsv", "table"};
  for (size_t k = 0; k < sizeof formats / sizeof *formats; k++) {
    nkg_rs *rs = nkg_rs_begin(f, "/dev/full", formats[k], t, vars, 3);
    int failed = rs == NULL;
    for (int i = 0; rs && i < 20000 && !failed; i++)
      failed = nkg_rs_row(rs, row) != 0;
    if (rs)
      failed |= nkg_rs_end(rs) != 0;
    ck_assert_msg(failed, "%s: no error on /dev/full", formats[k]);
    clearerr(f);
    ck_assert_int_eq(nkg_rs_boolean(f, "/dev/full", formats[k], 1), -1);
    clearerr(f);
  }
  fclose(f);
  nkg_terms_free(t);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sparql_results");
  TCase *tc = tcase_create("writers");
  tcase_add_test(tc, json);
  tcase_add_test(tc, xml);
  tcase_add_test(tc, csv);
  tcase_add_test(tc, tsv);
  tcase_add_test(tc, table);
  tcase_add_test(tc, empty);
  tcase_add_test(tc, boolean);
  tcase_add_test(tc, formats);
  tcase_add_test(tc, full_disk);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
