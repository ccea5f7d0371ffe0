/* ttlwriter.c: raptor's Turtle serialiser, in one pass over sorted
 * statements.
 *
 * Each function names the raptor 2.0.15 function whose output it copies.
 * tests/ntwriter-diff.test, tests/turtle-stream.test and
 * tests/fuzz/fuzz_ntwriter.c compare the two writers. */
#define _POSIX_C_SOURCE 200809L
#include "ttlwriter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntwriter.h"

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD "http://www.w3.org/2001/XMLSchema#"
/* raptor_namespaces_init(, 1) starts xml: in the serialiser's stack: it is
 * tried for prefixed names, though never declared in the output. */
#define XML_NS "http://www.w3.org/XML/1998/namespace"

#define MAX_NS 32
#define MEMO_SLOTS 512 /* a power of two */

typedef struct {
  const char *prefix, *uri;
  size_t prefix_len, uri_len;
  int turtle_prefix; /* raptor_turtle_is_legal_turtle_qname()'s prefix test */
} ns_entry;

/* The written form of an IRI in one of two roles, kept by the address of
 * its raptor_uri: a document's terms share their URIs (raptor interns
 * them, and iricache.h shares the terms). */
enum { ROLE_NODE, ROLE_PLAIN, ROLE_PREDICATE };

typedef struct {
  const raptor_uri *key; /* NULL: empty */
  int role;
  size_t off, len;
} memo_slot;

struct nkg_ttl_writer {
  ns_entry ns[MAX_NS]; /* rdf:, the declared ones, then xml: */
  size_t n_ns, n_declared;
  int usable; /* 0: every batch goes to raptor */
  memo_slot slots[MEMO_SLOTS];
  nkg_buf bytes; /* the memo's arena */
  nkg_buf head;  /* the @prefix lines and the empty line */
};

/* Bytes copied as they are inside <...> (RAPTOR_ESCAPED_WRITE_TURTLE_URI,
 * delimiter '>': 0x21-0x7E but < > " { } | ^ ` and backslash) and inside
 * a literal (RAPTOR_ESCAPED_WRITE_TURTLE_LITERAL, delimiter '"': 0x01-0x7E
 * but '"' and backslash; controls stay raw in Turtle). */
static int iri_plain(unsigned char c) {
  return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"' && c != '{' &&
         c != '}' && c != '|' && c != '^' && c != '`' && c != '\\';
}

static int ascii_alpha(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Checks (and skips) the UTF-8 character at s[i]: raptor's writers stop
 * at a character its decoder refuses. Returns its length, or -1. */
static int utf8_len(const unsigned char *s, size_t len, size_t i) {
  unsigned long cp;
  return nkg_nt_utf8_char(s + i, len - i, &cp);
}

/* raptor_string_escaped_write(s, len, '>', RAPTOR_ESCAPED_WRITE_TURTLE_URI)
 * between '<' and '>' (raptor_uri_escaped_write with no base). Returns 0,
 * or -1 at UTF-8 raptor refuses (out is then partly written). */
static int put_iri(nkg_buf *out, const unsigned char *s, size_t len) {
  static const char hex[] = "0123456789ABCDEF";
  nkg_buf_reserve(out, 6 * len + 2);
  char *o = out->data + out->len;
  *o++ = '<';
  size_t i = 0;
  while (i < len && s[i]) {
    unsigned char c = s[i];
    if (iri_plain(c)) {
      *o++ = (char)c;
      i++;
    } else if (c == '\\') {
      *o++ = '\\';
      *o++ = '\\';
      i++;
    } else if (c < 0x7f) {
      memcpy(o, "\\u00", 4);
      o[4] = hex[c >> 4];
      o[5] = hex[c & 0xF];
      o += 6;
      i++;
    } else {
      int n = utf8_len(s, len, i);
      if (n < 0)
        return -1;
      memcpy(o, s + i, (size_t)n);
      o += n;
      i += (size_t)n;
    }
  }
  *o++ = '>';
  out->len = (size_t)(o - out->data);
  out->data[out->len] = '\0';
  return 0;
}

/* raptor_turtle_writer_quoted_counted_string(): "..." or, when s holds a
 * newline, """...""", with RAPTOR_ESCAPED_WRITE_TURTLE_(LONG_)LITERAL
 * (the same escapes: \" and \\). Returns 0, or -1 at UTF-8 raptor
 * refuses. */
static int put_quoted(nkg_buf *out, const unsigned char *s, size_t len) {
  int longq = memchr(s, '\n', len) != NULL;
  size_t q = longq ? 3 : 1;
  nkg_buf_reserve(out, 2 * len + 2 * q);
  char *o = out->data + out->len;
  memcpy(o, "\"\"\"", q);
  o += q;
  size_t i = 0;
  while (i < len && s[i]) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      *o++ = '\\';
      *o++ = (char)c;
      i++;
    } else if (c < 0x7f) {
      *o++ = (char)c;
      i++;
    } else {
      int n = utf8_len(s, len, i);
      if (n < 0)
        return -1;
      memcpy(o, s + i, (size_t)n);
      o += n;
      i += (size_t)n;
    }
  }
  memcpy(o, "\"\"\"", q);
  o += q;
  out->len = (size_t)(o - out->data);
  out->data[out->len] = '\0';
  return 0;
}

/* raptor_xml_name_check(s, len, 10): an XML 1.0 name (no ':'). ASCII is
 * decided here; anything else is asked of raptor. */
static int xml_name(const unsigned char *s, size_t len) {
  if (!len)
    return 0;
  int ascii = 1;
  for (size_t i = 0; i < len && ascii; i++)
    if (s[i] >= 0x80)
      ascii = 0;
  if (!ascii)
    return raptor_xml_name_check(s, len, 10);
  if (!ascii_alpha(s[0]) && s[0] != '_')
    return 0;
  for (size_t i = 1; i < len; i++)
    if (!ascii_alpha(s[i]) && !ascii_digit(s[i]) && s[i] != '.' &&
        s[i] != '-' && s[i] != '_')
      return 0;
  return 1;
}

/* raptor_new_qname_from_namespace_uri(nstack, uri, 10): the namespace
 * that is a proper prefix of s with an XML name after it, or -1. Since no
 * namespace of the table is a prefix of another, at most one is. */
static int find_ns(const nkg_ttl_writer *w, const unsigned char *s,
                   size_t len) {
  for (size_t i = 0; i < w->n_ns; i++) {
    const ns_entry *e = &w->ns[i];
    if (e->uri_len < len && !memcmp(s, e->uri, e->uri_len))
      return xml_name(s + e->uri_len, len - e->uri_len) ? (int)i : -1;
  }
  return -1;
}

/* Appends the written form of uri in role to out: ROLE_NODE as
 * raptor_turtle_emit_resource(), ROLE_PLAIN (datatypes) a prefixed name
 * with no Turtle check, ROLE_PREDICATE that or "a" for rdf:type. */
static int form(const nkg_ttl_writer *w, nkg_buf *out, raptor_uri *uri,
                int role) {
  size_t len;
  const unsigned char *s = raptor_uri_as_counted_string(uri, &len);
  if (!s)
    return -1;
  if (role == ROLE_NODE && len == sizeof RDF_NS "nil" - 1 &&
      !memcmp(s, RDF_NS "nil", len)) {
    nkg_buf_add(out, "( )", 3);
    return 0;
  }
  if (role == ROLE_PREDICATE && len == sizeof RDF_NS "type" - 1 &&
      !memcmp(s, RDF_NS "type", len)) {
    nkg_buf_addc(out, 'a');
    return 0;
  }
  int k = find_ns(w, s, len);
  if (k >= 0) {
    const ns_entry *e = &w->ns[k];
    const unsigned char *local = s + e->uri_len;
    /* raptor copies the local part up to a NUL (a URI made from counted
     * bytes may hold one after an XML name's worth of UTF-8) */
    size_t local_len = strnlen((const char *)local, len - e->uri_len);
    /* raptor_turtle_is_legal_turtle_qname(), for subjects and objects */
    int legal =
        e->turtle_prefix &&
        (ascii_alpha(local[0]) || ascii_digit(local[0]) || local[0] == '_') &&
        !memchr(local, '.', local_len);
    if (role != ROLE_NODE || legal) {
      nkg_buf_add(out, e->prefix, e->prefix_len);
      nkg_buf_addc(out, ':');
      nkg_buf_add(out, (const char *)local, local_len);
      return 0;
    }
  }
  return put_iri(out, s, len);
}

/* form(), through the memo. */
static int form_memo(nkg_ttl_writer *w, nkg_buf *out, raptor_uri *uri,
                     int role) {
  uintptr_t a = (uintptr_t)uri;
  memo_slot *sl =
      &w->slots[((a >> 4 ^ a >> 13) * 3u + (uintptr_t)role) & (MEMO_SLOTS - 1)];
  if (sl->key == uri && sl->role == role) {
    nkg_buf_add(out, w->bytes.data + sl->off, sl->len);
    return 0;
  }
  size_t from = out->len;
  if (form(w, out, uri, role))
    return -1;
  *sl = (memo_slot){uri, role, w->bytes.len, out->len - from};
  nkg_buf_add(&w->bytes, out->data + from, out->len - from);
  return 0;
}

/* strtol()/strtod() accept s whole (raptor_turtle_writer_literal). */
static int whole_long(const char *s) {
  char *end;
  (void)strtol(s, &end, 10);
  return end != s && !*end;
}

static int whole_double(const char *s) {
  char *end;
  (void)strtod(s, &end);
  return end != s && !*end;
}

static int uri_is(raptor_uri *u, const char *s) {
  size_t len;
  const unsigned char *us = raptor_uri_as_counted_string(u, &len);
  return us && len == strlen(s) && !memcmp(us, s, len);
}

/* raptor_turtle_writer_literal(). Returns 0, or -1 where raptor would
 * report an illegal value or cut the string. */
static int put_literal(nkg_ttl_writer *w, nkg_buf *out, const raptor_term *t) {
  const raptor_term_literal_value *l = &t->value.literal;
  const char *s = (const char *)l->string;
  if (!s)
    return -1;
  raptor_uri *dt = l->datatype;
  if (dt) {
    if (uri_is(dt, XSD "integer") || uri_is(dt, XSD "double") ||
        uri_is(dt, XSD "decimal")) {
      int ok = uri_is(dt, XSD "integer") ? whole_long(s) : whole_double(s);
      if (!ok)
        return -1; /* raptor logs an error and quotes it */
      nkg_buf_adds(out, s);
      return 0;
    }
    if (uri_is(dt, XSD "boolean")) {
      if (!strcmp(s, "0") || !strcmp(s, "false"))
        nkg_buf_add(out, "false", 5);
      else if (!strcmp(s, "1") || !strcmp(s, "true"))
        nkg_buf_add(out, "true", 4);
      else
        return -1;
      return 0;
    }
  }
  if (put_quoted(out, (const unsigned char *)s, strlen(s)))
    return -1;
  if (dt) {
    nkg_buf_add(out, "^^", 2);
    return form_memo(w, out, dt, ROLE_PLAIN);
  }
  if (l->language) {
    nkg_buf_addc(out, '@');
    nkg_buf_adds(out, (const char *)l->language);
  }
  return 0;
}

/* A subject or an object: raptor_turtle_emit_resource() or
 * raptor_turtle_emit_literal(). */
static int put_node(nkg_ttl_writer *w, nkg_buf *out, const raptor_term *t,
                    int literal_ok) {
  if (t->type == RAPTOR_TERM_TYPE_URI && t->value.uri)
    return form_memo(w, out, t->value.uri, ROLE_NODE);
  if (literal_ok && t->type == RAPTOR_TERM_TYPE_LITERAL)
    return put_literal(w, out, t);
  return -1; /* blank nodes and the rest: raptor's */
}

static int prefix_ok(const char *p) {
  return p && *p &&
         (ascii_alpha((unsigned char)*p) || ascii_digit((unsigned char)*p)) &&
         !strchr(p, '.');
}

static void add_ns(nkg_ttl_writer *w, const char *prefix, const char *uri) {
  if (w->n_ns == MAX_NS || !prefix || !uri || !*prefix || !*uri) {
    w->usable = 0;
    return;
  }
  ns_entry *e = &w->ns[w->n_ns++];
  *e = (ns_entry){prefix, uri, strlen(prefix), strlen(uri), prefix_ok(prefix)};
}

nkg_ttl_writer *nkg_ttl_writer_new(const char *const *prefixes,
                                   const char *const *namespaces, size_t n) {
  nkg_ttl_writer *w = nkg_xcalloc(1, sizeof *w);
  w->usable = 1;
  add_ns(w, "rdf", RDF_NS);
  for (size_t i = 0; i < n; i++)
    add_ns(w, prefixes[i], namespaces[i]);
  w->n_declared = w->n_ns;
  add_ns(w, "xml", XML_NS);
  /* raptor ignores a second declaration of a prefix or a namespace, and
   * picks among nested namespaces by its hash order: leave both to it. */
  for (size_t i = 0; i < w->n_ns && w->usable; i++)
    for (size_t j = 0; j < w->n_ns; j++) {
      const ns_entry *a = &w->ns[i], *b = &w->ns[j];
      if (i != j &&
          (!strcmp(a->prefix, b->prefix) ||
           (a->uri_len <= b->uri_len && !memcmp(a->uri, b->uri, a->uri_len))))
        w->usable = 0;
    }
  /* raptor_turtle_writer_namespace_prefix() for each, then a newline */
  for (size_t i = 0; i < w->n_declared && w->usable; i++) {
    nkg_buf_add(&w->head, "@prefix ", 8);
    nkg_buf_add(&w->head, w->ns[i].prefix, w->ns[i].prefix_len);
    nkg_buf_add(&w->head, ": ", 2);
    if (put_iri(&w->head, (const unsigned char *)w->ns[i].uri,
                w->ns[i].uri_len))
      w->usable = 0;
    nkg_buf_add(&w->head, " .\n", 3);
  }
  nkg_buf_addc(&w->head, '\n');
  return w;
}

void nkg_ttl_writer_free(nkg_ttl_writer *w) {
  if (!w)
    return;
  nkg_buf_free(&w->bytes);
  nkg_buf_free(&w->head);
  free(w);
}

void nkg_ttl_writer_reset(nkg_ttl_writer *w) {
  memset(w->slots, 0, sizeof w->slots);
  nkg_buf_clear(&w->bytes);
}

static int same(const raptor_term *a, const raptor_term *b) {
  return a == b || !raptor_term_compare(a, b);
}

/* raptor_turtle_serialize_end(): the header, then each subject
 * (raptor_turtle_emit_subject at depth 0, indent width 2: the properties
 * at 2 x 2 spaces). */
static int write_all(nkg_ttl_writer *w, nkg_buf *out,
                     raptor_statement *const *v, size_t n) {
  nkg_buf_add(out, w->head.data, w->head.len);
  const raptor_statement *prev = NULL;
  for (size_t i = 0; i < n; i++) {
    const raptor_statement *st = v[i];
    if (!st->subject || !st->predicate || !st->object ||
        st->predicate->type != RAPTOR_TERM_TYPE_URI ||
        !st->predicate->value.uri)
      return -1;
    int new_subject = !prev || !same(prev->subject, st->subject);
    int new_predicate = new_subject || !same(prev->predicate, st->predicate);
    if (!new_predicate && same(prev->object, st->object))
      continue; /* the same triple in another graph */
    if (new_subject) {
      if (prev)
        nkg_buf_add(out, " .\n\n", 4);
      if (put_node(w, out, st->subject, 0))
        return -1;
      nkg_buf_add(out, "\n    ", 5);
    } else if (new_predicate) {
      nkg_buf_add(out, " ;\n    ", 7);
    } else {
      nkg_buf_add(out, ", ", 2);
    }
    if (new_predicate) {
      if (form_memo(w, out, st->predicate->value.uri, ROLE_PREDICATE))
        return -1;
      nkg_buf_addc(out, ' ');
    }
    if (put_node(w, out, st->object, 1))
      return -1;
    prev = st;
  }
  if (prev)
    nkg_buf_add(out, " .\n\n", 4);
  return 0;
}

int nkg_ttl_write(nkg_ttl_writer *w, nkg_buf *out, raptor_statement *const *v,
                  size_t n) {
  if (!w->usable)
    return -1;
  size_t from = out->len;
  if (write_all(w, out, v, n)) {
    out->len = from;
    if (out->data)
      out->data[from] = '\0';
    return -1;
  }
  return 0;
}
