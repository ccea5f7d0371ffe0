/* tokens.c: see tokens.h. */
#include "tokens.h"

#include <string.h>

unsigned nkg_utf8_decode_multi(const char *str, size_t n, size_t i,
                               size_t *len) {
  const unsigned char *s = (const unsigned char *)str;
  unsigned c = s[i];
  size_t need;
  unsigned cp;
  if (c < 0x80) {
    *len = 1;
    return c;
  } else if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    cp = c & 0x07;
  } else {
    *len = 1;
    return 0xFFFD;
  }
  if (i + need >= n) {
    *len = 1;
    return 0xFFFD;
  }
  for (size_t k = 1; k <= need; k++) {
    if (i + k >= n || (s[i + k] & 0xC0) != 0x80) {
      *len = 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  /* overlong forms, UTF-16 surrogates and code points past U+10FFFF are
   * not UTF-8 either, and U+FFFE and U+FFFF are not XML characters: raptor's
   * serialisers stop writing a literal at any of them */
  if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ||
                     cp == 0xFFFE || cp == 0xFFFF)) ||
      (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
    *len = 1;
    return 0xFFFD;
  }
  *len = need + 1;
  return cp;
}

int nkg_cp_is_space_multi(unsigned cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
         cp == '\v' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF ||
         cp == 0x200E || cp == 0x200F;
}

int nkg_cp_is_word_multi(unsigned cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= '0' && cp <= '9');
  if (cp == 0xFFFD || nkg_cp_is_space(cp))
    return 0;
  /* Latin-1 punctuation and symbols, general punctuation, currency,
   * arrows and symbols, emoji: not word characters. */
  if (cp < 0xC0)
    return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  if (cp == 0xD7 || cp == 0xF7)
    return 0;
  if (cp >= 0x2000 && cp <= 0x2BFF)
    return 0;
  if (cp >= 0x3000 && cp <= 0x303F)
    return 0;
  if (cp >= 0xFE30 && cp <= 0xFE4F)
    return 0;
  if (cp >= 0xFF00 && cp <= 0xFF0F)
    return 0;
  if (cp >= 0x1F000)
    return 0;
  return 1;
}

int nkg_cp_is_upper_multi(unsigned cp) {
  if (cp < 0x80)
    return cp >= 'A' && cp <= 'Z';
  if (cp >= 0xC0 && cp <= 0xDE)
    return cp != 0xD7;
  /* Latin Extended-A/B and Vietnamese letters alternate upper, lower. */
  if ((cp >= 0x100 && cp <= 0x17F) || (cp >= 0x1E00 && cp <= 0x1EFF))
    return (cp & 1) == 0;
  if (cp >= 0x391 && cp <= 0x3A9)
    return 1;
  if (cp >= 0x410 && cp <= 0x42F)
    return 1;
  return 0;
}

static int is_joiner(unsigned cp) {
  return cp == '-' || cp == '\'' || cp == 0x2019 || cp == 0x2011 ||
         cp == 0x2010 || cp == '&' || cp == '.';
}

static void push(nkg_token **toks, size_t *n, size_t *cap, size_t b,
                 size_t e) {
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 64;
    *toks = nkg_xrealloc(*toks, *cap * sizeof **toks);
  }
  (*toks)[*n].begin = b;
  (*toks)[*n].end = e;
  (*n)++;
}

void nkg_tokenize(const char *text, size_t begin, size_t end, nkg_token **toks,
                  size_t *n, size_t *cap) {
  size_t i = begin;
  while (i < end) {
    size_t len;
    unsigned cp = nkg_utf8_decode(text, end, i, &len);
    if (nkg_cp_is_space(cp)) {
      i += len;
      continue;
    }
    if (!nkg_cp_is_word(cp)) {
      /* "'s" after a word was split off below; here a lone apostrophe. */
      push(toks, n, cap, i, i + len);
      i += len;
      continue;
    }
    size_t b = i;
    size_t run_letters = 0; /* letters since the last dot */
    int single_letters = 1; /* every dot-separated part one letter (U.S) */
    while (i < end) {
      cp = nkg_utf8_decode(text, end, i, &len);
      if (nkg_cp_is_word(cp)) {
        run_letters++;
        i += len;
        continue;
      }
      if (!is_joiner(cp))
        break;
      size_t nlen;
      if (i + len >= end)
        break;
      unsigned next = nkg_utf8_decode(text, end, i + len, &nlen);
      if (!nkg_cp_is_word(next))
        break;
      if (cp == '\'' || cp == 0x2019) {
        /* possessive 's ends the word */
        if ((next == 's' || next == 'S') &&
            (i + len + nlen >= end ||
             !nkg_cp_is_word(nkg_utf8_decode(text, end, i + len + nlen, &nlen))))
          break;
      }
      if (cp == '.') {
        if (run_letters != 1 || !single_letters)
          break;
        /* U.S: the part after the dot must be one letter too */
        size_t l2;
        if (i + len + nlen < end &&
            nkg_cp_is_word(nkg_utf8_decode(text, end, i + len + nlen, &l2)))
          break;
      } else if (run_letters != 1) {
        single_letters = 0;
      }
      if (cp == '&' && !(nkg_cp_is_upper(next)))
        break;
      /* "Pakistan-China": a hyphen before a capitalised word separates
       * them; "Vice-Minister" is then matched as a phrase of three tokens,
       * "al-Falih" as a name with its particle */
      if ((cp == '-' || cp == 0x2011 || cp == 0x2010) && nkg_cp_is_upper(next))
        break;
      run_letters = 0;
      i += len;
    }
    /* "U.S." keeps its final dot when it is an initialism */
    push(toks, n, cap, b, i);
    if (i < end) {
      cp = nkg_utf8_decode(text, end, i, &len);
      if (cp == '\'' || cp == 0x2019) {
        size_t l2;
        if (i + len < end) {
          unsigned next = nkg_utf8_decode(text, end, i + len, &l2);
          if (next == 's' || next == 'S') {
            push(toks, n, cap, i, i + len + l2);
            i += len + l2;
          }
        }
      }
    }
  }
}

unsigned nkg_cp_to_lower(unsigned cp) {
  if (cp < 0x80)
    return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (!nkg_cp_is_upper(cp))
    return cp;
  if (cp <= 0xDE)
    return cp + 0x20; /* Latin-1 */
  if (cp >= 0x391 && cp <= 0x42F)
    return cp + 0x20; /* Greek, Cyrillic */
  return cp + 1; /* Latin Extended-A, Vietnamese: pairs */
}

void nkg_utf8_add(nkg_buf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  nkg_buf_add(b, u, n);
}

void nkg_word_key(nkg_buf *b, const char *s, size_t n, int keep_case) {
  size_t i = 0;
  while (i < n) {
    /* a run of ASCII, written at once (a key is looked up for every word
     * of every sentence, and a call per byte was 7% of extract) */
    size_t j = i;
    while (j < n && (unsigned char)s[j] < 0x80)
      j++;
    if (j > i) {
      nkg_buf_reserve(b, j - i);
      char *o = b->data + b->len;
      for (size_t k = i; k < j; k++)
        *o++ = !keep_case && s[k] >= 'A' && s[k] <= 'Z'
                   ? (char)(s[k] - 'A' + 'a')
                   : s[k];
      b->len += j - i;
      b->data[b->len] = '\0';
      i = j;
      continue;
    }
    size_t len;
    unsigned cp = nkg_utf8_decode(s, n, i, &len);
    if (cp == 0x2019 || cp == 0x2018)
      nkg_buf_addc(b, '\'');
    else if (cp == 0x2011 || cp == 0x2010 || cp == 0x2013)
      nkg_buf_addc(b, '-');
    else if (cp < 0x80 && !keep_case && cp >= 'A' && cp <= 'Z')
      nkg_buf_addc(b, (char)(cp - 'A' + 'a'));
    else if (cp >= 0x80 && !keep_case && nkg_cp_is_upper(cp))
      nkg_utf8_add(b, nkg_cp_to_lower(cp));
    else
      nkg_buf_add(b, s + i, len);
    i += len;
  }
}

int nkg_word_is_regnal(const char *s, size_t n) {
  if (n < 2 || n > 4)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] != 'I' && s[i] != 'V' && s[i] != 'X')
      return 0;
  return 1;
}
