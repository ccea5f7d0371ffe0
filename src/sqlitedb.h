/* sqlitedb.h: the few SQLite calls newskg makes itself, on connections of
 * its own to the files of librdf's sqlite storage.
 *
 * The library is found at run time with dlopen("libsqlite3.so.0"): the one
 * that librdf-storage-sqlite already loads, so newskg has no build
 * dependency on SQLite and both connections share one copy of the library
 * (and so SQLite's knowledge of the locks this process holds on a file).
 *
 * Every function that can fail returns -1 or NULL; the caller names the
 * file in its message, with nkg_sqlite_errmsg() for SQLite's reason. */
#ifndef NKG_SQLITEDB_H
#define NKG_SQLITEDB_H

#include <stddef.h>

typedef struct nkg_sqlite nkg_sqlite;
typedef struct nkg_sqlite_stmt nkg_sqlite_stmt;

/* SQLITE_OPEN_READONLY, SQLITE_OPEN_READWRITE and SQLITE_OPEN_CREATE of
 * sqlite3.h. */
enum {
  NKG_SQLITE_READONLY = 1,
  NKG_SQLITE_READWRITE = 2,
  NKG_SQLITE_CREATE = 4
};

/* Opens path with flags. A connection that finds the file locked by
 * another writer retries for busy_ms milliseconds before failing (0: fails
 * at once). On failure returns NULL and, if why is not NULL, sets *why to a
 * static reason ("libsqlite3.so.0 not found") or SQLite's message, copied
 * into the why_buf of why_len bytes. */
nkg_sqlite *nkg_sqlite_open(const char *path, int flags, int busy_ms,
                            char *why_buf, size_t why_len);

/* Closes the connection (finalize its statements first). NULL allowed. */
void nkg_sqlite_close(nkg_sqlite *db);

/* Runs one or more SQL statements that return no rows. 0 or -1. */
int nkg_sqlite_exec(nkg_sqlite *db, const char *sql);

/* SQLite's message for the last failed call on db. */
const char *nkg_sqlite_errmsg(nkg_sqlite *db);

/* Nonzero when the last failure was "database is locked" (SQLITE_BUSY):
 * another connection held the lock longer than busy_ms. */
int nkg_sqlite_was_busy(nkg_sqlite *db);

/* A prepared statement. NULL on failure. */
nkg_sqlite_stmt *nkg_sqlite_prepare(nkg_sqlite *db, const char *sql);
void nkg_sqlite_finalize(nkg_sqlite_stmt *st);

/* Binds parameter i (from 1): text of n bytes (copied: SQLITE_TRANSIENT),
 * or NULL when text is NULL; an integer. 0 or -1. */
int nkg_sqlite_bind_text(nkg_sqlite_stmt *st, int i, const char *text,
                         size_t n);
int nkg_sqlite_bind_int(nkg_sqlite_stmt *st, int i, long long v);

/* Runs the statement one step: 1 a row is ready, 0 done, -1 error. Call
 * nkg_sqlite_reset() before binding and running it again. */
int nkg_sqlite_step(nkg_sqlite_stmt *st);
void nkg_sqlite_reset(nkg_sqlite_stmt *st);

/* Column i (from 0) of the current row as an integer. */
long long nkg_sqlite_column_int(nkg_sqlite_stmt *st, int i);

/* Column i (from 0) of the current row as text (NULL for SQL NULL), valid
 * until the next step, reset or finalize; *n gets its length in bytes. */
const char *nkg_sqlite_column_text(nkg_sqlite_stmt *st, int i, size_t *n);

/* The rowid of the last row inserted on db. */
long long nkg_sqlite_last_rowid(nkg_sqlite *db);

#endif
