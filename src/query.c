/* query.c: see query.h. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include "query.h"

#include <raptor2.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "sparql_algebra.h"
#include "sparql_ast.h"
#include "sparql_results.h"
#include "sparql_value.h"

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
} log_state = {"librdf", 0, 0};

/* Appends ": line L, column C" (or less, as known) for a message at loc. */
static void add_where(nkg_buf *where, int line, int column, const char *msg) {
  if (line <= 0)
    return;
  (void)msg;
  if (column >= 0)
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
  /* query-facility warnings are noise here */
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

int nkg_query_log_errors(void) { return log_state.errors; }

const char *nkg_query_set_logger(librdf_world *world, const char *what) {
  const char *old = log_state.what;
  log_state.what = what ? what : "librdf";
  librdf_world_set_logger(world, NULL, log_handler);
  return old;
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

static const char *const results_formats[][2] = {
    {"table", "a plain text table (the default)"},
    {"json", "SPARQL 1.1 Query Results JSON"},
    {"xml", "SPARQL Query Results XML"},
    {"csv", "SPARQL 1.1 Query Results CSV"},
    {"tsv", "SPARQL 1.1 Query Results TSV"},
};

int nkg_query_results_format_known(librdf_world *world, const char *name) {
  (void)world;
  return nkg_rs_format_known(name);
}

void nkg_query_list_results_formats(librdf_world *world, FILE *out) {
  (void)world;
  for (size_t i = 0; i < sizeof results_formats / sizeof results_formats[0];
       i++)
    if (nkg_rs_format_known(results_formats[i][0]))
      fprintf(out, "  %-10s %s\n", results_formats[i][0],
              results_formats[i][1]);
}

/* ---- running ------------------------------------------------------------ */

static raptor_term *raptor_term_of(raptor_world *rw, nkg_terms *terms,
                                   nkg_tid id) {
  const nkg_term *t = nkg_terms_get(terms, id);
  if (t->kind == NKG_T_IRI)
    return raptor_new_term_from_uri_string(rw, (const unsigned char *)t->lex);
  if (t->kind == NKG_T_BNODE)
    return raptor_new_term_from_blank(rw, (const unsigned char *)t->lex);
  raptor_uri *dt = NULL;
  if (t->dt && !t->lang) {
    dt = raptor_new_uri(rw, (const unsigned char *)t->dt);
    if (!dt)
      return NULL;
  }
  raptor_term *r = raptor_new_term_from_counted_literal(
      rw, (const unsigned char *)t->lex, t->len, dt,
      (const unsigned char *)t->lang, t->lang ? (unsigned char)strlen(t->lang)
                                              : 0);
  if (dt)
    raptor_free_uri(dt);
  return r;
}

/* A CONSTRUCT or DESCRIBE answer being written by a raptor serialiser,
 * a triple at a time. */
typedef struct {
  raptor_world *rw;
  raptor_serializer *ser;
  nkg_terms *terms;
  const char *syntax, *source;
} graph_out;

/* Starts g with the serialiser syntax on out. Returns 0, or -1 after a
 * message (g is then freed). */
static int graph_begin(graph_out *g, librdf_world *world, nkg_terms *terms,
                       const char *syntax, FILE *out, const char *source) {
  g->rw = librdf_world_get_raptor(world);
  g->terms = terms;
  g->syntax = syntax;
  g->source = source;
  g->ser = raptor_new_serializer(g->rw, syntax);
  if (!g->ser) {
    nkg_error("%s: no serialiser '%s'", source, syntax);
    return -1;
  }
  int prefixed = !strcmp(syntax, "turtle") || !strncmp(syntax, "rdfxml", 6);
  if (prefixed)
    for (size_t i = 0; nkg_query_prefixes[i].name; i++) {
      if (!strcmp(nkg_query_prefixes[i].name, "rdf"))
        continue; /* predeclared by raptor */
      raptor_uri *u = raptor_new_uri(
          g->rw, (const unsigned char *)nkg_query_prefixes[i].iri);
      if (u) {
        raptor_serializer_set_namespace(
            g->ser, u, (const unsigned char *)nkg_query_prefixes[i].name);
        raptor_free_uri(u);
      }
    }
  if (raptor_serializer_start_to_file_handle(g->ser, NULL, out)) {
    nkg_error("%s: cannot start the %s serialiser", source, syntax);
    raptor_free_serializer(g->ser);
    g->ser = NULL;
    return -1;
  }
  return 0;
}

/* Writes one triple (s, p, o ids). Returns 0, or -1 after a message. */
static int graph_put(graph_out *g, const nkg_tid *spo) {
  raptor_term *s = raptor_term_of(g->rw, g->terms, spo[0]);
  raptor_term *p = raptor_term_of(g->rw, g->terms, spo[1]);
  raptor_term *o = raptor_term_of(g->rw, g->terms, spo[2]);
  raptor_statement *st =
      s && p && o ? raptor_new_statement_from_nodes(g->rw, s, p, o, NULL)
                  : NULL;
  if (!st) {
    if (s)
      raptor_free_term(s);
    if (p)
      raptor_free_term(p);
    if (o)
      raptor_free_term(o);
    nkg_error("%s: cannot make a triple to write", g->source);
    return -1;
  }
  int failed = raptor_serializer_serialize_statement(g->ser, st);
  raptor_free_statement(st);
  if (failed) {
    nkg_error("%s: the %s serialiser failed", g->source, g->syntax);
    return -1;
  }
  return 0;
}

/* Ends the document when ok (else leaves it unfinished) and frees g.
 * Returns 0, or -1 after a message. */
static int graph_end(graph_out *g, int ok) {
  int rc = 0;
  if (ok && raptor_serializer_serialize_end(g->ser)) {
    nkg_error("%s: the %s serialiser failed", g->source, g->syntax);
    rc = -1;
  }
  raptor_free_serializer(g->ser);
  g->ser = NULL;
  return rc;
}

static int graph_sink(void *data, const nkg_tid *spo) {
  return graph_put(data, spo);
}

static int rows_sink(void *data, const nkg_tid *values) {
  return nkg_rs_row(data, values);
}

/* Prints a parse error, its line counted in the user's text. */
static void parse_error(const char *source, const char *error) {
  int line = 0, column = 0, used = 0;
  if (error && sscanf(error, "line %d, column %d: %n", &line, &column,
                      &used) == 2 &&
      used > 0) {
    line -= log_state.line_offset;
    nkg_error("%s: line %d, column %d: %s", source, line < 1 ? 1 : line,
              column, error + used);
  } else {
    nkg_error("%s: %s", source, error ? error : "the query is malformed");
  }
}

int nkg_query_run(librdf_world *world, librdf_model *model, const char *text,
                  const nkg_query_options *o, FILE *out, int *ask) {
  const char *source = o->source ? o->source : "query";
  nkg_buf full = {0};
  char *error = NULL;
  nkg_terms *terms = NULL;
  sq_ast *ast = NULL;
  nkg_alg *alg = NULL;
  nkg_alg_result res = {0};
  int rc = -1;
  const char *old_what = nkg_query_set_logger(world, source);
  *ask = -1;

  if (nkg_query_check_safety(text, source))
    goto out;
  size_t prefix_len = 0;
  if (nkg_query_add_prefixes(text, &full) > 0) {
    prefix_len = full.len;
    nkg_buf_addc(&full, '\n');
    log_state.line_offset = 1;
  }
  nkg_buf_adds(&full, text);

  terms = nkg_terms_new();
  if (nkg_sq_parse_query(full.data, o->base, terms, &ast, &error)) {
    parse_error(source, error);
    goto out;
  }
  if (nkg_sq_check_from(ast->q, source,
                        "newskg reads only the files named on its command "
                        "line"))
    goto out;
  nkg_alg_options ao = {.world = world,
                        .model = model,
                        .terms = terms,
                        .source = source,
                        .base = o->base,
                        .unnamed = o->unnamed_graphs,
                        .nunnamed = o->n_unnamed_graphs,
                        .stats = o->stats};
  alg = nkg_alg_new(&ao, ast);
  if (!alg)
    goto out;
  if (o->explain) {
    /* the predeclared prefixes on the first line, then the algebra */
    if (prefix_len)
      fprintf(out, "%.*s\n", (int)prefix_len, full.data);
    if (nkg_alg_explain(alg, out))
      goto write_error;
    goto done;
  }
  if (!o->collect && nkg_alg_streams(alg)) {
    /* rows go to the writer as the evaluation produces them */
    int failed;
    if (ast->q->kind == Q_SELECT) {
      size_t nvars;
      const char *const *vars = nkg_alg_vars(alg, &nvars);
      nkg_rs *rs = nkg_rs_begin(out, "standard output",
                                o->results_format ? o->results_format : "table",
                                terms, vars, nvars);
      if (!rs)
        goto out;
      nkg_alg_sink sink = {rows_sink, rs};
      failed = nkg_alg_stream(alg, &sink) != 0;
      if (failed)
        nkg_rs_abort(rs); /* an unfinished document is no answer */
      else
        failed = nkg_rs_end(rs) != 0;
    } else {
      graph_out g;
      if (graph_begin(&g, world, terms,
                      o->rdf_syntax ? o->rdf_syntax : "turtle", out, source))
        goto out;
      nkg_alg_sink sink = {graph_sink, &g};
      failed = nkg_alg_stream(alg, &sink) != 0;
      failed = graph_end(&g, !failed) != 0 || failed;
    }
    if (failed)
      goto out;
    goto done;
  }
  if (nkg_alg_run(alg, &res))
    goto out;
  switch (ast->q->kind) {
  case Q_SELECT: {
    const char *fmt = o->results_format ? o->results_format : "table";
    nkg_rs *rs = nkg_rs_begin(out, "standard output", fmt, terms, res.vars,
                              res.nvars);
    if (!rs)
      goto out;
    int failed = 0;
    for (size_t i = 0; i < res.nrows && !failed; i++)
      failed = nkg_rs_row(rs, res.rows + i * res.nvars) != 0;
    if (nkg_rs_end(rs) || failed)
      goto out;
    break;
  }
  case Q_ASK:
    if (nkg_rs_boolean(out, "standard output",
                       o->results_format ? o->results_format : "table",
                       res.boolean))
      goto out;
    *ask = res.boolean;
    break;
  case Q_CONSTRUCT:
  case Q_DESCRIBE:
  {
    graph_out g;
    if (graph_begin(&g, world, terms,
                    o->rdf_syntax ? o->rdf_syntax : "turtle", out, source))
      goto out;
    int failed = 0;
    for (size_t i = 0; i < res.ntriples && !failed; i++)
      failed = graph_put(&g, res.triples + 3 * i) != 0;
    failed = graph_end(&g, !failed) != 0 || failed;
    if (failed)
      goto out;
    break;
  }
  }
done:
  if (fflush(out) || ferror(out))
    goto write_error;
  rc = 0;
  goto out;
write_error:
  nkg_error("standard output: write error");
out:
  nkg_alg_result_free(&res);
  nkg_alg_free(alg);
  nkg_sq_free(ast);
  if (terms)
    nkg_terms_free(terms);
  free(error);
  nkg_buf_free(&full);
  log_state.line_offset = 0;
  nkg_query_set_logger(world, old_what);
  return rc;
}
