/* document.c: see document.h. */
#define _POSIX_C_SOURCE 200809L
#include "document.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lexicon.h"
#include "tokens.h"
#include "util.h"

/* A sentence longer than this is cut at a space: rules match within
 * sentences, and no news sentence is this long. */
#define MAX_SENTENCE 2000

static char *read_stream(FILE *f, size_t *len) {
  nkg_buf b = {0};
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    nkg_buf_add(&b, chunk, got);
  if (!b.data)
    nkg_buf_add(&b, "", 0);
  *len = b.len;
  return nkg_buf_steal(&b);
}

nkg_document *nkg_document_read(const char *path) {
  FILE *f;
  int is_stdin = strcmp(path, "-") == 0;
  if (is_stdin) {
    f = stdin;
  } else {
    struct stat st;
    f = fopen(path, "rb");
    if (!f) {
      nkg_error("%s: %s", path, strerror(errno));
      return NULL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
      nkg_error("%s: is a directory", path);
      fclose(f);
      return NULL;
    }
  }
  size_t len;
  char *text = read_stream(f, &len);
  int err = ferror(f);
  int saved = errno;
  if (!is_stdin)
    fclose(f);
  if (err) {
    nkg_error("%s: read error: %s", is_stdin ? "standard input" : path,
              strerror(saved));
    free(text);
    return NULL;
  }
  if (len >= 2 && (((unsigned char)text[0] == 0xFF &&
                    (unsigned char)text[1] == 0xFE) ||
                   ((unsigned char)text[0] == 0xFE &&
                    (unsigned char)text[1] == 0xFF))) {
    nkg_error("%s: UTF-16 text is not supported; convert it to UTF-8 "
              "(iconv -f UTF-16 -t UTF-8)",
              path);
    free(text);
    return NULL;
  }
  return nkg_document_from_text(path, text, len);
}

/* Nonzero when s (after leading blanks) starts like an HTML page. */
static int looks_like_html(const char *s, size_t n) {
  static const char *const starts[] = {"<!doctype html", "<html"};
  for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
    size_t k = strlen(starts[i]);
    if (n >= k && strncasecmp(s, starts[i], k) == 0)
      return 1;
  }
  return 0;
}

nkg_document *nkg_document_from_text(const char *name, char *text,
                                     size_t len) {
  nkg_document *doc = nkg_xcalloc(1, sizeof *doc);
  doc->name = nkg_xstrdup(name);
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    memmove(text, text + 3, len - 3);
    len -= 3;
  }
  text = nkg_xrealloc(text, len + 1);
  text[len] = '\0';
  /* Replace, byte for byte, what cannot go into RDF literals: invalid UTF-8
   * and control characters. Offsets stay exact. */
  size_t invalid = 0, control = 0;
  for (size_t i = 0; i < len;) {
    size_t n;
    unsigned cp = nkg_utf8_decode(text, len, i, &n);
    if (cp == 0xFFFD && n == 1) {
      text[i] = '?';
      invalid++;
    } else if ((cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t') ||
               cp == 0x7F) {
      text[i] = ' ';
      control++;
    }
    i += n;
  }
  doc->replaced_bytes =
      invalid + control > INT_MAX ? INT_MAX : (int)(invalid + control);
  /* Once per document, so that a binary or mis-encoded file is noticed. */
  if (!strcmp(name, "-"))
    name = "stdin";
  if (invalid || control)
    nkg_warn("%s: replaced %zu invalid UTF-8 byte%s by '?' and %zu control "
             "character%s by spaces",
             name, invalid, invalid == 1 ? "" : "s", control,
             control == 1 ? "" : "s");
  doc->text = text;
  doc->len = len;
  size_t lead = 0;
  while (lead < len && strchr(" \t\r\n", text[lead]))
    lead++;
  if (lead == len)
    nkg_warn("%s: no text (the input is empty or only white space)", name);
  else if (looks_like_html(text + lead, len - lead))
    nkg_warn("%s: looks like HTML; newskg reads plain text, so markup is "
             "read as words (extract the text first)",
             name);
  return doc;
}

void nkg_document_free(nkg_document *doc) {
  if (!doc)
    return;
  free(doc->name);
  free(doc->text);
  free(doc->sentences);
  free(doc);
}

size_t nkg_document_cp_offset(nkg_document *doc, size_t byte) {
  if (byte > doc->len)
    byte = doc->len;
  if (byte < doc->cp_byte) {
    /* the count is additive over byte ranges: step back from the last
     * offset asked for, or restart from 0 when that is nearer (offsets come
     * in spans, begin and end, so restarting each time was quadratic) */
    if (byte < doc->cp_byte - byte) {
      doc->cp_byte = 0;
      doc->cp_count = 0;
    } else {
      doc->cp_count -= nkg_utf8_count(doc->text + byte, doc->cp_byte - byte);
      doc->cp_byte = byte;
      return doc->cp_count;
    }
  }
  doc->cp_count += nkg_utf8_count(doc->text + doc->cp_byte, byte - doc->cp_byte);
  doc->cp_byte = byte;
  return doc->cp_count;
}

/* ---- analysis ---- */

static int is_blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
      return 0;
  return 1;
}

static void trim_span(const char *t, size_t *b, size_t *e) {
  while (*b < *e) {
    size_t n;
    unsigned cp = nkg_utf8_decode(t, *e, *b, &n);
    if (!nkg_cp_is_space(cp))
      break;
    *b += n;
  }
  while (*e > *b && (t[*e - 1] == ' ' || t[*e - 1] == '\t' ||
                     t[*e - 1] == '\r' || t[*e - 1] == '\n'))
    (*e)--;
  /* a trailing non-breaking space (C2 A0) */
  while (*e >= *b + 2 && (unsigned char)t[*e - 2] == 0xC2 &&
         (unsigned char)t[*e - 1] == 0xA0)
    *e -= 2;
}

static void add_sentence(nkg_document *doc, size_t *cap, size_t b, size_t e,
                         int paragraph) {
  trim_span(doc->text, &b, &e);
  if (b >= e)
    return;
  /* a sentence of punctuation only ("-", "./.") carries nothing */
  int words = 0;
  for (size_t i = b; i < e && !words;) {
    size_t n;
    if (nkg_cp_is_word(nkg_utf8_decode(doc->text, e, i, &n)))
      words = 1;
    i += n;
  }
  if (!words)
    return;
  if (doc->n_sentences == *cap) {
    *cap = *cap ? *cap * 2 : 32;
    doc->sentences = nkg_xrealloc(doc->sentences, *cap * sizeof *doc->sentences);
  }
  nkg_sentence *s = &doc->sentences[doc->n_sentences++];
  s->begin = b;
  s->end = e;
  s->paragraph = paragraph;
}

static int is_closer(unsigned cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D ||
         cp == 0x2019 || cp == 0xBB;
}

/* Is the '.' at text[dot] the end of an abbreviation or initial? */
static int is_abbrev_dot(const nkg_document *doc, const nkg_lexicon *lex,
                         size_t start, size_t dot) {
  size_t b = dot;
  while (b > start) {
    size_t prev = b - 1;
    while (prev > start && ((unsigned char)doc->text[prev] & 0xC0) == 0x80)
      prev--;
    size_t n;
    unsigned cp = nkg_utf8_decode(doc->text, doc->len, prev, &n);
    if (!nkg_cp_is_word(cp) && cp != '.')
      break;
    b = prev;
  }
  if (b == dot)
    return 0;
  size_t n;
  unsigned first = nkg_utf8_decode(doc->text, doc->len, b, &n);
  /* single capital initial: "C." in "Gilberto C. Teodoro" */
  if (b + n == dot && nkg_cp_is_upper(first))
    return 1;
  /* initialisms with inner dots: "U.S." */
  if (memchr(doc->text + b, '.', dot - b))
    return 1;
  return nkg_lexicon_is_abbreviation(lex, doc->text + b, dot + 1 - b);
}

/* Is the '.' at text[dot], with no space after it, the end of a sentence
 * whose space was lost ("held on June 27.Speaking at ...", "mutual
 * interests.Kasabi said")? The word before ends in two lower-case letters
 * or a digit, the word after is a capital and two lower-case letters or
 * more; not an initial ("B.Myatiev"), a title ("Mr.Smith") or a domain
 * ("baochinhphu.vn"). */
static int glued_sentence(const nkg_document *doc, size_t e, size_t start,
                          size_t dot) {
  const char *t = doc->text;
  if (dot < start + 2)
    return 0;
  unsigned char a = (unsigned char)t[dot - 2], b = (unsigned char)t[dot - 1];
  int before = (b >= '0' && b <= '9') ||
               (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z');
  if (!before || dot + 3 >= e)
    return 0;
  unsigned char c = (unsigned char)t[dot + 1], d = (unsigned char)t[dot + 2],
                f = (unsigned char)t[dot + 3];
  return c >= 'A' && c <= 'Z' && d >= 'a' && d <= 'z' && f >= 'a' && f <= 'z';
}

static void split_line(nkg_document *doc, const nkg_lexicon *lex, size_t *cap,
                       size_t b, size_t e, int paragraph) {
  size_t start = b;
  size_t i = b;
  while (i < e) {
    size_t n;
    unsigned cp = nkg_utf8_decode(doc->text, e, i, &n);
    size_t next = i + n;
    int end_here = 0;
    if (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026) {
      /* absorb more terminators and closing quotes */
      size_t j = next;
      while (j < e) {
        size_t m;
        unsigned c2 = nkg_utf8_decode(doc->text, e, j, &m);
        if (c2 == '.' || c2 == '!' || c2 == '?' || c2 == '/' || is_closer(c2))
          j += m;
        else
          break;
      }
      size_t k = j;
      int space = 0;
      while (k < e) {
        size_t m;
        unsigned c2 = nkg_utf8_decode(doc->text, e, k, &m);
        if (!nkg_cp_is_space(c2))
          break;
        space = 1;
        k += m;
      }
      if (k >= e) {
        end_here = 1;
      } else if (space) {
        size_t m;
        unsigned c3 = nkg_utf8_decode(doc->text, e, k, &m);
        int starts = nkg_cp_is_upper(c3) || (c3 >= '0' && c3 <= '9') ||
                     c3 == '"' || c3 == 0x201C || c3 == 0x2018 || c3 == '(' ||
                     c3 == '\'';
        if (starts && !(cp == '.' && is_abbrev_dot(doc, lex, start, i)))
          end_here = 1;
      } else if (cp == '.' && j == next && glued_sentence(doc, e, start, i) &&
                 !is_abbrev_dot(doc, lex, start, i)) {
        end_here = 1;
      }
      if (end_here) {
        add_sentence(doc, cap, start, j, paragraph);
        start = k;
        i = k;
        continue;
      }
      i = j;
      continue;
    }
    if (i - start > MAX_SENTENCE && nkg_cp_is_space(cp)) {
      add_sentence(doc, cap, start, i, paragraph);
      start = next;
    }
    i = next;
  }
  add_sentence(doc, cap, start, e, paragraph);
}

/* Nonzero for a line of four or more words that does not end a sentence
 * and in which nearly every word of four letters or more (85%) starts with
 * a capital: a headline in Title Case. */
static int is_title_case(const char *s, size_t n) {
  size_t words = 0, long_words = 0, capitalised = 0;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n && (s[n - 1] == '.' || s[n - 1] == '"'))
    return 0;
  for (size_t i = 0; i < n;) {
    size_t len;
    unsigned cp = nkg_utf8_decode(s, n, i, &len);
    if (!nkg_cp_is_word(cp)) {
      i += len;
      continue;
    }
    int upper = nkg_cp_is_upper(cp);
    size_t letters = 0;
    while (i < n) {
      cp = nkg_utf8_decode(s, n, i, &len);
      if (!nkg_cp_is_word(cp) && cp != '\'' && cp != 0x2019)
        break;
      letters++;
      i += len;
    }
    words++;
    if (letters >= 4) {
      long_words++;
      capitalised += upper;
    }
  }
  return words >= 4 && long_words >= 3 && capitalised * 100 >= long_words * 85;
}

/* Lead lines searched for a page date; a body line ends the lead sooner. */
#define PAGE_DATE_LINES 8
/* Words that make a line a paragraph of the body, not a lead line. */
#define BODY_LINE_WORDS 16

/* Nonzero if s[0..n) has BODY_LINE_WORDS words or more: a paragraph. */
static int long_line(const char *s, size_t n) {
  size_t words = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && (i == 0 || s[i - 1] == ' ' ||
                                        s[i - 1] == '\t'))
      words++;
  return words >= BODY_LINE_WORDS;
}

static int parse_date_line(const char *s, size_t n, char *date,
                           size_t *rest) {
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (n - i < 15 || memcmp(s + i, "date ", 5) != 0)
    return 0;
  const char *d = s + i + 5;
  for (int k = 0; k < 10; k++) {
    int digit = d[k] >= '0' && d[k] <= '9';
    if ((k == 4 || k == 7) ? d[k] != '-' : !digit)
      return 0;
  }
  if (n - i > 15 && d[10] != ' ' && d[10] != '\t')
    return 0;
  memcpy(date, d, 10);
  date[10] = '\0';
  *rest = i + 15;
  return 1;
}

/* The end of the line that starts at pos (its first \n or \r, or the end
 * of the text); *next is where the next line starts, after \n, \r\n or a
 * lone \r. memchr() for each, since a loop over the bytes of every line
 * was 0.6% of extract. */
static size_t line_end(const nkg_document *doc, size_t pos, size_t *next) {
  if (pos >= doc->len) {
    *next = pos + 1;
    return pos;
  }
  const char *nl = memchr(doc->text + pos, '\n', doc->len - pos);
  size_t e = nl ? (size_t)(nl - doc->text) : doc->len;
  const char *cr = memchr(doc->text + pos, '\r', e - pos);
  if (cr)
    e = (size_t)(cr - doc->text);
  *next = e + 1;
  if (e + 1 < doc->len && doc->text[e] == '\r' && doc->text[e + 1] == '\n')
    *next = e + 2;
  return e;
}

int nkg_document_analyse(nkg_document *doc, const nkg_lexicon *lex) {
  size_t cap = 0;
  int paragraph = 0;
  int have_title = 0;
  int body_lines = 0;
  int lines_seen = 0;
  /* A lead line that dates the page ("Published 11-11-2024", "Thu,
   * 22/06/2019, 20:19"): the story's date when it has no date line. Of
   * several, the last before the body is the story's; the first may be
   * the site's ("04.10.2025 ... 03.10.2025 / The minister met today"). */
  char page_date[11] = "";
  int in_lead = 1;
  doc->n_sentences = 0;
  size_t pos = 0;
  while (pos < doc->len) {
    size_t b = pos;
    size_t e = line_end(doc, pos, &pos);
    if (is_blank(doc->text + b, e - b))
      continue;
    size_t rest;
    lines_seen++;
    if (!doc->published[0] && lines_seen <= 4 &&
        parse_date_line(doc->text + b, e - b, doc->published, &rest)) {
      b += rest;
      if (is_blank(doc->text + b, e - b))
        continue;
    }
    trim_span(doc->text, &b, &e);
    if (in_lead && !doc->published[0]) {
      char date[11];
      if (nkg_lexicon_page_date(lex, doc->text + b, e - b, date))
        memcpy(page_date, date, sizeof page_date);
      else if (lines_seen > PAGE_DATE_LINES ||
               (have_title && long_line(doc->text + b, e - b)))
        in_lead = 0; /* a long headline is not yet the body */
    }
    if (nkg_lexicon_is_furniture(lex, doc->text + b, e - b))
      continue;
    int title_line = !have_title;
    if (!have_title) {
      have_title = 1;
      doc->title_begin = b;
      doc->title_end = e;
    }
    if (body_lines < 5 && doc->dateline_end == 0) {
      size_t pb, pe, dl;
      body_lines++;
      char date[11];
      if (nkg_lexicon_dateline(lex, doc->text + b, e - b, &pb, &pe, &dl,
                               date)) {
        doc->dateline_begin = b + pb;
        doc->dateline_end = b + pe;
        if (!doc->published[0] && date[0])
          memcpy(doc->published, date, sizeof doc->published);
        b += dl;
      }
    }
    /* A headline in Title Case repeats the story in a form whose capitals
     * say nothing about names; the body tells it again in plain case. */
    if (is_title_case(doc->text + b, e - b))
      continue;
    /* A body line that ends with a word that never ends a sentence ("...
     * to finalize cooperation in") was broken inside a sentence: the next
     * non-blank line, unless it is furniture, continues it. */
    while (!title_line && nkg_lexicon_leaves_open(lex, doc->text + b, e - b)) {
      size_t nb = pos, ne, npos;
      for (;;) {
        ne = line_end(doc, nb, &npos);
        if (nb >= doc->len || !is_blank(doc->text + nb, ne - nb))
          break;
        nb = npos;
      }
      if (nb >= doc->len)
        break;
      trim_span(doc->text, &nb, &ne);
      if (nkg_lexicon_is_furniture(lex, doc->text + nb, ne - nb))
        break;
      e = ne;
      pos = npos;
    }
    split_line(doc, lex, &cap, b, e, paragraph++);
  }
  if (!doc->published[0] && page_date[0])
    memcpy(doc->published, page_date, sizeof doc->published);
  return 0;
}
