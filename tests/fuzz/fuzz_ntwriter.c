/* fuzz_ntwriter.c: ntwriter (src/ntwriter.c) against raptor's own
 * "ntriples" and "nquads" serialisers, and ttlwriter (src/ttlwriter.c)
 * against its "turtle" serialiser, byte for byte.
 *
 * The input is read as a small program that builds up to 16 statements:
 * each term is an IRI, a plain, language-tagged or typed literal, a blank
 * node (named or generated), a missing term or a term of unknown type; its
 * strings are made of raw fuzz bytes (any value: controls, NUL, invalid
 * UTF-8), of pieces from a palette of awkward characters (quotes, IRI
 * punctuation, astral-plane characters, surrogates, U+FFFE, overlong, cut
 * and 5- or 6-byte forms), of random code points, and of repeats that make
 * long literals (up to 80 KiB). Terms are made by raptor's constructors,
 * so a term raptor refuses is refused for both writers (the statement is
 * then built without it). For Turtle, the statements raptor's Turtle
 * serialiser takes (IRI subject and predicate, IRI or literal object) are
 * sorted as newskg sorts them and written by both, with newskg's prefixes
 * and ex: for http://example.org/ declared; the palette has namespaces,
 * rdf:type, rdf:nil, the datatypes written bare and local parts that are
 * and are not prefixed names. A batch ttlwriter leaves to raptor (invalid
 * UTF-8, an illegal number) is not compared; NTW_FUZZ_STATS=1 prints how
 * many were compared at exit, NTW_FUZZ_STATS=2 also each Turtle output. Any
 * difference in bytes prints both outputs and aborts. */
#include <raptor2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntwriter.h"
#include "ttlwriter.h"
#include "util.h"

static raptor_world *world;

/* Counts of Turtle batches compared and left to raptor (NTW_FUZZ_STATS). */
static unsigned long ttl_compared, ttl_statements, ttl_refused;
static int ttl_show; /* NTW_FUZZ_STATS=2: print every Turtle compared */

static void print_stats(void) {
  fprintf(stderr,
          "fuzz_ntwriter: Turtle: %lu batches (%lu statements) compared, "
          "%lu left to raptor\n",
          ttl_compared, ttl_statements, ttl_refused);
}

static void silent(void *data, raptor_log_message *m) {
  (void)data;
  (void)m;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  nkg_set_quiet(1);
  world = raptor_new_world();
  if (!world || raptor_world_open(world) != 0)
    abort();
  /* raptor reports a term of unknown type through the log handler */
  raptor_world_set_log_handler(world, NULL, silent);
  const char *stats = getenv("NTW_FUZZ_STATS");
  if (stats && *stats && *stats != '0')
    atexit(print_stats);
  ttl_show = stats && !strcmp(stats, "2");
  return 0;
}

typedef struct {
  const uint8_t *p;
  size_t n;
} reader;

static unsigned next(reader *r) {
  if (!r->n)
    return 0;
  r->n--;
  return *r->p++;
}

/* Awkward pieces; sizes are given since some hold NUL. */
static const struct {
  const char *s;
  size_t n;
} palette[] = {
#define P(x) {x, sizeof x - 1}
    P("\""), P("\\"), P("<"), P(">"), P("{"), P("}"), P("|"), P("^"),
    P("`"), P(" "), P("\t"), P("\n"), P("\r"), P("\b"), P("\f"), P("\v"),
    P("\x01"), P("\x1f"), P("\x7f"), P("\0"), P("'"), P("%20"), P("#"),
    P("http://example.org/"), P("https://w3id.org/newskg/id/doc/"),
    P("_"), P("-"), P("@"), P("en-US"), P("en_GB"), P("a"), P("0"),
    P("\xc3\xa9"),                /* U+00E9 */
    P("\xc2\x80"),                /* U+0080 */
    P("\xdf\xbf"),                /* U+07FF */
    P("\xe2\x82\xac"),            /* U+20AC */
    P("\xe2\x80\xa8"),            /* U+2028 */
    P("\xef\xbb\xbf"),            /* U+FEFF */
    P("\xef\xbf\xbd"),            /* U+FFFD */
    P("\xef\xbf\xbe"),            /* U+FFFE: refused */
    P("\xef\xbf\xbf"),            /* U+FFFF: refused */
    P("\xed\xa0\x80"),            /* U+D800: a surrogate, accepted */
    P("\xed\xbf\xbf"),            /* U+DFFF */
    P("\xf0\x90\x80\x80"),        /* U+10000 */
    P("\xf0\x9f\xa4\x9d"),        /* U+1F91D */
    P("\xf4\x8f\xbf\xbf"),        /* U+10FFFF */
    P("\xf4\x90\x80\x80"),        /* U+110000: refused */
    P("\xf7\xbf\xbf\xbf"),        /* past U+10FFFF */
    P("\xc0\x80"),                /* overlong NUL */
    P("\xc1\xbf"),                /* overlong */
    P("\xe0\x80\x80"),            /* overlong */
    P("\xe0\x9f\xbf"),            /* overlong */
    P("\xf0\x80\x80\x80"),        /* overlong */
    P("\xf0\x8f\xbf\xbf"),        /* overlong */
    P("\xf8\x80\x80\x80\x80"),    /* 5 bytes, U+0000: accepted by raptor */
    P("\xf8\x84\x8f\xbf\xbf"),    /* 5 bytes, U+10FFFF */
    P("\xf8\x88\x80\x80\x80"),    /* 5 bytes, past U+10FFFF */
    P("\xfc\x80\x80\x80\x80\x80"), /* 6 bytes, U+0000 */
    P("\xfc\x80\x80\x81\x80\x80"), /* 6 bytes, U+1000 */
    P("\xc3"),                    /* a lead byte alone (or before a NUL) */
    P("\xe2\x82"),                /* cut */
    P("\xf0\x9f\xa4"),            /* cut */
    P("\x80"),                    /* a continuation byte alone */
    P("\xbf"), P("\xfe"), P("\xff"),
    P("\xc3" "A"),                /* continuation bytes are not checked */
    P("\xe2" "ab"),
    /* namespaces (the Turtle comparison declares them) and local parts */
    P("https://w3id.org/newskg/ns#"), P("https://w3id.org/newskg/id/"),
    P("http://www.w3.org/2000/01/rdf-schema#"), P("http://example.org/"),
    P("http://www.w3.org/2001/XMLSchema#"), P("http://xmlns.com/foaf/0.1/"),
    P("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
    P("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"),
    P("http://www.w3.org/XML/1998/namespace"),
    P("http://www.w3.org/2001/XMLSchema#integer"),
    P("http://www.w3.org/2001/XMLSchema#decimal"),
    P("http://www.w3.org/2001/XMLSchema#double"),
    P("http://www.w3.org/2001/XMLSchema#boolean"),
    P("Country"), P("doc/1a"), P("a.b"), P("_x"), P("1x"), P("x:y"),
    P("\xc3\xa9t\xc3\xa9"),    /* U+00E9 */
    P("x\xcc\x81"),             /* a combining accent */
    P("\xc2\xb7"),              /* U+00B7, an extender */
    P("12"), P("-3"), P(" 4"), P("1.5e3"), P(".5"), P("true"), P("false"),
    P("1"), P("abc"), P("\n"),
#undef P
};

/* Appends the UTF-8 form of cp (any value below 2^21, surrogates too). */
static void add_utf8(nkg_buf *b, unsigned long cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xc0 | cp >> 6);
    u[1] = (char)(0x80 | (cp & 0x3f));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xe0 | cp >> 12);
    u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
    u[2] = (char)(0x80 | (cp & 0x3f));
    n = 3;
  } else {
    u[0] = (char)(0xf0 | (cp >> 18 & 0x07));
    u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    u[3] = (char)(0x80 | (cp & 0x3f));
    n = 4;
  }
  nkg_buf_add(b, u, n);
}

/* Builds a string of up to 8 pieces into b (cleared first). */
static void make_string(reader *r, nkg_buf *b) {
  nkg_buf_clear(b);
  unsigned pieces = next(r) % 9;
  int repeated = 0;
  for (unsigned i = 0; i < pieces; i++) {
    unsigned kind = next(r) % 4;
    if (kind == 0) { /* raw bytes of the input */
      unsigned k = next(r) % 24;
      for (unsigned j = 0; j < k && r->n; j++)
        nkg_buf_addc(b, (char)next(r));
    } else if (kind == 1) {
      unsigned k = next(r) % (sizeof palette / sizeof palette[0]);
      nkg_buf_add(b, palette[k].s, palette[k].n);
    } else if (kind == 2) { /* a code point, astral planes included */
      unsigned long cp = next(r);
      cp = cp << 8 | next(r);
      cp = cp << 8 | next(r);
      add_utf8(b, cp % 0x110000);
    } else if (b->len && !repeated) { /* repeat, once: a long string */
      /* mostly up to 16 KiB, rarely 80 KiB: raptor allocates for every
       * escape it writes, so long escaped strings are slow to compare */
      unsigned k = next(r);
      size_t want = k >= 250 ? 80 * 1024 : (k % 16 + 1) * 1024,
             unit = b->len;
      repeated = 1;
      char *copy = nkg_xmalloc(unit); /* b->data moves as b grows */
      memcpy(copy, b->data, unit);
      while (b->len < want)
        nkg_buf_add(b, copy, unit < want - b->len ? unit : want - b->len);
      free(copy);
    }
  }
}

static raptor_uri *make_uri(nkg_buf *b) {
  /* refuses an empty string or one that starts with NUL */
  return raptor_new_uri_from_counted_string(
      world, (const unsigned char *)b->data, b->len);
}

/* A term as the input describes it, or NULL (missing, or refused by
 * raptor). *unknown is set when the caller should give it the unknown type
 * (restored before it is freed). */
static raptor_term *make_term(reader *r, nkg_buf *s, nkg_buf *t,
                              int *unknown) {
  unsigned kind = next(r) % 16;
  raptor_term *term = NULL;
  *unknown = 0;
  make_string(r, s);
  switch (kind) {
  case 0: case 1: case 2: case 3: case 4: case 5: {
    raptor_uri *u = make_uri(s);
    if (u) {
      term = raptor_new_term_from_uri(world, u);
      raptor_free_uri(u);
    }
    break;
  }
  case 6: case 7: case 8:
    term = raptor_new_term_from_counted_literal(
        world, (const unsigned char *)s->data, s->len, NULL, NULL, 0);
    break;
  case 9: case 10: { /* raptor copies a language up to its NUL */
    make_string(r, t);
    size_t n = strlen(t->data ? t->data : "");
    if (n > 255)
      n = 255;
    if (t->data)
      t->data[n] = '\0';
    term = raptor_new_term_from_counted_literal(
        world, (const unsigned char *)s->data, s->len, NULL,
        (const unsigned char *)(t->data ? t->data : ""), (unsigned char)n);
    break;
  }
  case 11: case 12: {
    make_string(r, t);
    raptor_uri *dt = make_uri(t);
    term = raptor_new_term_from_counted_literal(
        world, (const unsigned char *)s->data, s->len, dt, NULL, 0);
    if (dt)
      raptor_free_uri(dt);
    break;
  }
  case 13:
    /* an empty label: raptor makes one up (the same for both writers) */
    term = raptor_new_term_from_counted_blank(
        world, s->len ? (const unsigned char *)s->data : NULL, s->len);
    break;
  case 14:
    break; /* missing */
  default:
    if (next(r) & 1) {
      raptor_uri *u = make_uri(s);
      if (u) {
        term = raptor_new_term_from_uri(world, u);
        raptor_free_uri(u);
        *unknown = term != NULL;
      }
    }
    break;
  }
  return term;
}

#define MAX_STATEMENTS 16

/* Writes v[0..n) with raptor's serialiser syntax and with ntwriter, and
 * aborts if the bytes differ. */
static void compare(raptor_statement **v, size_t n, const char *syntax,
                    int quads) {
  nkg_buf theirs = {0}, ours = {0};
  raptor_iostream *ios = nkg_nt_buf_iostream(world, &theirs);
  raptor_serializer *ser = raptor_new_serializer(world, syntax);
  if (!ios || !ser || raptor_serializer_start_to_iostream(ser, NULL, ios))
    abort();
  for (size_t i = 0; i < n; i++)
    raptor_serializer_serialize_statement(ser, v[i]);
  raptor_serializer_serialize_end(ser);
  raptor_free_serializer(ser);
  raptor_free_iostream(ios);

  for (size_t i = 0; i < n; i++)
    nkg_nt_write_statement(&ours, v[i], quads);
  if (theirs.len != ours.len ||
      (ours.len && memcmp(theirs.data, ours.data, ours.len))) {
    size_t at = 0;
    while (at < theirs.len && at < ours.len && theirs.data[at] == ours.data[at])
      at++;
    fprintf(stderr, "fuzz_ntwriter: %s differs at byte %zu\nraptor: ",
            syntax, at);
    fwrite(theirs.data, 1, theirs.len, stderr);
    fprintf(stderr, "\nntwriter: ");
    fwrite(ours.data, 1, ours.len, stderr);
    fputc('\n', stderr);
    abort();
  }
  nkg_buf_free(&theirs);
  nkg_buf_free(&ours);
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

/* The prefixes of the Turtle comparison: newskg's, and ex:. */
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

/* Writes the statements of v[0..n) that raptor's Turtle serialiser takes
 * with it and with ttlwriter, as newskg does (sorted, the prefixes
 * declared in order), and aborts if the bytes differ. */
static void compare_turtle(raptor_statement **v, size_t n) {
  raptor_statement *w[MAX_STATEMENTS];
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const raptor_statement *st = v[i];
    if (st->subject && st->subject->type == RAPTOR_TERM_TYPE_URI &&
        st->predicate && st->predicate->type == RAPTOR_TERM_TYPE_URI &&
        st->object &&
        (st->object->type == RAPTOR_TERM_TYPE_URI ||
         st->object->type == RAPTOR_TERM_TYPE_LITERAL))
      w[m++] = v[i];
  }
  if (m > 1)
    qsort(w, m, sizeof w[0], cmp_spo);
  nkg_buf theirs = {0}, ours = {0};
  nkg_ttl_writer *tw = nkg_ttl_writer_new(prefixes, namespaces, NP);
  if (nkg_ttl_write(tw, &ours, w, m)) {
    nkg_ttl_writer_free(tw);
    nkg_buf_free(&ours); /* empty, but it may have grown */
    ttl_refused++;
    return;
  }
  nkg_ttl_writer_free(tw);
  ttl_compared++;
  ttl_statements += m;
  raptor_iostream *ios = nkg_nt_buf_iostream(world, &theirs);
  raptor_serializer *ser = raptor_new_serializer(world, "turtle");
  if (!ios || !ser)
    abort();
  for (size_t i = 0; i < NP; i++) {
    raptor_uri *u = raptor_new_uri(world, (const unsigned char *)namespaces[i]);
    if (!u || raptor_serializer_set_namespace(
                  ser, u, (const unsigned char *)prefixes[i]))
      abort();
    raptor_free_uri(u);
  }
  if (raptor_serializer_start_to_iostream(ser, NULL, ios))
    abort();
  for (size_t i = 0; i < m; i++)
    raptor_serializer_serialize_statement(ser, w[i]);
  raptor_serializer_serialize_end(ser);
  raptor_free_serializer(ser);
  raptor_free_iostream(ios);
  if (theirs.len != ours.len ||
      (ours.len && memcmp(theirs.data, ours.data, ours.len))) {
    size_t at = 0;
    while (at < theirs.len && at < ours.len && theirs.data[at] == ours.data[at])
      at++;
    fprintf(stderr, "fuzz_ntwriter: turtle differs at byte %zu\nraptor: ", at);
    fwrite(theirs.data, 1, theirs.len, stderr);
    fprintf(stderr, "\nttlwriter: ");
    fwrite(ours.data, 1, ours.len, stderr);
    fputc('\n', stderr);
    abort();
  }
  if (ttl_show && m)
    fwrite(ours.data, 1, ours.len, stderr);
  nkg_buf_free(&theirs);
  nkg_buf_free(&ours);
}

/* Drops from b the bytes where raptor's UTF-8 decoder fails, unless the
 * input asks to keep them: most Turtle batches are then written by
 * ttlwriter and compared, and the rest test that it leaves them. */
static void mostly_valid(reader *r, nkg_buf *b) {
  if (!(next(r) % 8) || !b->len)
    return;
  size_t out = 0;
  for (size_t i = 0; i < b->len;) {
    unsigned long cp;
    int n =
        nkg_nt_utf8_char((const unsigned char *)b->data + i, b->len - i, &cp);
    if (n < 0) {
      i++;
      continue;
    }
    memmove(b->data + out, b->data + i, (size_t)n);
    out += (size_t)n;
    i += (size_t)n;
  }
  b->len = out;
  b->data[out] = '\0';
}

/* An IRI for the Turtle batch: a namespace of the table (or of rdf: or
 * xml:, or none) and a generated rest; NULL if raptor refuses it. */
static raptor_term *turtle_iri(reader *r, nkg_buf *s, int predicate) {
  static const char *const more[] = {
      "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "http://www.w3.org/XML/1998/namespace", ""};
  /* local parts that are and are not XML names or Turtle prefixed names */
  static const char *const locals[] = {"type",
                                       "nil",
                                       "integer",
                                       "decimal",
                                       "double",
                                       "boolean",
                                       "Country",
                                       "country/eg",
                                       "doc/1a#s0",
                                       "a.b",
                                       "a.",
                                       "_x",
                                       "-x",
                                       "1x",
                                       "x-y_z",
                                       "x:y",
                                       "\xc3\xa9t\xc3\xa9",
                                       "x\xcc\x81",
                                       "x\xc2\xb7",
                                       "\xc2\xb7x",
                                       "x\xe2\x80\xa8",
                                       "a b",
                                       "a>b",
                                       "a\\b",
                                       "\xf0\x9f\xa4\x9d",
                                       "nonNegativeInteger"};
  unsigned k = next(r) % (NP + 3);
  nkg_buf rest = {0};
  unsigned how = next(r) % 4;
  if (predicate && !(next(r) % 3)) { /* rdf:type, written "a" */
    k = NP;
    nkg_buf_adds(&rest, "type");
  } else if (how < 2) {
    nkg_buf_adds(&rest, locals[next(r) % (sizeof locals / sizeof locals[0])]);
    if (how == 1)
      nkg_buf_adds(&rest, locals[next(r) % (sizeof locals / sizeof locals[0])]);
  } else {
    make_string(r, &rest);
    mostly_valid(r, &rest);
  }
  nkg_buf_clear(s);
  nkg_buf_adds(s, k < NP ? namespaces[k] : more[k - NP]);
  if (rest.len)
    nkg_buf_add(s, rest.data, rest.len);
  nkg_buf_free(&rest);
  raptor_uri *u = make_uri(s);
  raptor_term *t = u ? raptor_new_term_from_uri(world, u) : NULL;
  if (u)
    raptor_free_uri(u);
  return t;
}

/* Turtle on statements made for it from the same input: IRI subjects and
 * predicates mostly under the declared namespaces, IRI or literal objects
 * (plain, tagged, typed with a generated IRI). */
static void turtle_batch(const uint8_t *data, size_t size) {
  reader r = {data, size};
  raptor_statement *v[MAX_STATEMENTS];
  size_t n = 0;
  nkg_buf s = {0}, t = {0};
  size_t want = size ? 1 + data[size - 1] % MAX_STATEMENTS : 0;
  while (n < want && r.n) {
    raptor_term *sub = turtle_iri(&r, &s, 0);
    raptor_term *pred = turtle_iri(&r, &s, 1);
    raptor_term *obj = NULL;
    unsigned kind = next(&r) % 4;
    if (kind == 0) {
      obj = turtle_iri(&r, &s, 0);
    } else {
      /* values that xsd:integer, decimal, double and boolean write bare,
       * and some they do not */
      static const char *const values[] = {
          "12",   "-3",    "+4",        " 5",  "6 ",  "1.5e3",
          ".5",   "1.",    "0x10",      "nan", "inf", "99999999999999999999999",
          "true", "false", "0",         "1",   "yes", "",
          "a\nb", "\"q\"", "tab\there", "x\\y"};
      if (next(&r) & 1) {
        nkg_buf_clear(&s);
        nkg_buf_adds(&s, values[next(&r) % (sizeof values / sizeof values[0])]);
      } else {
        make_string(&r, &s);
        mostly_valid(&r, &s);
      }
      raptor_term *dt = kind == 3 ? turtle_iri(&r, &t, 0) : NULL;
      make_string(&r, &t);
      /* raptor copies a language up to its NUL, at most 255 bytes */
      size_t tl = strlen(t.data ? t.data : "");
      if (tl > 255) {
        tl = 255;
        t.data[tl] = '\0';
      }
      int lang = kind == 2 && tl;
      obj = raptor_new_term_from_counted_literal(
          world, (const unsigned char *)(s.data ? s.data : ""), s.len,
          dt ? dt->value.uri : NULL,
          lang ? (const unsigned char *)t.data : NULL,
          (unsigned char)(lang ? tl : 0));
      if (dt)
        raptor_free_term(dt);
    }
    if (!sub || !pred || !obj) {
      raptor_free_term(sub);
      raptor_free_term(pred);
      raptor_free_term(obj);
      continue;
    }
    raptor_statement *st =
        raptor_new_statement_from_nodes(world, sub, pred, obj, NULL);
    if (!st)
      abort();
    v[n++] = st;
  }
  compare_turtle(v, n);
  for (size_t i = 0; i < n; i++)
    raptor_free_statement(v[i]);
  nkg_buf_free(&s);
  nkg_buf_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  reader r = {data, size};
  raptor_statement *v[MAX_STATEMENTS];
  /* terms given the unknown type, with the type to restore */
  raptor_term *odd[4 * MAX_STATEMENTS];
  raptor_term_type odd_type[4 * MAX_STATEMENTS];
  size_t n = 0, n_odd = 0;
  nkg_buf s = {0}, t = {0};
  size_t want = size ? 1 + data[0] % MAX_STATEMENTS : 0;
  if (size)
    next(&r);
  while (n < want) {
    raptor_term *terms[4];
    for (int k = 0; k < 4; k++) {
      int unknown;
      terms[k] = make_term(&r, &s, &t, &unknown);
      if (unknown) {
        odd[n_odd] = terms[k];
        odd_type[n_odd++] = terms[k]->type;
        terms[k]->type = RAPTOR_TERM_TYPE_UNKNOWN;
      }
    }
    raptor_statement *st = raptor_new_statement_from_nodes(
        world, terms[0], terms[1], terms[2], terms[3]);
    if (!st)
      abort();
    v[n++] = st;
  }
  compare(v, n, "ntriples", 0);
  compare(v, n, "nquads", 1);
  for (size_t i = 0; i < n_odd; i++)
    odd[i]->type = odd_type[i];
  compare_turtle(v, n);
  turtle_batch(data, size);
  for (size_t i = 0; i < n; i++)
    raptor_free_statement(v[i]);
  nkg_buf_free(&s);
  nkg_buf_free(&t);
  return 0;
}
