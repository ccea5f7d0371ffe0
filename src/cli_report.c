/* cli_report.c: `newskg report`: reads DATA as `newskg query` does (news
 * articles extracted on the fly, RDF files, or a store) and writes the HTML
 * page of report.h.
 *
 * Options are parsed into one struct; resources are acquired in order and
 * released on one path at the end; the exit status is decided here and
 * returned to main(). */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <redland.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_data.h"
#include "output.h"
#include "progress.h"
#include "query.h"
#include "report.h"
#include "store.h"
#include "util.h"

typedef struct {
  const char *output; /* -o FILE; NULL: report.html */
  const char *input;  /* -i FORMAT of every DATA ("text": articles) */
  const char *store;  /* --store SPEC */
  const char *rules;  /* --rules DIR */
  const char *title;  /* --title TEXT */
  size_t max_officials;
  size_t max_rows;
  int quiet;
  int progress;
  int help;
  char **inputs;
  int n_inputs;
} report_options;

enum {
  OPT_STORE = 256,
  OPT_RULES,
  OPT_TITLE,
  OPT_MAX_OFFICIALS,
  OPT_MAX_ROWS,
  OPT_PROGRESS
};

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"input", required_argument, NULL, 'i'},
    {"store", required_argument, NULL, OPT_STORE},
    {"rules", required_argument, NULL, OPT_RULES},
    {"title", required_argument, NULL, OPT_TITLE},
    {"max-officials", required_argument, NULL, OPT_MAX_OFFICIALS},
    {"max-rows", required_argument, NULL, OPT_MAX_ROWS},
    {"quiet", no_argument, NULL, 'q'},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void usage_hint(void) { nkg_cli_usage_hint("report"); }

static void print_help(librdf_world *world) {
  printf(
      "Usage: newskg report [OPTION]... [DATA]...\n"
      "Write one self-contained HTML page about a knowledge graph: the "
      "meeting\n"
      "network (laid out by Graphviz, inline SVG), the countries' "
      "cooperation by\n"
      "sector, and tables of meetings, positions and cooperation with the "
      "sentence\n"
      "each fact was read from. The page loads nothing from the network.\n"
      "\n"
      "Options:\n"
      "  -o, --output FILE     the page (default report.html; - for standard "
      "output)\n"
      "  -i, --input FMT       format of every DATA operand (text, turtle, "
      "nquads,\n"
      "                        ...; default: from the extension)\n"
      "      --store SPEC      report on a store made by 'newskg load' (e.g.\n"
      "                        sqlite:news.db)\n"
      "      --rules DIR       rules and lexicon for .txt data (default "
      "$NEWSKG_RULES)\n"
      "      --title TEXT      the page's heading (default 'newskg report')\n"
      "      --max-officials N the network shows the N most connected "
      "officials\n"
      "                        (default %d) and says how many it left out\n"
      "      --max-rows N      rows per fact table (default %d)\n"
      "  -q, --quiet           no warnings or progress on standard error\n"
      "      --progress        show progress even when standard error is "
      "not a\n"
      "                        terminal (on a terminal it shows after two "
      "seconds)\n"
      "  -h, --help            show this help and exit\n"
      "\n"
      "Data files (format from the extension, or -i FORMAT):\n"
      "  .txt          a news article, extracted on the fly (-i text)\n"
      "  .ttl .nt .nq  Turtle, N-Triples, N-Quads\n"
      "  .rdf .owl     RDF/XML;  .json RDF/JSON;  .trig TriG\n"
      "\n"
      "The report runs the SPARQL queries of examples/queries/report-*.rq "
      "(also\n"
      "installed with the other example queries); run them with 'newskg "
      "query -q'.\n"
      "Storage types of this librdf:\n",
      NKG_REPORT_MAX_OFFICIALS, NKG_REPORT_MAX_ROWS);
  nkg_store_list_types(world, stdout);
  printf("\nExit status: 0 success, 1 failure (an input, a query or the "
         "output), 2 usage\nerror.\n");
}

static int parse_count(const char *opt, const char *arg, size_t *out) {
  char *end;
  errno = 0;
  long n = strtol(arg, &end, 10);
  if (errno || end == arg || *end || n < 1 || n > 10000000) {
    nkg_error("report: %s '%s' is not a number from 1 to 10000000", opt, arg);
    usage_hint();
    return NKG_USAGE;
  }
  *out = (size_t)n;
  return NKG_OK;
}

static int parse_options(int argc, char **argv, report_options *o) {
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:i:qh", long_options, NULL)) != -1) {
    switch (c) {
    case 'o':
      o->output = optarg;
      break;
    case 'i':
      o->input = optarg;
      break;
    case OPT_STORE:
      o->store = optarg;
      break;
    case OPT_RULES:
      o->rules = optarg;
      break;
    case OPT_TITLE:
      o->title = optarg;
      break;
    case OPT_MAX_OFFICIALS:
      if (parse_count("--max-officials", optarg, &o->max_officials))
        return NKG_USAGE;
      break;
    case OPT_MAX_ROWS:
      if (parse_count("--max-rows", optarg, &o->max_rows))
        return NKG_USAGE;
      break;
    case 'q':
      o->quiet = 1;
      break;
    case OPT_PROGRESS:
      o->progress = 1;
      break;
    case 'h':
      o->help = 1;
      break;
    default:
      return nkg_cli_option_error("report", c, argv);
    }
  }
  o->inputs = argv + optind;
  o->n_inputs = argc - optind;
  return NKG_OK;
}

int nkg_cli_report(int argc, char **argv) {
  report_options o = {0};
  librdf_world *world = NULL;
  nkg_store *store = NULL;
  nkg_output *out = NULL;
  nkg_progress *progress = NULL;
  nkg_cli_extractor ex = {0};
  nkg_store_loaded loaded = {0};
  int failed_inputs = 0;
  int status = parse_options(argc, argv, &o);
  if (status != NKG_OK)
    goto done;
  nkg_set_quiet(o.quiet);
  ex.opt_rules = o.rules;

  status = NKG_FAIL;
  if (!(world = nkg_cli_open_world()))
    goto done;
  if (o.help) {
    print_help(world);
    status = nkg_output_close_stdout() ? NKG_FAIL : NKG_OK;
    goto done;
  }
  status = NKG_USAGE;
  if (!nkg_cli_input_known(world, o.input)) {
    usage_hint();
    goto done;
  }
  if (o.n_inputs == 0 && !o.store) {
    nkg_error("report: give DATA (articles or RDF files) or --store SPEC");
    usage_hint();
    goto done;
  }

  status = NKG_FAIL;
  if (!(store = nkg_store_open(world, o.store, 0)))
    goto done;
  loaded.store_is_set = nkg_store_is_set(store);
  if (o.n_inputs > 0 && !nkg_store_is_transient(store)) {
    nkg_error("report: DATA cannot be added to --store '%s' by a report "
              "(use 'newskg load')",
              o.store);
    usage_hint();
    status = NKG_USAGE;
    goto done;
  }
  librdf_model *model = nkg_store_model(store);
  nkg_progress_mode mode = nkg_progress_mode_for(o.quiet, o.progress);
  progress = nkg_progress_new("report: reading", "documents",
                              (size_t)o.n_inputs, mode);
  for (int i = 0; i < o.n_inputs; i++) {
    const char *path = o.inputs[i];
    nkg_query_set_logger(world, strcmp(path, "-") ? path : "stdin");
    if (nkg_cli_is_article(o.input, path)) {
      if (nkg_cli_add_article(&ex, world, model, path, &loaded))
        failed_inputs++;
    } else {
      librdf_node *ctx;
      int errors = nkg_query_log_errors();
      long added =
          nkg_cli_add_rdf_file(world, model, path, o.input, &loaded, &ctx);
      if (ctx)
        librdf_free_node(ctx);
      /* raptor reports a syntax error and reads on: the file counts as
       * failed (exit status 1), what it read before stays in the page */
      if (added < 0 || nkg_query_log_errors() != errors)
        failed_inputs++;
    }
    nkg_progress_add(progress, 1);
  }
  nkg_progress_end(progress);
  progress = NULL;
  nkg_query_set_logger(world, NULL);
  if (o.n_inputs > 0 && failed_inputs == o.n_inputs)
    goto done; /* nothing read: keep an older page */

  if (!(out = nkg_output_open(o.output ? o.output : "report.html")))
    goto done;
  nkg_report_options ro = {.title = o.title,
                           .max_officials = o.max_officials,
                           .max_rows = o.max_rows,
                           .progress = mode};
  if (nkg_report_write(world, model, &ro, nkg_output_stream(out)) != 0)
    goto done;
  int rc = nkg_output_commit(out);
  out = NULL;
  if (rc == 0)
    status = failed_inputs ? NKG_FAIL : NKG_OK;

done:
  nkg_progress_end(progress);
  nkg_output_abort(out);
  nkg_store_loaded_free(&loaded);
  nkg_store_close(store);
  nkg_cli_extractor_free(&ex);
  if (world)
    librdf_free_world(world);
  return status;
}
