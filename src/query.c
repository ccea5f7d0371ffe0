/* query.c: see query.h. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include "query.h"

#include <rasqal.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "sparql.h"

/* The query language rasqal parses: SPARQL 1.1 query (not update). */
#define QUERY_LANGUAGE "sparql11-query"

const nkg_query_prefix nkg_query_prefixes[] = {
    {"nkg", NKG_NS},
    {"id", NKG_DEFAULT_BASE},
    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
    {"owl", "http://www.w3.org/2002/07/owl#"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
    {"skos", "http://www.w3.org/2004/02/skos/core#"},
    {"foaf", "http://xmlns.com/foaf/0.1/"},
    {"prov", "http://www.w3.org/ns/prov#"},
    {"schema", "http://schema.org/"},
    {"org", "http://www.w3.org/ns/org#"},
    {"dcterms", "http://purl.org/dc/terms/"},
    {"wd", "http://www.wikidata.org/entity/"},
    {NULL, NULL},
};

/* ---- messages ----------------------------------------------------------- */

/* What the librdf logger names in its messages, and how many lines were
 * prepended to the user's query (subtracted from reported line numbers).
 * librdf has one logger per world and newskg one world per process, so this
 * is the logger's user data. */
static struct {
  const char *what;
  int line_offset;
  int errors;
  const char *text; /* the query rasqal is parsing, or NULL */
} log_state = {"librdf", 0, 0, NULL};

/* The line and column just after the last non-blank character of text:
 * where "unexpected $end" is. */
static void end_position(const char *text, int *line, int *column) {
  size_t n = strlen(text);
  while (n > 0 && strchr(" \t\r\n", text[n - 1]))
    n--;
  *line = 1;
  *column = 1;
  for (size_t i = 0; i < n; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *column = 1;
    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
      (*column)++;
    }
  }
}

/* Appends ": line L, column C" (or less, as known) for a message at loc. */
static void add_where(nkg_buf *where, int line, int column, const char *msg) {
  if (line <= 0)
    return;
  if (column < 0 && log_state.text && msg && strstr(msg, "$end"))
    end_position(log_state.text, &line, &column);
  else if (column >= 0)
    column++;
  line -= log_state.line_offset;
  if (line < 1)
    nkg_buf_printf(where, " (in the predeclared prefixes)");
  else if (column > 0)
    nkg_buf_printf(where, ": line %d, column %d", line, column);
  else
    nkg_buf_printf(where, ": line %d", line);
}

static int log_handler(void *data, librdf_log_message *m) {
  (void)data;
  int level = librdf_log_message_level(m);
  /* rasqal's warnings ("variable bound but unused") are noise here. */
  if (level < LIBRDF_LOG_WARN ||
      (level < LIBRDF_LOG_ERROR &&
       librdf_log_message_facility(m) == LIBRDF_FROM_QUERY))
    return 1;
  const char *text = librdf_log_message_message(m);
  raptor_locator *loc = librdf_log_message_locator(m);
  nkg_buf where = {0};
  if (loc)
    add_where(&where, loc->line, loc->column, text);
  if (level >= LIBRDF_LOG_ERROR) {
    log_state.errors++;
    nkg_error("%s%s: %s", log_state.what, where.data ? where.data : "",
              text ? text : "error");
  } else {
    nkg_warn("%s%s: %s", log_state.what, where.data ? where.data : "",
             text ? text : "warning");
  }
  nkg_buf_free(&where);
  return 1;
}

const char *nkg_query_set_logger(librdf_world *world, const char *what) {
  const char *old = log_state.what;
  log_state.what = what ? what : "librdf";
  librdf_world_set_logger(world, NULL, log_handler);
  return old;
}

/* rasqal reports through raptor's log message type. */
static void rasqal_log(void *data, raptor_log_message *m) {
  (void)data;
  if (m->level < RAPTOR_LOG_LEVEL_ERROR)
    return;
  nkg_buf where = {0};
  if (m->locator)
    add_where(&where, m->locator->line, m->locator->column, m->text);
  if (m->level >= RAPTOR_LOG_LEVEL_ERROR) {
    log_state.errors++;
    nkg_error("%s%s: %s", log_state.what, where.data ? where.data : "",
              m->text);
  } else {
    nkg_warn("%s%s: %s", log_state.what, where.data ? where.data : "",
             m->text);
  }
  nkg_buf_free(&where);
}

/* ---- tokens ------------------------------------------------------------- */

/* A tokenizer just good enough to tell keywords and prefix declarations
 * from the insides of strings, IRIs and comments. */
typedef struct {
  const char *s; /* the whole text */
  size_t i;      /* next byte */
  int line;      /* 1-based line and column of the token's start */
  int column;
  size_t line_start;
} lexer;

typedef struct {
  const char *p;
  size_t len;
  int line, column;
  int word; /* a keyword or prefixed name (not a string, IRI, variable) */
} token;

static int name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
         c == ':' || c == '%' || c == '\\' || c >= 0x80;
}

static void lex_advance(lexer *x, size_t n) {
  for (size_t k = 0; k < n && x->s[x->i]; k++) {
    if (x->s[x->i] == '\n') {
      x->line++;
      x->line_start = x->i + 1;
    }
    x->i++;
  }
}

/* The next token, or 0 at the end of the text. */
static int lex_next(lexer *x, token *t) {
  const char *s = x->s;
  for (;;) {
    while (s[x->i] == ' ' || s[x->i] == '\t' || s[x->i] == '\r' ||
           s[x->i] == '\n')
      lex_advance(x, 1);
    if (s[x->i] == '#') {
      while (s[x->i] && s[x->i] != '\n')
        lex_advance(x, 1);
      continue;
    }
    break;
  }
  if (!s[x->i])
    return 0;
  t->p = s + x->i;
  t->line = x->line;
  t->column = (int)(x->i - x->line_start) + 1;
  t->word = 0;
  size_t start = x->i;
  char c = s[x->i];
  if (c == '"' || c == '\'') {
    int triple = s[x->i + 1] == c && s[x->i + 2] == c;
    lex_advance(x, triple ? 3 : 1);
    while (s[x->i]) {
      if (s[x->i] == '\\' && s[x->i + 1]) {
        lex_advance(x, 2);
        continue;
      }
      if (s[x->i] == c &&
          (!triple || (s[x->i + 1] == c && s[x->i + 2] == c))) {
        lex_advance(x, triple ? 3 : 1);
        break;
      }
      if (!triple && s[x->i] == '\n')
        break;
      lex_advance(x, 1);
    }
  } else if (c == '<') {
    /* IRIREF: '<' ([^<>"{}|^`\]-[#x00-#x20])* '>'; else an operator. */
    size_t k = x->i + 1;
    while (s[k] && (unsigned char)s[k] > 0x20 && !strchr("<>\"{}|^`\\", s[k]))
      k++;
    lex_advance(x, s[k] == '>' ? k + 1 - x->i : 1);
  } else if (c == '?' || c == '$') {
    lex_advance(x, 1);
    while (s[x->i] && name_char((unsigned char)s[x->i]) && s[x->i] != ':' &&
           s[x->i] != '.' && s[x->i] != '-')
      lex_advance(x, 1);
  } else if (c == '@') {
    lex_advance(x, 1);
    while (s[x->i] && (name_char((unsigned char)s[x->i])) && s[x->i] != '.')
      lex_advance(x, 1);
  } else if (name_char((unsigned char)c) && c != '.') {
    while (s[x->i] && name_char((unsigned char)s[x->i]))
      lex_advance(x, 1);
    /* A name never ends with '.': that is the end of a triple. */
    while (x->i > start + 1 && s[x->i - 1] == '.')
      x->i--;
    t->word = 1;
  } else {
    lex_advance(x, 1);
  }
  t->len = x->i - start;
  return 1;
}

static int token_is(const token *t, const char *kw) {
  size_t n = strlen(kw);
  if (!t->word || t->len != n)
    return 0;
  for (size_t k = 0; k < n; k++) {
    char a = t->p[k];
    if (a >= 'a' && a <= 'z')
      a = (char)(a - 'a' + 'A');
    if (a != kw[k])
      return 0;
  }
  return 1;
}

int nkg_query_check_safety(const char *text, const char *source) {
  lexer x = {.s = text, .line = 1};
  token t;
  while (lex_next(&x, &t)) {
    if (token_is(&t, "SERVICE")) {
      nkg_error("%s: line %d, column %d: SERVICE is refused: newskg makes "
                "no network requests (query local files or a store)",
                source, t.line, t.column);
      return -1;
    }
    if (token_is(&t, "LOAD")) {
      nkg_error("%s: line %d, column %d: LOAD is refused: newskg reads only "
                "the files named on its command line",
                source, t.line, t.column);
      return -1;
    }
  }
  return 0;
}

/* Nonzero if text declares the prefix name (PREFIX name: <...>). */
static int declares(const char *text, const char *name) {
  lexer x = {.s = text, .line = 1};
  token t;
  int after_prefix = 0;
  size_t n = strlen(name);
  while (lex_next(&x, &t)) {
    if (after_prefix && t.word && t.len == n + 1 && t.p[n] == ':' &&
        !strncmp(t.p, name, n))
      return 1;
    after_prefix = token_is(&t, "PREFIX");
  }
  return 0;
}

int nkg_query_add_prefixes(const char *text, nkg_buf *b) {
  int added = 0;
  for (size_t i = 0; nkg_query_prefixes[i].name; i++) {
    if (declares(text, nkg_query_prefixes[i].name))
      continue;
    nkg_buf_printf(b, "%sPREFIX %s: <%s>", added ? " " : "",
                   nkg_query_prefixes[i].name, nkg_query_prefixes[i].iri);
    added++;
  }
  return added;
}

/* ---- result formats ----------------------------------------------------- */

int nkg_query_results_format_known(librdf_world *world, const char *name) {
  return rasqal_query_results_formats_check2(
             librdf_world_get_rasqal(world), name, NULL, NULL,
             RASQAL_QUERY_RESULTS_FORMAT_FLAG_WRITER) != 0;
}

void nkg_query_list_results_formats(librdf_world *world, FILE *out) {
  rasqal_world *rw = librdf_world_get_rasqal(world);
  for (unsigned int i = 0;; i++) {
    const raptor_syntax_description *d =
        rasqal_world_get_query_results_format_description(rw, i);
    if (!d)
      break;
    /* Only the formats that can write results. */
    if (!nkg_query_results_format_known(world, d->names[0]))
      continue;
    fprintf(out, "  %-10s %s\n", d->names[0], d->label ? d->label : "");
  }
}

/* ---- running ------------------------------------------------------------ */

/* Parses the query with rasqal alone (so that nothing runs if it is
 * malformed) and refuses FROM and FROM NAMED of anything but file: IRIs.
 * Returns 0 or -1 after a message. */
static int check_with_rasqal(librdf_world *world, const char *text,
                             const char *base, const char *source,
                             nkg_buf *vars) {
  rasqal_world *rw = librdf_world_get_rasqal(world);
  raptor_world *raw = librdf_world_get_raptor(world);
  int rc = -1;
  raptor_uri *base_uri = NULL;
  rasqal_query *q = rasqal_new_query(rw, QUERY_LANGUAGE, NULL);
  if (!q) {
    nkg_error("%s: rasqal has no %s parser", source, QUERY_LANGUAGE);
    return -1;
  }
  if (base)
    base_uri = raptor_new_uri(raw, (const unsigned char *)base);
  rasqal_world_set_log_handler(rw, NULL, rasqal_log);
  int errors = log_state.errors;
  log_state.text = text;
  int failed = rasqal_query_prepare(q, (const unsigned char *)text, base_uri);
  log_state.text = NULL;
  if (failed) {
    if (log_state.errors == errors)
      nkg_error("%s: the query is malformed", source);
    goto out;
  }
  if (rasqal_query_get_verb(q) == RASQAL_QUERY_VERB_DESCRIBE) {
    nkg_error("%s: DESCRIBE is not implemented by rasqal %s; write "
              "CONSTRUCT { <IRI> ?p ?o } WHERE { <IRI> ?p ?o } instead",
              source, rasqal_version_string);
    goto out;
  }
  /* The projected variables, NUL-separated: the table's header when there
   * are no rows (librdf then knows no variable names). */
  raptor_sequence *seq = rasqal_query_get_bound_variable_sequence(q);
  for (int i = 0; seq && i < raptor_sequence_size(seq); i++) {
    rasqal_variable *v = raptor_sequence_get_at(seq, i);
    if (v && v->name)
      nkg_buf_add(vars, (const char *)v->name,
                  strlen((const char *)v->name) + 1);
  }
  for (int i = 0;; i++) {
    rasqal_data_graph *dg = rasqal_query_get_data_graph(q, i);
    if (!dg)
      break;
    raptor_uri *u = dg->uri ? dg->uri : dg->name_uri;
    const char *s = u ? (const char *)raptor_uri_as_string(u) : "";
    if (strncmp(s, "file:", 5)) {
      nkg_error("%s: FROM%s <%s> is refused: newskg reads only the files "
                "named on its command line",
                source, dg->flags == RASQAL_DATA_GRAPH_NAMED ? " NAMED" : "",
                s);
      goto out;
    }
  }
  rc = 0;
out:
  if (base_uri)
    raptor_free_uri(base_uri);
  rasqal_free_query(q);
  return rc;
}

/* ---- the table format --------------------------------------------------- */

/* rasqal's own "table" formatter prints an empty header row through
 * librdf 1.0.17 and writes values as string("...") and uri<...>, so the
 * table is drawn here: Turtle-like terms, IRIs shortened with the
 * predeclared prefixes. It needs every row before it can align them. */

static void add_iri(nkg_buf *b, const char *iri) {
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

static void add_term(nkg_buf *b, librdf_node *n) {
  if (!n)
    return;
  if (librdf_node_is_resource(n)) {
    add_iri(b, (const char *)librdf_uri_as_string(librdf_node_get_uri(n)));
  } else if (librdf_node_is_blank(n)) {
    nkg_buf_printf(b, "_:%s", librdf_node_get_blank_identifier(n));
  } else {
    size_t len = 0;
    const unsigned char *v = librdf_node_get_literal_value_as_counted_string(
        n, &len);
    nkg_buf_addc(b, '"');
    for (size_t i = 0; v && i < len; i++) {
      switch (v[i]) {
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
        nkg_buf_addc(b, (char)v[i]);
      }
    }
    nkg_buf_addc(b, '"');
    const char *lang = librdf_node_get_literal_value_language(n);
    librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(n);
    if (lang && *lang) {
      nkg_buf_printf(b, "@%s", lang);
    } else if (dt) {
      const char *d = (const char *)librdf_uri_as_string(dt);
      if (strcmp(d, "http://www.w3.org/2001/XMLSchema#string")) {
        nkg_buf_adds(b, "^^");
        add_iri(b, d);
      }
    }
  }
}

static void rule(FILE *out, const size_t *width, int n) {
  for (int i = 0; i < n; i++) {
    fputc('+', out);
    for (size_t k = 0; k < width[i] + 2; k++)
      fputc('-', out);
  }
  fputs("+\n", out);
}

static void row(FILE *out, char **cells, const size_t *width, int n) {
  for (int i = 0; i < n; i++) {
    const char *c = cells[i] ? cells[i] : "";
    size_t w = nkg_utf8_count(c, strlen(c));
    fprintf(out, "| %s", c);
    for (size_t k = w; k < width[i] + 1; k++)
      fputc(' ', out);
  }
  fputs("|\n", out);
}

static int write_table(librdf_query_results *r, const nkg_buf *vars,
                       FILE *out) {
  int n = librdf_query_results_get_bindings_count(r);
  if (n < 0)
    return -1;
  const char *var = vars->data;
  if (n == 0)
    for (size_t k = 0; k < vars->len; k++)
      if (!vars->data[k])
        n++;
  size_t *width = nkg_xcalloc((size_t)n + 1, sizeof *width);
  char **head = nkg_xcalloc((size_t)n + 1, sizeof *head);
  char **cells = NULL;
  size_t n_rows = 0, cap = 0;
  for (int i = 0; i < n; i++) {
    const char *name = librdf_query_results_get_binding_name(r, i);
    if (!name && var) {
      name = var;
      var += strlen(var) + 1;
    }
    nkg_buf b = {0};
    nkg_buf_printf(&b, "?%s", name ? name : "");
    head[i] = nkg_buf_steal(&b);
    width[i] = nkg_utf8_count(head[i], strlen(head[i]));
  }
  for (; n > 0 && !librdf_query_results_finished(r);
       librdf_query_results_next(r)) {
    if (n_rows == cap) {
      cap = cap ? cap * 2 : 64;
      cells = nkg_xrealloc(cells, cap * (size_t)n * sizeof *cells + 1);
    }
    for (int i = 0; i < n; i++) {
      librdf_node *v = librdf_query_results_get_binding_value(r, i);
      nkg_buf b = {0};
      add_term(&b, v);
      nkg_buf_adds(&b, "");
      if (v)
        librdf_free_node(v);
      char *c = nkg_buf_steal(&b);
      size_t w = nkg_utf8_count(c, strlen(c));
      if (w > width[i])
        width[i] = w;
      cells[n_rows * (size_t)n + (size_t)i] = c;
    }
    n_rows++;
  }
  if (n > 0) {
    rule(out, width, n);
    row(out, head, width, n);
    rule(out, width, n);
    for (size_t k = 0; k < n_rows; k++)
      row(out, cells + k * (size_t)n, width, n);
    rule(out, width, n);
  }
  for (size_t k = 0; k < n_rows * (size_t)n; k++)
    free(cells[k]);
  for (int i = 0; i < n; i++)
    free(head[i]);
  free(cells);
  free(head);
  free(width);
  return 0;
}

static int write_graph(librdf_world *world, librdf_query_results *r,
                       const char *syntax, FILE *out, const char *source) {
  int rc = -1;
  librdf_serializer *ser = NULL;
  librdf_stream *stream = librdf_query_results_as_stream(r);
  if (!stream) {
    nkg_error("%s: the query gave no graph", source);
    return -1;
  }
  ser = librdf_new_serializer(world, syntax, NULL, NULL);
  if (!ser) {
    nkg_error("%s: no serialiser '%s'", source, syntax);
    goto out;
  }
  int prefixed = !strcmp(syntax, "turtle") || !strncmp(syntax, "rdfxml", 6);
  if (prefixed)
    for (size_t i = 0; nkg_query_prefixes[i].name; i++) {
      if (!strcmp(nkg_query_prefixes[i].name, "rdf"))
        continue; /* predeclared by raptor */
      librdf_uri *u = librdf_new_uri(
          world, (const unsigned char *)nkg_query_prefixes[i].iri);
      if (u) {
        librdf_serializer_set_namespace(ser, u, nkg_query_prefixes[i].name);
        librdf_free_uri(u);
      }
    }
  if (librdf_serializer_serialize_stream_to_file_handle(ser, out, NULL,
                                                        stream)) {
    nkg_error("%s: the %s serialiser failed", source, syntax);
    goto out;
  }
  rc = 0;
out:
  if (ser)
    librdf_free_serializer(ser);
  librdf_free_stream(stream);
  return rc;
}

int nkg_query_run(librdf_world *world, librdf_model *model, const char *text,
                  const nkg_query_options *o, FILE *out, int *ask) {
  const char *source = o->source ? o->source : "query";
  nkg_buf full = {0}, vars = {0};
  char *rewritten = NULL, *error = NULL;
  nkg_sparql_state *state = NULL;
  int rewrote = 0;
  librdf_query *q = NULL;
  librdf_query_results *r = NULL;
  librdf_uri *base_uri = NULL;
  int rc = -1;
  const char *old_what = nkg_query_set_logger(world, source);
  *ask = -1;

  if (nkg_query_check_safety(text, source))
    goto out;

  if (nkg_query_add_prefixes(text, &full) > 0) {
    nkg_buf_addc(&full, '\n');
    log_state.line_offset = 1;
  }
  nkg_buf_adds(&full, text);

  nkg_sparql_options so = {.base = o->base,
                           .unnamed = o->unnamed_graphs,
                           .n_unnamed = o->n_unnamed_graphs};
  if (nkg_sparql_rewrite(full.data, &so, world, model, &rewritten, &error,
                         &state)) {
    int line = 0, column = 0, used = 0;
    const char *msg = error ? error : "cannot rewrite the query";
    if (error && sscanf(error, "line %d, column %d: %n", &line, &column,
                        &used) == 2 &&
        used > 0) {
      line -= log_state.line_offset;
      nkg_error("%s: line %d, column %d: %s", source, line < 1 ? 1 : line,
                column, error + used);
    } else {
      nkg_error("%s: %s", source, msg);
    }
    goto out;
  }
  rewrote = 1;
  if (o->explain) {
    fputs(rewritten, out);
    if (!*rewritten || rewritten[strlen(rewritten) - 1] != '\n')
      fputc('\n', out);
    rc = 0;
    goto out;
  }
  /* The rewriter may have added forms; check again what will run. */
  if (strcmp(rewritten, full.data) &&
      nkg_query_check_safety(rewritten, source))
    goto out;
  if (check_with_rasqal(world, rewritten, o->base, source, &vars))
    goto out;

  if (o->base)
    base_uri = librdf_new_uri(world, (const unsigned char *)o->base);
  q = librdf_new_query(world, QUERY_LANGUAGE, NULL,
                       (const unsigned char *)rewritten, base_uri);
  if (!q) {
    nkg_error("%s: librdf cannot make the query", source);
    goto out;
  }
  r = librdf_model_query_execute(model, q);
  if (!r) {
    nkg_error("%s: the query failed", source);
    goto out;
  }

  if (librdf_query_results_is_boolean(r)) {
    int b = librdf_query_results_get_boolean(r);
    if (b < 0) {
      nkg_error("%s: no boolean answer", source);
      goto out;
    }
    if (o->results_format && strcmp(o->results_format, "table")) {
      if (librdf_query_results_to_file_handle2(r, out, o->results_format,
                                               NULL, NULL, NULL)) {
        nkg_error("%s: cannot write the %s answer", source,
                  o->results_format);
        goto out;
      }
    } else {
      fputs(b ? "true\n" : "false\n", out);
    }
    *ask = b ? 1 : 0;
  } else if (librdf_query_results_is_graph(r)) {
    if (write_graph(world, r, o->rdf_syntax ? o->rdf_syntax : "turtle", out,
                    source))
      goto out;
  } else if (librdf_query_results_is_bindings(r)) {
    const char *fmt = o->results_format ? o->results_format : "table";
    if (!strcmp(fmt, "table") ? write_table(r, &vars, out)
                              : librdf_query_results_to_file_handle2(
                                    r, out, fmt, NULL, NULL, NULL)) {
      nkg_error("%s: cannot write the results as %s", source, fmt);
      goto out;
    }
  } else {
    nkg_error("%s: rasqal gave an answer of unknown kind", source);
    goto out;
  }
  if (fflush(out) || ferror(out)) {
    nkg_error("standard output: write error");
    goto out;
  }
  rc = 0;
out:
  if (r)
    librdf_free_query_results(r);
  if (q)
    librdf_free_query(q);
  if (base_uri)
    librdf_free_uri(base_uri);
  if (rewrote || state)
    nkg_sparql_cleanup(state, model);
  free(rewritten);
  free(error);
  nkg_buf_free(&full);
  nkg_buf_free(&vars);
  log_state.line_offset = 0;
  nkg_query_set_logger(world, old_what);
  return rc;
}
