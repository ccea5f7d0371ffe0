/* util.c: see util.h. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int quiet_mode;

void nkg_set_quiet(int quiet) { quiet_mode = quiet; }

/* One write per message, so that messages of worker threads (-j) never
 * interleave within a line. */
static void vmessage(const char *fmt, va_list ap) {
  char line[1024];
  int n = snprintf(line, sizeof line, "newskg: ");
  int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
  if (m < 0)
    m = 0;
  size_t len = (size_t)n + (size_t)m;
  if (len > sizeof line - 2)
    len = sizeof line - 2; /* cut, but still one line */
  line[len++] = '\n';
  line[len] = '\0';
  fputs(line, stderr);
}

void nkg_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(fmt, ap);
  va_end(ap);
}

void nkg_warn(const char *fmt, ...) {
  va_list ap;
  if (quiet_mode)
    return;
  va_start(ap, fmt);
  vmessage(fmt, ap);
  va_end(ap);
}

static void out_of_memory(void) {
  fputs("newskg: out of memory\n", stderr);
  abort();
}

void *nkg_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *nkg_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *nkg_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q)
    out_of_memory();
  return q;
}

char *nkg_xstrdup(const char *s) { return nkg_xstrndup(s, strlen(s)); }

char *nkg_xstrndup(const char *s, size_t n) {
  char *p = nkg_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void nkg_buf_use(nkg_buf *b, char *mem, size_t cap) {
  b->data = mem;
  b->len = 0;
  b->cap = cap;
  b->borrowed = 1;
  mem[0] = '\0';
}

void nkg_buf_grow(nkg_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1)
    cap *= 2;
  if (b->borrowed) { /* leave the caller's memory */
    char *d = nkg_xmalloc(cap);
    memcpy(d, b->data, b->len + 1);
    b->data = d;
    b->borrowed = 0;
  } else {
    b->data = nkg_xrealloc(b->data, cap);
  }
  b->cap = cap;
}

void nkg_buf_adds(nkg_buf *b, const char *s) { nkg_buf_add(b, s, strlen(s)); }

void nkg_buf_printf(nkg_buf *b, const char *fmt, ...) {
  /* Most messages fit in a small buffer. (A first vsnprintf(NULL, 0, ...)
   * also works, but gcc -fsanitize=undefined -O2 then warns about a "null
   * format string", which breaks sanitizer builds with -Werror.) */
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n < sizeof small) {
    nkg_buf_add(b, small, (size_t)n);
    return;
  }
  nkg_buf_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void nkg_buf_clear(nkg_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

void nkg_buf_free(nkg_buf *b) {
  if (!b->borrowed)
    free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->borrowed = 0;
}

char *nkg_buf_steal(nkg_buf *b) {
  char *p = !b->data ? nkg_xstrdup("")
            : b->borrowed ? nkg_xstrndup(b->data, b->len)
                          : b->data;
  b->data = NULL;
  b->len = b->cap = 0;
  b->borrowed = 0;
  return p;
}

uint64_t nkg_hash64(const void *data, size_t n, uint64_t seed) {
  const unsigned char *p = data;
  uint64_t h = seed;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= UINT64_C(1099511628211);
  }
  return h;
}

static int byteset_equal(const nkg_byteset *s, size_t slot, const void *data,
                         size_t n) {
  size_t len;
  const char *e = s->arena.data + s->slots[slot] - 1;
  memcpy(&len, e, sizeof len);
  return len == n && !memcmp(e + sizeof len, data, n);
}

static void byteset_grow(nkg_byteset *s) {
  size_t nslots = s->nslots ? s->nslots * 2 : 1024;
  size_t *slots = nkg_xcalloc(nslots, sizeof *slots);
  uint64_t *hashes = nkg_xcalloc(nslots, sizeof *hashes);
  for (size_t i = 0; i < s->nslots; i++) {
    if (!s->slots[i])
      continue;
    size_t j = (size_t)s->hashes[i] & (nslots - 1);
    while (slots[j])
      j = (j + 1) & (nslots - 1);
    slots[j] = s->slots[i];
    hashes[j] = s->hashes[i];
  }
  free(s->slots);
  free(s->hashes);
  s->slots = slots;
  s->hashes = hashes;
  s->nslots = nslots;
}

int nkg_byteset_add(nkg_byteset *s, const void *data, size_t n) {
  if ((s->n + 1) * 2 > s->nslots)
    byteset_grow(s);
  uint64_t h = nkg_hash64(data, n, NKG_HASH_SEED);
  size_t j = (size_t)h & (s->nslots - 1);
  for (; s->slots[j]; j = (j + 1) & (s->nslots - 1))
    if (s->hashes[j] == h && byteset_equal(s, j, data, n))
      return 0;
  s->slots[j] = s->arena.len + 1;
  s->hashes[j] = h;
  nkg_buf_add(&s->arena, (const char *)&n, sizeof n);
  nkg_buf_add(&s->arena, data, n);
  s->n++;
  return 1;
}

int nkg_byteset_has(const nkg_byteset *s, const void *data, size_t n) {
  if (!s->nslots)
    return 0;
  uint64_t h = nkg_hash64(data, n, NKG_HASH_SEED);
  for (size_t j = (size_t)h & (s->nslots - 1); s->slots[j];
       j = (j + 1) & (s->nslots - 1))
    if (s->hashes[j] == h && byteset_equal(s, j, data, n))
      return 1;
  return 0;
}

void nkg_byteset_free(nkg_byteset *s) {
  nkg_buf_free(&s->arena);
  free(s->slots);
  free(s->hashes);
  memset(s, 0, sizeof *s);
}

void nkg_slug(nkg_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  int dash = 0;
  size_t start = b->len;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && b->len > start)
        nkg_buf_addc(b, '-');
      dash = 0;
      nkg_buf_addc(b, (char)c);
    } else if (c >= 'A' && c <= 'Z') {
      if (dash && b->len > start)
        nkg_buf_addc(b, '-');
      dash = 0;
      nkg_buf_addc(b, (char)(c - 'A' + 'a'));
    } else if (c >= 0x80) {
      if (dash && b->len > start)
        nkg_buf_addc(b, '-');
      dash = 0;
      nkg_buf_addc(b, '%');
      nkg_buf_addc(b, hex[c >> 4]);
      nkg_buf_addc(b, hex[c & 15]);
    } else {
      dash = 1;
    }
  }
}

/* Eight bytes at a time: a continuation byte is 10xxxxxx, so bit 7 of
 * w & ~(w << 1) is set in exactly those bytes; the multiply adds the eight
 * flags into the top byte. A byte at a time was 1.3% of extract, called
 * for every evidence offset. */
size_t nkg_utf8_count(const char *s, size_t n) {
  const uint64_t high = UINT64_C(0x8080808080808080);
  size_t cont = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t c = (w & ~(w << 1) & high) >> 7;
    cont += (size_t)((c * UINT64_C(0x0101010101010101)) >> 56);
  }
  for (; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) == 0x80)
      cont++;
  return n - cont;
}

int64_t nkg_days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
