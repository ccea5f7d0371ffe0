/* store_virtuoso.h: OpenLink Virtuoso as a newskg store, through librdf's
 * virtuoso storage (Debian: librdf-storage-virtuoso) and ODBC.
 *
 * A Virtuoso store is named like any other (store.h):
 *
 *   virtuoso[:MODEL];dsn='DSN',user='U',password='P'[,host='H:PORT']
 *                    [,database='DB'][,charset='UTF-8']
 *
 * dsn, user and password are required (as librdf's storage requires them);
 * DSN is an ODBC data source of the Virtuoso driver (odbc.ini, e.g.
 * Driver=/usr/lib/x86_64-linux-gnu/odbc/virtodbcu_r.so, Address=H:PORT).
 * The options become the ODBC connection string DSN=..;HOST=..;UID=..;
 * PWD=..;DATABASE=..;CHARSET=.. exactly as librdf builds it.
 *
 *   - Queries run inside the server: librdf's "vsparql" query language
 *     sends the SPARQL text to Virtuoso, whose default graph is the union
 *     of all its graphs (as newskg's own), and the answers come back as
 *     librdf nodes that newskg's result writers (sparql_results.h) write.
 *   - Loads use Virtuoso's bulk loader (ld_add, rdf_loader_run, then a
 *     checkpoint) over ODBC: the server itself reads the files, so they
 *     must be on a file system the server sees, under a directory listed
 *     in DirsAllowed of its virtuoso.ini.
 *
 * Every function that can fail prints "newskg: ..." naming the store or
 * file, and returns -1 (or an NKG_ status where it says so). */
#ifndef NKG_STORE_VIRTUOSO_H
#define NKG_STORE_VIRTUOSO_H

#include <redland.h>
#include <stdio.h>

#include "query.h"

/* 1 when spec names the virtuoso storage (TYPE is "virtuoso"). */
int nkg_virtuoso_is_spec(const char *spec);

/* Registers librdf's "vsparql" query language in world, once: Debian's
 * module (librdf 1.0.17) defines librdf_init_query_virtuoso() but its
 * module entry point does not call it, so the language is missing until
 * newskg finds the module librdf loaded and calls it. A no-op when world
 * has the language already. Returns 0, or -1 after a message. */
int nkg_virtuoso_register_query(librdf_world *world);

/* Runs text inside the Virtuoso server behind model (a model on the
 * virtuoso storage) and writes the answer to out, as nkg_query_run() does
 * (the same safety checks, predeclared prefixes, result formats, exit
 * convention for ASK through *ask). store names the store in messages.
 * SELECT and ASK only: CONSTRUCT and DESCRIBE are refused with a message.
 * Returns 0, or -1 after a message. */
int nkg_virtuoso_query(librdf_world *world, librdf_model *model,
                       const char *store, const char *text,
                       const nkg_query_options *o, FILE *out, int *ask);

/* Loads the RDF files (N-Quads, N-Triples, Turtle, TriG, RDF/XML, chosen
 * by the extension as the bulk loader does) into the Virtuoso store spec
 * with the bulk loader. Each file is parsed here first (a file raptor
 * cannot read is reported with its line and nothing of it is loaded); the
 * graphs it names (its quads' graphs, or <file:///PATH> for triples, as
 * `newskg load` names them) are cleared before it is loaded, so loading a
 * file again replaces its graphs. Articles and standard input are refused:
 * the server reads the files itself, and so is input (-i: the loader
 * goes by the extension) when not NULL. With quiet zero and standard
 * error a terminal, a summary is printed there. Returns NKG_OK, NKG_FAIL (a file or
 * the store failed; the others are still loaded) or NKG_USAGE. */
int nkg_virtuoso_load(librdf_world *world, const char *spec,
                      const char *input, char *const *files, int n_files,
                      int quiet);

#endif
