/* ntwriter.h: N-Triples and N-Quads lines of raptor statements, appended to
 * a buffer, byte for byte as raptor 2's "ntriples" and "nquads" serialisers
 * write them.
 *
 * raptor writes a statement through raptor_statement_ntriples_write():
 * every byte goes through a function call and an iostream handler, which
 * made serialisation about a third of `newskg extract -f ntriples`. This
 * module writes the same bytes with plain runs copied at once. It is the
 * reference behaviour of raptor 2.0.15 and 2.0.16 (their serialiser,
 * escaping and UTF-8 decoding code is the same), quirks included:
 *
 * - IRIs: <...>; '\' is written "\\"; '>' and the bytes 0x00-0x20 and
 *   < " { } | ^ ` are written \u00XX; every other character from U+007F up
 *   as \uXXXX or \UXXXXXXXX (upper-case hex, 4 digits below U+10000).
 * - Literals: "..."; '"' and '\' are written \" and \\; TAB, LF and CR as
 *   \t \n \r; the other controls and U+007F as \u00XX; characters from
 *   U+0080 as \uXXXX or \UXXXXXXXX. Then @lang as stored, or ^^<datatype>
 *   escaped as an IRI.
 * - Blank nodes: "_:" and the label's bytes as they are.
 * - A string ends at its first NUL byte that starts a character.
 * - Invalid UTF-8 is decoded as raptor decodes it (continuation bytes are
 *   not checked; 5- and 6-byte forms up to U+10FFFF and surrogates pass;
 *   overlong 2-4 byte forms, U+FFFE, U+FFFF, values past U+10FFFF and a
 *   form cut by the end of the string do not). At the first bad character
 *   the rest of that string is dropped and the term is closed as usual:
 *   raptor writes the same truncated term and reports nothing.
 * - A NULL term (or one of unknown type) ends the statement where it
 *   stands, with no " .\n": the line is left unfinished, as raptor leaves it.
 *
 * Terms must come from raptor's constructors, which put a NUL after every
 * string (the writer, like raptor, relies on it). No state is kept between
 * calls but in a memo the caller owns; the functions are safe to call from
 * several threads on different buffers and memos. */
#ifndef NKG_NTWRITER_H
#define NKG_NTWRITER_H

#include <raptor2.h>

#include "util.h"

typedef enum {
  NKG_NT_OK = 0,
  NKG_NT_BAD_UTF8 = 1, /* a string was cut at invalid UTF-8 (as raptor) */
  NKG_NT_BAD_TERM = 2  /* a NULL or unknown term: the line is unfinished */
} nkg_nt_status;

/* Appends term t to out as raptor_term_escaped_write(t,
 * RAPTOR_ESCAPED_WRITE_NTRIPLES_LITERAL, ...) writes it. Returns NKG_NT_OK,
 * NKG_NT_BAD_UTF8 (written, truncated as raptor truncates it), or
 * NKG_NT_BAD_TERM (nothing written). */
nkg_nt_status nkg_nt_write_term(nkg_buf *out, const raptor_term *t);

/* Appends statement st as one line "S P O [G] .\n", the graph term only
 * when quads is nonzero and st has one: the bytes of raptor's nquads
 * (quads) or ntriples serialiser for st. Returns the worst status of its
 * terms; after NKG_NT_BAD_TERM the line is unfinished, as raptor leaves
 * it. */
nkg_nt_status nkg_nt_write_statement(nkg_buf *out, const raptor_statement *st,
                                     int quads);

/* A memo of the written form of IRI terms, keyed by the term's address: a
 * document's statements share their IRI terms (iricache.h) and, sorted,
 * repeat the same subject, predicates and graph line after line; these are
 * escaped once and then copied. The terms must stay alive, unchanged, for
 * as long as the memo is used (one batch of statements): a freed term's
 * address may be given to another. One memo per thread. */
typedef struct nkg_nt_memo nkg_nt_memo;

nkg_nt_memo *nkg_nt_memo_new(void);
void nkg_nt_memo_free(nkg_nt_memo *m);

/* nkg_nt_write_statement(), the same bytes and status, with IRI terms
 * taken from or added to memo m. */
nkg_nt_status nkg_nt_write_statement_memo(nkg_buf *out,
                                          const raptor_statement *st,
                                          int quads, nkg_nt_memo *m);

/* raptor_unicode_utf8_string_get_char() as it is (see the list above):
 * decodes the character at s (len bytes left) into *out and returns its
 * length in bytes, or -1 where raptor refuses it. The Turtle writer
 * (ttlwriter.h) shares it. */
int nkg_nt_utf8_char(const unsigned char *s, size_t len, unsigned long *out);

/* A raptor iostream that appends what is written to it to out: where a
 * test puts raptor's serialiser bytes to compare them with ours (raptor's
 * string iostream allocates a node per byte written). NULL on failure;
 * free it with raptor_free_iostream(). */
raptor_iostream *nkg_nt_buf_iostream(raptor_world *world, nkg_buf *out);

#endif
