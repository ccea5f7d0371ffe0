/* test_graph.c: graph.c turns a hand-made document and extraction into the
 * exact expected statements, in every format, the same way every time.
 *
 * The document is built with nkg_document_from_text() and its fields are set
 * here (nkg_document_analyse() is not used), so the test depends only on the
 * lexicon (NEWSKG_RULES, else the source tree's extract/) for the countries
 * jp and pk. Set NKG_TEST_PRINT=1 to see the N-Triples written. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <raptor2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "extraction.h"
#include "graph.h"
#include "lexicon.h"
#include "output.h"
#include "util.h"

#define TEXT                                                                   \
  "Japan\xe2\x80\x93Pakistan talks\n"                                          \
  "Foreign Minister Matsuo Takehiko met Ali Khan at the Foreign Office, "      \
  "Islamabad on Monday. Japan and Pakistan agreed to cooperate.\n"

static raptor_world *world;
static nkg_lexicon *lex;
static int jp, pk;

static int country_index(const char *key) {
  for (size_t i = 0; i < nkg_lexicon_n_countries(lex); i++)
    if (!strcmp(nkg_lexicon_country(lex, (int)i)->key, key))
      return (int)i;
  return -1;
}

static void setup(void) {
  const char *dir = getenv("NEWSKG_RULES");
  world = raptor_new_world();
  ck_assert_ptr_nonnull(world);
  ck_assert_int_eq(raptor_world_open(world), 0);
  lex = nkg_lexicon_load(dir && *dir ? dir : NKG_SRCDIR "/extract");
  ck_assert_msg(lex != NULL, "cannot load the lexicon");
  jp = country_index("jp");
  pk = country_index("pk");
  ck_assert_msg(jp >= 0 && pk >= 0, "countries jp and pk not in the lexicon");
  ck_assert_str_eq(nkg_lexicon_country(lex, jp)->name, "Japan");
  ck_assert_str_eq(nkg_lexicon_country(lex, jp)->wikidata, "Q17");
  ck_assert_str_eq(nkg_lexicon_country(lex, pk)->name, "Pakistan");
  ck_assert_str_eq(nkg_lexicon_country(lex, pk)->wikidata, "Q843");
}

static void teardown(void) {
  nkg_lexicon_free(lex);
  raptor_free_world(world);
}

static nkg_document *make_document(void) {
  size_t len = strlen(TEXT);
  char *text = nkg_xmalloc(len + 1);
  memcpy(text, TEXT, len + 1);
  nkg_document *d = nkg_document_from_text("/news/2023/talks.txt", text, len);
  ck_assert_ptr_nonnull(d);
  ck_assert_uint_eq(d->len, 153);
  d->title_begin = 0;
  d->title_end = 22;
  strcpy(d->published, "2023-12-18");
  free(d->sentences);
  d->sentences = nkg_xcalloc(3, sizeof *d->sentences);
  d->sentences[0] = (nkg_sentence){0, 22, 0};
  d->sentences[1] = (nkg_sentence){23, 112, 1};
  d->sentences[2] = (nkg_sentence){113, 152, 1};
  d->n_sentences = 3;
  return d;
}

static nkg_prov prov(int s, size_t b, size_t e, const char *rule) {
  return (nkg_prov){s, b, e, rule};
}

static void make_extraction(nkg_extraction *x) {
  memset(x, 0, sizeof *x);
  x->n_persons = 3;
  x->persons = nkg_xcalloc(3, sizeof *x->persons);
  x->persons[0] = (nkg_person){
      .name = nkg_xstrdup("Matsuo Takehiko"),
      .position = nkg_xstrdup("Foreign Minister"),
      .country = jp,
      .prov = prov(1, 23, 55, "person.full"),
      .position_prov = prov(1, 23, 55, "official.title"),
      .country_prov = prov(1, 23, 55, "official.country"),
      .relevant = 1,
  };
  /* No rule: the fact is written without evidence. */
  x->persons[1] = (nkg_person){
      .name = nkg_xstrdup("Ali Khan"),
      .country = pk,
      .prov = prov(1, 40, 68, "person.full"),
      .country_prov = prov(-1, 0, 0, NULL),
      .relevant = 1,
  };
  /* Not relevant and in no fact: not written. */
  x->persons[2] = (nkg_person){
      .name = nkg_xstrdup("Nobody Special"),
      .position = nkg_xstrdup("Clerk"),
      .country = -1,
  };
  x->n_places = 1;
  x->places = nkg_xcalloc(1, sizeof *x->places);
  x->places[0] =
      (nkg_place_ref){nkg_xstrdup("Foreign Office, Islamabad"), -1, pk};
  x->n_meetings = 1;
  x->meetings = nkg_xcalloc(1, sizeof *x->meetings);
  x->meetings[0].participants = nkg_xcalloc(2, sizeof(int));
  x->meetings[0].participants[0] = 0;
  x->meetings[0].participants[1] = 1;
  x->meetings[0].n_participants = 2;
  strcpy(x->meetings[0].date, "2023-12-18");
  x->meetings[0].place = 0;
  x->meetings[0].prov = prov(1, 40, 68, "meeting.met");
  x->meetings[0].date_prov = prov(1, 102, 111, "meeting.date");
  x->meetings[0].place_prov = prov(1, 76, 101, "meeting.place");
  x->n_met = 1;
  x->met = nkg_xcalloc(1, sizeof *x->met);
  x->met[0] = (nkg_pair){0, 1, prov(1, 40, 68, "met.verb")};
  x->n_cooperates = 1;
  x->cooperates = nkg_xcalloc(1, sizeof *x->cooperates);
  x->cooperates[0] = (nkg_pair){jp < pk ? jp : pk, jp < pk ? pk : jp,
                                prov(2, 113, 151, "coop.agree")};
}

/* Frees what make_extraction() allocated (independent of extract.c). */
static void free_extraction(nkg_extraction *x) {
  for (size_t i = 0; i < x->n_persons; i++) {
    free(x->persons[i].name);
    free(x->persons[i].position);
  }
  free(x->persons);
  for (size_t i = 0; i < x->n_places; i++)
    free(x->places[i].label);
  free(x->places);
  for (size_t i = 0; i < x->n_meetings; i++)
    free(x->meetings[i].participants);
  free(x->meetings);
  free(x->met);
  free(x->cooperates);
  free(x->cooperates_in);
  memset(x, 0, sizeof *x);
}

static nkg_graph *make_graph(const char *base) {
  nkg_graph *g = nkg_graph_new(world, base);
  ck_assert_ptr_nonnull(g);
  nkg_document *d = make_document();
  nkg_extraction x;
  make_extraction(&x);
  ck_assert_int_eq(nkg_graph_add(g, d, &x, lex), 0);
  free_extraction(&x);
  nkg_document_free(d);
  return g;
}

/* Writes g in syntax to memory; the caller frees the result. */
static char *write_graph(nkg_graph *g, const char *syntax, size_t *len) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(nkg_graph_write(g, syntax, f), 0);
  ck_assert_int_eq(fclose(f), 0);
  if (len)
    *len = n;
  return buf;
}

#define B "<https://w3id.org/newskg/id/"
#define N "<https://w3id.org/newskg/ns#"
#define RDF "<http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDFS "<http://www.w3.org/2000/01/rdf-schema#"
#define OWL "<http://www.w3.org/2002/07/owl#"
#define FOAF "<http://xmlns.com/foaf/0.1/"
#define XSD "^^<http://www.w3.org/2001/XMLSchema#"
/* FNV-1a of TEXT; the meeting and evidence hashes below were checked
 * against an independent computation of their keys (graph.h). */
#define DOC B "doc/8951bee322e5f90a"

/* The N-Triples written for make_graph(NULL), in order. */
static const char *const expected[] = {
    B "country/jp> " RDF "type> " N "Country> .",
    B "country/jp> " RDFS "label> \"Japan\" .",
    B "country/jp> " OWL "sameAs> <http://www.wikidata.org/entity/Q17> .",
    B "country/jp> " N "cooperatesWith> " B "country/pk> .",
    B "country/pk> " RDF "type> " N "Country> .",
    B "country/pk> " RDFS "label> \"Pakistan\" .",
    B "country/pk> " OWL "sameAs> <http://www.wikidata.org/entity/Q843> .",
    B "country/pk> " N "cooperatesWith> " B "country/jp> .",
    DOC "> " RDF "type> " N "Document> .",
    DOC "> " N "published> \"2023-12-18\"" XSD "date> .",
    DOC "> " N "sentenceCount> \"3\"" XSD "integer> .",
    DOC "> " N "sourceName> \"talks.txt\" .",
    DOC "> " N "title> \"Japan\\u2013Pakistan talks\" .",
    DOC "/s0> " RDF "type> " N "Sentence> .",
    DOC "/s0> " N "beginIndex> \"0\"" XSD "nonNegativeInteger> .",
    DOC "/s0> " N "endIndex> \"20\"" XSD "nonNegativeInteger> .",
    DOC "/s0> " N "inDocument> " DOC "> .",
    DOC "/s0> " N "text> \"Japan\\u2013Pakistan talks\" .",
    DOC "/s1> " RDF "type> " N "Sentence> .",
    DOC "/s1> " N "beginIndex> \"21\"" XSD "nonNegativeInteger> .",
    DOC "/s1> " N "endIndex> \"110\"" XSD "nonNegativeInteger> .",
    DOC "/s1> " N "inDocument> " DOC "> .",
    DOC "/s1> " N "text> \"Foreign Minister Matsuo Takehiko met Ali Khan at "
                  "the Foreign Office, Islamabad on Monday.\" .",
    DOC "/s2> " RDF "type> " N "Sentence> .",
    DOC "/s2> " N "beginIndex> \"111\"" XSD "nonNegativeInteger> .",
    DOC "/s2> " N "endIndex> \"150\"" XSD "nonNegativeInteger> .",
    DOC "/s2> " N "inDocument> " DOC "> .",
    DOC "/s2> " N "text> \"Japan and Pakistan agreed to cooperate.\" .",
    B "evidence/20f203647e4d9d6c> " RDF "object> " B "person/ali-khan> .",
    B "evidence/20f203647e4d9d6c> " RDF "predicate> " N "participant> .",
    B "evidence/20f203647e4d9d6c> " RDF "subject> " B
      "meeting/d757c56b28b2d85b> .",
    B "evidence/20f203647e4d9d6c> " RDF "type> " N "Evidence> .",
    B "evidence/20f203647e4d9d6c> " N "beginIndex> \"38\"" XSD
      "nonNegativeInteger> .",
    B "evidence/20f203647e4d9d6c> " N "document> " DOC "> .",
    B "evidence/20f203647e4d9d6c> " N "endIndex> \"66\"" XSD
      "nonNegativeInteger> .",
    B "evidence/20f203647e4d9d6c> " N
      "matchedText> \"Matsuo Takehiko met Ali Khan\" .",
    B "evidence/20f203647e4d9d6c> " N "rule> \"meeting.met\" .",
    B "evidence/20f203647e4d9d6c> " N "sentence> " DOC "/s1> .",
    B "evidence/51a85b0a5652adf6> " RDF "object> " B "country/pk> .",
    B "evidence/51a85b0a5652adf6> " RDF "predicate> " N "cooperatesWith> .",
    B "evidence/51a85b0a5652adf6> " RDF "subject> " B "country/jp> .",
    B "evidence/51a85b0a5652adf6> " RDF "type> " N "Evidence> .",
    B "evidence/51a85b0a5652adf6> " N "beginIndex> \"111\"" XSD
      "nonNegativeInteger> .",
    B "evidence/51a85b0a5652adf6> " N "document> " DOC "> .",
    B "evidence/51a85b0a5652adf6> " N "endIndex> \"149\"" XSD
      "nonNegativeInteger> .",
    B "evidence/51a85b0a5652adf6> " N
      "matchedText> \"Japan and Pakistan agreed to cooperate\" .",
    B "evidence/51a85b0a5652adf6> " N "rule> \"coop.agree\" .",
    B "evidence/51a85b0a5652adf6> " N "sentence> " DOC "/s2> .",
    B "evidence/5db61925f7b8ea4f> " RDF "object> " B
      "place/foreign-office-islamabad> .",
    B "evidence/5db61925f7b8ea4f> " RDF "predicate> " N "place> .",
    B "evidence/5db61925f7b8ea4f> " RDF "subject> " B
      "meeting/d757c56b28b2d85b> .",
    B "evidence/5db61925f7b8ea4f> " RDF "type> " N "Evidence> .",
    B "evidence/5db61925f7b8ea4f> " N "beginIndex> \"74\"" XSD
      "nonNegativeInteger> .",
    B "evidence/5db61925f7b8ea4f> " N "document> " DOC "> .",
    B "evidence/5db61925f7b8ea4f> " N "endIndex> \"99\"" XSD
      "nonNegativeInteger> .",
    B "evidence/5db61925f7b8ea4f> " N
      "matchedText> \"Foreign Office, Islamabad\" .",
    B "evidence/5db61925f7b8ea4f> " N "rule> \"meeting.place\" .",
    B "evidence/5db61925f7b8ea4f> " N "sentence> " DOC "/s1> .",
    B "evidence/b8d727c1dbccd868> " RDF "object> " B "country/jp> .",
    B "evidence/b8d727c1dbccd868> " RDF "predicate> " N "represents> .",
    B "evidence/b8d727c1dbccd868> " RDF "subject> " B
      "person/matsuo-takehiko> .",
    B "evidence/b8d727c1dbccd868> " RDF "type> " N "Evidence> .",
    B "evidence/b8d727c1dbccd868> " N "beginIndex> \"21\"" XSD
      "nonNegativeInteger> .",
    B "evidence/b8d727c1dbccd868> " N "document> " DOC "> .",
    B "evidence/b8d727c1dbccd868> " N "endIndex> \"53\"" XSD
      "nonNegativeInteger> .",
    B "evidence/b8d727c1dbccd868> " N
      "matchedText> \"Foreign Minister Matsuo Takehiko\" .",
    B "evidence/b8d727c1dbccd868> " N "rule> \"official.country\" .",
    B "evidence/b8d727c1dbccd868> " N "sentence> " DOC "/s1> .",
    B "evidence/c18df48cabae8ced> " RDF "object> " B
      "position/foreign-minister> .",
    B "evidence/c18df48cabae8ced> " RDF "predicate> " N "holdsPosition> .",
    B "evidence/c18df48cabae8ced> " RDF "subject> " B
      "person/matsuo-takehiko> .",
    B "evidence/c18df48cabae8ced> " RDF "type> " N "Evidence> .",
    B "evidence/c18df48cabae8ced> " N "beginIndex> \"21\"" XSD
      "nonNegativeInteger> .",
    B "evidence/c18df48cabae8ced> " N "document> " DOC "> .",
    B "evidence/c18df48cabae8ced> " N "endIndex> \"53\"" XSD
      "nonNegativeInteger> .",
    B "evidence/c18df48cabae8ced> " N
      "matchedText> \"Foreign Minister Matsuo Takehiko\" .",
    B "evidence/c18df48cabae8ced> " N "rule> \"official.title\" .",
    B "evidence/c18df48cabae8ced> " N "sentence> " DOC "/s1> .",
    B "evidence/c811945a90aea1f5> " RDF "object> " B "person/ali-khan> .",
    B "evidence/c811945a90aea1f5> " RDF "predicate> " N "met> .",
    B "evidence/c811945a90aea1f5> " RDF "subject> " B
      "person/matsuo-takehiko> .",
    B "evidence/c811945a90aea1f5> " RDF "type> " N "Evidence> .",
    B "evidence/c811945a90aea1f5> " N "beginIndex> \"38\"" XSD
      "nonNegativeInteger> .",
    B "evidence/c811945a90aea1f5> " N "document> " DOC "> .",
    B "evidence/c811945a90aea1f5> " N "endIndex> \"66\"" XSD
      "nonNegativeInteger> .",
    B "evidence/c811945a90aea1f5> " N
      "matchedText> \"Matsuo Takehiko met Ali Khan\" .",
    B "evidence/c811945a90aea1f5> " N "rule> \"met.verb\" .",
    B "evidence/c811945a90aea1f5> " N "sentence> " DOC "/s1> .",
    B "evidence/df9b3d5a0defb141> " RDF "object> " B
      "person/matsuo-takehiko> .",
    B "evidence/df9b3d5a0defb141> " RDF "predicate> " N "participant> .",
    B "evidence/df9b3d5a0defb141> " RDF "subject> " B
      "meeting/d757c56b28b2d85b> .",
    B "evidence/df9b3d5a0defb141> " RDF "type> " N "Evidence> .",
    B "evidence/df9b3d5a0defb141> " N "beginIndex> \"38\"" XSD
      "nonNegativeInteger> .",
    B "evidence/df9b3d5a0defb141> " N "document> " DOC "> .",
    B "evidence/df9b3d5a0defb141> " N "endIndex> \"66\"" XSD
      "nonNegativeInteger> .",
    B "evidence/df9b3d5a0defb141> " N
      "matchedText> \"Matsuo Takehiko met Ali Khan\" .",
    B "evidence/df9b3d5a0defb141> " N "rule> \"meeting.met\" .",
    B "evidence/df9b3d5a0defb141> " N "sentence> " DOC "/s1> .",
    B "evidence/e83eb1f9b46e1dd0> " RDF "object> \"2023-12-18\"" XSD "date> .",
    B "evidence/e83eb1f9b46e1dd0> " RDF "predicate> " N "date> .",
    B "evidence/e83eb1f9b46e1dd0> " RDF "subject> " B
      "meeting/d757c56b28b2d85b> .",
    B "evidence/e83eb1f9b46e1dd0> " RDF "type> " N "Evidence> .",
    B "evidence/e83eb1f9b46e1dd0> " N "beginIndex> \"100\"" XSD
      "nonNegativeInteger> .",
    B "evidence/e83eb1f9b46e1dd0> " N "document> " DOC "> .",
    B "evidence/e83eb1f9b46e1dd0> " N "endIndex> \"109\"" XSD
      "nonNegativeInteger> .",
    B "evidence/e83eb1f9b46e1dd0> " N "matchedText> \"on Monday\" .",
    B "evidence/e83eb1f9b46e1dd0> " N "rule> \"meeting.date\" .",
    B "evidence/e83eb1f9b46e1dd0> " N "sentence> " DOC "/s1> .",
    B "meeting/d757c56b28b2d85b> " RDF "type> " N "Meeting> .",
    B "meeting/d757c56b28b2d85b> " RDFS
      "label> \"Meeting of Matsuo Takehiko and Ali Khan\" .",
    B "meeting/d757c56b28b2d85b> " N "date> \"2023-12-18\"" XSD "date> .",
    B "meeting/d757c56b28b2d85b> " N "participant> " B "person/ali-khan> .",
    B "meeting/d757c56b28b2d85b> " N "participant> " B
      "person/matsuo-takehiko> .",
    B "meeting/d757c56b28b2d85b> " N "place> " B
      "place/foreign-office-islamabad> .",
    B "person/ali-khan> " RDF "type> " N "Official> .",
    B "person/ali-khan> " RDFS "label> \"Ali Khan\" .",
    B "person/ali-khan> " FOAF "name> \"Ali Khan\" .",
    B "person/ali-khan> " N "met> " B "person/matsuo-takehiko> .",
    B "person/ali-khan> " N "represents> " B "country/pk> .",
    B "person/matsuo-takehiko> " RDF "type> " N "Official> .",
    B "person/matsuo-takehiko> " RDFS "label> \"Matsuo Takehiko\" .",
    B "person/matsuo-takehiko> " FOAF "name> \"Matsuo Takehiko\" .",
    B "person/matsuo-takehiko> " N "holdsPosition> " B
      "position/foreign-minister> .",
    B "person/matsuo-takehiko> " N "met> " B "person/ali-khan> .",
    B "person/matsuo-takehiko> " N "represents> " B "country/jp> .",
    B "place/foreign-office-islamabad> " RDF "type> " N "Place> .",
    B "place/foreign-office-islamabad> " RDFS
      "label> \"Foreign Office, Islamabad\" .",
    B "place/foreign-office-islamabad> " N "country> " B "country/pk> .",
    B "position/foreign-minister> " RDF "type> " N "Position> .",
    B "position/foreign-minister> " RDFS "label> \"Foreign Minister\" .",
};

START_TEST(test_ntriples_exact) {
  nkg_graph *g = make_graph(NULL);
  char *out = write_graph(g, "ntriples", NULL);
  if (getenv("NKG_TEST_PRINT"))
    fputs(out, stdout);

  size_t n_expected = sizeof expected / sizeof expected[0];
  size_t i = 0;
  for (char *line = out, *nl; *line; line = nl + 1, i++) {
    nl = strchr(line, '\n');
    ck_assert_ptr_nonnull(nl);
    *nl = '\0';
    ck_assert_msg(i < n_expected, "extra line %zu: %s", i + 1, line);
    ck_assert_msg(!strcmp(line, expected[i]), "line %zu:\n got  %s\n want %s",
                  i + 1, line, expected[i]);
  }
  ck_assert_uint_eq(i, n_expected);
  ck_assert_uint_eq(nkg_graph_size(g), n_expected);
  free(out);
  nkg_graph_free(g);
}
END_TEST

static void count_statement(void *data, raptor_statement *st) {
  (void)st;
  ++*(size_t *)data;
}

static size_t parse_count(const char *syntax, const char *text, size_t len) {
  size_t count = 0;
  raptor_parser *p = raptor_new_parser(world, syntax);
  ck_assert_ptr_nonnull(p);
  raptor_uri *base =
      raptor_new_uri(world, (const unsigned char *)"http://example.org/");
  raptor_parser_set_statement_handler(p, &count, count_statement);
  ck_assert_int_eq(raptor_parser_parse_start(p, base), 0);
  ck_assert_int_eq(
      raptor_parser_parse_chunk(p, (const unsigned char *)text, len, 1), 0);
  raptor_free_uri(base);
  raptor_free_parser(p);
  return count;
}

static size_t count_lines(const char *s) {
  size_t n = 0;
  for (; (s = strchr(s, '\n')); s++)
    n++;
  return n;
}

/* Turtle and RDF/XML are parsed back by raptor; the line formats are
 * counted (raptor 2.0.15's N-Triples parser leaks datatype URIs, which
 * would trip LeakSanitizer builds). */
START_TEST(test_formats_parse_back) {
  nkg_graph *g = make_graph(NULL);
  size_t n_expected = sizeof expected / sizeof expected[0];
  static const char *const syntaxes[][2] = {
      {"turtle", "turtle"},
      {"rdfxml-abbrev", "rdfxml"},
  };
  for (size_t i = 0; i < sizeof syntaxes / sizeof syntaxes[0]; i++) {
    size_t len;
    char *out = write_graph(g, syntaxes[i][0], &len);
    ck_assert_msg(parse_count(syntaxes[i][1], out, len) == n_expected,
                  "%s does not parse back to %zu statements", syntaxes[i][0],
                  n_expected);
    free(out);
  }
  static const char *const line_syntaxes[] = {"ntriples", "nquads"};
  for (size_t i = 0; i < 2; i++) {
    char *out = write_graph(g, line_syntaxes[i], NULL);
    ck_assert_uint_eq(count_lines(out), n_expected);
    free(out);
  }
  nkg_graph_free(g);
}
END_TEST

START_TEST(test_turtle_prefixes) {
  nkg_graph *g = make_graph(NULL);
  char *out = write_graph(g, "turtle", NULL);
  static const char *const prefixes[] = {
      "@prefix nkg: <https://w3id.org/newskg/ns#> .",
      "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .",
      "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
      "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
      "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
      "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
      "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
      "@prefix prov: <http://www.w3.org/ns/prov#> .",
      "@prefix id: <https://w3id.org/newskg/id/> .",
  };
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    ck_assert_msg(strstr(out, prefixes[i]), "missing %s", prefixes[i]);
  free(out);
  nkg_graph_free(g);
}
END_TEST

START_TEST(test_deterministic) {
  static const char *const syntaxes[] = {"turtle", "ntriples", "nquads",
                                         "rdfxml-abbrev", "json"};
  for (size_t i = 0; i < sizeof syntaxes / sizeof syntaxes[0]; i++) {
    nkg_graph *g1 = make_graph(NULL), *g2 = make_graph(NULL);
    size_t n1, n2, n3;
    char *a = write_graph(g1, syntaxes[i], &n1);
    char *b = write_graph(g1, syntaxes[i], &n2);
    char *c = write_graph(g2, syntaxes[i], &n3);
    ck_assert_msg(n1 == n2 && !memcmp(a, b, n1), "%s: two writes differ",
                  syntaxes[i]);
    ck_assert_msg(n1 == n3 && !memcmp(a, c, n1), "%s: two graphs differ",
                  syntaxes[i]);
    free(a);
    free(b);
    free(c);
    nkg_graph_free(g1);
    nkg_graph_free(g2);
  }
}
END_TEST

/* The same document added twice: N-Quads and triples stay de-duplicated;
 * two different documents keep their own graphs in N-Quads. */
START_TEST(test_dedup_and_graphs) {
  nkg_graph *g = make_graph(NULL);
  size_t n_expected = sizeof expected / sizeof expected[0];
  nkg_document *d = make_document();
  nkg_extraction x;
  make_extraction(&x);
  ck_assert_int_eq(nkg_graph_add(g, d, &x, lex), 0);
  char *nt = write_graph(g, "ntriples", NULL);
  ck_assert_uint_eq(count_lines(nt), n_expected);
  free(nt);

  /* A second document (other text, so another hash) with no facts. */
  char *text = nkg_xstrdup("Nothing happened.");
  nkg_document *d2 = nkg_document_from_text("-", text, strlen(text));
  ck_assert_int_eq(nkg_graph_add(g, d2, NULL, lex), 0);
  char *nq = write_graph(g, "nquads", NULL);
  ck_assert_ptr_nonnull(strstr(nq, " " N "sourceName> \"stdin\" " B "doc/"));
  ck_assert_ptr_null(strstr(nq, "Nothing happened"));
  free(nq);

  free_extraction(&x);
  nkg_document_free(d);
  nkg_document_free(d2);
  nkg_graph_free(g);
}
END_TEST

/* A document of n bytes of text (its own IRI for each seed) in one
 * sentence, so that the sentence's text literal is n bytes long. */
static nkg_document *long_document(size_t n, int seed) {
  char *text = nkg_xmalloc(n + 1);
  for (size_t i = 0; i < n; i++)
    text[i] = (char)('a' + (i * 7 + (size_t)seed) % 26);
  text[n] = '\0';
  nkg_document *d = nkg_document_from_text("long.txt", text, n);
  ck_assert_ptr_nonnull(d);
  free(d->sentences);
  d->sentences = nkg_xcalloc(1, sizeof *d->sentences);
  d->sentences[0] = (nkg_sentence){0, n, 1};
  d->n_sentences = 1;
  return d;
}

/* A streaming graph (nkg_graph_stream_only: statements and literals in the
 * graph's own blocks, reused from flush to flush) writes the same bytes as
 * an ordinary one, document after document, with short literals, literals
 * longer than a block of the arena, and more statements than a block; and
 * it refuses to be given to a model, which would keep its terms. */
START_TEST(test_stream_only_same_bytes) {
  static const char *const syntaxes[] = {"ntriples", "nquads", "turtle"};
  for (size_t k = 0; k < sizeof syntaxes / sizeof syntaxes[0]; k++) {
    nkg_graph *plain = nkg_graph_new(world, NULL);
    nkg_graph *own = nkg_graph_new(world, NULL);
    ck_assert_ptr_nonnull(plain);
    ck_assert_ptr_nonnull(own);
    nkg_graph_stream_only(own);
    for (int round = 0; round < 6; round++) {
      nkg_buf a = {0}, b = {0};
      for (int g = 0; g < 2; g++) {
        nkg_graph *gr = g ? own : plain;
        nkg_document *d = round % 2 ? make_document()
                                    : long_document(20000 + 30000 * (size_t)round, round);
        nkg_extraction x;
        make_extraction(&x);
        /* several documents per flush: more statements than a block */
        for (int i = 0; i < (round == 4 ? 30 : 1); i++)
          ck_assert_int_eq(nkg_graph_add(gr, d, &x, lex), 0);
        free_extraction(&x);
        nkg_document_free(d);
        ck_assert_int_eq(nkg_graph_flush(gr, syntaxes[k], g ? &b : &a), 0);
      }
      ck_assert_uint_gt(a.len, 0);
      ck_assert_msg(a.len == b.len && !memcmp(a.data, b.data, a.len),
                    "%s, round %d: a streaming graph writes other bytes",
                    syntaxes[k], round);
      nkg_buf_free(&a);
      nkg_buf_free(&b);
    }
    ck_assert_int_eq(nkg_graph_to_model(own, NULL, NULL, NULL), -1);
    nkg_graph_free(plain);
    nkg_graph_free(own);
  }
}
END_TEST

START_TEST(test_base) {
  nkg_graph *g = make_graph("http://example.org/kg#");
  char *out = write_graph(g, "ntriples", NULL);
  ck_assert_ptr_nonnull(
      strstr(out, "<http://example.org/kg#person/ali-khan> "
                  "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                  "<https://w3id.org/newskg/ns#Official> .\n"));
  ck_assert_ptr_null(strstr(out, "https://w3id.org/newskg/id/"));
  free(out);
  nkg_graph_free(g);
}
END_TEST

START_TEST(test_syntax_for) {
  ck_assert_str_eq(nkg_graph_syntax_for(world, "turtle"), "turtle");
  ck_assert_str_eq(nkg_graph_syntax_for(world, "ntriples"), "ntriples");
  ck_assert_str_eq(nkg_graph_syntax_for(world, "nquads"), "nquads");
  ck_assert_str_eq(nkg_graph_syntax_for(world, "rdfxml"), "rdfxml-abbrev");
  ck_assert_str_eq(nkg_graph_syntax_for(world, "json"), "json");
  ck_assert_str_eq(nkg_graph_syntax_for(world, "dot"), "dot");
  ck_assert_str_eq(nkg_graph_syntax_for(world, "json-triples"), "json-triples");
  ck_assert_ptr_null(nkg_graph_syntax_for(world, "nosuch"));
  ck_assert_ptr_null(nkg_graph_syntax_for(world, ""));
  ck_assert_ptr_null(nkg_graph_syntax_for(world, NULL));
}
END_TEST

/* A write error must be reported, not lost in a buffer. */
START_TEST(test_output_dev_full) {
  nkg_graph *g = make_graph(NULL);
  nkg_output *out = nkg_output_open("/dev/full");
  ck_assert_ptr_nonnull(out);
  nkg_graph_write(g, "ntriples", nkg_output_stream(out));
  ck_assert_int_eq(nkg_output_commit(out), -1);
  nkg_graph_free(g);
}
END_TEST

int main(void) {
  Suite *s = suite_create("graph");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_ntriples_exact);
  tcase_add_test(tc, test_formats_parse_back);
  tcase_add_test(tc, test_turtle_prefixes);
  tcase_add_test(tc, test_deterministic);
  tcase_add_test(tc, test_dedup_and_graphs);
  tcase_add_test(tc, test_stream_only_same_bytes);
  tcase_add_test(tc, test_base);
  tcase_add_test(tc, test_syntax_for);
  tcase_add_test(tc, test_output_dev_full);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
