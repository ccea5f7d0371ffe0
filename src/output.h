/* output.h: output files that are either complete or absent.
 *
 * nkg_output_open() writes to a temporary file ".NAME.XXXXXX" in the
 * directory of the target; nkg_output_commit() flushes, checks, fsyncs and
 * renames it over the target, so a failed or interrupted run leaves an older
 * target untouched and no partial file behind. While a temporary file is
 * open, SIGINT, SIGTERM and SIGHUP remove it and then end the process with the
 * same signal.
 *
 * The path "-" (or NULL) means standard output. Its errors are found by
 * nkg_output_commit(), which flushes and closes stdout and checks both.
 *
 * SIGPIPE: nkg_output_init() restores the default action, so a reader that
 * goes away (`newskg extract ... | head`) ends newskg silently, as it ends
 * cat(1), rather than producing "Broken pipe" errors and exit status 1. */
#ifndef NKG_OUTPUT_H
#define NKG_OUTPUT_H

#include <stdio.h>

typedef struct nkg_output nkg_output;

/* Call once at start-up: sets SIGPIPE to its default action. */
void nkg_output_init(void);

/* Opens the target path ("-" or NULL for stdout). Returns NULL after
 * printing "newskg: PATH: reason". Only one file may be open at a time. */
nkg_output *nkg_output_open(const char *path);

/* The stream to write to; owned by the nkg_output. */
FILE *nkg_output_stream(nkg_output *out);

/* Finishes the output: on success the target holds exactly what was
 * written. Frees out in every case. Returns 0, or -1 after printing
 * "newskg: PATH: reason" (the temporary file is then removed). */
int nkg_output_commit(nkg_output *out);

/* Discards everything written and frees out; the target is untouched. For
 * stdout it only flushes what was already written. */
void nkg_output_abort(nkg_output *out);

/* Flushes and closes stdout (after --help or --version output). Returns 0,
 * or -1 after printing "newskg: standard output: reason". */
int nkg_output_close_stdout(void);

#endif
