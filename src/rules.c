/* rules.c: reading and compiling rule files; see rules.h and extract.h. */
#define _POSIX_C_SOURCE 200809L
#include "rules.h"

#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdatomic.h>
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
    "meetany",  "side"};

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
    {"country", NULL, NULL},      /* side */
};

/* ---- vetoes (see nkg_rule in rules.h) ---- */

/* The index of the ']' that closes the class opening at p[open], or 0 for
 * what is not read here (\Q, POSIX classes). */
static size_t class_end(const char *p, size_t n, size_t open) {
  size_t i = open + 1;
  if (i < n && p[i] == '^')
    i++;
  if (i < n && p[i] == ']')
    i++; /* a ']' first is a literal */
  for (; i < n; i++) {
    if (p[i] == '\\') {
      if (i + 1 >= n || p[i + 1] == 'Q')
        return 0;
      i++;
    } else if (p[i] == '[' && i + 1 < n &&
               (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
      return 0;
    } else if (p[i] == ']') {
      return i;
    }
  }
  return 0;
}

/* Just past the ')' of the group opening at p[open], or 0 when the group
 * holds what a veto must not: a capture group (it would renumber the
 * others), a back-reference, recursion or call, a verb, a conditional, an
 * option setting, \G, \Q, \c, or an alternative at the group's own level. */
static size_t veto_group_end(const char *p, size_t n, size_t open) {
  int depth = 0;
  for (size_t i = open; i < n; i++) {
    char c = p[i];
    if (c == '\\') {
      char e = i + 1 < n ? p[i + 1] : '\0';
      if (!e || (e >= '0' && e <= '9') || e == 'g' || e == 'k' || e == 'G' ||
          e == 'Q' || e == 'c')
        return 0;
      i++;
    } else if (c == '[') {
      if (!(i = class_end(p, n, i)))
        return 0;
    } else if (c == '(') {
      char k = i + 2 < n ? p[i + 2] : '\0';
      if (i + 1 >= n || p[i + 1] != '?')
        return 0;
      if (k == '<') {
        if (i + 3 >= n || (p[i + 3] != '=' && p[i + 3] != '!'))
          return 0;
      } else if (k != ':' && k != '=' && k != '!' && k != '>') {
        return 0;
      }
      depth++;
    } else if (c == ')') {
      if (--depth == 0)
        return i + 1;
    } else if (c == '|' && depth == 1) {
      return 0;
    }
  }
  return 0;
}

/* Compiles p[0..n) with the options of every rule (a veto and rest must
 * match as they do inside the whole pattern); on failure sets *err and
 * *off. */
static pcre2_code *compile_pattern(const char *p, size_t n, int *err,
                                   size_t *off) {
  PCRE2_SIZE o = 0;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)p, n,
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, err,
                                   &o, NULL);
  *off = (size_t)o;
  return code;
}

static pcre2_code *compile_part(const char *p, size_t n) {
  int err;
  size_t off;
  return compile_pattern(p, n, &err, &off);
}

static void free_vetoes(nkg_rule *r) {
  for (int i = 0; i < r->n_vetoes; i++) {
    pcre2_code_free(r->veto[i]);
    nkg_prefilter_free(r->veto_pre[i]);
  }
  pcre2_code_free(r->rest);
  r->rest = NULL;
  r->n_vetoes = 0;
}

/* Reads a veto at p[at]: (?!.*X), or (?:(?!.*X)) as a {DEFINE} expands
 * to. Returns the offset just past it and sets X to p[*x .. *x + *xn), or
 * returns 0. */
static size_t next_veto(const char *p, size_t n, size_t at, size_t *x,
                        size_t *xn) {
  size_t wrapped = at + 3 <= n && !strncmp(p + at, "(?:", 3) ? 3 : 0;
  size_t open = at + wrapped;
  if (open + 5 >= n || strncmp(p + open, "(?!.*", 5) || p[open + 5] == '?' ||
      p[open + 5] == '+' || p[open + 5] == '{')
    return 0;
  size_t end = veto_group_end(p, n, open);
  if (!end || (wrapped && (end >= n || p[end] != ')')))
    return 0;
  *x = open + 5;
  *xn = end - 1 - *x;
  return wrapped ? end + 1 : end;
}

/* Splits the leading ^(?!.*X) lookaheads of r's pattern off as vetoes,
 * each with its prefilter. Leaves the rule without vetoes when the pattern has none, or when the
 * newline convention is one whose line breaks nkg_rule_match() does not
 * look for. */
static void split_vetoes(nkg_rule *r) {
  const char *p = r->pattern;
  size_t n = strlen(p);
  uint32_t nl = 0;
  if (pcre2_pattern_info(r->code, PCRE2_INFO_NEWLINE, &nl) != 0 ||
      (nl != PCRE2_NEWLINE_LF && nl != PCRE2_NEWLINE_CR &&
       nl != PCRE2_NEWLINE_CRLF && nl != PCRE2_NEWLINE_ANYCRLF))
    return;
  if (p[0] != '^')
    return;
  size_t at = 1, x, xn, end;
  while (r->n_vetoes < NKG_MAX_VETOES && (end = next_veto(p, n, at, &x, &xn))) {
    pcre2_code *v = compile_part(p + x, xn);
    if (!v)
      break;
    r->veto[r->n_vetoes] = v;
    r->veto_pre[r->n_vetoes] = nkg_prefilter_new(p + x, xn);
    r->n_vetoes++;
    at = end;
  }
  if (!r->n_vetoes)
    return;
  nkg_buf rest = {0};
  nkg_buf_addc(&rest, '^');
  nkg_buf_add(&rest, p + at, n - at);
  r->rest = compile_part(rest.data, rest.len);
  nkg_buf_free(&rest);
  if (!r->rest)
    free_vetoes(r);
}

/* ---- lazy JIT (see nkg_rules in rules.h) ---- */

/* Bit JIT_CODE of done[i] is set once rule i's code has JIT code, JIT_REST
 * for rest, JIT_VETO << v for veto[v]. A set bit is read without the lock
 * (acquire, pairing with the release that set it after compiling); the
 * lock makes one thread compile while the others wait. */
enum { JIT_CODE = 1u, JIT_REST = 2u, JIT_VETO = 4u };

struct nkg_rules_jit {
  pthread_mutex_t lock;
  atomic_uint *done; /* one a rule */
};

static nkg_rules_jit *jit_new(size_t n) {
  nkg_rules_jit *j = nkg_xcalloc(1, sizeof *j);
  if (pthread_mutex_init(&j->lock, NULL) != 0) {
    free(j);
    return NULL;
  }
  j->done = nkg_xcalloc(n ? n : 1, sizeof *j->done);
  for (size_t i = 0; i < n; i++)
    atomic_init(&j->done[i], 0u);
  return j;
}

static void jit_free(nkg_rules_jit *j) {
  if (!j)
    return;
  pthread_mutex_destroy(&j->lock);
  free(j->done);
  free(j);
}

/* JIT-compiles code (rule r's pattern of bit) unless done. JIT is an
 * optimisation: when it fails (no JIT support) matching still works, and
 * the bit is set all the same, so that it is tried once. If the lock
 * cannot be taken the pattern is matched interpreted rather than compiled
 * unlocked, which would race with other matchers. */
static void jit_ensure(const nkg_rules *rs, const nkg_rule *r, pcre2_code *code,
                       unsigned bit) {
  atomic_uint *done = &rs->jit->done[r - rs->rules];
  if (atomic_load_explicit(done, memory_order_acquire) & bit)
    return;
  if (pthread_mutex_lock(&rs->jit->lock) != 0)
    return;
  if (!(atomic_load_explicit(done, memory_order_relaxed) & bit)) {
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    atomic_fetch_or_explicit(done, bit, memory_order_release);
  }
  pthread_mutex_unlock(&rs->jit->lock);
}

int nkg_rule_match(const struct nkg_rules *rs, const nkg_rule *r, const char *s,
                   size_t n, size_t start, pcre2_match_data *md,
                   nkg_prefilter_index *x, int *x_current) {
  /* '.' stops at a line break, an unanchored search does not */
  if (r->rest && start == 0 && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
    int v = 0;
    for (; v < r->n_vetoes; v++) {
      if (r->veto_pre[v]) {
        if (!*x_current) {
          nkg_prefilter_index_build(x, s, n);
          *x_current = 1;
        }
        if (!nkg_prefilter_may_match(r->veto_pre[v], x, s, n, 0))
          continue;
      }
      jit_ensure(rs, r, r->veto[v], JIT_VETO << v);
      int rc = pcre2_match(r->veto[v], (PCRE2_SPTR)s, n, 0, 0, md, rs->mctx);
      if (rc >= 0)
        return PCRE2_ERROR_NOMATCH;
      if (rc != PCRE2_ERROR_NOMATCH)
        break; /* a limit: the whole pattern decides, as before */
    }
    if (v == r->n_vetoes) {
      jit_ensure(rs, r, r->rest, JIT_REST);
      return pcre2_match(r->rest, (PCRE2_SPTR)s, n, 0, 0, md, rs->mctx);
    }
  }
  jit_ensure(rs, r, r->code, JIT_CODE);
  return pcre2_match(r->code, (PCRE2_SPTR)s, n, start, 0, md, rs->mctx);
}

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
    /* the kinds listed from the table, so the message cannot lag it */
    nkg_buf known = {0};
    for (int k = 0; k < NKG_RK_COUNT; k++)
      nkg_buf_printf(&known, "%s%s", k ? ", " : "", kind_names[k]);
    nkg_error("%s: unknown rule kind '%s' (%s)", where, second, known.data);
    nkg_buf_free(&known);
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
  rs->rules = nkg_xrealloc(rs->rules, (rs->n + 1) * sizeof *rs->rules);
  nkg_rule *r = &rs->rules[rs->n++];
  memset(r, 0, sizeof *r);
  r->id = nkg_xstrdup(first);
  r->kind = (nkg_rule_kind)kind;
  r->where = nkg_xstrdup(where);
  r->pattern = nkg_buf_steal(&pat);
  /* compiled, split and checked by finish_rules() */
  return 0;
}

/* Compiles rule r's pattern, splits off its vetoes and reads its
 * prefilters. Sets r->code, or r->compile_error and r->error_offset.
 * Touches only r: runs on several rules at once. */
static void compile_rule(nkg_rule *r) {
  size_t n = strlen(r->pattern);
  r->code = compile_pattern(r->pattern, n, &r->compile_error, &r->error_offset);
  if (!r->code)
    return;
  split_vetoes(r);
  r->pre = nkg_prefilter_new(r->pattern, n);
}

/* What compile_rule() found wrong with r, reported as add_rule() used to
 * at reading: 0, or -1 with a message naming where. */
static int check_rule(const nkg_rule *r) {
  if (!r->code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(r->compile_error, msg, sizeof msg);
    nkg_error("%s: invalid pattern: %s (at offset %zu of the expanded "
              "pattern)",
              r->where, (char *)msg, r->error_offset);
    return -1;
  }
  const char *const *req = required_groups[r->kind];
  if (req[0]) {
    int found = 0;
    for (int i = 0; i < 4 && req[i]; i++)
      if (nkg_rule_group(r, req[i]) > 0)
        found = 1;
    if (!found) {
      nkg_error("%s: a %s rule needs a (?<%s>...) group", r->where,
                kind_names[r->kind], req[0]);
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

/* Compiling the rules' patterns and reading their prefilters was two
 * thirds of the start (76M of 127M instructions on an empty input). Both
 * are per rule, so they are shared out: thread t of n takes rules t,
 * t + n, ...; the errors are reported afterwards, in file order, by
 * check_rule(). The results do not depend on n. JIT code is made later, at
 * a pattern's first match (jit_ensure). */
typedef struct {
  nkg_rules *rs;
  size_t first, step;
} finish_part;

static void *finish_some(void *arg) {
  finish_part *fp = arg;
  for (size_t i = fp->first; i < fp->rs->n; i += fp->step) {
    compile_rule(&fp->rs->rules[i]);
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
      rs->jit = jit_new(rs->n);
      if (!rs->jit) {
        nkg_error("cannot create a lock for the rules");
        rc = -1;
      }
    }
  }
  /* the rules read without error are compiled even when others were not,
   * so that one run reports every error */
  finish_rules(rs, threads);
  for (size_t i = 0; i < rs->n; i++)
    if (check_rule(&rs->rules[i]) < 0)
      rc = -1;
  if (rc < 0) {
    nkg_rules_free(rs);
    return NULL;
  }
  index_kinds(rs);
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
    free_vetoes(&rs->rules[i]);
  }
  free(rs->rules);
  free(rs->by_kind);
  pcre2_match_context_free(rs->mctx);
  jit_free(rs->jit);
  free(rs);
}

size_t nkg_rules_count(const nkg_rules *rs) { return rs->n; }
