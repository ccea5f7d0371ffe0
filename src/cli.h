/* cli.h: the subcommands of the newskg program.
 *
 * Each takes the arguments from the command name on (argv[0] is "extract")
 * and returns an exit status from util.h: NKG_OK, NKG_FAIL (a data or run
 * failure) or NKG_USAGE (misuse; the message ends with a hint to --help).
 * They print their own messages and never call exit(). */
#ifndef NKG_CLI_H
#define NKG_CLI_H

/* newskg extract [options] [FILE...]: text to RDF. */
int nkg_cli_extract(int argc, char **argv);

/* newskg query (-e SPARQL | -q FILE) [options] [DATA...]: SPARQL over RDF
 * files, articles or a store (cli_query.c). */
int nkg_cli_query(int argc, char **argv);

/* newskg load --store SPEC [options] FILE...: files into a persistent
 * store, one named graph per document (cli_query.c). */
int nkg_cli_load(int argc, char **argv);

/* newskg report [options] [DATA...]: one HTML page about the graph
 * (cli_report.c, report.h). */
int nkg_cli_report(int argc, char **argv);

/* The rules directory: opt (--rules) if given, else $NEWSKG_RULES, else the
 * extract/ directory of the build tree when running uninstalled (next to
 * the program's parent directory, or the source tree of a VPATH build),
 * else the installed one. Returns a malloc'd string (cli_extract.c). */
char *nkg_cli_rules_dir(const char *opt);

/* Prints "Try 'newskg COMMAND --help' for more information." on standard
 * error (cli_extract.c). */
void nkg_cli_usage_hint(const char *command);

/* For a getopt_long() return c of ':' or '?' (parsing with opterr = 0):
 * prints that COMMAND's option argv[optind - 1] needs an argument (':') or
 * is unknown, then the hint. Returns NKG_USAGE (cli_extract.c). */
int nkg_cli_option_error(const char *command, int c, char **argv);

#endif
