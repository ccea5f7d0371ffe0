/* prefilter.c: required literals of a PCRE2 pattern; see prefilter.h. */
#include "prefilter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum { PF_LIT, PF_SEQ, PF_ANY } pf_kind;

/* PF_LIT: the bytes lit[0..len). PF_SEQ: every kid, in order, without
 * overlap. PF_ANY: at least one kid. */
typedef struct pf_node {
  pf_kind kind;
  char *lit;
  size_t len;
  struct pf_node **kids;
  size_t n, cap; /* kids used and allocated */
  int implied; /* PF_LIT under no PF_ANY: its bits are in the signature */
  /* PF_LIT of 2 bytes or more: pair_bit() of its pairs, without repeats,
   * worked out once (set_pair_codes) rather than on every test */
  uint16_t *pairs;
  size_t n_pairs;
  /* PF_LIT: the offset of the byte find() looks for with memchr(), the
   * one least likely in a tagged sentence (set_pair_codes) */
  size_t anchor;
} pf_node;

/* The bit of the byte pair a, b in nkg_prefilter_index.pairs. */
static unsigned pair_bit(unsigned a, unsigned b) {
  return ((a << 8 | b) * 0x9E3779B1u >> 16) & (NKG_PREFILTER_PAIR_BITS - 1);
}

/* A byte pair a is coded pair_bit(a[0], a[1]); a single byte b, 65536 + b. */
typedef struct {
  uint32_t *codes; /* ascending, no repeats */
  size_t n;
} code_set;

struct nkg_prefilter {
  pf_node *root;
  code_set sig; /* the pairs and bytes every match holds: tested first */
  /* the same as words of the index and the bits each must have set: the
   * pair words first (w < NKG_PREFILTER_PAIR_BITS / 64), then the byte
   * words (w - that), a test per word rather than per bit */
  struct sig_word {
    uint32_t w;
    uint64_t mask;
  } *words;
  size_t n_words;
  int has_any;  /* a PF_ANY in the tree: present() can say more than sig */
};

typedef struct {
  const char *p, *end;
  int bail; /* a construct the reader does not know: no prefilter */
  /* set by parse_alt(): every alternative was literal text only (no gap,
   * group, quantifier, class or anchor), so the node it returned is the
   * exact set of texts a match of it consumes, which may be joined to the
   * literal text on either side */
  int pure;
  /* > 0 inside a lookaround, whose text no match consumes: its syntax is
   * read (to find its end, and what makes the reader give up) but no node
   * is made of it */
  int skip;
} parser;

#define NO_CHAR SIZE_MAX

static void node_free(pf_node *x) {
  if (!x)
    return;
  for (size_t i = 0; i < x->n; i++)
    node_free(x->kids[i]);
  free(x->kids);
  if (x->lit != (char *)(x + 1)) /* (lit_node() puts it there) */
    free(x->lit);
  free(x->pairs);
  free(x);
}

static pf_node *node_new(pf_kind kind) {
  pf_node *x = nkg_xcalloc(1, sizeof *x);
  x->kind = kind;
  return x;
}

static void node_add(pf_node *x, pf_node *kid) {
  if (x->n == x->cap) { /* doubling: alternations run to 150 words */
    x->cap = x->cap ? 2 * x->cap : 4;
    x->kids = nkg_xrealloc(x->kids, x->cap * sizeof *x->kids);
  }
  x->kids[x->n++] = kid;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static int is_alnum(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads a quantifier (?, *, +, {n}, {n,}, {n,m}, then an optional lazy '?'
 * or possessive '+'); *min gets its lower bound. Braces in any other form
 * (PCRE2 versions differ on "{,n}" and spaces) make the reader give up. */
static int read_quantifier(parser *ps, long *min, long *max) {
  char c = *ps->p++;
  *max = -1; /* no bound */
  if (c == '?') {
    *min = 0;
    *max = 1;
  } else if (c == '*')
    *min = 0;
  else if (c == '+')
    *min = 1;
  else {
    const char *q = ps->p;
    long v = 0;
    if (q >= ps->end || !is_digit(*q))
      return 0;
    while (q < ps->end && is_digit(*q)) {
      if (v < 100000)
        v = v * 10 + (*q - '0');
      q++;
    }
    long m = v;
    if (q < ps->end && *q == ',') {
      q++;
      m = q < ps->end && is_digit(*q) ? 0 : -1;
      while (q < ps->end && is_digit(*q)) {
        if (m < 100000)
          m = m * 10 + (*q - '0');
        q++;
      }
    }
    if (q >= ps->end || *q != '}')
      return 0;
    ps->p = q + 1;
    *min = v;
    *max = m;
  }
  if (ps->p < ps->end && (*ps->p == '?' || *ps->p == '+'))
    ps->p++;
  return 1;
}

/* Skips a character class from its '['. */
static int skip_class(parser *ps) {
  const char *q = ps->p + 1;
  if (q < ps->end && *q == '^')
    q++;
  if (q < ps->end && *q == ']') /* a ']' first is literal */
    q++;
  while (q < ps->end && *q != ']') {
    if (*q == '\\') {
      if (q + 1 >= ps->end || q[1] == 'Q' || q[1] == 'E' ||
          (q + 2 < ps->end && q[2] == '{' && strchr("xopPN", q[1])))
        return 0;
      q += 2;
    } else if (*q == '[' && q + 1 < ps->end &&
               (q[1] == ':' || q[1] == '=' || q[1] == '.')) {
      /* only [:name:] */
      const char *r = q + 2;
      if (q[1] != ':')
        return 0;
      while (r < ps->end && *r >= 'a' && *r <= 'z')
        r++;
      if (r + 1 >= ps->end || r[0] != ':' || r[1] != ']')
        return 0;
      q = r + 2;
    } else {
      q++;
    }
  }
  if (q >= ps->end)
    return 0;
  ps->p = q + 1;
  return 1;
}

/* Bytes of the UTF-8 character whose lead byte is c, or 0 if c cannot lead. */
static size_t utf8_len(unsigned char c) {
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return 2;
  if (c >= 0xE0 && c <= 0xEF)
    return 3;
  if (c >= 0xF0 && c <= 0xF4)
    return 4;
  return 0;
}

static pf_node *parse_alt(parser *ps);

/* Reads a group from its '('. *node gets what it requires (NULL for
 * nothing, and always for a lookaround, whose text a match does not
 * consume). */
static void parse_group(parser *ps, pf_node **node, int *lookaround,
                        int *pure) {
  int look = 0;
  *node = NULL;
  *lookaround = 0;
  *pure = 0;
  ps->p++;
  if (ps->p < ps->end && *ps->p == '*') {
    ps->bail = 1;
    return;
  }
  if (ps->p < ps->end && *ps->p == '?') {
    ps->p++;
    char c = ps->p < ps->end ? *ps->p : '\0';
    char d = ps->p + 1 < ps->end ? ps->p[1] : '\0';
    if (c == ':' || c == '>' || c == '|') {
      ps->p++;
    } else if (c == '=' || c == '!') {
      ps->p++;
      look = 1;
    } else if (c == '<' && (d == '=' || d == '!')) {
      ps->p += 2;
      look = 1;
    } else if (c == '<' || (c == 'P' && d == '<') || c == '\'') {
      /* a named group: (?<name>, (?P<name>, (?'name' */
      char close = c == '\'' ? '\'' : '>';
      ps->p += c == 'P' ? 2 : 1;
      if (ps->p >= ps->end ||
          !(*ps->p == '_' || (is_alnum(*ps->p) && !is_digit(*ps->p)))) {
        ps->bail = 1;
        return;
      }
      while (ps->p < ps->end && (*ps->p == '_' || is_alnum(*ps->p)))
        ps->p++;
      if (ps->p >= ps->end || *ps->p != close) {
        ps->bail = 1;
        return;
      }
      ps->p++;
    } else {
      /* options, comments, conditionals, recursion, callouts */
      ps->bail = 1;
      return;
    }
  }
  ps->skip += look;
  pf_node *x = parse_alt(ps);
  ps->skip -= look;
  *pure = ps->pure;
  if (ps->bail || ps->p >= ps->end || *ps->p != ')') {
    node_free(x);
    ps->bail = 1;
    return;
  }
  ps->p++;
  *lookaround = look;
  if (look)
    node_free(x);
  else
    *node = x;
}

/* A part of an alternative as parse_seq() reads it: adj when no text
 * lies between it and the part before, opt when it may be absent (a
 * literal set quantified by '?'). */
typedef struct {
  pf_node *node;
  int adj, opt;
} part;

/* The parts of one alternative: most have a few, kept on the stack. */
typedef struct {
  part *v; /* local, or allocated once there are more */
  size_t n, cap;
  part local[8];
} parts;

static void parts_add(parts *ps, pf_node *x, int adj, int opt) {
  if (ps->n == ps->cap) {
    ps->cap *= 2;
    if (ps->v == ps->local) {
      ps->v = nkg_xmalloc(ps->cap * sizeof *ps->v);
      memcpy(ps->v, ps->local, ps->n * sizeof *ps->v);
    } else {
      ps->v = nkg_xrealloc(ps->v, ps->cap * sizeof *ps->v);
    }
  }
  ps->v[ps->n++] = (part){x, adj, opt};
}

static pf_node *lit_node(const char *s, size_t n);

/* parts_add() of the literal s[0..n), unless inside a lookaround. */
static void add_lit(const parser *pr, parts *ps, const char *s, size_t n,
                    int adj, int opt) {
  if (!pr->skip)
    parts_add(ps, lit_node(s, n), adj, opt);
}

/* 1 if x is a finite set of strings: a literal, or literal alternatives. */
static int is_lit_set(const pf_node *x) {
  if (x->kind == PF_LIT)
    return 1;
  if (x->kind != PF_ANY)
    return 0;
  for (size_t i = 0; i < x->n; i++)
    if (x->kids[i]->kind != PF_LIT)
      return 0;
  return 1;
}

/* A literal node, its bytes in the same allocation (node_free()). */
static pf_node *lit_node(const char *s, size_t n) {
  pf_node *l = nkg_xcalloc(1, sizeof *l + n + 1);
  l->kind = PF_LIT;
  l->lit = (char *)(l + 1);
  memcpy(l->lit, s, n);
  l->len = n;
  return l;
}

static pf_node *minimise_any(pf_node *any);

/* The most strings a run of adjacent literal sets is joined into: the
 * product "(?:will|to) (?:further |also )?SECTOR" gives six literals that
 * say the words are adjacent, where the parts alone let "to" anywhere
 * before "SECTOR" pass. */
#define MAX_JOINED 8

/* Ends a join: its strings as one part of seq (nothing if one of them is
 * empty: then the run may be absent). */
static void join_flush(pf_node *seq, nkg_buf *strs, size_t *n) {
  int empty = 0;
  for (size_t i = 0; i < *n; i++)
    if (!strs[i].len)
      empty = 1;
  if (*n && !empty) {
    pf_node *any = node_new(PF_ANY);
    for (size_t i = 0; i < *n; i++)
      node_add(any, lit_node(strs[i].data, strs[i].len));
    if (any->n == 1) {
      node_add(seq, any->kids[0]);
      any->n = 0;
      node_free(any);
    } else {
      node_add(seq, any); /* minimise_tree() drops the longer ones later */
    }
  }
  for (size_t i = 0; i < *n; i++)
    nkg_buf_free(&strs[i]);
  *n = 0;
}

static size_t part_count(const part *p) {
  return (p->opt ? 1 : 0) + (p->node->kind == PF_LIT ? 1 : p->node->n);
}

/* The strings of part p (a literal set; "" too if it is optional). */
static size_t part_strings(const part *p, nkg_buf *out) {
  size_t k = 0, want = part_count(p);
  for (size_t i = 0; i < want; i++)
    out[i] = (nkg_buf){0};
  if (p->opt)
    nkg_buf_adds(&out[k++], "");
  if (p->node->kind == PF_LIT) {
    nkg_buf_add(&out[k++], p->node->lit, p->node->len);
  } else {
    for (size_t i = 0; i < p->node->n; i++)
      nkg_buf_add(&out[k++], p->node->kids[i]->lit, p->node->kids[i]->len);
  }
  return k;
}

/* Makes seq of the parts, each run of adjacent literal sets joined into
 * their product while it has at most MAX_JOINED strings. Takes the
 * parts' nodes. */
static void join_parts(pf_node *seq, parts *ps) {
  nkg_buf cur[MAX_JOINED], next[MAX_JOINED], add[MAX_JOINED + 1];
  size_t n = 0; /* strings in cur (the others are not initialised) */
  for (size_t i = 0; i < ps->n; i++) {
    part *p = &ps->v[i];
    const part *q = i + 1 < ps->n ? &ps->v[i + 1] : NULL;
    if (!n && !p->opt && (!q || !q->adj || !is_lit_set(q->node))) {
      node_add(seq, p->node); /* joins nothing: as it is */
      continue;
    }
    if (!is_lit_set(p->node) || part_count(p) > MAX_JOINED) {
      join_flush(seq, cur, &n);
      if (p->opt)
        node_free(p->node);
      else
        node_add(seq, p->node);
      continue;
    }
    if (!n || !p->adj || n * part_count(p) > MAX_JOINED) {
      join_flush(seq, cur, &n);
      n = part_strings(p, cur);
      node_free(p->node);
      continue;
    }
    size_t k = part_strings(p, add), m = 0;
    for (size_t a = 0; a < n; a++)
      for (size_t b = 0; b < k; b++) {
        next[m] = (nkg_buf){0};
        nkg_buf_add(&next[m], cur[a].data ? cur[a].data : "", cur[a].len);
        nkg_buf_add(&next[m], add[b].data ? add[b].data : "", add[b].len);
        m++;
      }
    for (size_t a = 0; a < n; a++)
      nkg_buf_free(&cur[a]);
    for (size_t b = 0; b < k; b++)
      nkg_buf_free(&add[b]);
    memcpy(cur, next, m * sizeof *cur);
    n = m;
    node_free(p->node);
  }
  join_flush(seq, cur, &n);
  if (ps->v != ps->local)
    free(ps->v);
}

/* One alternative: up to '|', ')' or the end: a sequence, or its one part
 * (a literal or a set of alternatives); NULL if it requires nothing.
 * Zero-width items (\b, ^, $, lookarounds) leave the text on both sides
 * adjacent; what consumes unknown text (a class, '.', \s) is a gap. */
static pf_node *parse_seq(parser *ps) {
  parts pt;
  pt.v = pt.local;
  pt.n = 0;
  pt.cap = sizeof pt.local / sizeof pt.local[0];
  char run_mem[128]; /* the literal run: most are a few words */
  nkg_buf run;
  nkg_buf_use(&run, run_mem, sizeof run_mem);
  size_t last_char = NO_CHAR; /* where the last literal character starts */
  pf_node *pending = NULL;    /* a group just read: a quantifier may drop it */
  int pending_adj = 0;        /* no text between it and the part before */
  int pending_pure = 0;       /* it is an exact set (parser.pure) */
  int gap = 1;                /* text not kept since the last part */
  int pure = 1;               /* literal text only so far */
  while (ps->p < ps->end && !ps->bail) {
    unsigned char c = (unsigned char)*ps->p;
    if (c == '|' || c == ')')
      break;
    if (c == '?' || c == '*' || c == '+' || c == '{') {
      long min, max;
      pure = 0;
      if (!read_quantifier(ps, &min, &max)) {
        ps->bail = 1;
        break;
      }
      if (last_char != NO_CHAR) {
        /* the quantified character is not joined to what follows; it may
         * be kept as optional ("areas? of": "area", "s" or nothing) */
        size_t end = run.len;
        run.len = last_char;
        if (run.len) {
          add_lit(ps, &pt, run.data, run.len, !gap, 0);
          gap = 0;
        }
        if (min == 0 && max == 1) {
          add_lit(ps, &pt, run.data + last_char, end - last_char,
                    !gap, 1);
          gap = 0;
        } else {
          gap = 1;
        }
        nkg_buf_clear(&run);
        last_char = NO_CHAR;
      } else if (pending && min == 0 && max == 1 && pending_pure &&
                 is_lit_set(pending)) {
        parts_add(&pt, pending, pending_adj, 1);
        pending = NULL;
        gap = 0;
      } else if (pending && min == 0) {
        node_free(pending);
        pending = NULL;
        gap = 1;
      } else if (pending) {
        /* repeated: the part is required, its neighbours not adjacent */
        int exact = max == 1 && pending_pure;
        parts_add(&pt, pending, exact ? pending_adj : 0, 0);
        pending = NULL;
        gap = !exact;
      } else {
        gap = 1;
      }
      continue;
    }
    if (pending) {
      parts_add(&pt, pending, pending_pure ? pending_adj : 0, 0);
      gap = !pending_pure;
    }
    pending = NULL;
    if (c == '\\') {
      unsigned char e = ps->p + 1 < ps->end ? (unsigned char)ps->p[1] : 0;
      if (e && e < 0x80 && !is_alnum(e)) { /* an escaped literal */
        last_char = run.len;
        nkg_buf_addc(&run, (char)e);
      } else if (e && strchr("bBAzZG", e)) {
        /* zero-width: the run goes on */
        last_char = NO_CHAR;
      } else if (e && strchr("dDsSwWhHvVRX", e)) {
        /* one character of a class */
        pure = 0;
        if (run.len) {
          add_lit(ps, &pt, run.data, run.len, !gap, 0);
          nkg_buf_clear(&run);
        }
        gap = 1;
        last_char = NO_CHAR;
      } else {
        ps->bail = 1;
        break;
      }
      ps->p += 2;
    } else if (c == '[' || c == '.') {
      pure = 0;
      if (run.len) {
        add_lit(ps, &pt, run.data, run.len, !gap, 0);
        nkg_buf_clear(&run);
      }
      gap = 1;
      last_char = NO_CHAR;
      if (c == '.')
        ps->p++;
      else if (!skip_class(ps))
        ps->bail = 1;
    } else if (c == '(') {
      if (run.len) {
        add_lit(ps, &pt, run.data, run.len, !gap, 0);
        nkg_buf_clear(&run);
        gap = 0;
      }
      last_char = NO_CHAR;
      int look;
      pure = 0;
      pending_adj = !gap;
      parse_group(ps, &pending, &look, &pending_pure);
      /* a lookaround consumes nothing; a group that requires nothing may
       * consume something */
      if (!look && !pending)
        gap = 1;
    } else if (c == '^' || c == '$') {
      last_char = NO_CHAR; /* zero-width */
      pure = 0;
      ps->p++;
    } else {
      size_t k = utf8_len(c);
      if (!k || ps->p + k > ps->end) {
        ps->bail = 1;
        break;
      }
      last_char = run.len;
      nkg_buf_add(&run, ps->p, k);
      ps->p += k;
    }
  }
  if (run.len)
    add_lit(ps, &pt, run.data, run.len, !gap, 0);
  if (pending)
    parts_add(&pt, pending, pending_pure ? pending_adj : 0, 0);
  nkg_buf_free(&run);
  ps->pure = pure && pt.n == 1;
  if (ps->bail || !pt.n) { /* (no part, as in a lookaround) */
    for (size_t i = 0; i < pt.n; i++)
      node_free(pt.v[i].node);
    if (pt.v != pt.local)
      free(pt.v);
    return NULL;
  }
  /* a sequence node only for two parts or more (most alternatives are
   * one literal) */
  pf_node tmp = {0};
  tmp.kind = PF_SEQ;
  join_parts(&tmp, &pt);
  if (tmp.n <= 1) {
    pf_node *one = tmp.n ? tmp.kids[0] : NULL;
    free(tmp.kids);
    return one;
  }
  pf_node *seq = node_new(PF_SEQ);
  *seq = tmp;
  return seq;
}

/* 1 if literal a occurs inside literal b. A plain scan: the literals are
 * short words, and parse_alt() tries every pair of a long alternation,
 * where memmem()'s set-up per call was a third of nkg_prefilter_new(). */
static int lit_in(const pf_node *a, const pf_node *b) {
  if (a->len > b->len)
    return 0;
  if (a->len == 0)
    return 1;
  for (size_t i = 0; i + a->len <= b->len; i++)
    if (b->lit[i] == a->lit[0] && memcmp(b->lit + i, a->lit, a->len) == 0)
      return 1;
  return 0;
}

/* any itself, or its one kid (any freed) when it holds only one. */
static pf_node *any_or_only_kid(pf_node *any) {
  if (any->n == 1) {
    pf_node *one = any->kids[0];
    any->n = 0;
    node_free(any);
    return one;
  }
  return any;
}

/* Alternatives: NULL if one of them requires nothing. An alternative that
 * is one literal containing another alternative's literal is dropped: any
 * occurrence of it holds the shorter one, which ends no later. */
static pf_node *parse_alt(parser *ps) {
  pf_node *any = node_new(PF_ANY);
  int empty = 0, pure = 1;
  for (;;) {
    pf_node *s = parse_seq(ps);
    pure = pure && ps->pure;
    if (ps->bail)
      break;
    if (!s)
      empty = 1;
    else if (s->kind == PF_ANY) {
      /* a set of alternatives: they join these */
      for (size_t i = 0; i < s->n; i++)
        node_add(any, s->kids[i]);
      s->n = 0;
      node_free(s);
    } else {
      node_add(any, s);
    }
    if (ps->p < ps->end && *ps->p == '|') {
      ps->p++;
      continue;
    }
    break;
  }
  ps->pure = pure;
  if (ps->bail || empty || any->n == 0) {
    node_free(any);
    return NULL;
  }
  return any_or_only_kid(any);
}

/* any without the literal alternatives that hold another one; the one
 * kid itself if only one is left. */
static pf_node *minimise_any(pf_node *any) {
  size_t kept = 0;
  for (size_t i = 0; i < any->n; i++) {
    pf_node *b = any->kids[i];
    int drop = 0;
    for (size_t j = 0; j < any->n && !drop && b->kind == PF_LIT; j++) {
      const pf_node *a = any->kids[j];
      /* of two equal literals, the later one goes */
      drop = j != i && a && a->kind == PF_LIT && lit_in(a, b) &&
             (a->len < b->len || j < i);
    }
    if (drop) {
      node_free(b);
      any->kids[i] = NULL;
    }
  }
  for (size_t i = 0; i < any->n; i++)
    if (any->kids[i])
      any->kids[kept++] = any->kids[i];
  any->n = kept;
  return any_or_only_kid(any);
}

/* minimise_any() on every set of alternatives of x, deepest first;
 * returns what replaces x. Done once the whole pattern is read, not while
 * a set is read: a set may yet be joined to the text before it, and the
 * joined texts need not hold one another as the bare ones did ("said"
 * holds "aid", but "p" + "said" does not hold "p" + "aid"). */
static pf_node *minimise_tree(pf_node *x) {
  for (size_t i = 0; i < x->n; i++)
    x->kids[i] = minimise_tree(x->kids[i]);
  return x->kind == PF_ANY ? minimise_any(x) : x;
}

static int cmp_code(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* The pairs and bytes that every occurrence of x holds: a literal's own,
 * all those of a sequence's parts, those common to all alternatives. */
static code_set signature(const pf_node *x) {
  code_set r = {0};
  if (x->kind == PF_LIT) {
    const unsigned char *u = (const unsigned char *)x->lit;
    r.codes = nkg_xmalloc((x->len ? x->len : 1) * sizeof *r.codes);
    if (x->len == 1)
      r.codes[r.n++] = 65536 + u[0];
    for (size_t i = 0; i + 1 < x->len; i++)
      r.codes[r.n++] = pair_bit(u[i], u[i + 1]);
  } else if (x->kind == PF_SEQ) {
    for (size_t i = 0; i < x->n; i++) {
      code_set k = signature(x->kids[i]);
      r.codes = nkg_xrealloc(r.codes, (r.n + k.n + 1) * sizeof *r.codes);
      memcpy(r.codes + r.n, k.codes, k.n * sizeof *k.codes);
      r.n += k.n;
      free(k.codes);
    }
  } else {
    for (size_t i = 0; i < x->n; i++) {
      code_set k = signature(x->kids[i]);
      if (i == 0) {
        r = k;
        continue;
      }
      size_t kept = 0;
      for (size_t a = 0; a < r.n; a++)
        for (size_t b = 0; b < k.n; b++)
          if (r.codes[a] == k.codes[b]) {
            r.codes[kept++] = r.codes[a];
            break;
          }
      r.n = kept;
      free(k.codes);
    }
  }
  if (r.n > 1) {
    qsort(r.codes, r.n, sizeof *r.codes, cmp_code);
    size_t u = 1;
    for (size_t i = 1; i < r.n; i++)
      if (r.codes[i] != r.codes[u - 1])
        r.codes[u++] = r.codes[i];
    r.n = u;
  }
  return r;
}

/* Marks the literals whose bits the signature holds (those under no
 * PF_ANY), which the matcher then need not test again; returns nonzero
 * if x holds a PF_ANY. */
static int mark_implied(pf_node *x, int under_any) {
  if (x->kind == PF_LIT) {
    x->implied = !under_any;
    return 0;
  }
  int any = x->kind == PF_ANY;
  for (size_t i = 0; i < x->n; i++)
    if (mark_implied(x->kids[i], under_any || x->kind == PF_ANY))
      any = 1;
  return any;
}

/* How common byte c is in a tagged sentence (tagger.h), roughly: spaces
 * separate every unit, lower-case letters make the words, upper-case
 * letters the few tags, other bytes are rare. Only a choice of anchor
 * depends on it. */
static int byte_weight(unsigned char c) {
  static const char common[] = "etaoinsrhldcumfpgwybvk";
  if (c == ' ')
    return 100;
  if (c >= 'a' && c <= 'z') {
    const char *at = strchr(common, c);
    return at ? 60 - (int)(at - common) : 30;
  }
  if (c >= 'A' && c <= 'Z')
    return 20;
  return 10;
}

static void set_pair_codes(pf_node *x) {
  for (size_t i = 0; i < x->n; i++)
    set_pair_codes(x->kids[i]);
  if (x->kind != PF_LIT || x->len < 2)
    return;
  for (size_t i = 1; i < x->len; i++)
    if (byte_weight((unsigned char)x->lit[i]) <
        byte_weight((unsigned char)x->lit[x->anchor]))
      x->anchor = i;
  const unsigned char *u = (const unsigned char *)x->lit;
  x->pairs = nkg_xmalloc((x->len - 1) * sizeof *x->pairs);
  int weight_mem[32]; /* most literals are a few words */
  int *weight = x->len - 1 <= 32 ? weight_mem
                                 : nkg_xmalloc((x->len - 1) * sizeof *weight);
  for (size_t i = 0; i + 1 < x->len; i++) {
    uint16_t bit = (uint16_t)pair_bit(u[i], u[i + 1]);
    int w = byte_weight(u[i]) + byte_weight(u[i + 1]);
    size_t k = 0;
    while (k < x->n_pairs && x->pairs[k] != bit)
      k++;
    if (k < x->n_pairs)
      continue;
    /* the least common pairs first: may_hold() stops at the first one
     * missing */
    while (k > 0 && weight[k - 1] > w) {
      x->pairs[k] = x->pairs[k - 1];
      weight[k] = weight[k - 1];
      k--;
    }
    x->pairs[k] = bit;
    weight[k] = w;
    x->n_pairs++;
  }
  if (weight != weight_mem)
    free(weight);
}

nkg_prefilter *nkg_prefilter_new(const char *p, size_t n) {
  parser ps = {p, p + n, 0, 0, 0};
  pf_node *root = parse_alt(&ps);
  if (ps.bail || ps.p != ps.end) { /* a stray ')' */
    node_free(root);
    return NULL;
  }
  if (!root)
    return NULL;
  root = minimise_tree(root);
  nkg_prefilter *f = nkg_xmalloc(sizeof *f);
  f->root = root;
  f->sig = signature(root);
  /* codes are ascending, pair codes before byte codes (65536 + b): the
   * codes of one word are adjacent */
  f->words = nkg_xmalloc((f->sig.n ? f->sig.n : 1) * sizeof *f->words);
  f->n_words = 0;
  for (size_t i = 0; i < f->sig.n; i++) {
    uint32_t c = f->sig.codes[i];
    uint32_t w = c < 65536 ? c >> 6 : NKG_PREFILTER_PAIR_BITS / 64 +
                                          ((c & 0xffff) >> 6);
    if (!f->n_words || f->words[f->n_words - 1].w != w)
      f->words[f->n_words++] = (struct sig_word){w, 0};
    f->words[f->n_words - 1].mask |= UINT64_C(1) << (c & 63);
  }
  f->has_any = mark_implied(root, 0);
  set_pair_codes(root);
  return f;
}

void nkg_prefilter_index_build(nkg_prefilter_index *x, const char *s,
                               size_t n) {
  memset(x, 0, sizeof *x);
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n; i++) {
    x->bytes[u[i] >> 6] |= UINT64_C(1) << (u[i] & 63);
    if (i + 1 < n) {
      unsigned bit = pair_bit(u[i], u[i + 1]);
      x->pairs[bit >> 6] |= UINT64_C(1) << (bit & 63);
    }
  }
}

/* 0 if the subject of x cannot hold the literal l. */
static inline int may_hold(const nkg_prefilter_index *x, const pf_node *l) {
  if (l->len == 1) {
    unsigned char c = (unsigned char)l->lit[0];
    return (x->bytes[c >> 6] >> (c & 63)) & 1;
  }
  for (size_t i = 0; i < l->n_pairs; i++) {
    unsigned bit = l->pairs[i];
    if (!((x->pairs[bit >> 6] >> (bit & 63)) & 1))
      return 0;
  }
  return 1;
}

/* 0 if the subject of x cannot hold what node x requires, order aside:
 * bit tests only, and most rules stop here. */
static int present(const nkg_prefilter_index *ix, const pf_node *x) {
  switch (x->kind) {
  case PF_LIT:
    return may_hold(ix, x);
  case PF_SEQ:
    /* (a literal under no PF_ANY is implied: the signature held it) */
    for (size_t i = 0; i < x->n; i++) {
      const pf_node *k = x->kids[i];
      if (!(k->kind == PF_LIT ? k->implied || may_hold(ix, k)
                              : present(ix, k)))
        return 0;
    }
    return 1;
  case PF_ANY:
    /* literals tested here: most alternatives are, and a call each was
     * most of present()'s cost */
    for (size_t i = 0; i < x->n; i++) {
      const pf_node *k = x->kids[i];
      if (k->kind == PF_LIT ? may_hold(ix, k) : present(ix, k))
        return 1;
    }
    return 0;
  }
  return 0;
}

/* The first occurrence of l in s[from..n) that starts before limit, or
 * NULL. Subjects are a sentence long and literals a word or two: memchr()
 * on the literal's rarest byte (its anchor) and a compare beat memmem(),
 * whose set-up per call costs more than the search here; the anchor skips
 * most of the places a common first byte ("a", " ") would stop at. */
static const char *find(const pf_node *l, const char *s, size_t n,
                        size_t from, size_t limit) {
  size_t a = l->anchor;
  const char *p = s + from + a, *last = s + n - l->len + a;
  if (limit < n - l->len + 1)
    last = s + limit - 1 + a;
  unsigned char c = (unsigned char)l->lit[a];
  while (p <= last) {
    p = memchr(p, c, (size_t)(last - p) + 1);
    if (!p)
      return NULL;
    if (memcmp(p - a, l->lit, l->len) == 0)
      return p - a;
    p++;
  }
  return NULL;
}

/* The earliest end of an occurrence of x at or after from in s[0..n), or
 * SIZE_MAX if there is none. Earliest ends compose: in a sequence, each
 * part starting after the earliest end of the one before leaves the most
 * room for the rest. */
/* The earliest end of literal l at or after from, if it is before
 * limit (SIZE_MAX: no limit); else SIZE_MAX. */
static size_t lit_end(const pf_node *l, const nkg_prefilter_index *ix,
                      const char *s, size_t n, size_t from, size_t limit) {
  if (from > n || l->len > n - from || (!l->implied && !may_hold(ix, l)))
    return SIZE_MAX;
  /* an occurrence that ends before limit starts before limit - len */
  size_t start_limit = limit == SIZE_MAX ? SIZE_MAX : limit - l->len;
  if (limit != SIZE_MAX && (limit < l->len || start_limit <= from))
    return SIZE_MAX;
  const char *at = find(l, s, n, from, start_limit);
  return at ? (size_t)(at - s) + l->len : SIZE_MAX;
}

static size_t earliest_end(const pf_node *x, const nkg_prefilter_index *ix,
                           const char *s, size_t n, size_t from) {
  switch (x->kind) {
  case PF_LIT:
    return lit_end(x, ix, s, n, from, SIZE_MAX);
  case PF_SEQ:
    for (size_t i = 0; i < x->n && from != SIZE_MAX; i++) {
      const pf_node *k = x->kids[i];
      from = k->kind == PF_LIT ? lit_end(k, ix, s, n, from, SIZE_MAX)
                               : earliest_end(k, ix, s, n, from);
    }
    return from;
  case PF_ANY: {
    /* a literal alternative is searched only for an end before the best
     * so far */
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < x->n; i++) {
      const pf_node *k = x->kids[i];
      size_t e = k->kind == PF_LIT ? lit_end(k, ix, s, n, from, best)
                                   : earliest_end(k, ix, s, n, from);
      if (e < best)
        best = e;
    }
    return best;
  }
  }
  return SIZE_MAX;
}

int nkg_prefilter_may_match(const nkg_prefilter *f,
                            const nkg_prefilter_index *x, const char *s,
                            size_t n, size_t from) {
  if (!f)
    return 1;
  for (size_t i = 0; i < f->n_words; i++) {
    uint32_t w = f->words[i].w;
    uint64_t have = w < NKG_PREFILTER_PAIR_BITS / 64
                        ? x->pairs[w]
                        : x->bytes[w - NKG_PREFILTER_PAIR_BITS / 64];
    if ((have & f->words[i].mask) != f->words[i].mask)
      return 0;
  }
  /* without a PF_ANY, present() would only test the signature's bits */
  return (!f->has_any || present(x, f->root)) &&
         earliest_end(f->root, x, s, n, from) != SIZE_MAX;
}

static void describe(const pf_node *x, nkg_buf *out) {
  switch (x->kind) {
  case PF_LIT:
    nkg_buf_addc(out, '"');
    nkg_buf_add(out, x->lit, x->len);
    nkg_buf_addc(out, '"');
    break;
  case PF_SEQ:
    for (size_t i = 0; i < x->n; i++) {
      if (i)
        nkg_buf_addc(out, ' ');
      describe(x->kids[i], out);
    }
    break;
  case PF_ANY:
    nkg_buf_addc(out, '{');
    for (size_t i = 0; i < x->n; i++) {
      if (i)
        nkg_buf_addc(out, '|');
      describe(x->kids[i], out);
    }
    nkg_buf_addc(out, '}');
    break;
  }
}

void nkg_prefilter_describe(const nkg_prefilter *f, nkg_buf *out) {
  if (f)
    describe(f->root, out);
}

void nkg_prefilter_free(nkg_prefilter *f) {
  if (!f)
    return;
  node_free(f->root);
  free(f->sig.codes);
  free(f->words);
  free(f);
}
