/* ntw-diff.c: reads RDF files with raptor's parsers and writes every
 * statement twice, with raptor's "ntriples" and "nquads" serialisers and
 * with ntwriter (src/ntwriter.c), then compares the bytes. Used by
 * tests/ntwriter-diff.test for terms the extractor never makes (blank
 * nodes, language tags, any datatype).
 *
 *   ntw-diff FILE...    the parser is chosen by the file name: .trig, .ttl,
 *                       .nt, .nq, .rdf or .owl
 *
 * Prints "FILE: N statements, same bytes" per file. Exit status: 0 all
 * equal, 1 a difference (the first differing line of each writer is
 * printed) or a file that does not parse, 2 usage. */
#define _POSIX_C_SOURCE 200809L
#include <raptor2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntwriter.h"
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
} run;

static void on_statement(void *data, raptor_statement *st) {
  run *r = data;
  for (int i = 0; i < 2; i++) {
    if (raptor_serializer_serialize_statement(r->out[i].ser, st))
      r->failed = 1;
    nkg_nt_write_statement(&r->out[i].our_bytes, st, r->out[i].quads);
  }
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
  fprintf(stderr, "ntw-diff: %s: %s differs at byte %zu\n  raptor:   %.*s\n"
                  "  ntwriter: %.*s\n",
          path, syntax, at, la, da + start, lb, db + start);
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
  if (!rc)
    printf("%s: %zu statements, same bytes\n", path, r.n);

done:
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
