/* fuzz_ntwriter.c: ntwriter (src/ntwriter.c) against raptor's own
 * "ntriples" and "nquads" serialisers, byte for byte.
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
 * then built without it). Any difference in bytes prints both outputs and
 * aborts. */
#include <raptor2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntwriter.h"
#include "util.h"

static raptor_world *world;

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

#define MAX_STATEMENTS 16

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
  for (size_t i = 0; i < n; i++)
    raptor_free_statement(v[i]);
  nkg_buf_free(&s);
  nkg_buf_free(&t);
  return 0;
}
