/* newskg.c: the program. Parses the global options, dispatches to a
 * subcommand (cli.h) and turns its status into the exit code, here and
 * nowhere else. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "util.h"

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
    {"extract", nkg_cli_extract, "extract a knowledge graph (RDF) from news"},
    {"query", nkg_cli_query, "answer a SPARQL query over RDF, news or a store"},
    {"load", nkg_cli_load, "add news or RDF files to a persistent store"},
    {"report", nkg_cli_report,
     "write an HTML page: meeting network, cooperation, facts"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_help(void) {
  printf("Usage: newskg [--help|--version] COMMAND [ARGS]...\n"
         "Turn English diplomacy and trade news into an RDF knowledge graph.\n"
         "\n"
         "Commands:\n");
  for (size_t i = 0; i < N_COMMANDS; i++)
    printf("  %-10s %s\n", commands[i].name, commands[i].summary);
  printf("\n"
         "Options:\n"
         "  -h, --help     show this help and exit\n"
         "      --version  show the version and exit\n"
         "\n"
         "'newskg COMMAND --help' describes a command.\n"
         "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

static void usage_hint(void) {
  fputs("Try 'newskg --help' for more information.\n", stderr);
}

int main(int argc, char **argv) {
  nkg_output_init();
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      print_help();
      return nkg_output_close_stdout() ? NKG_FAIL : NKG_OK;
    }
    if (!strcmp(a, "--version")) {
      printf("newskg %s\n", PACKAGE_VERSION);
      return nkg_output_close_stdout() ? NKG_FAIL : NKG_OK;
    }
    nkg_error("unknown option '%s'", a);
    usage_hint();
    return NKG_USAGE;
  }
  if (i >= argc) {
    nkg_error("no command given");
    usage_hint();
    return NKG_USAGE;
  }
  for (size_t k = 0; k < N_COMMANDS; k++)
    if (!strcmp(argv[i], commands[k].name))
      return commands[k].run(argc - i, argv + i);
  nkg_error("unknown command '%s'", argv[i]);
  usage_hint();
  return NKG_USAGE;
}
