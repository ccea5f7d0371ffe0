/* memstore.h: "compact", newskg's in-memory librdf storage.
 *
 * A librdf storage module of our own, registered with the world under the
 * name NKG_MEMSTORE_NAME, so that librdf stays the data layer: models,
 * parsers, streams and iterators work on it as on any storage. It keeps
 * every term once (a librdf node with a 32-bit id) and every quad as four
 * ids in one array sorted by subject, predicate, object, graph, with three
 * permutations of it (predicate-object-subject, object-subject-predicate,
 * graph-subject-predicate-object): about 32 bytes a quad besides the terms,
 * where librdf's hashes storage takes 1.6 KB (README, "Known limitations").
 *
 * Semantics:
 *   - a set of quads: a quad added twice is kept once; statements added
 *     without a context are in the default graph;
 *   - it is built for load-then-query: additions are appended, and the
 *     first lookup after an addition sorts and indexes everything
 *     (O(n log n)). A lookup between every two additions would sort every
 *     time: load with another storage if that is the workload;
 *   - removing statements works (context_remove_statements, which `newskg
 *     load` uses to replace a graph) and marks the indexes for rebuilding;
 *   - streams and iterators must be freed before the next change;
 *   - options: contexts='yes' (the default) or 'no'; the name is ignored.
 *
 * Lookups use the index with the longest bound prefix (the smallest range
 * when several apply) and filter the rest. */
#ifndef NKG_MEMSTORE_H
#define NKG_MEMSTORE_H

#include <redland.h>

#define NKG_MEMSTORE_NAME "compact"

/* Registers the storage with world (idempotent: librdf ignores a second
 * registration of a name). Returns 0, or -1 after a message. */
int nkg_memstore_register(librdf_world *world);

#endif
