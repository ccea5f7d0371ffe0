/* util.h: small shared helpers: growable byte buffers, error messages,
 * hashing and IRI-safe slugs.
 *
 * Every message newskg prints goes through nkg_error()/nkg_warn(): it starts
 * with "newskg: " and the caller names the file concerned. */
#ifndef NKG_UTIL_H
#define NKG_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Exit codes, used in exactly one place (main). */
enum { NKG_OK = 0, NKG_FAIL = 1, NKG_USAGE = 2 };

/* A growable, always NUL-terminated byte buffer. Zero-initialise before use;
 * nkg_buf_free() releases it. Allocation failure aborts with a message:
 * newskg cannot do anything useful without memory. */
typedef struct {
  char *data;
  size_t len;
  size_t cap;
  int borrowed; /* data is the caller's memory (nkg_buf_use) */
} nkg_buf;

/* Starts b empty on the caller's memory mem of cap bytes (cap >= 1), for a
 * short-lived buffer on the stack: it moves to the heap only if it
 * outgrows mem, and nkg_buf_free() frees only what it allocated. mem must
 * outlive b's use; nkg_buf_steal() always returns heap memory. */
void nkg_buf_use(nkg_buf *b, char *mem, size_t cap);

/* Grows b for n more bytes and the NUL (nkg_buf_reserve's slow path). */
void nkg_buf_grow(nkg_buf *b, size_t n);

/* Makes room for n more bytes and the NUL after them; len is unchanged.
 * For writers that fill data + len themselves, then set len and the NUL.
 * Inline: the tokenizer, the lexicon and the writers call these for every
 * word and term, and a call each was 2% of extract. */
static inline void nkg_buf_reserve(nkg_buf *b, size_t n) {
  if (b->len + n + 1 > b->cap)
    nkg_buf_grow(b, n);
}

static inline void nkg_buf_add(nkg_buf *b, const char *s, size_t n) {
  nkg_buf_reserve(b, n);
  if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void nkg_buf_adds(nkg_buf *b, const char *s);

static inline void nkg_buf_addc(nkg_buf *b, char c) {
  nkg_buf_reserve(b, 1);
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}
void nkg_buf_printf(nkg_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void nkg_buf_clear(nkg_buf *b);
void nkg_buf_free(nkg_buf *b);
/* Hands the data to the caller (who frees it) and resets the buffer. */
char *nkg_buf_steal(nkg_buf *b);

void *nkg_xmalloc(size_t n);
void *nkg_xcalloc(size_t n, size_t size);
void *nkg_xrealloc(void *p, size_t n);
char *nkg_xstrdup(const char *s);
char *nkg_xstrndup(const char *s, size_t n);

/* "newskg: " + message + "\n" on stderr, unless quiet was set. Errors are
 * always printed. */
void nkg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nkg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nkg_set_quiet(int quiet);

/* 64-bit FNV-1a; stable across platforms, used to mint IRIs. */
uint64_t nkg_hash64(const void *data, size_t n, uint64_t seed);
#define NKG_HASH_SEED UINT64_C(14695981039346656037)

/* A set of byte strings (copies kept in one arena), for "seen before?"
 * questions over many keys. Zero-initialise before use. */
typedef struct {
  nkg_buf arena;    /* entries: a size_t length, then the bytes */
  size_t *slots;    /* open addressing: arena offset + 1, 0 when empty */
  uint64_t *hashes; /* the hash of each slot's key */
  size_t nslots, n;
} nkg_byteset;

/* Adds the n bytes at data; returns 1 if they were new, 0 if present. */
int nkg_byteset_add(nkg_byteset *s, const void *data, size_t n);
int nkg_byteset_has(const nkg_byteset *s, const void *data, size_t n);
void nkg_byteset_free(nkg_byteset *s);

/* Appends to b a slug of the UTF-8 text s[0..n): ASCII letters and digits
 * lower-cased, runs of anything else in ASCII become one '-', and non-ASCII
 * bytes are percent-encoded so the result is a valid IRI path segment that
 * every strict parser accepts. No leading or trailing '-'. */
void nkg_slug(nkg_buf *b, const char *s, size_t n);

/* Number of Unicode code points in the UTF-8 bytes s[0..n). */
size_t nkg_utf8_count(const char *s, size_t n);

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1..12),
 * negative before it; exact for any y that fits (H. Hinnant's algorithm). */
int64_t nkg_days_from_civil(int64_t y, int m, int d);

#endif
