/* ntw-diff.c: reads RDF files with raptor's parsers and writes every
 * statement twice, with raptor's "ntriples" and "nquads" serialisers and
 * with ntwriter (src/ntwriter.c), then compares the bytes; and writes the
 * file's triples, sorted as newskg sorts a document's, with raptor's
 * "turtle" serialiser and with ttlwriter (src/ttlwriter.c), newskg's
 * prefixes and ex: (http://example.org/) declared. Used by
 * tests/ntwriter-diff.test for terms the extractor never makes (blank
 * nodes, language tags, any datatype).
 *
 *   ntw-diff FILE...    the parser is chosen by the file name: .trig, .ttl,
 *                       .nt, .nq, .rdf or .owl
 *
 * Prints "FILE: N statements, same bytes" per file, with ", Turtle left to
 * raptor" when ttlwriter refuses the file (blank nodes, or text raptor
 * would cut: src/ttlwriter.h). Exit status: 0 all equal, 1 a difference
 * (the first differing line of each writer is printed) or a file that
 * does not parse, 2 usage. */
#define _POSIX_C_SOURCE 200809L
#include <raptor2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntwriter.h"
#include "ttlwriter.h"
#include "util.h"

/* One output of both writers for one syntax. */
typedef struct {
  const char *syntax;
  int quads;
  nkg_buf raptor_bytes, our_bytes;
  raptor_iostream *ios;
  raptor_serializer *ser;
} pair;

typedef struct {
  pair out[2];
  size_t n;
  int failed;
  raptor_statement **all; /* copies, for the Turtle comparison */
  size_t cap;
} run;

static void on_statement(void *data, raptor_statement *st) {
  run *r = data;
  for (int i = 0; i < 2; i++) {
    if (raptor_serializer_serialize_statement(r->out[i].ser, st))
      r->failed = 1;
    nkg_nt_write_statement(&r->out[i].our_bytes, st, r->out[i].quads);
  }
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 256;
    r->all = nkg_xrealloc(r->all, r->cap * sizeof *r->all);
  }
  r->all[r->n] = raptor_statement_copy(st);
  if (!r->all[r->n])
    r->failed = 1;
  r->n++;
}

static const char *parser_for(const char *path) {
  static const char *const map[][2] = {
      {".trig", "trig"},   {".ttl", "turtle"}, {".nt", "ntriples"},
      {".nq", "nquads"},   {".rdf", "rdfxml"}, {".owl", "rdfxml"},
  };
  size_t n = strlen(path);
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    size_t k = strlen(map[i][0]);
    if (n > k && !strcmp(path + n - k, map[i][0]))
      return map[i][1];
  }
  return NULL;
}

/* Prints the first line where a and b differ. */
static void show_difference(const char *path, const char *syntax,
                            const nkg_buf *a, const nkg_buf *b) {
  const char *da = a->data ? a->data : "", *db = b->data ? b->data : "";
  size_t at = 0, start;
  while (at < a->len && at < b->len && da[at] == db[at])
    at++;
  for (start = at; start > 0 && da[start - 1] != '\n'; start--)
    ;
  const char *ea = memchr(da + start, '\n', a->len - start);
  const char *eb = memchr(db + start, '\n', b->len - start);
  int la = (int)(ea ? (size_t)(ea - da) - start : a->len - start);
  int lb = (int)(eb ? (size_t)(eb - db) - start : b->len - start);
  fprintf(stderr, "ntw-diff: %s: %s differs at byte %zu\n  raptor: %.*s\n"
                  "  ours:   %.*s\n",
          path, syntax, at, la, da + start, lb, db + start);
}

static int cmp_spo(const void *pa, const void *pb) {
  const raptor_statement *a = *(raptor_statement *const *)pa;
  const raptor_statement *b = *(raptor_statement *const *)pb;
  int c = raptor_term_compare(a->subject, b->subject);
  if (!c)
    c = raptor_term_compare(a->predicate, b->predicate);
  if (!c)
    c = raptor_term_compare(a->object, b->object);
  return c;
}

/* Turtle of v[0..n) by raptor's serialiser and by ttlwriter, as newskg
 * writes a document (graph.c: sorted, repeated triples once). Returns 0
 * (same bytes, or *left set when ttlwriter leaves it to raptor) or 1. */
static int check_turtle(raptor_world *world, const char *path,
                        raptor_statement **v, size_t n, int *left) {
  static const char *const prefixes[] = {"nkg",  "rdfs", "owl", "xsd", "skos",
                                         "foaf", "prov", "id",  "ex"};
  static const char *const namespaces[] = {
      "https://w3id.org/newskg/ns#",
      "http://www.w3.org/2000/01/rdf-schema#",
      "http://www.w3.org/2002/07/owl#",
      "http://www.w3.org/2001/XMLSchema#",
      "http://www.w3.org/2004/02/skos/core#",
      "http://xmlns.com/foaf/0.1/",
      "http://www.w3.org/ns/prov#",
      "https://w3id.org/newskg/id/",
      "http://example.org/"};
  enum { NP = sizeof prefixes / sizeof prefixes[0] };
  nkg_buf theirs = {0}, ours = {0};
  int rc = 1, differs = 0;
  if (n > 1)
    qsort(v, n, sizeof *v, cmp_spo);
  nkg_ttl_writer *w = nkg_ttl_writer_new(prefixes, namespaces, NP);
  *left = nkg_ttl_write(w, &ours, v, n) != 0;
  nkg_ttl_writer_free(w);
  if (*left) {
    nkg_buf_free(&ours);
    return 0;
  }
  raptor_iostream *ios = nkg_nt_buf_iostream(world, &theirs);
  raptor_serializer *ser = raptor_new_serializer(world, "turtle");
  if (!ios || !ser)
    goto done;
  for (size_t i = 0; i < NP; i++) {
    raptor_uri *u = raptor_new_uri(world, (const unsigned char *)namespaces[i]);
    int bad = !u || raptor_serializer_set_namespace(
                        ser, u, (const unsigned char *)prefixes[i]);
    if (u)
      raptor_free_uri(u);
    if (bad)
      goto done;
  }
  if (raptor_serializer_start_to_iostream(ser, NULL, ios))
    goto done;
  for (size_t i = 0; i < n; i++)
    if (raptor_serializer_serialize_statement(ser, v[i]))
      goto done;
  if (raptor_serializer_serialize_end(ser))
    goto done;
  raptor_free_serializer(ser);
  ser = NULL;
  if (theirs.len != ours.len || memcmp(theirs.data ? theirs.data : "",
                                       ours.data ? ours.data : "", ours.len)) {
    show_difference(path, "turtle", &theirs, &ours);
    differs = 1;
    goto done;
  }
  rc = 0;
done:
  if (rc && !differs)
    fprintf(stderr, "ntw-diff: %s: raptor's Turtle serialiser failed\n", path);
  if (ser)
    raptor_free_serializer(ser);
  if (ios)
    raptor_free_iostream(ios);
  nkg_buf_free(&theirs);
  nkg_buf_free(&ours);
  return rc;
}

static int check_file(raptor_world *world, const char *path) {
  const char *name = parser_for(path);
  if (!name) {
    fprintf(stderr, "ntw-diff: %s: unknown RDF syntax (by file name)\n", path);
    return 1;
  }
  run r = {.out = {{.syntax = "ntriples"}, {.syntax = "nquads", .quads = 1}}};
  int rc = 1;
  raptor_parser *p = raptor_new_parser(world, name);
  unsigned char *uri_str = raptor_uri_filename_to_uri_string(path);
  raptor_uri *uri = uri_str ? raptor_new_uri(world, uri_str) : NULL;
  if (!p || !uri) {
    fprintf(stderr, "ntw-diff: %s: cannot make a %s parser\n", path, name);
    goto done;
  }
  for (int i = 0; i < 2; i++) {
    pair *o = &r.out[i];
    o->ios = nkg_nt_buf_iostream(world, &o->raptor_bytes);
    o->ser = raptor_new_serializer(world, o->syntax);
    if (!o->ios || !o->ser ||
        raptor_serializer_start_to_iostream(o->ser, NULL, o->ios)) {
      fprintf(stderr, "ntw-diff: %s: cannot start the %s serialiser\n", path,
              o->syntax);
      goto done;
    }
  }
  raptor_parser_set_statement_handler(p, &r, on_statement);
  if (raptor_parser_parse_file(p, uri, NULL)) {
    fprintf(stderr, "ntw-diff: %s: does not parse as %s\n", path, name);
    goto done;
  }
  rc = r.failed;
  for (int i = 0; i < 2; i++) {
    pair *o = &r.out[i];
    raptor_serializer_serialize_end(o->ser);
    raptor_free_serializer(o->ser);
    o->ser = NULL;
    raptor_free_iostream(o->ios); /* after the serialiser, which uses it */
    o->ios = NULL;
    if (o->raptor_bytes.len != o->our_bytes.len ||
        memcmp(o->raptor_bytes.data ? o->raptor_bytes.data : "",
               o->our_bytes.data ? o->our_bytes.data : "",
               o->our_bytes.len)) {
      show_difference(path, o->syntax, &o->raptor_bytes, &o->our_bytes);
      rc = 1;
    }
  }
  int left = 0;
  if (!rc && check_turtle(world, path, r.all, r.n, &left))
    rc = 1;
  if (!rc)
    printf("%s: %zu statements, same bytes%s\n", path, r.n,
           left ? ", Turtle left to raptor" : "");

done:
  for (size_t i = 0; i < r.n; i++)
    raptor_free_statement(r.all[i]);
  free(r.all);
  for (int i = 0; i < 2; i++) {
    if (r.out[i].ser)
      raptor_free_serializer(r.out[i].ser);
    if (r.out[i].ios)
      raptor_free_iostream(r.out[i].ios);
    nkg_buf_free(&r.out[i].raptor_bytes);
    nkg_buf_free(&r.out[i].our_bytes);
  }
  if (uri)
    raptor_free_uri(uri);
  if (uri_str)
    raptor_free_memory(uri_str);
  if (p)
    raptor_free_parser(p);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "Usage: ntw-diff FILE...\n");
    return 2;
  }
  raptor_world *world = raptor_new_world();
  if (!world || raptor_world_open(world)) {
    fprintf(stderr, "ntw-diff: cannot initialise raptor\n");
    return 1;
  }
  int rc = 0;
  for (int i = 1; i < argc; i++)
    if (check_file(world, argv[i]))
      rc = 1;
  raptor_free_world(world);
  if (fflush(stdout) || ferror(stdout)) {
    fprintf(stderr, "ntw-diff: standard output: write error\n");
    rc = 1;
  }
  return rc;
}
