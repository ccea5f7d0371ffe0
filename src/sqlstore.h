/* sqlstore.h: "newskg-sqlite", newskg's read-only librdf storage over the
 * SQLite files of librdf's sqlite storage.
 *
 * librdf's own sqlite storage answers every lookup by composing an SQL
 * text, compiling it, and joining the term tables for every row: about
 * 40 ms a triple pattern on a store of 1,000 articles, so the evaluator's
 * nested-loop joins take minutes. This storage reads the same file
 * (librdf 1.0.17's schema: uris, blanks, literals, triples; as `newskg
 * load` or librdf write it) through prepared statements over integer term
 * ids, with each term decoded once and kept as a librdf node for the life
 * of the storage. librdf stays the data layer: models, streams and
 * iterators work on it as on any storage.
 *
 * Semantics:
 *   - read only: the file is opened with SQLITE_OPEN_READONLY and every
 *     method that would change it fails; a read transaction is held while
 *     the storage is open, so every lookup sees one state of the file;
 *   - lookups use the indexes the file has: librdf's spindex (subject,
 *     predicate) and uriindex, and newskg's newskg_po (predicate, object),
 *     newskg_context, newskg_literals, newskg_o (object) when present (a
 *     store written by librdf or an older newskg answers too, scanning
 *     where an index is missing);
 *   - statements are returned as the file holds them: a triple in several
 *     graphs comes once per graph (the evaluator makes the default graph a
 *     set, as it does for every storage);
 *   - streams and iterators hold prepared statements: free them before the
 *     storage.
 *
 * The name of the storage is the file path; options are ignored except
 * contexts (always 'yes'). */
#ifndef NKG_SQLSTORE_H
#define NKG_SQLSTORE_H

#include <redland.h>

#define NKG_SQLSTORE_NAME "newskg-sqlite"

/* Registers the storage with world (librdf ignores a second registration
 * of a name). Returns 0, or -1 after a message. */
int nkg_sqlstore_register(librdf_world *world);

#endif
