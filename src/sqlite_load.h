/* sqlite_load.h: `newskg load` into an SQLite store, fast and all or
 * nothing.
 *
 * librdf's sqlite storage adds a statement with four to eight SQL texts,
 * each compiled by SQLite on the spot (a SELECT for the id of every term,
 * then an INSERT): about 3,000 quads/s inside one transaction. This module
 * writes the same tables (the schema of librdf 1.0.17's
 * rdf_storage_sqlite.c, which 'newskg query' and any librdf program then
 * read) through prepared statements, with every term's id kept in memory
 * after its first use, and no lookup at all in a table that was empty when
 * the load began.
 *
 * Besides librdf's tables (which librdf reads, ignoring any other), the
 * store gets newskg_predicate_stats: for each predicate IRI the statements,
 * distinct subjects and distinct objects, and the totals in the row of the
 * empty predicate; and newskg_class_stats: the members of each class
 * (rdf:type statements by object). The evaluator orders joins by them
 * (pstats.h,
 * nkg_store_stats()). The commit computes them again from the whole store,
 * in the load's transaction, so they always describe what was committed.
 *
 * One load is one write transaction (BEGIN IMMEDIATE ... COMMIT): either
 * every statement of the run is in the store, or none is. A second writer
 * waits for the lock up to the timeout given, and so does the COMMIT for
 * readers ('newskg query' holds a read transaction while it runs); a lock
 * not obtained in time is an error, never a write outside a transaction.
 *
 * Graphs: the first time a run names a graph, the statements the store
 * held in it before the run are removed, so loading a document again
 * replaces its graph; within one run the statements of a graph from every
 * file are kept, each once. The entity graph (nkg_graph_is_entity_graph())
 * is merged instead: a statement is added unless the store holds it there
 * already, so loading one article never takes away what another brought. */
#ifndef NKG_SQLITE_LOAD_H
#define NKG_SQLITE_LOAD_H

#include <redland.h>

typedef struct nkg_sqlite_load nkg_sqlite_load;

/* Opens the SQLite file path (created with librdf's tables if missing)
 * and starts the run's transaction, waiting up to lock_timeout seconds for
 * another writer. spec names the store in messages ("--store 'SPEC': ...").
 * opts are the librdf options of the specification: new='yes' empties the
 * store (inside the transaction, so a failed run keeps it), synchronous=
 * off|normal|full is SQLite's PRAGMA; others are ignored as librdf does.
 * Returns NULL after a message; then the store is unchanged. */
nkg_sqlite_load *nkg_sqlite_load_begin(librdf_world *world, const char *path,
                                       const char *spec, const char *opts,
                                       double lock_timeout);

/* Adds the statement st to the graph g (which must not be NULL). Returns 1
 * if added, 0 if the run had it already, -1 after a message. */
int nkg_sqlite_load_add(nkg_sqlite_load *l, librdf_statement *st,
                        librdf_node *g);

/* Commits the run. Returns 0, or -1 after a message (the transaction is
 * then rolled back: the store is as it was before the run). */
int nkg_sqlite_load_commit(nkg_sqlite_load *l);

/* Rolls back whatever was not committed and frees l. NULL is allowed. */
void nkg_sqlite_load_free(nkg_sqlite_load *l);

#endif
