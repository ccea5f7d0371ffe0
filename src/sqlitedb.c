/* sqlitedb.c: see sqlitedb.h. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include "sqlitedb.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Result codes of sqlite3.h. */
enum {
  SQ_OK = 0,
  SQ_BUSY = 5,
  SQ_ROW = 100,
  SQ_DONE = 101
};

/* The functions of sqlite3.h newskg calls, with their C types; sqlite3 and
 * sqlite3_stmt are opaque (void). */
typedef struct {
  int (*open_v2)(const char *, void **, int, const char *);
  int (*close)(void *);
  int (*exec)(void *, const char *, void *, void *, char **);
  int (*busy_timeout)(void *, int);
  const char *(*errmsg)(void *);
  int (*errcode)(void *);
  int (*prepare_v2)(void *, const char *, int, void **, const char **);
  int (*finalize)(void *);
  int (*reset)(void *);
  int (*step)(void *);
  int (*bind_text)(void *, int, const char *, int, void (*)(void *));
  int (*bind_int64)(void *, int, long long);
  int (*bind_null)(void *, int);
  long long (*column_int64)(void *, int);
  const unsigned char *(*column_text)(void *, int);
  int (*column_bytes)(void *, int);
  long long (*last_insert_rowid)(void *);
} sqlite_api;

struct nkg_sqlite {
  void *lib;
  void *db;
  sqlite_api f;
  int busy; /* the last failure was SQLITE_BUSY */
};

struct nkg_sqlite_stmt {
  nkg_sqlite *db;
  void *st;
};

/* SQLITE_TRANSIENT: SQLite copies the bound text. */
#define SQ_TRANSIENT ((void (*)(void *)) - 1)

/* Object pointers to function pointers, as POSIX dlsym() requires. */
#define LOOKUP(field, name)                                                    \
  do {                                                                         \
    *(void **)&c->f.field = dlsym(c->lib, name);                               \
    if (!c->f.field)                                                           \
      ok = 0;                                                                  \
  } while (0)

static void set_why(char *buf, size_t len, const char *why) {
  if (buf && len)
    snprintf(buf, len, "%s", why);
}

nkg_sqlite *nkg_sqlite_open(const char *path, int flags, int busy_ms,
                            char *why_buf, size_t why_len) {
  nkg_sqlite *c = nkg_xcalloc(1, sizeof *c);
  if (!(c->lib = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL))) {
    set_why(why_buf, why_len, "libsqlite3.so.0 cannot be loaded");
    free(c);
    return NULL;
  }
  int ok = 1;
  LOOKUP(open_v2, "sqlite3_open_v2");
  LOOKUP(close, "sqlite3_close");
  LOOKUP(exec, "sqlite3_exec");
  LOOKUP(busy_timeout, "sqlite3_busy_timeout");
  LOOKUP(errmsg, "sqlite3_errmsg");
  LOOKUP(errcode, "sqlite3_errcode");
  LOOKUP(prepare_v2, "sqlite3_prepare_v2");
  LOOKUP(finalize, "sqlite3_finalize");
  LOOKUP(reset, "sqlite3_reset");
  LOOKUP(step, "sqlite3_step");
  LOOKUP(bind_text, "sqlite3_bind_text");
  LOOKUP(bind_int64, "sqlite3_bind_int64");
  LOOKUP(bind_null, "sqlite3_bind_null");
  LOOKUP(column_int64, "sqlite3_column_int64");
  LOOKUP(column_text, "sqlite3_column_text");
  LOOKUP(column_bytes, "sqlite3_column_bytes");
  LOOKUP(last_insert_rowid, "sqlite3_last_insert_rowid");
  if (!ok) {
    set_why(why_buf, why_len, "libsqlite3.so.0 lacks a function newskg uses");
    nkg_sqlite_close(c);
    return NULL;
  }
  if (c->f.open_v2(path, &c->db, flags, NULL) != SQ_OK) {
    set_why(why_buf, why_len,
            c->db ? c->f.errmsg(c->db) : "cannot open the database");
    nkg_sqlite_close(c);
    return NULL;
  }
  if (busy_ms > 0 && c->f.busy_timeout(c->db, busy_ms) != SQ_OK) {
    set_why(why_buf, why_len, c->f.errmsg(c->db));
    nkg_sqlite_close(c);
    return NULL;
  }
  return c;
}

void nkg_sqlite_close(nkg_sqlite *c) {
  if (!c)
    return;
  if (c->db)
    c->f.close(c->db);
  if (c->lib)
    dlclose(c->lib);
  free(c);
}

/* Records whether rc was SQLITE_BUSY (or its extended codes); returns
 * 0 for SQLITE_OK, else -1. */
static int note(nkg_sqlite *c, int rc) {
  c->busy = (rc & 0xff) == SQ_BUSY;
  return rc == SQ_OK ? 0 : -1;
}

int nkg_sqlite_exec(nkg_sqlite *c, const char *sql) {
  return note(c, c->f.exec(c->db, sql, NULL, NULL, NULL));
}

const char *nkg_sqlite_errmsg(nkg_sqlite *c) { return c->f.errmsg(c->db); }

int nkg_sqlite_was_busy(nkg_sqlite *c) { return c->busy; }

nkg_sqlite_stmt *nkg_sqlite_prepare(nkg_sqlite *c, const char *sql) {
  void *st = NULL;
  if (note(c, c->f.prepare_v2(c->db, sql, -1, &st, NULL)) || !st)
    return NULL;
  nkg_sqlite_stmt *s = nkg_xmalloc(sizeof *s);
  s->db = c;
  s->st = st;
  return s;
}

void nkg_sqlite_finalize(nkg_sqlite_stmt *s) {
  if (!s)
    return;
  s->db->f.finalize(s->st);
  free(s);
}

int nkg_sqlite_bind_text(nkg_sqlite_stmt *st, int i, const char *text,
                         size_t n) {
  int rc;
  if (!text)
    rc = st->db->f.bind_null(st->st, i);
  else if (n > 0x7fffffff)
    return -1;
  else
    rc = st->db->f.bind_text(st->st, i, text, (int)n, SQ_TRANSIENT);
  return note(st->db, rc);
}

int nkg_sqlite_bind_int(nkg_sqlite_stmt *s, int i, long long v) {
  return note(s->db, s->db->f.bind_int64(s->st, i, v));
}

int nkg_sqlite_step(nkg_sqlite_stmt *s) {
  int rc = s->db->f.step(s->st);
  if (rc == SQ_ROW)
    return 1;
  if (rc == SQ_DONE)
    return 0;
  /* the reason is kept on the connection for nkg_sqlite_errmsg() */
  note(s->db, s->db->f.errcode(s->db->db));
  return -1;
}

void nkg_sqlite_reset(nkg_sqlite_stmt *s) { s->db->f.reset(s->st); }

long long nkg_sqlite_column_int(nkg_sqlite_stmt *s, int i) {
  return s->db->f.column_int64(s->st, i);
}

const char *nkg_sqlite_column_text(nkg_sqlite_stmt *s, int i, size_t *n) {
  /* text first, then its length (sqlite3.h's order) */
  const char *t = (const char *)s->db->f.column_text(s->st, i);
  int len = s->db->f.column_bytes(s->st, i);
  *n = t && len > 0 ? (size_t)len : 0;
  return t;
}

long long nkg_sqlite_last_rowid(nkg_sqlite *c) {
  return c->f.last_insert_rowid(c->db);
}
