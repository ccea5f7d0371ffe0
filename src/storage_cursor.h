/* storage_cursor.h: the reading methods that newskg's librdf storages
 * (memstore.c, sqlstore.c) share, over a cursor each storage provides.
 *
 * A storage gives its cursor as a table of callbacks. The instance that
 * the storage sets with librdf_storage_set_instance() must be a struct
 * whose FIRST member is `const nkg_storage_cursor_ops *`, pointing at that
 * table: the shared methods find the cursor through it. */
#ifndef NKG_STORAGE_CURSOR_H
#define NKG_STORAGE_CURSOR_H

#include <redland.h>

/* What a cursor gives: a statement (a raptor_statement the cursor owns,
 * its nodes borrowed), one part of it (0 1 2 for s p o), or a graph
 * name. */
enum { NKG_CURSOR_STATEMENT = -1, NKG_CURSOR_GRAPH = -2 };

typedef struct {
  /* A new cursor over the storage for the parts s p o g (NULL: any; has_g
   * says whether g is bound, g NULL then meaning the default graph),
   * yielding as `yield` says and already on its first item, holding a
   * reference to the storage; NULL after a message. */
  void *(*open)(librdf_storage *storage, librdf_node *s, librdf_node *p,
                librdf_node *o, int has_g, librdf_node *g, int yield);
  /* librdf's stream and iterator callbacks, as librdf_new_stream() and
   * librdf_new_iterator() take them; finished frees the cursor and drops
   * its reference to the storage. */
  int (*end)(void *cursor);
  int (*next)(void *cursor);
  void *(*get)(void *cursor, int flags);
  void (*finished)(void *cursor);
} nkg_storage_cursor_ops;

/* A stream of the statements of a cursor opened with these arguments;
 * NULL when the cursor or the stream cannot be made. */
librdf_stream *nkg_storage_cursor_stream(librdf_storage *storage,
                                         librdf_node *s, librdf_node *p,
                                         librdf_node *o, int has_g,
                                         librdf_node *g);

/* An iterator of what a cursor over s p o in any graph yields (a part 0 1
 * 2 or NKG_CURSOR_GRAPH); NULL when it cannot be made. */
librdf_iterator *nkg_storage_cursor_iterator(librdf_storage *storage,
                                             librdf_node *s, librdf_node *p,
                                             librdf_node *o, int yield);

/* Sets f's reading methods (contains, serialise, find_statements,
 * find_statements_in_context, context_serialise, find_sources, find_arcs,
 * find_targets) to the shared ones. get_contexts stays the storage's. */
void nkg_storage_cursor_methods(librdf_storage_factory *f);

#endif
