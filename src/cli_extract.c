/* cli_extract.c: `newskg extract`, news text in, RDF out.
 *
 * Options are parsed into one struct, resources are acquired in order and
 * released on a single path at the end; the exit status is decided here and
 * returned to main(). */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include <getopt.h>
#include <raptor2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "document.h"
#include "extract.h"
#include "graph.h"
#include "lexicon.h"
#include "output.h"
#include "util.h"

typedef struct {
  const char *format; /* as given with -f */
  const char *syntax; /* the raptor serialiser it names */
  const char *output; /* -o FILE, or NULL for stdout */
  const char *base;   /* --base IRI, or NULL for the default */
  const char *rules;  /* --rules DIR, or NULL */
  int quiet;
  int help;
  int version;
  char **inputs; /* the FILE operands (argv tail) */
  int n_inputs;
} extract_options;

enum { OPT_BASE = 256, OPT_RULES, OPT_VERSION };

static const struct option long_options[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"base", required_argument, NULL, OPT_BASE},
    {"rules", required_argument, NULL, OPT_RULES},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const char *const format_labels[] = {"Turtle (default)",
                                            "N-Triples",
                                            "N-Quads, one graph per document",
                                            "RDF/XML, abbreviated",
                                            "RDF/JSON (resource-centric)",
                                            "GraphViz DOT",
                                            NULL};

static void usage_hint(void) {
  fputs("Try 'newskg extract --help' for more information.\n", stderr);
}

static void print_help(raptor_world *world) {
  printf(
      "Usage: newskg extract [OPTION]... [FILE]...\n"
      "Read English news articles (plain text, UTF-8) and write the "
      "officials,\n"
      "meetings and cooperation they report as RDF, with evidence for each "
      "fact.\n"
      "With no FILE, or when FILE is -, read standard input.\n"
      "\n"
      "Options:\n"
      "  -f, --format FMT   output format (default turtle; see below)\n"
      "  -o, --output FILE  write to FILE, replaced only when the run "
      "succeeds\n"
      "                     (default: standard output)\n"
      "      --base IRI     namespace for minted IRIs, ending in '/' or '#'\n"
      "                     (default " NKG_DEFAULT_BASE ")\n"
      "      --rules DIR    rules and lexicon directory (default: "
      "$NEWSKG_RULES,\n"
      "                     else the installed " NKG_PKGDATADIR "/extract)\n"
      "  -q, --quiet        no warnings or progress on standard error\n"
      "  -h, --help         show this help and exit\n"
      "      --version      show the version and exit\n"
      "\n"
      "Formats (short names):\n");
  for (size_t i = 0; nkg_graph_formats[i]; i++) {
    const char *syntax = nkg_graph_format_syntaxes[i];
    int have = raptor_world_is_serializer_name(world, syntax);
    printf("  %-10s %s%s\n", nkg_graph_formats[i], format_labels[i],
           have ? "" : " [not in this raptor]");
  }
  printf("\nRaptor serialisers available at run time (* = has a short name;\n"
         "any of these names is accepted by --format):\n");
  for (unsigned int i = 0;; i++) {
    const raptor_syntax_description *d =
        raptor_world_get_serializer_description(world, i);
    if (!d)
      break;
    const char *name = d->names[0];
    const char *target = nkg_graph_syntax_for(world, name);
    int marked = 0;
    for (size_t k = 0; nkg_graph_format_syntaxes[k]; k++)
      if (!strcmp(name, nkg_graph_format_syntaxes[k]))
        marked = 1;
    printf("  %c %-16s %s", marked ? '*' : ' ', name, d->label);
    /* A raptor name that is also a short name for another serialiser. */
    if (target && strcmp(target, name))
      printf(" (-f %s gives %s)", name, target);
    putchar('\n');
  }
  printf("\nExit status: 0 success, 1 an input or the output failed "
         "(other inputs\nare still processed), 2 usage error.\n");
}

/* Parses argv into o. Returns NKG_OK or NKG_USAGE (message printed). */
static int parse_options(int argc, char **argv, extract_options *o) {
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":f:o:qh", long_options, NULL)) != -1) {
    switch (c) {
    case 'f':
      o->format = optarg;
      break;
    case 'o':
      o->output = optarg;
      break;
    case OPT_BASE:
      o->base = optarg;
      break;
    case OPT_RULES:
      o->rules = optarg;
      break;
    case 'q':
      o->quiet = 1;
      break;
    case 'h':
      o->help = 1;
      break;
    case OPT_VERSION:
      o->version = 1;
      break;
    case ':':
      nkg_error("extract: option '%s' needs an argument", argv[optind - 1]);
      usage_hint();
      return NKG_USAGE;
    default:
      if (optopt && optopt < 256)
        nkg_error("extract: unknown option '-%c'", optopt);
      else
        nkg_error("extract: unknown option '%s'", argv[optind - 1]);
      usage_hint();
      return NKG_USAGE;
    }
  }
  o->inputs = argv + optind;
  o->n_inputs = argc - optind;
  return NKG_OK;
}

/* An absolute IRI (scheme ':' ...) without characters IRIs may not hold,
 * ending in '/' or '#' so that appended names stay inside it. */
static int valid_base(raptor_world *world, const char *base) {
  size_t n = strlen(base);
  if (n == 0 || (base[n - 1] != '/' && base[n - 1] != '#'))
    return 0;
  for (const unsigned char *p = (const unsigned char *)base; *p; p++)
    if (*p <= 0x20 || *p == 0x7f || strchr("<>\"{}|\\^`", *p))
      return 0;
  if (!raptor_uri_uri_string_is_absolute((const unsigned char *)base))
    return 0;
  raptor_uri *u = raptor_new_uri(world, (const unsigned char *)base);
  if (!u)
    return 0;
  raptor_free_uri(u);
  return 1;
}

static int file_exists(const char *dir, const char *name) {
  nkg_buf b = {0};
  nkg_buf_printf(&b, "%s/%s", dir, name);
  int ok = access(b.data, F_OK) == 0;
  nkg_buf_free(&b);
  return ok;
}

/* The rules directory: --rules, else $NEWSKG_RULES, else the extract/
 * directory of the build tree when running uninstalled (next to the
 * program's parent directory, or the source tree of a VPATH build), else the
 * installed one. Returns a malloc'd string. */
static char *rules_dir(const char *opt) {
  if (opt)
    return nkg_xstrdup(opt);
  const char *env = getenv("NEWSKG_RULES");
  if (env && *env)
    return nkg_xstrdup(env);

  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0'; /* exe is now the program's directory */
      nkg_buf b = {0};
      nkg_buf_printf(&b, "%s/../extract", exe);
      if (file_exists(b.data, "countries.tsv"))
        return nkg_buf_steal(&b);
      nkg_buf_clear(&b);
      nkg_buf_printf(&b, "%s/..", exe);
      int build_tree = file_exists(b.data, "Makefile") &&
                       file_exists(b.data, "config.status");
      nkg_buf_free(&b);
      if (build_tree && file_exists(NKG_SRCDIR "/extract", "countries.tsv"))
        return nkg_xstrdup(NKG_SRCDIR "/extract");
    }
  }
  return nkg_xstrdup(NKG_PKGDATADIR "/extract");
}

static void log_handler(void *data, raptor_log_message *m) {
  (void)data;
  if (m->level >= RAPTOR_LOG_LEVEL_ERROR)
    nkg_error("raptor: %s", m->text);
  else if (m->level >= RAPTOR_LOG_LEVEL_WARN)
    nkg_warn("raptor: %s", m->text);
}

/* Reads, analyses and extracts one input and adds it to g. Returns 0, or
 * -1 after a message naming the input. */
static int extract_one(const char *path, const nkg_lexicon *lex,
                       const nkg_rules *rules, nkg_graph *g) {
  nkg_document *doc = nkg_document_read(path);
  if (!doc)
    return -1;
  nkg_extraction x;
  memset(&x, 0, sizeof x);
  int rc = -1;
  if (nkg_document_analyse(doc, lex) != 0)
    goto out;
  if (nkg_extract_document(rules, lex, doc, &x) != 0)
    goto out;
  rc = nkg_graph_add(g, doc, &x, lex);
out:
  if (rc != 0)
    nkg_error("%s: not processed", strcmp(path, "-") ? path : "stdin");
  nkg_extraction_free(&x);
  nkg_document_free(doc);
  return rc;
}

int nkg_cli_extract(int argc, char **argv) {
  extract_options o = {.format = "turtle"};
  raptor_world *world = NULL;
  nkg_lexicon *lex = NULL;
  nkg_rules *rules = NULL;
  nkg_graph *g = NULL;
  nkg_output *out = NULL;
  char *dir = NULL;
  int status = parse_options(argc, argv, &o);
  if (status != NKG_OK)
    goto done;
  nkg_set_quiet(o.quiet);

  if (o.version) {
    printf("newskg %s\n", PACKAGE_VERSION);
    status = nkg_output_close_stdout() ? NKG_FAIL : NKG_OK;
    goto done;
  }

  world = raptor_new_world();
  if (!world || raptor_world_open(world) != 0) {
    nkg_error("cannot initialise raptor");
    status = NKG_FAIL;
    goto done;
  }
  raptor_world_set_log_handler(world, NULL, log_handler);

  if (o.help) {
    print_help(world);
    status = nkg_output_close_stdout() ? NKG_FAIL : NKG_OK;
    goto done;
  }
  o.syntax = nkg_graph_syntax_for(world, o.format);
  if (!o.syntax) {
    nkg_error("extract: unknown format '%s'", o.format);
    usage_hint();
    status = NKG_USAGE;
    goto done;
  }
  if (o.base && !valid_base(world, o.base)) {
    nkg_error("extract: --base '%s' is not an absolute IRI ending in '/' or "
              "'#'",
              o.base);
    usage_hint();
    status = NKG_USAGE;
    goto done;
  }

  status = NKG_FAIL;
  dir = rules_dir(o.rules);
  if (!(lex = nkg_lexicon_load(dir)) || !(rules = nkg_rules_load(dir)))
    goto done;
  if (!(g = nkg_graph_new(world, o.base)))
    goto done;
  if (!(out = nkg_output_open(o.output)))
    goto done;

  static char *const stdin_only[] = {"-"};
  char *const *inputs = o.n_inputs ? o.inputs : stdin_only;
  int n_inputs = o.n_inputs ? o.n_inputs : 1;
  size_t n_ok = 0, n_failed = 0;
  for (int i = 0; i < n_inputs; i++) {
    if (extract_one(inputs[i], lex, rules, g) == 0)
      n_ok++;
    else
      n_failed++;
  }
  if (!o.quiet && isatty(STDERR_FILENO))
    fprintf(stderr, "newskg: %zu documents, %zu statements\n", n_ok,
            nkg_graph_size(g));

  /* With nothing read there is nothing worth replacing the output with. */
  if (n_ok == 0 && n_failed > 0)
    goto done;
  if (nkg_graph_write(g, o.syntax, nkg_output_stream(out)) != 0)
    goto done;
  int rc = nkg_output_commit(out);
  out = NULL;
  if (rc == 0)
    status = n_failed ? NKG_FAIL : NKG_OK;

done:
  nkg_output_abort(out);
  nkg_graph_free(g);
  if (rules)
    nkg_rules_free(rules);
  if (lex)
    nkg_lexicon_free(lex);
  free(dir);
  if (world)
    raptor_free_world(world);
  return status;
}
