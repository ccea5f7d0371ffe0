/* store.h: opening a librdf model from a store specification, and loading
 * RDF files into it one named graph at a time.
 *
 * A store specification is TYPE[:NAME][;OPTIONS]:
 *
 *   (NULL), "", "compact"           in memory, newskg's own storage
 *                                   (memstore.h; the default: about 32
 *                                   bytes a quad besides the terms;
 *                                   NEWSKG_MEMORY=hashes makes hashes the
 *                                   default instead)
 *   "hashes", "hashes:"             in-memory hashes, hash-type 'memory'
 *                                   (librdf's; 1.6 KB a quad)
 *   "memory"                        librdf's list store (slow: tests only)
 *   "sqlite:PATH"                   an SQLite file (librdf-storage-sqlite;
 *                                   read by query through newskg-sqlite,
 *                                   sqlstore.h, unless NEWSKG_SQLITE=librdf)
 *   "postgresql:DB;host='h',user='u',password='p'"
 *   "TYPE:NAME;OPTIONS"             any other librdf storage installed
 *
 * OPTIONS are librdf storage options (key='value',...) passed through as
 * given; newskg adds contexts='yes' (named graphs) and, for a new sqlite
 * file, new='yes', unless the options name those keys themselves.
 *
 * Every function that can fail prints "newskg: ..." naming the store or
 * file and returns NULL or -1. */
#ifndef NKG_STORE_H
#define NKG_STORE_H

#include <redland.h>
#include <stdio.h>

#include "pstats.h"
#include "util.h"

typedef struct nkg_store nkg_store;

/* Opens the store named by spec. With create nonzero a missing sqlite
 * file is created (with its tables); `newskg load` writes sqlite stores
 * through sqlite_load.h instead, and other stores through this. With
 * create zero (query) the
 * store is opened for reading only:
 *   - a missing sqlite or file: store is an error, so a mistyped path is
 *     never an empty answer;
 *   - options that create or wipe a store (new=...) are refused, as
 *     nkg_store_check_read_spec() says;
 *   - an sqlite file the user cannot write still answers (SQLite opens it
 *     read-only), and while the store is open a read transaction on a
 *     read-only connection of newskg's own keeps any change from being
 *     committed to it;
 *   - a file: store is read into memory and never written back;
 *   - hashes in files are opened with write='no'.
 * Returns NULL after a message (unknown type, missing name, refused
 * option, storage that fails to open). */
nkg_store *nkg_store_open(librdf_world *world, const char *spec, int create);

/* The per-predicate statistics that `newskg load` keeps in an sqlite store
 * (the table newskg_predicate_stats, see sqlite_load.h), read once from a
 * store opened for reading; owned by the store. NULL for any other store,
 * a store without the table (made by an older newskg), or one whose table
 * no longer matches its statements (changed by another program): the
 * evaluator then orders joins without them. */
const nkg_pstats *nkg_store_stats(nkg_store *s);

/* A 64-bit hash of a term (a librdf_node is a raptor_term) that tells
 * terms apart, for nkg_pstats_count(). */
uint64_t nkg_store_term_hash(librdf_node *t);

/* Counts st (its predicate, subject, object, and its class when it is an
 * rdf:type statement) into stats; nkg_store_add() calls it for each
 * statement it adds. */
void nkg_store_count_stats(nkg_pstats *stats, librdf_statement *st);

/* Returns 0 when spec may be opened for reading, or -1 after a message
 * "newskg: --store 'SPEC': ..." when its options would create or empty a
 * store (new='yes' and any other value of new). For a usage error before
 * anything is opened. */
int nkg_store_check_read_spec(const char *spec);

/* Frees the store; the model is released first, so pending writes of the
 * storage are flushed. NULL is allowed. */
void nkg_store_close(nkg_store *s);

/* The model of the store; owned by the store. */
librdf_model *nkg_store_model(nkg_store *s);

/* Nonzero for stores whose data lives only in this process (hashes in
 * memory, memory): adding command-line data to them is harmless. */
int nkg_store_is_transient(const nkg_store *s);

/* Nonzero for stores that keep one copy of a quad however often it is
 * added (compact): no nkg_store_loaded record of the statements is needed
 * then (set its store_is_set). */
int nkg_store_is_set(const nkg_store *s);

/* The specification as given (for messages). */
const char *nkg_store_spec(const nkg_store *s);

/* Starts a transaction if the storage has them (sqlite, postgresql,
 * mysql, virtuoso); nkg_store_commit() ends it. Returns 0 in a transaction
 * (or for a transient store, which needs none), 1 when the storage has no
 * transactions (nothing started: the caller says so), -1 after a message
 * when BEGIN failed: never write then. nkg_store_commit() returns 0 or -1
 * after a message; nkg_store_rollback() never fails, and
 * nkg_store_close() rolls back what was not committed. */
int nkg_store_begin(nkg_store *s);
int nkg_store_commit(nkg_store *s);
void nkg_store_rollback(nkg_store *s);

/* Prints the storage types librdf offers at run time, one per line, each
 * indented by two spaces, to out. */
void nkg_store_list_types(librdf_world *world, FILE *out);

/* The raptor parser name for an RDF file: syntax if given (a parser name or
 * one of the short names turtle, ntriples, nquads, rdfxml, json, trig),
 * else from the extension of path (.ttl .nt .nq .rdf .owl .xml .json
 * .jsonld .trig), else turtle for "-". Returns NULL after a message if
 * raptor has no parser for it. */
const char *nkg_store_parser_for(librdf_world *world, const char *path,
                                 const char *syntax);

/* What a series of nkg_store_parse_file() calls into one model remembers:
 * the statements added, each with its graph (librdf's hashes storage keeps
 * every copy of a statement added with a context, so a triple given twice
 * would match twice), and the graph names that quads gave. Zero-initialise;
 * nkg_store_loaded_free() releases it. */
typedef struct {
  int store_is_set; /* the store is a set (nkg_store_is_set): keep no seen */
  nkg_byteset seen;
  nkg_byteset named;
  unsigned char *key; /* the encoded statement, reused */
  size_t key_cap;
  nkg_pstats *stats; /* if set (by the caller, who frees it), every
                        statement added is counted in it */
} nkg_store_loaded;

void nkg_store_loaded_free(nkg_store_loaded *l);
/* 1 when a quad named the graph g. */
int nkg_store_loaded_named(const nkg_store_loaded *l, librdf_node *g);

/* Adds st to model in graph g (NULL: the default graph). With loaded (may
 * be NULL), a statement already added to the same graph through loaded is
 * skipped, and one added is counted in loaded->stats if set. Returns 1 when added, 0 when skipped, -1 when librdf refused it
 * (no message: the caller names the file). */
int nkg_store_add(librdf_world *world, librdf_model *model,
                  librdf_statement *st, librdf_node *g,
                  nkg_store_loaded *loaded);

/* Parses the RDF file path ("-" for stdin) with parser and adds its
 * statements to model. Quads keep their graph names; other statements go
 * into the named graph context if it is not NULL, else the default graph.
 * Give a context when the storage has contexts: librdf 1.0.17's hashes
 * storage with contexts='yes' adds a statement without one in time linear
 * in its size (5,000 triples take 6.6 s; with a context, 0.02 s).
 * With loaded (may be NULL), a statement already added to the same graph is
 * skipped. Returns the number of statements added, or -1 after
 * "newskg: PATH: ...". */
long nkg_store_parse_file(librdf_world *world, librdf_model *model,
                          const char *path, const char *parser,
                          librdf_node *context, nkg_store_loaded *loaded);

/* Copies every statement of from (which must keep contexts) into to, named
 * graph by named graph, removing each graph from to first: a document
 * loaded twice replaces its graph instead of doubling it. An entity graph
 * (nkg_graph_is_entity_graph(): what every article says alike of its
 * entities) is merged instead: each of its statements is added unless to
 * holds it in that graph already, so loading one article never takes away
 * what another brought. Statements of from without a context are not
 * copied (give every statement a graph). Returns the number of statements
 * added, or -1 after a message. */
long nkg_store_replace_graphs(librdf_model *to, librdf_model *from);

/* What takes statements instead of a model (the sqlite loader): returns
 * 1 when st was added to the graph g, 0 when it was there already, -1
 * after a message (the parse then stops). */
typedef int (*nkg_store_sink)(void *data, librdf_statement *st,
                              librdf_node *g);

/* As nkg_store_parse_file(), but every statement goes to sink (with its
 * quad's graph, else context) instead of a model; the sink removes
 * duplicates. Returns the sum of the sink's answers, or -1 after a
 * message. */
long nkg_store_parse_file_to(librdf_world *world, const char *path,
                             const char *parser, librdf_node *context,
                             nkg_store_sink sink, void *data);

/* Gives every statement of from (which keeps contexts), graph by graph, to
 * sink. Statements without a graph are not given. Returns the sum of the
 * sink's answers, or -1 after a message. */
long nkg_store_model_to(librdf_model *from, nkg_store_sink sink, void *data);

/* If spec names an sqlite store (sqlite:PATH[;OPTIONS]), sets *path and
 * *opts to new strings (PATH may be empty: the caller says it is missing)
 * and returns 1; else returns 0 and sets nothing. */
int nkg_store_split_sqlite(const char *spec, char **path, char **opts);

/* A new in-memory model with contexts, for staging data. NULL on error. */
librdf_model *nkg_store_new_memory_model(librdf_world *world);

/* The context IRI newskg gives an RDF file that has no graph names of its
 * own: file:// and the absolute path, percent-encoded. NULL on error. */
librdf_node *nkg_store_file_context(librdf_world *world, const char *path);

#endif
