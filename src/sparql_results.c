/* sparql_results.c: see sparql_results.h.
 *
 * Each row is built in one buffer and written with one fwrite(), whose
 * count is checked: a full disk or a closed pipe stops the writer at the
 * first row that fails, with one message. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include "sparql_results.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "util.h"

#define XSD "http://www.w3.org/2001/XMLSchema#"

typedef enum { RS_JSON, RS_XML, RS_CSV, RS_TSV, RS_TABLE } rs_format;

static const char *const format_names[] = {"json", "xml", "csv", "tsv",
                                           "table"};

static int format_of(const char *name) {
  for (size_t i = 0; name && i < sizeof format_names / sizeof *format_names;
       i++)
    if (!strcmp(name, format_names[i]))
      return (int)i;
  return -1;
}

int nkg_rs_format_known(const char *name) { return format_of(name) >= 0; }

struct nkg_rs {
  FILE *out;
  char *what;
  rs_format format;
  nkg_terms *terms;
  char **vars;
  size_t nvars;
  nkg_buf line; /* the text being built, written by flush_line() */
  size_t nrows;
  int failed;
  /* table: every cell, row after row, and the width of each column */
  char **cells;
  size_t ncells, cap;
  size_t *width;
};

/* Writes b to out and empties it. Returns 0, or -1 after a message. */
static int put(FILE *out, const char *what, nkg_buf *b) {
  size_t n = b->len;
  errno = 0;
  int ok = n == 0 || fwrite(b->data, 1, n, out) == n;
  nkg_buf_clear(b);
  if (!ok) {
    nkg_error("%s: write error: %s", what,
              errno ? strerror(errno) : "short write");
    return -1;
  }
  return 0;
}

static int flush_line(nkg_rs *rs) {
  if (rs->failed)
    return -1;
  if (put(rs->out, rs->what, &rs->line)) {
    rs->failed = 1;
    return -1;
  }
  return 0;
}

/* ---- escaping ------------------------------------------------------------ */

static const char hex[] = "0123456789ABCDEF";

/* XML character data or an attribute value (in double quotes). CR is a
 * character reference, or the parser would read it as a line end. XML 1.0
 * cannot carry the other C0 controls nor U+FFFE and U+FFFF at all; they
 * are written as character references too, which XML 1.1 readers accept
 * and XML 1.0 readers reject, rather than as raw bytes that no reader
 * accepts. */
static void xml_str(nkg_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '&':
      nkg_buf_adds(b, "&amp;");
      break;
    case '<':
      nkg_buf_adds(b, "&lt;");
      break;
    case '>': /* "]]>" may not appear in character data */
      nkg_buf_adds(b, "&gt;");
      break;
    case '"':
      nkg_buf_adds(b, "&quot;");
      break;
    case '\n':
    case '\t':
      nkg_buf_addc(b, (char)c);
      break;
    default:
      if (c < 0x20) {
        nkg_buf_printf(b, "&#x%X;", c);
      } else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
                 ((unsigned char)s[i + 2] == 0xBE ||
                  (unsigned char)s[i + 2] == 0xBF)) {
        nkg_buf_printf(b, "&#x%s;",
                       (unsigned char)s[i + 2] == 0xBE ? "FFFE" : "FFFF");
        i += 2;
      } else {
        nkg_buf_addc(b, (char)c);
      }
    }
  }
}

/* An RFC 4180 field: quoted when it holds a quote, comma or line break. */
static void csv_field(nkg_buf *b, const char *s, size_t n) {
  int quote = 0;
  for (size_t i = 0; i < n && !quote; i++)
    quote = s[i] == '"' || s[i] == ',' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    nkg_buf_add(b, s, n);
    return;
  }
  nkg_buf_addc(b, '"');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"')
      nkg_buf_addc(b, '"');
    nkg_buf_addc(b, s[i]);
  }
  nkg_buf_addc(b, '"');
}

/* A string in double quotes, escaped for one of three readers. All three
 * escape quote, backslash, LF, CR and tab (\n, \r, \t): they end or escape
 * the string, and TSV's fields and rows.
 * STR_JSON: a JSON string (RFC 8259); \b and \f by name, the other C0
 * controls as \u00XX.
 * STR_TSV: a Turtle STRING_LITERAL_QUOTE; the other controls stay as they
 * are, as Turtle allows.
 * STR_TABLE: as STR_TSV, but the other C0 controls and DEL are escaped too,
 * so that no escape sequence reaches a terminal. */
typedef enum { STR_JSON, STR_TSV, STR_TABLE } str_style;

static void quoted_str(nkg_buf *b, const char *s, size_t n, str_style style) {
  nkg_buf_addc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"':
      nkg_buf_adds(b, "\\\"");
      break;
    case '\\':
      nkg_buf_adds(b, "\\\\");
      break;
    case '\n':
      nkg_buf_adds(b, "\\n");
      break;
    case '\r':
      nkg_buf_adds(b, "\\r");
      break;
    case '\t':
      nkg_buf_adds(b, "\\t");
      break;
    default:
      if (style == STR_JSON && c == '\b') {
        nkg_buf_adds(b, "\\b");
      } else if (style == STR_JSON && c == '\f') {
        nkg_buf_adds(b, "\\f");
      } else if ((style != STR_TSV && c < 0x20) ||
                 (style == STR_TABLE && c == 0x7F)) {
        nkg_buf_adds(b, "\\u00");
        nkg_buf_addc(b, hex[c >> 4]);
        nkg_buf_addc(b, hex[c & 15]);
      } else {
        nkg_buf_addc(b, (char)c);
      }
    }
  }
  nkg_buf_addc(b, '"');
}

/* ---- terms --------------------------------------------------------------- */

static int all_digits(const char *s, size_t n) {
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static size_t skip_sign(const char *s, size_t n) {
  return n > 0 && (s[0] == '+' || s[0] == '-');
}

/* Turtle's INTEGER, DECIMAL and DOUBLE productions: the lexical forms that
 * TSV may write without quotes and datatype, as its recommendation and
 * Oxigraph do. Signed forms ("-2", "+1.5") are written in full: rdflib
 * 6's TSV reader fails on them. */
static int turtle_integer(const char *s, size_t n) {
  size_t k = skip_sign(s, n);
  return all_digits(s + k, n - k);
}

static int turtle_decimal(const char *s, size_t n) {
  size_t k = skip_sign(s, n);
  const char *dot = memchr(s + k, '.', n - k);
  if (!dot)
    return 0;
  size_t before = (size_t)(dot - (s + k)), after = n - k - before - 1;
  return (before == 0 || all_digits(s + k, before)) &&
         all_digits(dot + 1, after);
}

static int turtle_double(const char *s, size_t n) {
  size_t k = skip_sign(s, n), e = k;
  while (e < n && s[e] != 'e' && s[e] != 'E')
    e++;
  if (e == n || e == k)
    return 0;
  /* mantissa: [0-9]+ '.' [0-9]* | '.' [0-9]+ | [0-9]+ */
  const char *m = s + k;
  size_t mlen = e - k;
  const char *dot = memchr(m, '.', mlen);
  int mant_ok;
  if (!dot) {
    mant_ok = all_digits(m, mlen);
  } else {
    size_t before = (size_t)(dot - m), after = mlen - before - 1;
    mant_ok = (before > 0 || after > 0) &&
              (before == 0 || all_digits(m, before)) &&
              (after == 0 || all_digits(dot + 1, after));
  }
  size_t x = e + 1;
  x += skip_sign(s + x, n - x);
  return mant_ok && all_digits(s + x, n - x);
}

/* IRIs shortened with the predeclared prefixes, as newskg's table has
 * always printed them, when the local part is a plain name. */
static void table_iri(nkg_buf *b, const char *iri) {
  for (size_t i = 0; nkg_query_prefixes[i].name; i++) {
    const char *ns = nkg_query_prefixes[i].iri;
    size_t n = strlen(ns);
    if (strncmp(iri, ns, n))
      continue;
    const char *local = iri + n;
    int simple = 1;
    for (const char *p = local; *p; p++)
      if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
            (*p == '.' && p > local && p[1])))
        simple = 0;
    if (simple) {
      nkg_buf_printf(b, "%s:%s", nkg_query_prefixes[i].name, local);
      return;
    }
  }
  nkg_buf_printf(b, "<%s>", iri);
}

/* A term in Turtle syntax: TSV (short numbers, full IRIs) or the table
 * (prefixed IRIs, controls escaped). */
static void add_turtle(nkg_buf *b, const nkg_term *t, int table) {
  switch (t->kind) {
  case NKG_T_IRI:
    if (table) {
      table_iri(b, t->lex);
    } else {
      nkg_buf_addc(b, '<');
      nkg_buf_add(b, t->lex, t->len);
      nkg_buf_addc(b, '>');
    }
    return;
  case NKG_T_BNODE:
    nkg_buf_adds(b, "_:");
    nkg_buf_add(b, t->lex, t->len);
    return;
  case NKG_T_LIT:
    break;
  }
  if (!table && t->dt && !t->lang && t->len && t->lex[0] != '-' &&
      t->lex[0] != '+' && !strncmp(t->dt, XSD, strlen(XSD))) {
    const char *local = t->dt + strlen(XSD);
    if ((!strcmp(local, "integer") && turtle_integer(t->lex, t->len)) ||
        (!strcmp(local, "decimal") && turtle_decimal(t->lex, t->len)) ||
        (!strcmp(local, "double") && turtle_double(t->lex, t->len)) ||
        (!strcmp(local, "boolean") &&
         (!strcmp(t->lex, "true") || !strcmp(t->lex, "false")))) {
      nkg_buf_add(b, t->lex, t->len);
      return;
    }
  }
  quoted_str(b, t->lex, t->len, table ? STR_TABLE : STR_TSV);
  if (t->lang) {
    nkg_buf_printf(b, "@%s", t->lang);
  } else if (t->dt) {
    nkg_buf_adds(b, "^^");
    if (table) {
      table_iri(b, t->dt);
    } else {
      nkg_buf_addc(b, '<');
      nkg_buf_adds(b, t->dt);
      nkg_buf_addc(b, '>');
    }
  }
}

static void json_term(nkg_buf *b, const nkg_term *t) {
  static const char *const type[] = {"", "uri", "bnode", "literal"};
  nkg_buf_printf(b, "{ \"type\": \"%s\", \"value\": ", type[t->kind]);
  quoted_str(b, t->lex, t->len, STR_JSON);
  if (t->kind == NKG_T_LIT && t->lang) {
    nkg_buf_adds(b, ", \"xml:lang\": ");
    quoted_str(b, t->lang, strlen(t->lang), STR_JSON);
  } else if (t->kind == NKG_T_LIT && t->dt) {
    nkg_buf_adds(b, ", \"datatype\": ");
    quoted_str(b, t->dt, strlen(t->dt), STR_JSON);
  }
  nkg_buf_adds(b, " }");
}

static void xml_term(nkg_buf *b, const nkg_term *t) {
  switch (t->kind) {
  case NKG_T_IRI:
    nkg_buf_adds(b, "<uri>");
    xml_str(b, t->lex, t->len);
    nkg_buf_adds(b, "</uri>");
    return;
  case NKG_T_BNODE:
    nkg_buf_adds(b, "<bnode>");
    xml_str(b, t->lex, t->len);
    nkg_buf_adds(b, "</bnode>");
    return;
  case NKG_T_LIT:
    break;
  }
  if (t->lang) {
    nkg_buf_adds(b, "<literal xml:lang=\"");
    xml_str(b, t->lang, strlen(t->lang));
    nkg_buf_adds(b, "\">");
  } else if (t->dt) {
    nkg_buf_adds(b, "<literal datatype=\"");
    xml_str(b, t->dt, strlen(t->dt));
    nkg_buf_adds(b, "\">");
  } else {
    nkg_buf_adds(b, "<literal>");
  }
  xml_str(b, t->lex, t->len);
  nkg_buf_adds(b, "</literal>");
}

/* The CSV value: IRIs and lexical forms bare, blank nodes as _:label. */
static void csv_term(nkg_buf *b, const nkg_term *t) {
  if (t->kind == NKG_T_BNODE) {
    nkg_buf b2 = {0};
    nkg_buf_adds(&b2, "_:");
    nkg_buf_add(&b2, t->lex, t->len);
    csv_field(b, b2.data, b2.len);
    nkg_buf_free(&b2);
  } else {
    csv_field(b, t->lex, t->len);
  }
}

/* ---- the table ----------------------------------------------------------- */

static void table_rule(nkg_buf *b, const size_t *width, size_t n) {
  for (size_t i = 0; i < n; i++) {
    nkg_buf_addc(b, '+');
    for (size_t k = 0; k < width[i] + 2; k++)
      nkg_buf_addc(b, '-');
  }
  nkg_buf_adds(b, "+\n");
}

static void table_row(nkg_buf *b, char *const *cells, const size_t *width,
                      size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *c = cells[i];
    size_t w = nkg_utf8_count(c, strlen(c));
    nkg_buf_printf(b, "| %s", c);
    for (size_t k = w; k < width[i] + 1; k++)
      nkg_buf_addc(b, ' ');
  }
  nkg_buf_adds(b, "|\n");
}

static void table_add(nkg_rs *rs, char *cell, size_t column) {
  if (rs->ncells == rs->cap) {
    rs->cap = rs->cap ? rs->cap * 2 : 256;
    rs->cells = nkg_xrealloc(rs->cells, rs->cap * sizeof *rs->cells);
  }
  rs->cells[rs->ncells++] = cell;
  size_t w = nkg_utf8_count(cell, strlen(cell));
  if (w > rs->width[column])
    rs->width[column] = w;
}

/* The whole table, a line at a time. */
static int table_write(nkg_rs *rs) {
  size_t n = rs->nvars;
  if (n == 0)
    return 0;
  table_rule(&rs->line, rs->width, n);
  table_row(&rs->line, rs->cells, rs->width, n);
  table_rule(&rs->line, rs->width, n);
  if (flush_line(rs))
    return -1;
  for (size_t r = 1; r <= rs->nrows; r++) {
    table_row(&rs->line, rs->cells + r * n, rs->width, n);
    if (rs->line.len >= 65536 && flush_line(rs))
      return -1;
  }
  table_rule(&rs->line, rs->width, n);
  return flush_line(rs);
}

/* ---- result sets --------------------------------------------------------- */

static void rs_free(nkg_rs *rs) {
  for (size_t i = 0; i < rs->ncells; i++)
    free(rs->cells[i]);
  free(rs->cells);
  free(rs->width);
  for (size_t i = 0; i < rs->nvars; i++)
    free(rs->vars[i]);
  free(rs->vars);
  nkg_buf_free(&rs->line);
  free(rs->what);
  free(rs);
}

nkg_rs *nkg_rs_begin(FILE *out, const char *what, const char *format,
                     nkg_terms *terms, const char *const *vars, size_t nvars) {
  int f = format_of(format);
  if (f < 0) {
    nkg_error("%s: unknown result format '%s'", what ? what : "output",
              format ? format : "");
    return NULL;
  }
  nkg_rs *rs = nkg_xcalloc(1, sizeof *rs);
  rs->out = out;
  rs->what = nkg_xstrdup(what ? what : "output");
  rs->format = (rs_format)f;
  rs->terms = terms;
  rs->nvars = nvars;
  rs->vars = nkg_xcalloc(nvars + 1, sizeof *rs->vars);
  for (size_t i = 0; i < nvars; i++)
    rs->vars[i] = nkg_xstrdup(vars[i]);
  nkg_buf *b = &rs->line;

  switch (rs->format) {
  case RS_JSON:
    /* The layout of the recommendation's examples, a solution a line. */
    nkg_buf_adds(b, "{\n  \"head\": { \"vars\": [ ");
    for (size_t i = 0; i < nvars; i++) {
      if (i)
        nkg_buf_adds(b, ", ");
      quoted_str(b, vars[i], strlen(vars[i]), STR_JSON);
    }
    nkg_buf_adds(b, nvars ? " ] },\n" : "] },\n");
    nkg_buf_adds(b, "  \"results\": { \"bindings\": [\n");
    break;
  case RS_XML:
    nkg_buf_adds(b, "<?xml version=\"1.0\"?>\n"
                    "<sparql xmlns=\"http://www.w3.org/2005/"
                    "sparql-results#\">\n"
                    "  <head>\n");
    for (size_t i = 0; i < nvars; i++) {
      nkg_buf_adds(b, "    <variable name=\"");
      xml_str(b, vars[i], strlen(vars[i]));
      nkg_buf_adds(b, "\"/>\n");
    }
    nkg_buf_adds(b, "  </head>\n  <results>\n");
    break;
  case RS_CSV:
    for (size_t i = 0; i < nvars; i++) {
      if (i)
        nkg_buf_addc(b, ',');
      csv_field(b, vars[i], strlen(vars[i]));
    }
    nkg_buf_adds(b, "\r\n");
    break;
  case RS_TSV:
    for (size_t i = 0; i < nvars; i++)
      nkg_buf_printf(b, "%s?%s", i ? "\t" : "", vars[i]);
    nkg_buf_addc(b, '\n');
    break;
  case RS_TABLE:
    rs->width = nkg_xcalloc(nvars + 1, sizeof *rs->width);
    for (size_t i = 0; i < nvars; i++) {
      nkg_buf h = {0};
      nkg_buf_printf(&h, "?%s", vars[i]);
      table_add(rs, nkg_buf_steal(&h), i);
    }
    return rs;
  }
  if (flush_line(rs)) {
    rs_free(rs);
    return NULL;
  }
  return rs;
}

int nkg_rs_row(nkg_rs *rs, const nkg_tid *row) {
  if (rs->failed)
    return -1;
  nkg_buf *b = &rs->line;
  size_t n = rs->nvars;
  switch (rs->format) {
  case RS_JSON: {
    nkg_buf_adds(b, rs->nrows ? ",\n    {" : "    {");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
      if (!row[i])
        continue;
      nkg_buf_adds(b, first ? " " : ", ");
      first = 0;
      quoted_str(b, rs->vars[i], strlen(rs->vars[i]), STR_JSON);
      nkg_buf_adds(b, ": ");
      json_term(b, nkg_terms_get(rs->terms, row[i]));
    }
    nkg_buf_adds(b, " }");
    break;
  }
  case RS_XML:
    nkg_buf_adds(b, "    <result>\n");
    for (size_t i = 0; i < n; i++) {
      if (!row[i])
        continue;
      nkg_buf_adds(b, "      <binding name=\"");
      xml_str(b, rs->vars[i], strlen(rs->vars[i]));
      nkg_buf_adds(b, "\">");
      xml_term(b, nkg_terms_get(rs->terms, row[i]));
      nkg_buf_adds(b, "</binding>\n");
    }
    nkg_buf_adds(b, "    </result>\n");
    break;
  case RS_CSV:
    for (size_t i = 0; i < n; i++) {
      if (i)
        nkg_buf_addc(b, ',');
      if (row[i])
        csv_term(b, nkg_terms_get(rs->terms, row[i]));
    }
    nkg_buf_adds(b, "\r\n");
    break;
  case RS_TSV:
    for (size_t i = 0; i < n; i++) {
      if (i)
        nkg_buf_addc(b, '\t');
      if (row[i])
        add_turtle(b, nkg_terms_get(rs->terms, row[i]), 0);
    }
    nkg_buf_addc(b, '\n');
    break;
  case RS_TABLE:
    for (size_t i = 0; i < n; i++) {
      nkg_buf c = {0};
      if (row[i])
        add_turtle(&c, nkg_terms_get(rs->terms, row[i]), 1);
      nkg_buf_adds(&c, "");
      table_add(rs, nkg_buf_steal(&c), i);
    }
    rs->nrows++;
    return 0;
  }
  rs->nrows++;
  /* Rows are small; writing them in blocks saves stdio calls. */
  if (b->len < 16384)
    return 0;
  return flush_line(rs);
}

int nkg_rs_end(nkg_rs *rs) {
  if (!rs)
    return -1;
  int rc = -1;
  if (rs->failed)
    goto out;
  nkg_buf *b = &rs->line;
  switch (rs->format) {
  case RS_JSON:
    nkg_buf_adds(b, rs->nrows ? "\n  ] }\n}\n" : "  ] }\n}\n");
    break;
  case RS_XML:
    nkg_buf_adds(b, "  </results>\n</sparql>\n");
    break;
  case RS_CSV:
  case RS_TSV:
    break;
  case RS_TABLE:
    if (table_write(rs))
      goto out;
    break;
  }
  if (flush_line(rs))
    goto out;
  errno = 0;
  if (fflush(rs->out) || ferror(rs->out)) {
    nkg_error("%s: write error: %s", rs->what,
              errno ? strerror(errno) : "stream error");
    goto out;
  }
  rc = 0;
out:
  rs_free(rs);
  return rc;
}

void nkg_rs_abort(nkg_rs *rs) {
  if (!rs)
    return;
  /* the rows written so far reach the output before the error message */
  if (!rs->failed)
    flush_line(rs);
  rs_free(rs);
}

int nkg_rs_boolean(FILE *out, const char *what, const char *format, int value) {
  const char *name = what ? what : "output";
  int f = format_of(format);
  if (f < 0) {
    nkg_error("%s: unknown result format '%s'", name, format ? format : "");
    return -1;
  }
  const char *v = value ? "true" : "false";
  nkg_buf b = {0};
  switch ((rs_format)f) {
  case RS_JSON:
    nkg_buf_printf(&b, "{\n  \"head\": { },\n  \"boolean\": %s\n}\n", v);
    break;
  case RS_XML:
    nkg_buf_printf(&b,
                   "<?xml version=\"1.0\"?>\n"
                   "<sparql xmlns=\"http://www.w3.org/2005/"
                   "sparql-results#\">\n"
                   "  <head/>\n"
                   "  <boolean>%s</boolean>\n"
                   "</sparql>\n",
                   v);
    break;
  case RS_CSV:
    /* The recommendation defines no boolean form; Oxigraph writes the
     * bare word, here with the format's line end. */
    nkg_buf_printf(&b, "%s\r\n", v);
    break;
  case RS_TSV:
  case RS_TABLE:
    nkg_buf_printf(&b, "%s\n", v);
    break;
  }
  int rc = put(out, name, &b);
  nkg_buf_free(&b);
  if (rc == 0) {
    errno = 0;
    if (fflush(out) || ferror(out)) {
      nkg_error("%s: write error: %s", name,
                errno ? strerror(errno) : "stream error");
      rc = -1;
    }
  }
  return rc;
}
