/* ntwriter.c: raptor's N-Triples escaping, written a run at a time.
 *
 * Each function names the raptor 2.0.16 function whose output it copies;
 * where raptor behaves oddly the comment says so, since the point is to
 * give its bytes, not better ones. tests/ntwriter-diff.test and
 * tests/fuzz/fuzz_ntwriter.c compare the two writers. */
#include "ntwriter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The two escaping modes raptor_string_escaped_write() is called with. */
enum { ESC_IRI, ESC_LITERAL };

/* Bytes copied as they are: PLAIN_IRI inside an IRI (flags
 * RAPTOR_ESCAPED_WRITE_NTRIPLES_URI, delimiter '>': 0x21-0x7E but
 * < > " { } | ^ ` and backslash), PLAIN_LITERAL inside a literal (flags
 * RAPTOR_ESCAPED_WRITE_NTRIPLES_LITERAL, delimiter '"': 0x20-0x7E but '"'
 * and backslash). A table, because this test is the writer's inner loop. */
enum { PLAIN_IRI = 1, PLAIN_LITERAL = 2 };
static const unsigned char plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
    2, 3, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x20 space ! " */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 3, 2, 3, /* 0x30 < > */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x40 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 3, 2, 3, /* 0x50 \ ^ */
    2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x60 ` */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 3, 0, /* 0x70 { | } DEL */
    /* 0x80-0xFF: UTF-8, decoded and escaped */
};

/* raptor_iostream_hexadecimal_write() after "\u" or "\U": width upper-case
 * hex digits, zero-padded. Values never need more digits than width here
 * (at most U+10FFFF after \U, at most U+FFFF after \u). Returns the end. */
static char *put_hex_escape(char *o, unsigned long v, int width) {
  static const char hex[] = "0123456789ABCDEF";
  o[0] = '\\';
  o[1] = width == 4 ? 'u' : 'U';
  for (int i = width - 1; i >= 0; i--) {
    o[2 + i] = hex[v & 0xF];
    v >>= 4;
  }
  return o + 2 + width;
}

/* The most bytes a string of n bytes becomes: a byte alone can become
 * \u00XX; longer characters grow less (4 bytes give at most 10). */
#define ESCAPED_MAX(n) (6 * (size_t)(n))

/* raptor_unicode_utf8_string_get_char() as it is: the lead byte gives the
 * length (1 to 6); only the low 6 bits of the following bytes are used,
 * whatever they are; overlong forms are refused for lengths 2 to 4 only;
 * U+FFFE, U+FFFF and values past U+10FFFF are refused; surrogates pass.
 * Returns the length in bytes, or -1. */
int nkg_nt_utf8_char(const unsigned char *s, size_t len, unsigned long *out) {
  unsigned char in;
  size_t size;
  unsigned long c;
  if (len < 1)
    return -1;
  in = s[0];
  if ((in & 0x80) == 0) {
    size = 1;
    c = in & 0x7f;
  } else if ((in & 0xe0) == 0xc0) {
    size = 2;
    c = in & 0x1f;
  } else if ((in & 0xf0) == 0xe0) {
    size = 3;
    c = in & 0x0f;
  } else if ((in & 0xf8) == 0xf0) {
    size = 4;
    c = in & 0x07;
  } else if ((in & 0xfc) == 0xf8) {
    size = 5;
    c = in & 0x03;
  } else if ((in & 0xfe) == 0xfc) {
    size = 6;
    c = in & 0x01;
  } else {
    return -1;
  }
  if (len < size)
    return -1;
  for (size_t i = 1; i < size; i++)
    c = c << 6 | (s[i] & 0x3fu);
  if ((size == 2 && c < 0x80) || (size == 3 && c < 0x800) ||
      (size == 4 && c < 0x10000))
    return -1;
  if (c == 0xFFFE || c == 0xFFFF || c > 0x10FFFF)
    return -1;
  *out = c;
  return (int)size;
}

/* raptor_string_escaped_write(s, len, delim, flags) for the two modes of
 * N-Triples (delim '>' for ESC_IRI, '"' for ESC_LITERAL), into o, which has
 * room for ESCAPED_MAX(len) bytes. Stops at the first NUL byte met at a
 * character boundary; s[len] must be NUL. Sets *bad at invalid UTF-8, after
 * writing what precedes it. Returns the end of what it wrote. */
static char *put_escaped(char *o, const unsigned char *s, size_t len,
                         int mode, int *bad) {
  size_t i = 0;
  for (;;) {
    size_t run = i;
    const unsigned char bit = mode == ESC_IRI ? PLAIN_IRI : PLAIN_LITERAL;
    while (plain[s[run]] & bit)
      run++;
    memcpy(o, s + i, run - i);
    o += run - i;
    i = run;
    unsigned char c = s[i];
    if (!c)
      return o;
    if (c == '\\' || (mode == ESC_LITERAL && c == '"')) {
      /* raptor's first test: the backslash, and the delimiter when it is a
       * quote, get a backslash. In IRIs '\' becomes "\\" (not \u005C). */
      *o++ = '\\';
      *o++ = (char)c;
      i++;
      continue;
    }
    if (mode == ESC_IRI) {
      /* '>' (the delimiter), then the SPARQL IRI escapes; 0x7F and above
       * fall through to the UTF-8 decoding below. */
      if (c < 0x7f) {
        o = put_hex_escape(o, c, 4);
        i++;
        continue;
      }
    } else {
      if (c == '\t' || c == '\n' || c == '\r') {
        *o++ = '\\';
        *o++ = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
        i++;
        continue;
      }
      /* The \b and \f escapes of the flags are never reached: 0x08 and
       * 0x0B (sic: raptor's "\f" is for 0x0B) are caught here first. */
      if (c < 0x20 || c == 0x7f) {
        o = put_hex_escape(o, c, 4);
        i++;
        continue;
      }
    }
    unsigned long cp;
    int n = nkg_nt_utf8_char(s + i, len - i, &cp);
    if (n < 0) {
      *bad = 1;
      return o;
    }
    o = put_hex_escape(o, cp, cp < 0x10000 ? 4 : 8);
    i += (size_t)n;
  }
}

/* Ends a write into b's reserved room at o. */
static void finish(nkg_buf *b, char *o) {
  b->len = (size_t)(o - b->data);
  b->data[b->len] = '\0';
}

/* raptor_uri_escaped_write(uri, NULL, RAPTOR_ESCAPED_WRITE_NTRIPLES_URI):
 * the brackets are written even if the inside is cut. */
static nkg_nt_status write_iri(nkg_buf *b, raptor_uri *uri) {
  size_t len;
  const unsigned char *s = raptor_uri_as_counted_string(uri, &len);
  int bad = 0;
  if (!s)
    len = 0;
  nkg_buf_reserve(b, ESCAPED_MAX(len) + 2);
  char *o = b->data + b->len;
  *o++ = '<';
  if (s)
    o = put_escaped(o, s, len, ESC_IRI, &bad);
  *o++ = '>';
  finish(b, o);
  return bad ? NKG_NT_BAD_UTF8 : NKG_NT_OK;
}

/* raptor_term_escaped_write(t, RAPTOR_ESCAPED_WRITE_NTRIPLES_LITERAL). */
nkg_nt_status nkg_nt_write_term(nkg_buf *out, const raptor_term *t) {
  if (!t)
    return NKG_NT_BAD_TERM;
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI:
    /* raptor writes nothing for a NULL URI and goes on with the line */
    return t->value.uri ? write_iri(out, t->value.uri) : NKG_NT_OK;
  case RAPTOR_TERM_TYPE_LITERAL: {
    const raptor_term_literal_value *l = &t->value.literal;
    size_t n = l->string ? l->string_len : 0;
    int bad = 0;
    nkg_buf_reserve(out, ESCAPED_MAX(n) + 3 + l->language_len);
    char *o = out->data + out->len;
    *o++ = '"';
    /* raptor ignores the failure of the string and goes on. */
    if (l->string)
      o = put_escaped(o, l->string, n, ESC_LITERAL, &bad);
    *o++ = '"';
    if (l->language) {
      *o++ = '@';
      memcpy(o, l->language, l->language_len);
      o += l->language_len;
    }
    finish(out, o);
    if (l->datatype) {
      nkg_buf_add(out, "^^", 2);
      if (write_iri(out, l->datatype) != NKG_NT_OK)
        bad = 1;
    }
    return bad ? NKG_NT_BAD_UTF8 : NKG_NT_OK;
  }
  case RAPTOR_TERM_TYPE_BLANK:
    /* raptor 2.0.16 writes the label's bytes unescaped. */
    nkg_buf_add(out, "_:", 2);
    nkg_buf_add(out, (const char *)t->value.blank.string,
                t->value.blank.string_len);
    return NKG_NT_OK;
  case RAPTOR_TERM_TYPE_UNKNOWN:
  default:
    return NKG_NT_BAD_TERM;
  }
}

static nkg_nt_status worse(nkg_nt_status a, nkg_nt_status b) {
  return a > b ? a : b;
}

#define MEMO_SLOTS 256 /* a power of two */

/* A direct-mapped table: a term, and where its written form lies in
 * bytes. A slot taken by another term is overwritten; the arena only grows
 * for the memo's life (one batch of statements). */
typedef struct {
  const raptor_term *t; /* NULL: empty */
  size_t off, len;
  nkg_nt_status status;
} memo_slot;

struct nkg_nt_memo {
  memo_slot slots[MEMO_SLOTS];
  nkg_buf bytes;
};

nkg_nt_memo *nkg_nt_memo_new(void) {
  return nkg_xcalloc(1, sizeof(nkg_nt_memo));
}

void nkg_nt_memo_free(nkg_nt_memo *m) {
  if (!m)
    return;
  nkg_buf_free(&m->bytes);
  free(m);
}

/* nkg_nt_write_term(), through memo m (NULL for none) for IRI terms. */
static nkg_nt_status write_term_memo(nkg_buf *out, const raptor_term *t,
                                     nkg_nt_memo *m) {
  if (!m || !t || t->type != RAPTOR_TERM_TYPE_URI)
    return nkg_nt_write_term(out, t);
  uintptr_t a = (uintptr_t)t;
  memo_slot *sl = &m->slots[(a >> 4 ^ a >> 12) & (MEMO_SLOTS - 1)];
  if (sl->t == t) {
    nkg_buf_add(out, m->bytes.data + sl->off, sl->len);
    return sl->status;
  }
  size_t from = out->len;
  nkg_nt_status rc = nkg_nt_write_term(out, t);
  /* NKG_NT_BAD_TERM writes nothing and is not kept */
  if (rc != NKG_NT_BAD_TERM) {
    *sl = (memo_slot){t, m->bytes.len, out->len - from, rc};
    nkg_buf_add(&m->bytes, out->data + from, out->len - from);
  }
  return rc;
}

/* raptor_statement_ntriples_write(st, out, quads). */
nkg_nt_status nkg_nt_write_statement_memo(nkg_buf *out,
                                          const raptor_statement *st,
                                          int quads, nkg_nt_memo *m) {
  nkg_nt_status rc = NKG_NT_OK, t;
  if (!st)
    return NKG_NT_BAD_TERM;
  if ((t = write_term_memo(out, st->subject, m)) == NKG_NT_BAD_TERM)
    return t;
  rc = worse(rc, t);
  nkg_buf_addc(out, ' ');
  if ((t = write_term_memo(out, st->predicate, m)) == NKG_NT_BAD_TERM)
    return t;
  rc = worse(rc, t);
  nkg_buf_addc(out, ' ');
  if ((t = write_term_memo(out, st->object, m)) == NKG_NT_BAD_TERM)
    return t;
  rc = worse(rc, t);
  if (st->graph && quads) {
    nkg_buf_addc(out, ' ');
    if ((t = write_term_memo(out, st->graph, m)) == NKG_NT_BAD_TERM)
      return t;
    rc = worse(rc, t);
  }
  nkg_buf_add(out, " .\n", 3);
  return rc;
}

nkg_nt_status nkg_nt_write_statement(nkg_buf *out, const raptor_statement *st,
                                     int quads) {
  return nkg_nt_write_statement_memo(out, st, quads, NULL);
}

static int buf_write_byte(void *ctx, const int byte) {
  nkg_buf_addc(ctx, (char)byte);
  return 0;
}

static int buf_write_bytes(void *ctx, const void *ptr, size_t size,
                           size_t nmemb) {
  nkg_buf_add(ctx, ptr, size * nmemb);
  return (int)nmemb;
}

static const raptor_iostream_handler buf_handler = {
    .version = 2, .write_byte = buf_write_byte, .write_bytes = buf_write_bytes};

raptor_iostream *nkg_nt_buf_iostream(raptor_world *world, nkg_buf *out) {
  return raptor_new_iostream_from_handler(world, out, &buf_handler);
}
