/* resolve.c: see resolve.h. */
#include "resolve.h"

#include <stdlib.h>
#include <string.h>

#include "tokens.h"

#define MAX_TOKENS 12
#define MAX_TOKEN 48

typedef struct {
  char tok[MAX_TOKENS][MAX_TOKEN];
  size_t n;
} name_tokens;

/* Folds a UTF-8 name to lower-case ASCII tokens; accented Latin letters
 * lose their accents (the common ones), other bytes are kept. */
static void fold(const char *s, name_tokens *out) {
  out->n = 0;
  size_t len = strlen(s), k = 0;
  for (size_t i = 0; i <= len;) {
    size_t n = 1;
    unsigned cp = i < len ? nkg_utf8_decode(s, len, i, &n) : ' ';
    int word = i < len && nkg_cp_is_word(cp);
    if (!word && cp != '-' && cp != '\'') {
      if (k && out->n < MAX_TOKENS) {
        out->tok[out->n][k] = '\0';
        out->n++;
      }
      k = 0;
      i += n;
      continue;
    }
    char c;
    if (cp < 0x80)
      c = (char)((cp >= 'A' && cp <= 'Z') ? cp - 'A' + 'a' : cp);
    else if ((cp >= 0xC0 && cp <= 0xC5) || (cp >= 0xE0 && cp <= 0xE5))
      c = 'a';
    else if ((cp >= 0xC8 && cp <= 0xCB) || (cp >= 0xE8 && cp <= 0xEB))
      c = 'e';
    else if ((cp >= 0xCC && cp <= 0xCF) || (cp >= 0xEC && cp <= 0xEF))
      c = 'i';
    else if ((cp >= 0xD2 && cp <= 0xD6) || (cp >= 0xF2 && cp <= 0xF6) ||
             cp == 0x1A0 || cp == 0x1A1)
      c = 'o';
    else if ((cp >= 0xD9 && cp <= 0xDC) || (cp >= 0xF9 && cp <= 0xFC) ||
             cp == 0x1AF || cp == 0x1B0)
      c = 'u';
    else
      c = '?';
    if (k + 1 < MAX_TOKEN)
      out->tok[out->n < MAX_TOKENS ? out->n : MAX_TOKENS - 1][k++] = c;
    i += n;
  }
}

static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  size_t prev[MAX_TOKEN + 1], cur[MAX_TOKEN + 1];
  for (size_t j = 0; j <= lb; j++)
    prev[j] = j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t best = prev[j] + 1;
      if (cur[j - 1] + 1 < best)
        best = cur[j - 1] + 1;
      size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      if (sub < best)
        best = sub;
      cur[j] = best;
    }
    memcpy(prev, cur, (lb + 1) * sizeof *prev);
  }
  return prev[lb];
}

/* Nonzero if a, with no hyphen, is one of the parts of the hyphenated b
 * ("Khasawneh" of "Al-Khasawneh"): a later mention may drop the
 * article or the other half of a double name. */
static int hyphen_part(const char *a, const char *b) {
  size_t la = strlen(a);
  if (la < 4 || strchr(a, '-') || !strchr(b, '-'))
    return 0;
  for (const char *p = b;;) {
    const char *e = strchr(p, '-');
    size_t lp = e ? (size_t)(e - p) : strlen(p);
    if (lp == la && memcmp(p, a, la) == 0)
      return 1;
    if (!e)
      return 0;
    p = e + 1;
  }
}

static int close_tokens(const char *a, const char *b) {
  if (strcmp(a, b) == 0 || hyphen_part(a, b) || hyphen_part(b, a))
    return 1;
  size_t la = strlen(a), lb = strlen(b);
  if (la < 5 || lb < 5 || (la > lb ? la - lb : lb - la) > 2)
    return 0;
  return edit_distance(a, b) <= 2;
}

static int all_match(const name_tokens *small, const name_tokens *big) {
  for (size_t i = 0; i < small->n; i++) {
    int hit = 0;
    for (size_t j = 0; j < big->n && !hit; j++)
      hit = close_tokens(small->tok[i], big->tok[j]);
    if (!hit)
      return 0;
  }
  return 1;
}

int nkg_name_same(const char *a, const char *b) {
  name_tokens ta, tb;
  fold(a, &ta);
  fold(b, &tb);
  if (!ta.n || !tb.n)
    return 0;
  const name_tokens *small = ta.n <= tb.n ? &ta : &tb;
  const name_tokens *big = ta.n <= tb.n ? &tb : &ta;
  if (small->n == big->n && all_match(small, big))
    return 1;
  return small->n >= 2 && all_match(small, big);
}

int nkg_name_refers(const char *ref, const char *full) {
  name_tokens tr, tf;
  fold(ref, &tr);
  fold(full, &tf);
  return tr.n > 0 && tr.n <= tf.n && all_match(&tr, &tf);
}

void nkg_name_normalise(nkg_buf *out, const char *s, size_t n) {
  nkg_token *toks = NULL;
  size_t nt = 0, cap = 0;
  nkg_tokenize(s, 0, n, &toks, &nt, &cap);
  while (nt > 0) {
    const char *w = s + toks[nt - 1].begin;
    size_t wl = toks[nt - 1].end - toks[nt - 1].begin;
    /* drop trailing punctuation and possessives */
    size_t l;
    unsigned cp = nkg_utf8_decode(w, wl, 0, &l);
    if (!nkg_cp_is_word(cp) || (wl >= 2 && (w[wl - 1] == 's' || w[wl - 1] == 'S') &&
                                (cp == '\'' || cp == 0x2019)))
      nt--;
    else
      break;
  }
  /* a name with some word in mixed case writes its all-capital words in
   * title case: "MATSUO Takehiko", "WANG Yi" */
  int mixed = 0;
  for (size_t i = 0; i < nt; i++) {
    const char *w = s + toks[i].begin;
    size_t wl = toks[i].end - toks[i].begin;
    for (size_t k = 1; k < wl; k++)
      if (w[k] >= 'a' && w[k] <= 'z')
        mixed = 1;
  }
  for (size_t i = 0; i < nt; i++) {
    const char *w = s + toks[i].begin;
    size_t wl = toks[i].end - toks[i].begin;
    if (i && toks[i].begin > toks[i - 1].end)
      nkg_buf_addc(out, ' ');
    int caps = 1;
    size_t letters = 0;
    for (size_t k = 0; k < wl; k++) {
      unsigned char c = (unsigned char)w[k];
      if (c >= 'a' && c <= 'z')
        caps = 0;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        letters++;
    }
    /* a regnal number after the name stays as written: "Abdullah II" */
    int regnal = i > 0 && nkg_word_is_regnal(w, wl);
    if (caps && !regnal && letters >= 2 && letters == wl &&
        (mixed || letters >= 5)) {
      nkg_buf_addc(out, w[0]);
      for (size_t k = 1; k < wl; k++)
        nkg_buf_addc(out, (char)(w[k] - 'A' + 'a'));
    } else {
      nkg_buf_add(out, w, wl);
    }
  }
  free(toks);
}
