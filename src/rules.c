/* rules.c: reading and compiling rule files; see rules.h and extract.h. */
#define _POSIX_C_SOURCE 200809L
#include "rules.h"

#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "util.h"

/* Bounds for one match attempt: enough for any real sentence, small enough
 * that a pathological pattern on a long line gives up in milliseconds. */
#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 5000
#define MAX_EXPANSION_DEPTH 16

static const char *const kind_names[NKG_RK_COUNT] = {
    "official", "anaphor", "meeting", "cooperation", "nonsector",
    "sectors",  "place",   "date",    "remote", "eventref",
    "meetany"};

typedef struct {
  char *name;
  char *value;
} define;

typedef struct {
  define *defs;
  size_t n;
} defines;

static const char *find_define(const defines *d, const char *name, size_t n) {
  for (size_t i = 0; i < d->n; i++)
    if (strlen(d->defs[i].name) == n && memcmp(d->defs[i].name, name, n) == 0)
      return d->defs[i].value;
  return NULL;
}

/* Expands {NAME} placeholders; a brace that does not open an identifier is
 * kept (it is a PCRE2 quantifier like {2,3}). Returns 0 or -1 with a message
 * naming where. */
static int expand(const defines *d, const char *s, nkg_buf *out, int depth,
                  const char *where) {
  if (depth > MAX_EXPANSION_DEPTH) {
    nkg_error("%s: placeholders nest too deeply (a define refers to itself?)",
              where);
    return -1;
  }
  for (const char *p = s; *p;) {
    if (*p == '\\' && p[1]) {
      nkg_buf_add(out, p, 2);
      p += 2;
      continue;
    }
    if (*p == '{' && ((p[1] >= 'A' && p[1] <= 'Z') || p[1] == '_')) {
      const char *q = p + 1;
      while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
        q++;
      if (*q == '}') {
        const char *v = find_define(d, p + 1, (size_t)(q - p - 1));
        if (!v) {
          nkg_error("%s: unknown placeholder {%.*s}", where, (int)(q - p - 1),
                    p + 1);
          return -1;
        }
        nkg_buf_adds(out, "(?:");
        if (expand(d, v, out, depth + 1, where) < 0)
          return -1;
        nkg_buf_adds(out, ")");
        p = q + 1;
        continue;
      }
    }
    nkg_buf_addc(out, *p++);
  }
  return 0;
}

static int valid_id(const char *s) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
          *s == '-' || *s == '_'))
      return 0;
  return 1;
}

int nkg_rule_group(const nkg_rule *r, const char *name) {
  int n = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)name);
  return n > 0 ? n : -1;
}

/* Groups each kind needs (at least one of the listed, "" for none). */
static const char *const required_groups[NKG_RK_COUNT][4] = {
    {"name", "names", NULL},      /* official */
    {"title", "pron", "country"}, /* anaphor */
    {NULL, NULL, NULL},           /* meeting */
    {NULL, NULL, NULL},           /* cooperation */
    {"sector", NULL, NULL},       /* nonsector */
    {NULL, NULL, NULL},           /* sectors */
    {"place", NULL, NULL},        /* place */
    {"day", "weekday", "rel", "same"}, /* date */
    {NULL, NULL, NULL},           /* remote */
    {NULL, NULL, NULL},           /* eventref */
    {"trigger", NULL, NULL},      /* meetany */
};

static int add_rule(nkg_rules *rs, defines *d, char *line, const char *where) {
  char *save = NULL;
  char *first = strtok_r(line, " \t", &save);
  char *second = strtok_r(NULL, " \t", &save);
  char *rest = save;
  if (!first || !second || !rest) {
    nkg_error("%s: expected 'define NAME PATTERN' or 'ID KIND PATTERN'", where);
    return -1;
  }
  while (*rest == ' ' || *rest == '\t')
    rest++;
  if (!*rest) {
    nkg_error("%s: the pattern is missing", where);
    return -1;
  }
  if (strcmp(first, "define") == 0) {
    for (const char *c = second; *c; c++)
      if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_')) {
        nkg_error("%s: a define name is written in capitals: '%s'", where,
                  second);
        return -1;
      }
    if (find_define(d, second, strlen(second))) {
      nkg_error("%s: '%s' is defined twice", where, second);
      return -1;
    }
    d->defs = nkg_xrealloc(d->defs, (d->n + 1) * sizeof *d->defs);
    d->defs[d->n].name = nkg_xstrdup(second);
    d->defs[d->n].value = nkg_xstrdup(rest);
    d->n++;
    return 0;
  }
  if (!valid_id(first)) {
    nkg_error("%s: bad rule id '%s' (use a-z, 0-9, '.', '-', '_')", where,
              first);
    return -1;
  }
  int kind = -1;
  for (int k = 0; k < NKG_RK_COUNT; k++)
    if (strcmp(kind_names[k], second) == 0)
      kind = k;
  if (kind < 0) {
    nkg_error("%s: unknown rule kind '%s' (official, anaphor, meeting, "
              "cooperation, nonsector, sectors, place, date, remote)",
              where, second);
    return -1;
  }
  for (size_t i = 0; i < rs->n; i++)
    if (strcmp(rs->rules[i].id, first) == 0) {
      nkg_error("%s: duplicate rule id '%s' (first at %s)", where, first,
                rs->rules[i].where);
      return -1;
    }
  nkg_buf pat = {0};
  if (expand(d, rest, &pat, 0, where) < 0) {
    nkg_buf_free(&pat);
    return -1;
  }
  int err;
  PCRE2_SIZE off;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat.data, pat.len,
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                                   &err, &off, NULL);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    nkg_error("%s: invalid pattern: %s (at offset %zu of the expanded "
              "pattern)",
              where, (char *)msg, (size_t)off);
    nkg_buf_free(&pat);
    return -1;
  }
  rs->rules = nkg_xrealloc(rs->rules, (rs->n + 1) * sizeof *rs->rules);
  nkg_rule *r = &rs->rules[rs->n++];
  r->id = nkg_xstrdup(first);
  r->kind = (nkg_rule_kind)kind;
  r->where = nkg_xstrdup(where);
  r->pattern = nkg_buf_steal(&pat);
  r->code = code;
  r->pre = NULL; /* made by finish_rules(), with the JIT code */
  const char *const *req = required_groups[kind];
  if (req[0]) {
    int found = 0;
    for (int i = 0; i < 4 && req[i]; i++)
      if (nkg_rule_group(r, req[i]) > 0)
        found = 1;
    if (!found) {
      nkg_error("%s: a %s rule needs a (?<%s>...) group", where,
                kind_names[kind], req[0]);
      return -1;
    }
  }
  return 0;
}

static int load_file(nkg_rules *rs, defines *d, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    nkg_error("%s: %s", path, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  long lineno = 0, start = 0;
  nkg_buf rec = {0};
  nkg_buf where = {0};
  int rc = 0;
  while ((got = getline(&line, &cap, f)) >= 0) {
    lineno++;
    if (memchr(line, '\0', (size_t)got)) {
      nkg_error("%s:%ld: a NUL byte in the line", path, lineno);
      rc = -1;
      nkg_buf_clear(&rec);
      continue;
    }
    while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
      line[--got] = '\0';
    if (rec.len == 0) {
      const char *p = line;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0' || *p == '#')
        continue;
      start = lineno;
    }
    int cont = got > 0 && line[got - 1] == '\\';
    if (cont)
      line[--got] = '\0';
    /* continuation lines join with their leading blanks removed */
    const char *p = line;
    if (rec.len)
      while (*p == ' ' || *p == '\t')
        p++;
    nkg_buf_adds(&rec, p);
    if (cont)
      continue;
    nkg_buf_clear(&where);
    nkg_buf_printf(&where, "%s:%ld", path, start);
    if (add_rule(rs, d, rec.data, where.data) < 0)
      rc = -1;
    nkg_buf_clear(&rec);
  }
  if (rec.len) {
    nkg_error("%s:%ld: the file ends inside a continued line", path, start);
    rc = -1;
  }
  if (ferror(f)) {
    nkg_error("%s: read error", path);
    rc = -1;
  }
  fclose(f);
  free(line);
  nkg_buf_free(&rec);
  nkg_buf_free(&where);
  return rc;
}

/* Fills rs->by_kind and rs->kind_start (a counting sort, stable). */
static void index_kinds(nkg_rules *rs) {
  size_t *at = rs->kind_start;
  memset(rs->kind_start, 0, sizeof rs->kind_start);
  for (size_t i = 0; i < rs->n; i++)
    at[rs->rules[i].kind + 1]++;
  for (size_t k = 0; k < NKG_RK_COUNT; k++)
    at[k + 1] += at[k];
  rs->by_kind = nkg_xmalloc((rs->n ? rs->n : 1) * sizeof *rs->by_kind);
  size_t next[NKG_RK_COUNT];
  memcpy(next, at, sizeof next);
  for (size_t i = 0; i < rs->n; i++)
    rs->by_kind[next[rs->rules[i].kind]++] = i;
}

/* ---- the JIT code and the prefilters ---- */

/* Compiling the rules to machine code and reading their prefilters is
 * four fifths of loading (about 130M of 165M instructions) and was the
 * serial start of every -j N run. Both are per rule and cannot fail (a
 * rule without JIT code or without a prefilter still matches), so they
 * are shared out: thread t of n takes rules t, t + n, ... The results do
 * not depend on n. */
typedef struct {
  nkg_rules *rs;
  size_t first, step;
} finish_part;

static void *finish_some(void *arg) {
  finish_part *fp = arg;
  for (size_t i = fp->first; i < fp->rs->n; i += fp->step) {
    nkg_rule *r = &fp->rs->rules[i];
    /* JIT is an optimisation: without it (no JIT support) matching still
     * works */
    pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
    r->pre = nkg_prefilter_new(r->pattern, strlen(r->pattern));
  }
  return NULL;
}

static void finish_rules(nkg_rules *rs, int threads) {
  enum { MAX_THREADS = 8 };
  size_t n = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : (size_t)threads;
  if (n > rs->n)
    n = rs->n ? rs->n : 1;
  finish_part parts[MAX_THREADS];
  pthread_t tid[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  /* this thread takes share 0; threads 1..n-1 start; a thread that cannot
   * start leaves its share to this one, after the others */
  parts[0] = (finish_part){rs, 0, n};
  for (size_t t = 1; t < n; t++) {
    parts[t] = (finish_part){rs, t, n};
    started[t] = pthread_create(&tid[t], NULL, finish_some, &parts[t]) == 0;
  }
  finish_some(&parts[0]);
  for (size_t t = 1; t < n; t++) {
    if (started[t])
      pthread_join(tid[t], NULL);
    else
      finish_some(&parts[t]);
  }
}

nkg_rules *nkg_rules_load(const char *dir) {
  return nkg_rules_load_threads(dir, 1);
}

nkg_rules *nkg_rules_load_threads(const char *dir, int threads) {
  nkg_rules *rs = nkg_xcalloc(1, sizeof *rs);
  defines d = {0};
  nkg_buf pattern = {0};
  nkg_buf_printf(&pattern, "%s/*.rules", dir);
  glob_t g;
  int rc = 0;
  int gr = glob(pattern.data, 0, NULL, &g); /* sorted by name */
  if (gr == GLOB_NOMATCH) {
    nkg_error("%s: no *.rules files in the rules directory", dir);
    rc = -1;
  } else if (gr != 0) {
    nkg_error("%s: cannot list the rules directory", dir);
    rc = -1;
  } else {
    for (size_t i = 0; i < g.gl_pathc; i++)
      if (load_file(rs, &d, g.gl_pathv[i]) < 0)
        rc = -1;
    globfree(&g);
  }
  nkg_buf_free(&pattern);
  for (size_t i = 0; i < d.n; i++) {
    free(d.defs[i].name);
    free(d.defs[i].value);
  }
  free(d.defs);
  if (rc == 0) {
    rs->mctx = pcre2_match_context_create(NULL);
    if (!rs->mctx) {
      nkg_error("out of memory");
      rc = -1;
    } else {
      pcre2_set_match_limit(rs->mctx, MATCH_LIMIT);
      pcre2_set_depth_limit(rs->mctx, DEPTH_LIMIT);
    }
  }
  if (rc < 0) {
    nkg_rules_free(rs);
    return NULL;
  }
  index_kinds(rs);
  finish_rules(rs, threads);
  return rs;
}

void nkg_rules_free(nkg_rules *rs) {
  if (!rs)
    return;
  for (size_t i = 0; i < rs->n; i++) {
    free(rs->rules[i].id);
    free(rs->rules[i].where);
    free(rs->rules[i].pattern);
    pcre2_code_free(rs->rules[i].code);
    nkg_prefilter_free(rs->rules[i].pre);
  }
  free(rs->rules);
  free(rs->by_kind);
  pcre2_match_context_free(rs->mctx);
  free(rs);
}

size_t nkg_rules_count(const nkg_rules *rs) { return rs->n; }
