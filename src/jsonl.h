/* jsonl.h: a small, strict reader of news articles as JSON Lines.
 *
 * Each line is one JSON object (RFC 8259) describing one article:
 *
 *   {"id": "a1", "url": "https://...", "date": "2021-12-17",
 *    "title": "Headline", "text": "Body..."}
 *
 * "id" and "text" are required strings; "url", "date" and "title" are
 * optional strings (or null); "date" must start with YYYY-MM-DD (a time may
 * follow after 'T' or ' ', and is ignored). Other members are allowed and
 * skipped, but must be valid JSON. Duplicate members, trailing data after the
 * object, raw control characters in strings, bad escapes, lone surrogates
 * and "\u0000" are errors. Empty lines are skipped. Bytes that are not valid
 * UTF-8 are passed on; the document layer replaces them.
 *
 * A malformed line is reported as "newskg: FILE:LINE: message" and skipped;
 * the reader goes on with the next line. */
#ifndef NKG_JSONL_H
#define NKG_JSONL_H

#include <stddef.h>

typedef struct {
  char *id;    /* never NULL after a successful read */
  char *url;   /* NULL if absent or null */
  char date[11]; /* "YYYY-MM-DD" or "" */
  char *title; /* NULL if absent or null */
  char *text;  /* never NULL after a successful read */
  size_t title_len, text_len; /* strings may not hold NUL, but keep lengths */
} nkg_jsonl_article;

typedef struct nkg_jsonl_reader nkg_jsonl_reader;

/* Opens path ("-" for standard input). Returns NULL after printing
 * "newskg: PATH: reason". */
nkg_jsonl_reader *nkg_jsonl_open(const char *path);

/* Reads the next article into *a (which the caller frees with
 * nkg_jsonl_article_free). Returns 1 for an article, 0 at the end of the
 * input, -1 for a malformed line (reported and skipped: call again), -2 for
 * a read error (reported; stop). */
int nkg_jsonl_next(nkg_jsonl_reader *r, nkg_jsonl_article *a);

/* The number of malformed lines seen so far. */
size_t nkg_jsonl_errors(const nkg_jsonl_reader *r);

/* Closes the input (not standard input) and frees r. */
void nkg_jsonl_close(nkg_jsonl_reader *r);

/* Parses one line s[0..n) (without its newline) into *a. Returns 0, or -1
 * and points *err at a static message (nothing to free in *a then). */
int nkg_jsonl_parse(const char *s, size_t n, nkg_jsonl_article *a,
                    const char **err);

/* Builds the plain text newskg reads for an article: the title on line 1,
 * " date YYYY-MM-DD" on line 2 when there is a date, an empty line, then the
 * text (newlines in the title become spaces). Returns a malloc'd string of
 * *len bytes, NUL-terminated. */
char *nkg_jsonl_article_text(const nkg_jsonl_article *a, size_t *len);

void nkg_jsonl_article_free(nkg_jsonl_article *a);

#endif
