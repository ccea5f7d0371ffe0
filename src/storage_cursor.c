/* storage_cursor.c: the reading methods newskg's librdf storages share
 * (storage_cursor.h). */
#include "config.h"

#include "storage_cursor.h"

/* The storage's cursor table: the first member of its instance. */
static const nkg_storage_cursor_ops *ops_of(librdf_storage *storage) {
  return *(const nkg_storage_cursor_ops *const *)librdf_storage_get_instance(
      storage);
}

librdf_stream *nkg_storage_cursor_stream(librdf_storage *storage,
                                         librdf_node *s, librdf_node *p,
                                         librdf_node *o, int has_g,
                                         librdf_node *g) {
  const nkg_storage_cursor_ops *ops = ops_of(storage);
  void *c = ops->open(storage, s, p, o, has_g, g, NKG_CURSOR_STATEMENT);
  if (!c)
    return NULL;
  librdf_stream *str =
      librdf_new_stream(librdf_storage_get_world(storage), c, ops->end,
                        ops->next, ops->get, ops->finished);
  if (!str)
    ops->finished(c);
  return str;
}

librdf_iterator *nkg_storage_cursor_iterator(librdf_storage *storage,
                                             librdf_node *s, librdf_node *p,
                                             librdf_node *o, int yield) {
  const nkg_storage_cursor_ops *ops = ops_of(storage);
  void *c = ops->open(storage, s, p, o, 0, NULL, yield);
  if (!c)
    return NULL;
  librdf_iterator *it =
      librdf_new_iterator(librdf_storage_get_world(storage), c, ops->end,
                          ops->next, ops->get, ops->finished);
  if (!it)
    ops->finished(c);
  return it;
}

static int sc_contains(librdf_storage *storage, librdf_statement *st) {
  const nkg_storage_cursor_ops *ops = ops_of(storage);
  void *c =
      ops->open(storage, librdf_statement_get_subject(st),
                librdf_statement_get_predicate(st),
                librdf_statement_get_object(st), 0, NULL, NKG_CURSOR_STATEMENT);
  if (!c)
    return 0;
  int found = !ops->end(c);
  ops->finished(c);
  return found;
}

static librdf_stream *sc_serialise(librdf_storage *storage) {
  return nkg_storage_cursor_stream(storage, NULL, NULL, NULL, 0, NULL);
}

static librdf_stream *sc_find(librdf_storage *storage, librdf_statement *st) {
  return nkg_storage_cursor_stream(storage, librdf_statement_get_subject(st),
                                   librdf_statement_get_predicate(st),
                                   librdf_statement_get_object(st), 0, NULL);
}

static librdf_stream *sc_find_in_context(librdf_storage *storage,
                                         librdf_statement *st,
                                         librdf_node *context) {
  return nkg_storage_cursor_stream(storage, librdf_statement_get_subject(st),
                                   librdf_statement_get_predicate(st),
                                   librdf_statement_get_object(st),
                                   context != NULL, context);
}

static librdf_stream *sc_context_serialise(librdf_storage *storage,
                                           librdf_node *context) {
  return nkg_storage_cursor_stream(storage, NULL, NULL, NULL, 1, context);
}

static librdf_iterator *sc_sources(librdf_storage *storage, librdf_node *arc,
                                   librdf_node *target) {
  return nkg_storage_cursor_iterator(storage, NULL, arc, target, 0);
}

static librdf_iterator *sc_arcs(librdf_storage *storage, librdf_node *source,
                                librdf_node *target) {
  return nkg_storage_cursor_iterator(storage, source, NULL, target, 1);
}

static librdf_iterator *sc_targets(librdf_storage *storage, librdf_node *source,
                                   librdf_node *arc) {
  return nkg_storage_cursor_iterator(storage, source, arc, NULL, 2);
}

void nkg_storage_cursor_methods(librdf_storage_factory *f) {
  f->contains_statement = sc_contains;
  f->serialise = sc_serialise;
  f->find_statements = sc_find;
  f->find_statements_in_context = sc_find_in_context;
  f->context_serialise = sc_context_serialise;
  f->find_sources = sc_sources;
  f->find_arcs = sc_arcs;
  f->find_targets = sc_targets;
}
