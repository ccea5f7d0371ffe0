/* sparql_expr.c: see sparql_expr.h.
 *
 * Values are classified on demand from the interned term (no allocation
 * per comparison). Numbers follow XPath's promotion: xsd:integer (and its
 * derived types, as 64-bit integers), xsd:decimal (128-bit fixed point with
 * 18 fractional digits, as Oxigraph), xsd:float, xsd:double. Computed
 * literals use the canonical forms Oxigraph prints: integers and decimals
 * as plain digits ("2", "0.5"), floats and doubles as their shortest
 * round-trip digits without an exponent ("2", "0.1", "INF", "NaN"). Where
 * Oxigraph and the recommendation differ, the W3C suite decides; where it
 * is silent, Oxigraph does (comparison of literals of unknown datatypes,
 * the ORDER BY of mixed literals, ROUND of doubles). */
#define _POSIX_C_SOURCE 200809L
#include "sparql_expr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <pcre2.h>
#include <raptor2.h>

#include "util.h"

#define XSD "http://www.w3.org/2001/XMLSchema#"
#define XSD_LEN (sizeof XSD - 1)
#define RDF_LANGSTRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

__extension__ typedef __int128 i128;
#define DEC_SCALE ((i128)1000000000000000000LL) /* 10^18 */
#define I128_MAX ((i128)(((unsigned __int128)1 << 127) - 1))

/* ---- values ----------------------------------------------------------- */

enum { N_INT = 1, N_DEC, N_FLT, N_DBL };

typedef struct {
  int k;
  int64_t i;
  i128 d;
  double f; /* N_FLT and N_DBL */
} num;

typedef struct {
  int64_t year;
  int month, day, hour, minute;
  i128 sec;   /* seconds as a decimal (scaled by 10^18) */
  int has_tz;
  int tz;     /* offset in minutes */
  int ty;     /* TY_*: which XSD type */
} dtime;

enum {
  C_IRI = 1, C_BNODE,
  C_SIMPLE,   /* simple literal or xsd:string */
  C_LANG,     /* language-tagged */
  C_NUM, C_BOOL,
  C_DATETIME, /* xsd:dateTime, date, time, gYear...: dt.ty says which */
  C_OTHER,    /* a literal of a datatype we do not interpret */
  C_BAD       /* a literal of a known datatype with an invalid lexical form */
};

typedef struct {
  int c;
  const nkg_term *t;
  num n;
  int b;
  dtime dt;
} val;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* [+-]?[0-9]+ into *out; 0 when invalid or out of range */
static int parse_int(const char *s, size_t len, int64_t *out) {
  size_t i = 0;
  int neg = 0;
  if (i < len && (s[i] == '+' || s[i] == '-'))
    neg = s[i++] == '-';
  if (i == len)
    return 0;
  uint64_t v = 0;
  for (; i < len; i++) {
    if (!is_digit(s[i]))
      return 0;
    if (v > (UINT64_C(9223372036854775808) - (uint64_t)(s[i] - '0')) / 10)
      return 0;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (!neg && v > (uint64_t)INT64_MAX)
    return 0;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return 1;
}

/* [+-]?([0-9]+(.[0-9]*)?|.[0-9]+) into a scaled decimal; digits past the
 * 18th fractional one are dropped */
static int parse_dec(const char *s, size_t len, i128 *out) {
  size_t i = 0;
  int neg = 0, digits = 0;
  if (i < len && (s[i] == '+' || s[i] == '-'))
    neg = s[i++] == '-';
  i128 v = 0;
  for (; i < len && is_digit(s[i]); i++, digits++) {
    if (v > (I128_MAX / DEC_SCALE - 9) / 10)
      return 0;
    v = v * 10 + (s[i] - '0');
  }
  v *= DEC_SCALE;
  if (i < len && s[i] == '.') {
    i++;
    i128 f = DEC_SCALE / 10;
    for (; i < len && is_digit(s[i]); i++, digits++) {
      if (!f && s[i] != '0')
        return 0; /* more precision than 18 digits: Oxigraph refuses it */
      v += f * (s[i] - '0');
      f /= 10;
    }
  }
  if (i != len || !digits)
    return 0;
  *out = neg ? -v : v;
  return 1;
}

static int parse_double(const char *s, size_t len, double *out) {
  if (len == 3 && memcmp(s, "INF", 3) == 0) {
    *out = HUGE_VAL;
    return 1;
  }
  if (len == 4 && memcmp(s, "+INF", 4) == 0) {
    *out = HUGE_VAL;
    return 1;
  }
  if (len == 4 && memcmp(s, "-INF", 4) == 0) {
    *out = -HUGE_VAL;
    return 1;
  }
  if (len == 3 && memcmp(s, "NaN", 3) == 0) {
    *out = NAN;
    return 1;
  }
  /* the lexical check first: strtod takes hex, "inf", spaces */
  size_t i = 0;
  int digits = 0;
  if (i < len && (s[i] == '+' || s[i] == '-'))
    i++;
  for (; i < len && is_digit(s[i]); i++)
    digits++;
  if (i < len && s[i] == '.')
    for (i++; i < len && is_digit(s[i]); i++)
      digits++;
  if (!digits)
    return 0;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
      i++;
    if (i == len || !is_digit(s[i]))
      return 0;
    while (i < len && is_digit(s[i]))
      i++;
  }
  if (i != len || len > 400)
    return 0;
  char buf[408];
  memcpy(buf, s, len);
  buf[len] = '\0';
  *out = strtod(buf, NULL);
  return 1;
}

static int days_in_month(int64_t y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return d[m - 1];
}

static int two(const char *s) {
  if (!is_digit(s[0]) || !is_digit(s[1]))
    return -1;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The seven-property model of XSD 1.1 covers dateTime, date, time and the
 * Gregorian types; which fields a type has: */
enum { F_Y = 1, F_M = 2, F_D = 4, F_T = 8 };
enum { TY_DATETIME, TY_DATE, TY_TIME, TY_GYEARMONTH, TY_GYEAR, TY_GMONTHDAY,
       TY_GDAY, TY_GMONTH };
static const struct {
  const char *name;
  int fields;
} temporal_types[] = {
    {"dateTime", F_Y | F_M | F_D | F_T}, {"date", F_Y | F_M | F_D},
    {"time", F_T},                       {"gYearMonth", F_Y | F_M},
    {"gYear", F_Y},                      {"gMonthDay", F_M | F_D},
    {"gDay", F_D},                       {"gMonth", F_M},
};

static int temporal_type(const char *local) {
  for (int i = 0; i < (int)(sizeof temporal_types / sizeof *temporal_types); i++)
    if (strcmp(local, temporal_types[i].name) == 0)
      return i;
  return -1;
}

/* The lexical form of the XSD type ty (TY_*): -?YYYY-MM-DDThh:mm:ss(.s+)?
 * with the fields ty has, then (Z|(+|-)hh:mm)?. Absent fields take the
 * values of XSD 1.1's reference point on the timeline (year 1972, month
 * 12, the month's last day, 00:00:00), so values of one type compare by
 * their instants. */
static int parse_temporal(int ty, const char *s, size_t len, dtime *d) {
  int f = temporal_types[ty].fields;
  size_t i = 0;
  d->ty = ty;
  d->year = 1972;
  d->month = 12;
  d->day = 0;
  d->hour = d->minute = 0;
  d->sec = 0;
  if (f & F_Y) {
    int neg = 0;
    if (i < len && s[i] == '-')
      neg = 1, i++;
    size_t y0 = i;
    int64_t y = 0;
    while (i < len && is_digit(s[i]) && i - y0 < 12)
      y = y * 10 + (s[i++] - '0');
    if (i - y0 < 4 || (i - y0 > 4 && s[y0] == '0'))
      return 0;
    d->year = neg ? -y : y;
  } else if (f & (F_M | F_D)) {
    if (len - i < 2 || s[i] != '-' || s[i + 1] != '-')
      return 0;
    i += (f & F_M) ? 1 : 2; /* "--MM", "--MM-DD", "---DD" */
  }
  if (f & F_M) {
    if (len - i < 3 || s[i] != '-')
      return 0;
    d->month = two(s + i + 1);
    if (d->month < 1 || d->month > 12)
      return 0;
    i += 3;
  }
  if (f & F_D) {
    if (len - i < 3 || s[i] != '-')
      return 0;
    d->day = two(s + i + 1);
    /* without a year, February has 29 days (1972 is a leap year) */
    if (d->day < 1 || d->day > days_in_month(d->year, d->month))
      return 0;
    i += 3;
  } else {
    d->day = days_in_month(d->year, d->month);
  }
  if (f & F_T) {
    if ((f & F_D) && (i == len || s[i++] != 'T'))
      return 0;
    if (len - i < 8 || s[i + 2] != ':' || s[i + 5] != ':')
      return 0;
    d->hour = two(s + i);
    d->minute = two(s + i + 3);
    int sec = two(s + i + 6);
    if (d->hour < 0 || d->hour > 24 || d->minute < 0 || d->minute > 59 ||
        sec < 0 || sec > 59)
      return 0;
    i += 8;
    d->sec = (i128)sec * DEC_SCALE;
    if (i < len && s[i] == '.') {
      i++;
      if (i == len || !is_digit(s[i]))
        return 0;
      i128 fr = DEC_SCALE / 10;
      for (; i < len && is_digit(s[i]); i++) {
        d->sec += fr * (s[i] - '0');
        fr /= 10;
      }
    }
    if (d->hour == 24) {
      /* 24:00:00 is midnight at the end of the day: the next day's 00:00
       * (a time is just 00:00:00) */
      if (d->minute || d->sec)
        return 0;
      d->hour = 0;
      if ((f & F_D) && ++d->day > days_in_month(d->year, d->month)) {
        d->day = 1;
        if (++d->month > 12)
          d->month = 1, d->year++;
      }
    }
  }
  d->has_tz = 0;
  d->tz = 0;
  if (i < len && s[i] == 'Z') {
    d->has_tz = 1;
    i++;
  } else if (i < len && (s[i] == '+' || s[i] == '-')) {
    if (len - i < 6 || s[i + 3] != ':')
      return 0;
    int h = two(s + i + 1), m = two(s + i + 4);
    if (h < 0 || m < 0 || m > 59 || h > 14 || (h == 14 && m))
      return 0;
    d->has_tz = 1;
    d->tz = (s[i] == '-' ? -1 : 1) * (h * 60 + m);
    i += 6;
  }
  return i == len;
}

static int parse_datetime(const char *s, size_t len, dtime *d) {
  return parse_temporal(TY_DATETIME, s, len, d);
}

/* The local name of an XSD datatype IRI, or NULL. */
static const char *xsd_local(const char *dt) {
  if (dt && strncmp(dt, XSD, XSD_LEN) == 0)
    return dt + XSD_LEN;
  return NULL;
}

/* Integer types derived from xsd:integer, with their bounds. */
static const struct {
  const char *name;
  int64_t lo;
  uint64_t hi;
} int_types[] = {
    {"integer", INT64_MIN, INT64_MAX},
    {"long", INT64_MIN, INT64_MAX},
    {"int", INT32_MIN, INT32_MAX},
    {"short", -32768, 32767},
    {"byte", -128, 127},
    {"nonNegativeInteger", 0, INT64_MAX},
    {"positiveInteger", 1, INT64_MAX},
    {"nonPositiveInteger", INT64_MIN, 0},
    {"negativeInteger", INT64_MIN, (uint64_t)-1 /* below */},
    {"unsignedLong", 0, INT64_MAX},
    {"unsignedInt", 0, UINT32_MAX},
    {"unsignedShort", 0, 65535},
    {"unsignedByte", 0, 255},
};

static void classify(nkg_terms *terms, nkg_tid id, val *v) {
  const nkg_term *t = nkg_terms_get(terms, id);
  v->t = t;
  if (t->kind == NKG_T_IRI) {
    v->c = C_IRI;
    return;
  }
  if (t->kind == NKG_T_BNODE) {
    v->c = C_BNODE;
    return;
  }
  if (t->lang) {
    v->c = C_LANG;
    return;
  }
  if (!t->dt) {
    v->c = C_SIMPLE;
    return;
  }
  const char *l = xsd_local(t->dt);
  int ty;
  v->c = C_OTHER;
  if (!l)
    return;
  if (strcmp(l, "boolean") == 0) {
    v->c = C_BAD;
    if (strcmp(t->lex, "true") == 0 || strcmp(t->lex, "1") == 0)
      v->c = C_BOOL, v->b = 1;
    else if (strcmp(t->lex, "false") == 0 || strcmp(t->lex, "0") == 0)
      v->c = C_BOOL, v->b = 0;
  } else if (strcmp(l, "decimal") == 0) {
    v->c = parse_dec(t->lex, t->len, &v->n.d) ? C_NUM : C_BAD;
    v->n.k = N_DEC;
  } else if (strcmp(l, "double") == 0 || strcmp(l, "float") == 0) {
    v->c = parse_double(t->lex, t->len, &v->n.f) ? C_NUM : C_BAD;
    v->n.k = l[0] == 'd' ? N_DBL : N_FLT;
    if (v->n.k == N_FLT)
      v->n.f = (float)v->n.f;
  } else if ((l[0] == 'd' || l[0] == 't' || l[0] == 'g') &&
             (ty = temporal_type(l)) >= 0) {
    /* (the first letter spares the integer types the name lookup) */
    v->c = parse_temporal(ty, t->lex, t->len, &v->dt) ? C_DATETIME : C_BAD;
  } else {
    for (size_t i = 0; i < sizeof int_types / sizeof *int_types; i++) {
      if (strcmp(l, int_types[i].name) != 0)
        continue;
      v->n.k = N_INT;
      v->c = C_BAD;
      if (parse_int(t->lex, t->len, &v->n.i) && v->n.i >= int_types[i].lo &&
          (i == 8 ? v->n.i < 0 : (v->n.i < 0 || (uint64_t)v->n.i <= int_types[i].hi)))
        v->c = C_NUM;
      break;
    }
  }
}

static int is_string(const val *v) { return v->c == C_SIMPLE || v->c == C_LANG; }

/* ---- canonical forms ---------------------------------------------------- */

static void fmt_dec(nkg_buf *b, i128 d) {
  char tmp[64];
  int n = 0;
  unsigned __int128 u = d < 0 ? (unsigned __int128)0 - (unsigned __int128)d
                              : (unsigned __int128)d;
  unsigned __int128 ip = u / (unsigned __int128)DEC_SCALE;
  unsigned __int128 fp = u % (unsigned __int128)DEC_SCALE;
  do {
    tmp[n++] = (char)('0' + (int)(ip % 10));
    ip /= 10;
  } while (ip);
  if (d < 0)
    nkg_buf_addc(b, '-');
  while (n)
    nkg_buf_addc(b, tmp[--n]);
  if (fp) {
    char f[19];
    for (int i = 17; i >= 0; i--) {
      f[i] = (char)('0' + (int)(fp % 10));
      fp /= 10;
    }
    int e = 18;
    while (e > 0 && f[e - 1] == '0')
      e--;
    nkg_buf_addc(b, '.');
    nkg_buf_add(b, f, (size_t)e);
  }
}

/* Shortest digits that read back as x (as a float when single), written
 * without an exponent, as Rust's Display (Oxigraph) does. */
static void fmt_double(nkg_buf *b, double x, int single) {
  if (isnan(x)) {
    nkg_buf_adds(b, "NaN");
    return;
  }
  if (isinf(x)) {
    nkg_buf_adds(b, x < 0 ? "-INF" : "INF");
    return;
  }
  char e[40];
  int maxp = single ? 9 : 17;
  for (int p = 1; p <= maxp; p++) {
    snprintf(e, sizeof e, "%.*e", p - 1, x);
    double back = strtod(e, NULL);
    if (single ? (float)back == (float)x : back == x)
      break;
  }
  /* e is [-]d[.ddd]e[+-]xx */
  char digits[24] = {0};
  int nd = 0, neg = 0;
  const char *p = e;
  if (*p == '-')
    neg = 1, p++;
  for (; *p && *p != 'e'; p++)
    if (is_digit(*p))
      digits[nd++] = *p;
  int exp = *p ? atoi(p + 1) : 0;
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  if (neg)
    nkg_buf_addc(b, '-');
  if (exp < 0) {
    nkg_buf_adds(b, "0.");
    for (int i = -1; i > exp; i--)
      nkg_buf_addc(b, '0');
    nkg_buf_add(b, digits, (size_t)nd);
  } else if (exp + 1 >= nd) {
    nkg_buf_add(b, digits, (size_t)nd);
    for (int i = nd; i <= exp; i++)
      nkg_buf_addc(b, '0');
  } else {
    nkg_buf_add(b, digits, (size_t)exp + 1);
    nkg_buf_addc(b, '.');
    nkg_buf_add(b, digits + exp + 1, (size_t)(nd - exp - 1));
  }
}

/* ---- the environment ---------------------------------------------------- */

typedef struct {
  char *pattern, *flags;
  pcre2_code *code;
} regex_entry;

typedef struct {
  nkg_tid label, node;
} bnode_entry;

struct nkg_x_env {
  nkg_terms *terms;
  char *base;
  nkg_tid now;
  uint64_t rng;
  regex_entry *regexes;
  size_t nregexes;
  pcre2_match_data *md;
  bnode_entry *bnodes; /* BNODE(str) of the current solution */
  size_t nbnodes, capbnodes;
  unsigned long bnode_serial;
  nkg_buf buf; /* scratch for built results; never held across an eval */
};

nkg_x_env *nkg_x_env_new(nkg_terms *terms, const char *base) {
  nkg_x_env *e = nkg_xcalloc(1, sizeof *e);
  e->terms = terms;
  e->base = base ? nkg_xstrdup(base) : NULL;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  e->rng = (uint64_t)ts.tv_sec * UINT64_C(1000000007) ^ (uint64_t)ts.tv_nsec ^
           (uint64_t)(uintptr_t)e;
  return e;
}

void nkg_x_env_free(nkg_x_env *e) {
  if (!e)
    return;
  for (size_t i = 0; i < e->nregexes; i++) {
    free(e->regexes[i].pattern);
    free(e->regexes[i].flags);
    pcre2_code_free(e->regexes[i].code);
  }
  free(e->regexes);
  pcre2_match_data_free(e->md);
  free(e->bnodes);
  nkg_buf_free(&e->buf);
  free(e->base);
  free(e);
}

/* splitmix64 */
static uint64_t rnd(nkg_x_env *e) {
  uint64_t z = (e->rng += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* ---- building results --------------------------------------------------- */

static nkg_tid mk_lit(nkg_terms *t, const char *s, size_t n, const char *lang,
                      const char *dt) {
  return nkg_terms_intern(t, NKG_T_LIT, s, n, lang, dt);
}

static nkg_tid mk_bool(nkg_terms *t, int b) {
  return b ? mk_lit(t, "true", 4, NULL, XSD "boolean")
           : mk_lit(t, "false", 5, NULL, XSD "boolean");
}

static nkg_tid mk_int(nkg_terms *t, int64_t i) {
  char s[32];
  int n = snprintf(s, sizeof s, "%lld", (long long)i);
  return mk_lit(t, s, (size_t)n, NULL, XSD "integer");
}

static void fmt_num(nkg_buf *b, const num *n) {
  switch (n->k) {
  case N_INT:
    nkg_buf_printf(b, "%lld", (long long)n->i);
    break;
  case N_DEC:
    fmt_dec(b, n->d);
    break;
  default:
    fmt_double(b, n->f, n->k == N_FLT);
  }
}

static nkg_tid mk_num(nkg_x_env *e, const num *n) {
  static const char *const dts[] = {NULL, XSD "integer", XSD "decimal",
                                    XSD "float", XSD "double"};
  nkg_buf_clear(&e->buf);
  fmt_num(&e->buf, n);
  return mk_lit(e->terms, e->buf.data, e->buf.len, NULL, dts[n->k]);
}

/* ---- numbers ------------------------------------------------------------ */

static double to_double(const num *n) {
  switch (n->k) {
  case N_INT:
    return (double)n->i;
  case N_DEC: {
    char s[64];
    nkg_buf b = {0};
    fmt_dec(&b, n->d);
    snprintf(s, sizeof s, "%s", b.data);
    nkg_buf_free(&b);
    return strtod(s, NULL);
  }
  default:
    return n->f;
  }
}

static i128 to_dec(const num *n) {
  return n->k == N_INT ? (i128)n->i * DEC_SCALE : n->d;
}

static void promote(num *a, num *b) {
  int k = a->k > b->k ? a->k : b->k;
  num *ns[2] = {a, b};
  for (int i = 0; i < 2; i++) {
    num *n = ns[i];
    if (n->k == k)
      continue;
    if (k == N_DEC)
      n->d = to_dec(n);
    else if (k >= N_FLT)
      n->f = k == N_FLT ? (float)to_double(n) : to_double(n);
    n->k = k;
  }
}

/* |a| * |b| / 10^18 without overflow of the intermediate; 0 on overflow */
static int dec_mul(i128 a, i128 b, i128 *out) {
  int neg = (a < 0) != (b < 0);
  if (a < 0)
    a = -a;
  if (b < 0)
    b = -b;
  i128 ah = a / DEC_SCALE, al = a % DEC_SCALE;
  i128 bh = b / DEC_SCALE, bl = b % DEC_SCALE;
  i128 r, t;
  if (__builtin_mul_overflow(ah, b, &r))
    return 0;
  if (__builtin_mul_overflow(al, bh, &t) || __builtin_add_overflow(r, t, &r))
    return 0;
  if (__builtin_add_overflow(r, al * bl / DEC_SCALE, &r))
    return 0;
  *out = neg ? -r : r;
  return 1;
}

/* a / b to 18 fractional digits, truncated (as Oxigraph) */
static int dec_div(i128 a, i128 b, i128 *out) {
  if (b == 0)
    return 0;
  int neg = (a < 0) != (b < 0);
  if (a < 0)
    a = -a;
  if (b < 0)
    b = -b;
  i128 q = a / b, r = a % b, f = 0;
  for (int i = 0; i < 18; i++) {
    if (__builtin_mul_overflow(r, 10, &r))
      return 0;
    f = f * 10 + r / b;
    r %= b;
  }
  if (__builtin_mul_overflow(q, DEC_SCALE, &q) || __builtin_add_overflow(q, f, &q))
    return 0;
  *out = neg ? -q : q;
  return 1;
}

static int arith(nkg_x_kind op, num a, num b, num *r) {
  if (op == X_DIV && a.k == N_INT && b.k == N_INT)
    a.k = b.k = N_DEC, a.d = (i128)a.i * DEC_SCALE, b.d = (i128)b.i * DEC_SCALE;
  promote(&a, &b);
  r->k = a.k;
  switch (a.k) {
  case N_INT:
    if (op == X_ADD)
      return !__builtin_add_overflow(a.i, b.i, &r->i);
    if (op == X_SUB)
      return !__builtin_sub_overflow(a.i, b.i, &r->i);
    return !__builtin_mul_overflow(a.i, b.i, &r->i);
  case N_DEC:
    if (op == X_ADD)
      return !__builtin_add_overflow(a.d, b.d, &r->d);
    if (op == X_SUB)
      return !__builtin_sub_overflow(a.d, b.d, &r->d);
    if (op == X_MUL)
      return dec_mul(a.d, b.d, &r->d);
    return dec_div(a.d, b.d, &r->d);
  default: {
    double x = op == X_ADD   ? a.f + b.f
               : op == X_SUB ? a.f - b.f
               : op == X_MUL ? a.f * b.f
                             : a.f / b.f;
    r->f = a.k == N_FLT ? (float)x : x;
    return 1;
  }
  }
}

/* <0, 0, >0, or 2 when unordered (NaN) */
static int num_cmp(num a, num b) {
  promote(&a, &b);
  switch (a.k) {
  case N_INT:
    return (a.i > b.i) - (a.i < b.i);
  case N_DEC:
    return (a.d > b.d) - (a.d < b.d);
  default:
    if (isnan(a.f) || isnan(b.f))
      return 2;
    return (a.f > b.f) - (a.f < b.f);
  }
}

/* ---- dates -------------------------------------------------------------- */

/* seconds since the epoch (scaled), taking a missing timezone as Z */
static i128 dt_instant(const dtime *d) {
  int64_t days = nkg_days_from_civil(d->year, d->month, d->day);
  int64_t s = days * 86400 + d->hour * 3600 + d->minute * 60 - d->tz * 60;
  return (i128)s * DEC_SCALE + d->sec;
}

/* <0, 0, >0, or 2 when indeterminate (one has a timezone, the other not,
 * and they are within 14 hours) */
static int dt_cmp(const dtime *a, const dtime *b) {
  i128 x = dt_instant(a), y = dt_instant(b);
  if (a->has_tz != b->has_tz) {
    i128 h14 = (i128)14 * 3600 * DEC_SCALE;
    i128 diff = x - y;
    if (diff < h14 && diff > -h14)
      return 2;
  }
  return (x > y) - (x < y);
}

/* ---- equality, order, EBV ------------------------------------------------ */

int nkg_x_equal(nkg_terms *terms, nkg_tid a, nkg_tid b) {
  val x, y;
  classify(terms, a, &x);
  classify(terms, b, &y);
  if (x.c == C_NUM && y.c == C_NUM) {
    int c = num_cmp(x.n, y.n);
    return c == 0;
  }
  if (a == b)
    return 1;
  if (x.c == C_BOOL && y.c == C_BOOL)
    return x.b == y.b;
  if (x.c == C_DATETIME && y.c == C_DATETIME)
    return x.dt.ty == y.dt.ty && dt_cmp(&x.dt, &y.dt) == 0;
  if (x.c <= C_BNODE || y.c <= C_BNODE)
    return 0;
  if (x.c == C_LANG || y.c == C_LANG)
    return 0;
  if (x.c == C_OTHER || x.c == C_BAD || y.c == C_OTHER || y.c == C_BAD)
    return NKG_X_EQ_ERROR;
  return 0;
}

/* '<' where the recommendation defines it: <0, 0, >0, or 2 when it does
 * not (a type error) */
static int value_cmp(const val *x, const val *y) {
  if (x->c == C_NUM && y->c == C_NUM)
    return num_cmp(x->n, y->n);
  if (x->c == C_SIMPLE && y->c == C_SIMPLE) {
    int c = strcmp(x->t->lex, y->t->lex);
    return (c > 0) - (c < 0);
  }
  if (x->c == C_LANG && y->c == C_LANG && x->t->lang == y->t->lang) {
    int c = strcmp(x->t->lex, y->t->lex);
    return (c > 0) - (c < 0);
  }
  if (x->c == C_BOOL && y->c == C_BOOL)
    return x->b - y->b;
  if (x->c == C_DATETIME && y->c == C_DATETIME && x->dt.ty == y->dt.ty)
    return dt_cmp(&x->dt, &y->dt);
  return 2;
}

int nkg_x_order(nkg_terms *terms, nkg_tid a, nkg_tid b) {
  if (a == b)
    return 0;
  if (!a || !b)
    return a ? 1 : -1;
  const nkg_term *x = nkg_terms_get(terms, a), *y = nkg_terms_get(terms, b);
  static const int rank[] = {0, 2, 1, 3}; /* by kind: IRI 2, bnode 1 */
  if (x->kind != y->kind)
    return rank[x->kind] - rank[y->kind];
  int c;
  if (x->kind == NKG_T_LIT) {
    val vx, vy;
    classify(terms, a, &vx);
    classify(terms, b, &vy);
    c = value_cmp(&vx, &vy);
    if (c != 0 && c != 2)
      return c;
  }
  c = strcmp(x->lex, y->lex);
  if (c)
    return c;
  c = strcmp(x->dt ? x->dt : XSD "string", y->dt ? y->dt : XSD "string");
  if (c)
    return c;
  return strcmp(x->lang ? x->lang : "", y->lang ? y->lang : "");
}

int nkg_x_term_ebv(nkg_terms *terms, nkg_tid id) {
  val v;
  classify(terms, id, &v);
  switch (v.c) {
  case C_BOOL:
    return v.b;
  case C_SIMPLE:
    return v.t->len > 0;
  case C_NUM:
    if (v.n.k == N_INT)
      return v.n.i != 0;
    if (v.n.k == N_DEC)
      return v.n.d != 0;
    return !(isnan(v.n.f) || v.n.f == 0);
  case C_BAD: {
    /* an ill-typed boolean or number has the EBV false */
    const char *l = xsd_local(v.t->dt);
    if (l && temporal_type(l) < 0)
      return 0;
    return -2;
  }
  default:
    return -2;
  }
}

/* ---- evaluation --------------------------------------------------------- */

static int eval(nkg_x_ctx *ctx, const nkg_x *x, nkg_tid *out);

/* The EBV with errors kept apart: 1, 0, EBV_ERROR, or -1. */
#define EBV_ERROR 2
static int ebv3(nkg_x_ctx *ctx, const nkg_x *x) {
  nkg_tid v;
  int r = eval(ctx, x, &v);
  if (r != NKG_X_OK)
    return r < 0 ? -1 : EBV_ERROR;
  int b = nkg_x_term_ebv(ctx->terms, v);
  return b == -2 ? EBV_ERROR : b;
}

#define TRY_ARG(i, v)                                                          \
  do {                                                                         \
    int r_ = eval(ctx, x->args[i], &(v));                                      \
    if (r_)                                                                    \
      return r_;                                                               \
  } while (0)

static int ret_bool(nkg_x_ctx *ctx, int b, nkg_tid *out) {
  *out = mk_bool(ctx->terms, b);
  return NKG_X_OK;
}

static int compare_op(nkg_x_ctx *ctx, nkg_x_kind op, nkg_tid a, nkg_tid b,
                      nkg_tid *out) {
  if (op == X_EQ || op == X_NE) {
    int r = nkg_x_equal(ctx->terms, a, b);
    if (r == NKG_X_EQ_ERROR)
      return NKG_X_ERROR;
    return ret_bool(ctx, op == X_EQ ? r : !r, out);
  }
  val x, y;
  classify(ctx->terms, a, &x);
  classify(ctx->terms, b, &y);
  int c = value_cmp(&x, &y);
  if (c == 2) {
    /* NaN compares false; anything else undefined is an error */
    if (x.c == C_NUM && y.c == C_NUM)
      return ret_bool(ctx, 0, out);
    return NKG_X_ERROR;
  }
  int r = op == X_LT ? c < 0 : op == X_GT ? c > 0 : op == X_LE ? c <= 0 : c >= 0;
  return ret_bool(ctx, r, out);
}

/* Arguments of the string functions: both strings, and either the second
 * is simple or both have the same language (section 17.4.3.1.1). */
static int compatible(const val *a, const val *b) {
  if (!is_string(a) || !is_string(b))
    return 0;
  return b->c == C_SIMPLE || (a->c == C_LANG && a->t->lang == b->t->lang);
}

static int ret_str(nkg_x_ctx *ctx, const char *s, size_t n, const char *lang,
                   nkg_tid *out) {
  *out = mk_lit(ctx->terms, s, n, lang, NULL);
  return NKG_X_OK;
}

static size_t utf8_next(const char *s, size_t n, size_t i) {
  i++;
  while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
    i++;
  return i;
}

static uint32_t utf8_decode(const char *s, size_t n, size_t i, size_t *next) {
  const unsigned char *u = (const unsigned char *)s;
  uint32_t c = u[i];
  size_t k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
  if (k)
    c &= 0x3F >> k;
  size_t j = i + 1;
  for (; k && j < n; k--, j++)
    c = (c << 6) | (u[j] & 0x3F);
  *next = j;
  return c;
}

static void utf8_encode(nkg_buf *b, uint32_t c) {
  char s[4];
  if (c < 0x80) {
    nkg_buf_addc(b, (char)c);
  } else if (c < 0x800) {
    s[0] = (char)(0xC0 | (c >> 6));
    s[1] = (char)(0x80 | (c & 0x3F));
    nkg_buf_add(b, s, 2);
  } else if (c < 0x10000) {
    s[0] = (char)(0xE0 | (c >> 12));
    s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    s[2] = (char)(0x80 | (c & 0x3F));
    nkg_buf_add(b, s, 3);
  } else {
    s[0] = (char)(0xF0 | (c >> 18));
    s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    s[3] = (char)(0x80 | (c & 0x3F));
    nkg_buf_add(b, s, 4);
  }
}

/* Simple case mappings: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic
 * (enough for the languages of the news; no locale is consulted). */
static uint32_t to_upper(uint32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
      (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) || (c >= 0x430 && c <= 0x44F))
    return c - 0x20;
  if (c >= 0x450 && c <= 0x45F)
    return c - 0x50;
  if (c == 0xFF)
    return 0x178;
  if (c >= 0x100 && c <= 0x17F && c != 0x131 && c != 0x138 && c != 0x149 &&
      c != 0x17F) {
    int odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper ? !(c & 1) : (c & 1))
      return c - 1;
  }
  return c;
}

static uint32_t to_lower(uint32_t c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
      (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
    return c + 0x20;
  if (c >= 0x400 && c <= 0x40F)
    return c + 0x50;
  if (c == 0x178)
    return 0xFF;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 &&
      c != 0x17F) {
    int odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper ? (c & 1) : !(c & 1))
      return c + 1;
  }
  return c;
}

static const char *find_sub(const char *h, size_t hn, const char *n, size_t nn) {
  if (nn == 0)
    return h;
  if (nn > hn)
    return NULL;
  for (size_t i = 0; i + nn <= hn; i++)
    if (h[i] == n[0] && memcmp(h + i, n, nn) == 0)
      return h + i;
  return NULL;
}

/* The compiled pattern of REGEX/REPLACE, cached in the env; NULL when the
 * pattern or the flags are invalid. */
static pcre2_code *get_regex(nkg_x_env *e, const char *pat, const char *flags) {
  for (size_t i = 0; i < e->nregexes; i++)
    if (strcmp(e->regexes[i].pattern, pat) == 0 &&
        strcmp(e->regexes[i].flags, flags) == 0)
      return e->regexes[i].code;
  uint32_t opts = PCRE2_UTF;
  for (const char *f = flags; *f; f++) {
    switch (*f) {
    case 'i': opts |= PCRE2_CASELESS; break;
    case 's': opts |= PCRE2_DOTALL; break;
    case 'm': opts |= PCRE2_MULTILINE; break;
    case 'x': opts |= PCRE2_EXTENDED; break;
    case 'q': opts |= PCRE2_LITERAL; break;
    default: return NULL;
    }
  }
  int err;
  PCRE2_SIZE off;
  pcre2_code *code =
      pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);
  if (!code)
    return NULL;
  /* a failed entry is not cached: invalid patterns are rare */
  e->regexes = nkg_xrealloc(e->regexes, (e->nregexes + 1) * sizeof *e->regexes);
  e->regexes[e->nregexes].pattern = nkg_xstrdup(pat);
  e->regexes[e->nregexes].flags = nkg_xstrdup(flags);
  e->regexes[e->nregexes].code = code;
  e->nregexes++;
  return code;
}

static pcre2_match_data *match_data(nkg_x_env *e) {
  if (!e->md)
    e->md = pcre2_match_data_create(32, NULL);
  if (!e->md) {
    fputs("newskg: out of memory\n", stderr);
    abort();
  }
  return e->md;
}

/* REPLACE's replacement string as XPath defines it: $N is a group, \$ and
 * \\ are escapes, any other \ or a $ without a digit is an error. */
static int expand(nkg_buf *b, const char *rep, const char *subj,
                  PCRE2_SIZE *ov, uint32_t ngroups) {
  for (const char *p = rep; *p; p++) {
    if (*p == '\\') {
      if (p[1] != '\\' && p[1] != '$')
        return 0;
      nkg_buf_addc(b, *++p);
    } else if (*p == '$') {
      if (!is_digit(p[1]))
        return 0;
      uint32_t g = (uint32_t)(*++p - '0');
      while (is_digit(p[1]) && g * 10 + (uint32_t)(p[1] - '0') < ngroups)
        g = g * 10 + (uint32_t)(*++p - '0');
      if (g < ngroups && ov[2 * g] != PCRE2_UNSET)
        nkg_buf_add(b, subj + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    } else {
      nkg_buf_addc(b, *p);
    }
  }
  return 1;
}

static int hash_fn(nkg_x_ctx *ctx, const char *name, const val *v, nkg_tid *out) {
  uint8_t d[SHA512_DIGEST_SIZE];
  size_t n = 0;
  const uint8_t *s = (const uint8_t *)v->t->lex;
  if (strcmp(name, "MD5") == 0) {
    struct md5_ctx c;
    md5_init(&c);
    md5_update(&c, v->t->len, s);
    md5_digest(&c, n = MD5_DIGEST_SIZE, d);
  } else if (strcmp(name, "SHA1") == 0) {
    struct sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, v->t->len, s);
    sha1_digest(&c, n = SHA1_DIGEST_SIZE, d);
  } else if (strcmp(name, "SHA256") == 0) {
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, v->t->len, s);
    sha256_digest(&c, n = SHA256_DIGEST_SIZE, d);
  } else if (strcmp(name, "SHA384") == 0) {
    struct sha384_ctx c;
    sha384_init(&c);
    sha384_update(&c, v->t->len, s);
    sha384_digest(&c, n = SHA384_DIGEST_SIZE, d);
  } else {
    struct sha512_ctx c;
    sha512_init(&c);
    sha512_update(&c, v->t->len, s);
    sha512_digest(&c, n = SHA512_DIGEST_SIZE, d);
  }
  char hex[2 * SHA512_DIGEST_SIZE];
  for (size_t i = 0; i < n; i++) {
    hex[2 * i] = "0123456789abcdef"[d[i] >> 4];
    hex[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
  }
  return ret_str(ctx, hex, 2 * n, NULL, out);
}

static void fmt_uuid(nkg_x_env *e, char s[37]) {
  uint64_t a = rnd(e), b = rnd(e);
  a = (a & ~UINT64_C(0xF000)) | UINT64_C(0x4000);              /* version 4 */
  b = (b & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62);       /* variant */
  snprintf(s, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
           (unsigned)((a >> 16) & 0xFFFF), (unsigned)(a & 0xFFFF),
           (unsigned)(b >> 48), (unsigned long long)(b & UINT64_C(0xFFFFFFFFFFFF)));
}

static nkg_tid now_term(nkg_x_env *e) {
  if (!e->now) {
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    char s[64];
    int n = snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
    e->now = mk_lit(e->terms, s, (size_t)n, NULL, XSD "dateTime");
  }
  return e->now;
}

static int has_scheme(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
    return 0;
  for (s++; *s; s++) {
    if (*s == ':')
      return 1;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          is_digit(*s) || *s == '+' || *s == '-' || *s == '.'))
      return 0;
  }
  return 0;
}

static double xpath_round(double x) { return floor(x + 0.5); }

static int call_substr(nkg_x_ctx *ctx, const nkg_x *x, nkg_tid *out) {
  nkg_tid a, s, l = 0;
  TRY_ARG(0, a);
  TRY_ARG(1, s);
  if (x->nargs > 2)
    TRY_ARG(2, l);
  val va, vs, vl;
  classify(ctx->terms, a, &va);
  classify(ctx->terms, s, &vs);
  if (!is_string(&va) || vs.c != C_NUM)
    return NKG_X_ERROR;
  double start = xpath_round(to_double(&vs.n)), end = HUGE_VAL;
  if (l) {
    classify(ctx->terms, l, &vl);
    if (vl.c != C_NUM)
      return NKG_X_ERROR;
    end = start + xpath_round(to_double(&vl.n));
  }
  /* characters at positions p (1-based) with start <= p < end */
  const char *str = va.t->lex;
  size_t n = va.t->len, i = 0, from = n, to = n;
  double p = 1;
  int in = 0;
  for (; i < n; i = utf8_next(str, n, i), p++) {
    int want = p >= start && p < end;
    if (want && !in)
      from = i, in = 1;
    if (!want && in) {
      to = i;
      break;
    }
  }
  if (!in)
    from = to = 0;
  return ret_str(ctx, str + from, to - from, va.t->lang, out);
}

static int call_regex(nkg_x_ctx *ctx, const nkg_x *x, int replace, nkg_tid *out) {
  nkg_tid a, p, r = 0, f = 0;
  TRY_ARG(0, a);
  TRY_ARG(1, p);
  size_t fi = replace ? 3 : 2;
  if (replace)
    TRY_ARG(2, r);
  if (x->nargs > fi)
    TRY_ARG(fi, f);
  val va, vp, vr, vf;
  classify(ctx->terms, a, &va);
  classify(ctx->terms, p, &vp);
  if (!is_string(&va) || vp.c != C_SIMPLE)
    return NKG_X_ERROR;
  const char *flags = "";
  if (f) {
    classify(ctx->terms, f, &vf);
    if (vf.c != C_SIMPLE)
      return NKG_X_ERROR;
    flags = vf.t->lex;
  }
  if (replace) {
    classify(ctx->terms, r, &vr);
    if (vr.c != C_SIMPLE)
      return NKG_X_ERROR;
  }
  pcre2_code *code = get_regex(ctx->env, vp.t->lex, flags);
  if (!code)
    return NKG_X_ERROR;
  pcre2_match_data *md = match_data(ctx->env);
  const char *s = va.t->lex;
  size_t n = va.t->len;
  if (!replace) {
    int rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
      return NKG_X_ERROR;
    return ret_bool(ctx, rc >= 0, out);
  }
  uint32_t ngroups = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ngroups);
  ngroups++;
  nkg_buf b = {0};
  size_t pos = 0, copied = 0;
  while (pos <= n) {
    int rc = pcre2_match(code, (PCRE2_SPTR)s, n, pos, 0, md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
      break;
    if (rc < 0) {
      nkg_buf_free(&b);
      return NKG_X_ERROR;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    nkg_buf_add(&b, s + copied, ov[0] - copied);
    if (ngroups > pcre2_get_ovector_count(md))
      ngroups = pcre2_get_ovector_count(md);
    if (!expand(&b, vr.t->lex, s, ov, ngroups)) {
      nkg_buf_free(&b);
      return NKG_X_ERROR;
    }
    copied = ov[1];
    if (ov[1] == ov[0]) {
      /* an empty match: keep the next character and move past it */
      if (ov[1] >= n)
        break;
      size_t nx = utf8_next(s, n, ov[1]);
      nkg_buf_add(&b, s + ov[1], nx - ov[1]);
      copied = pos = nx;
    } else {
      pos = ov[1];
    }
  }
  if (copied < n)
    nkg_buf_add(&b, s + copied, n - copied);
  int rc = ret_str(ctx, b.data ? b.data : "", b.len, va.t->lang, out);
  nkg_buf_free(&b);
  return rc;
}

/* Evaluates every argument of x into vals (at most 8). */
static int eval_args(nkg_x_ctx *ctx, const nkg_x *x, nkg_tid *ids, val *vals) {
  for (size_t i = 0; i < x->nargs && i < 8; i++) {
    int r = eval(ctx, x->args[i], &ids[i]);
    if (r)
      return r;
    classify(ctx->terms, ids[i], &vals[i]);
  }
  return NKG_X_OK;
}

static int call_dt_part(nkg_x_ctx *ctx, const char *name, const val *v,
                        nkg_tid *out) {
  if (v->c != C_DATETIME)
    return NKG_X_ERROR;
  const dtime *d = &v->dt;
  nkg_x_env *e = ctx->env;
  /* YEAR of an xsd:time, HOURS of an xsd:date...: a type error */
  int f = temporal_types[d->ty].fields;
  int need = name[0] == 'Y' ? F_Y : name[0] == 'M' && name[1] == 'O' ? F_M
             : name[0] == 'D' ? F_D : name[0] == 'T' ? 0 : F_T;
  if (need && !(f & need))
    return NKG_X_ERROR;
  if (strcmp(name, "YEAR") == 0)
    *out = mk_int(ctx->terms, d->year);
  else if (strcmp(name, "MONTH") == 0)
    *out = mk_int(ctx->terms, d->month);
  else if (strcmp(name, "DAY") == 0)
    *out = mk_int(ctx->terms, d->day);
  else if (strcmp(name, "HOURS") == 0)
    *out = mk_int(ctx->terms, d->hour);
  else if (strcmp(name, "MINUTES") == 0)
    *out = mk_int(ctx->terms, d->minute);
  else if (strcmp(name, "SECONDS") == 0) {
    num n = {.k = N_DEC, .d = d->sec};
    *out = mk_num(e, &n);
  } else if (strcmp(name, "TZ") == 0) {
    char s[16];
    if (!d->has_tz)
      return ret_str(ctx, "", 0, NULL, out);
    if (d->tz == 0)
      return ret_str(ctx, "Z", 1, NULL, out);
    int a = d->tz < 0 ? -d->tz : d->tz;
    snprintf(s, sizeof s, "%c%02d:%02d", d->tz < 0 ? '-' : '+', a / 60, a % 60);
    return ret_str(ctx, s, 6, NULL, out);
  } else { /* TIMEZONE */
    if (!d->has_tz)
      return NKG_X_ERROR;
    nkg_buf_clear(&e->buf);
    int a = d->tz < 0 ? -d->tz : d->tz;
    nkg_buf_adds(&e->buf, d->tz < 0 ? "-PT" : "PT");
    if (a == 0)
      nkg_buf_adds(&e->buf, "0S");
    if (a / 60)
      nkg_buf_printf(&e->buf, "%dH", a / 60);
    if (a % 60)
      nkg_buf_printf(&e->buf, "%dM", a % 60);
    *out = mk_lit(ctx->terms, e->buf.data, e->buf.len, NULL,
                  XSD "dayTimeDuration");
  }
  return NKG_X_OK;
}

static int call(nkg_x_ctx *ctx, const nkg_x *x, nkg_tid *out) {
  const char *name = x->name;
  nkg_terms *T = ctx->terms;
  nkg_x_env *e = ctx->env;

  /* forms that do not evaluate all their arguments first */
  if (strcmp(name, "BOUND") == 0) {
    if (x->nargs != 1 || x->args[0]->kind != X_VAR)
      return NKG_X_ERROR;
    int v = x->args[0]->var;
    return ret_bool(ctx, v >= 0 && (size_t)v < ctx->nvars && ctx->row[v], out);
  }
  if (strcmp(name, "IF") == 0) {
    if (x->nargs != 3)
      return NKG_X_ERROR;
    int b = ebv3(ctx, x->args[0]);
    if (b < 0 || b == EBV_ERROR)
      return b < 0 ? -1 : NKG_X_ERROR;
    return eval(ctx, x->args[b ? 1 : 2], out);
  }
  if (strcmp(name, "COALESCE") == 0) {
    for (size_t i = 0; i < x->nargs; i++) {
      int r = eval(ctx, x->args[i], out);
      if (r != NKG_X_ERROR)
        return r;
    }
    return NKG_X_ERROR;
  }
  if (strcmp(name, "REGEX") == 0)
    return x->nargs >= 2 ? call_regex(ctx, x, 0, out) : NKG_X_ERROR;
  if (strcmp(name, "REPLACE") == 0)
    return x->nargs >= 3 ? call_regex(ctx, x, 1, out) : NKG_X_ERROR;
  if (strcmp(name, "SUBSTR") == 0)
    return x->nargs >= 2 ? call_substr(ctx, x, out) : NKG_X_ERROR;

  if (strcmp(name, "NOW") == 0) {
    *out = now_term(e);
    return NKG_X_OK;
  }
  if (strcmp(name, "RAND") == 0) {
    num n = {.k = N_DBL, .f = (double)(rnd(e) >> 11) * 0x1.0p-53};
    *out = mk_num(e, &n);
    return NKG_X_OK;
  }
  if (strcmp(name, "UUID") == 0 || strcmp(name, "STRUUID") == 0) {
    char s[48];
    memcpy(s, "urn:uuid:", 9);
    fmt_uuid(e, s + 9);
    if (name[0] == 'U')
      *out = nkg_terms_intern(T, NKG_T_IRI, s, 45, NULL, NULL);
    else
      *out = mk_lit(T, s + 9, 36, NULL, NULL);
    return NKG_X_OK;
  }
  if (strcmp(name, "BNODE") == 0 && x->nargs == 0) {
    *out = nkg_terms_fresh_bnode(T);
    return NKG_X_OK;
  }

  nkg_tid id[8];
  val v[8];
  if (x->nargs > 8 && strcmp(name, "CONCAT") != 0)
    return NKG_X_ERROR;
  if (strcmp(name, "CONCAT") == 0) {
    /* any number of arguments: evaluate one at a time */
    nkg_buf b = {0};
    const char *lang = NULL;
    int same = 1;
    for (size_t i = 0; i < x->nargs; i++) {
      nkg_tid a;
      val va;
      int r = eval(ctx, x->args[i], &a);
      if (!r) {
        classify(T, a, &va);
        if (!is_string(&va))
          r = NKG_X_ERROR;
      }
      if (r) {
        nkg_buf_free(&b);
        return r;
      }
      if (i == 0)
        lang = va.t->lang;
      else if (va.t->lang != lang)
        same = 0;
      nkg_buf_add(&b, va.t->lex, va.t->len);
    }
    *out = mk_lit(T, b.data ? b.data : "", b.len, same ? lang : NULL, NULL);
    nkg_buf_free(&b);
    return NKG_X_OK;
  }
  int r = eval_args(ctx, x, id, v);
  if (r)
    return r;
  size_t n = x->nargs;
#define NARGS(k)                                                               \
  do {                                                                         \
    if (n != (k))                                                              \
      return NKG_X_ERROR;                                                      \
  } while (0)

  if (strcmp(name, "SAMETERM") == 0) {
    NARGS(2);
    return ret_bool(ctx, id[0] == id[1], out);
  }
  if (strcmp(name, "ISIRI") == 0 || strcmp(name, "ISURI") == 0) {
    NARGS(1);
    return ret_bool(ctx, v[0].c == C_IRI, out);
  }
  if (strcmp(name, "ISBLANK") == 0) {
    NARGS(1);
    return ret_bool(ctx, v[0].c == C_BNODE, out);
  }
  if (strcmp(name, "ISLITERAL") == 0) {
    NARGS(1);
    return ret_bool(ctx, v[0].c > C_BNODE, out);
  }
  if (strcmp(name, "ISNUMERIC") == 0) {
    NARGS(1);
    return ret_bool(ctx, v[0].c == C_NUM, out);
  }
  if (strcmp(name, "STR") == 0) {
    NARGS(1);
    if (v[0].c == C_BNODE)
      return NKG_X_ERROR;
    return ret_str(ctx, v[0].t->lex, v[0].t->len, NULL, out);
  }
  if (strcmp(name, "LANG") == 0) {
    NARGS(1);
    if (v[0].c <= C_BNODE)
      return NKG_X_ERROR;
    const char *l = v[0].t->lang ? v[0].t->lang : "";
    return ret_str(ctx, l, strlen(l), NULL, out);
  }
  if (strcmp(name, "DATATYPE") == 0) {
    NARGS(1);
    if (v[0].c <= C_BNODE)
      return NKG_X_ERROR;
    *out = nkg_terms_iri(T, v[0].t->lang ? RDF_LANGSTRING
                            : v[0].t->dt ? v[0].t->dt
                                         : XSD "string");
    return NKG_X_OK;
  }
  if (strcmp(name, "IRI") == 0 || strcmp(name, "URI") == 0) {
    NARGS(1);
    if (v[0].c == C_IRI) {
      *out = id[0];
      return NKG_X_OK;
    }
    if (v[0].c != C_SIMPLE)
      return NKG_X_ERROR;
    const char *s = v[0].t->lex;
    if (has_scheme(s)) {
      *out = nkg_terms_iri(T, s);
      return NKG_X_OK;
    }
    if (!e->base)
      return NKG_X_ERROR;
    size_t cap = strlen(e->base) + v[0].t->len + 16;
    unsigned char *buf = nkg_xmalloc(cap);
    size_t len = raptor_uri_resolve_uri_reference(
        (const unsigned char *)e->base, (const unsigned char *)s, buf, cap);
    if (len)
      *out = nkg_terms_intern(T, NKG_T_IRI, (const char *)buf, len, NULL, NULL);
    free(buf);
    return len ? NKG_X_OK : NKG_X_ERROR;
  }
  if (strcmp(name, "BNODE") == 0) {
    NARGS(1);
    if (v[0].c != C_SIMPLE)
      return NKG_X_ERROR;
    if (e->bnode_serial != ctx->row_serial) {
      e->nbnodes = 0;
      e->bnode_serial = ctx->row_serial;
    }
    for (size_t i = 0; i < e->nbnodes; i++)
      if (e->bnodes[i].label == id[0]) {
        *out = e->bnodes[i].node;
        return NKG_X_OK;
      }
    if (e->nbnodes == e->capbnodes) {
      e->capbnodes = e->capbnodes ? 2 * e->capbnodes : 8;
      e->bnodes = nkg_xrealloc(e->bnodes, e->capbnodes * sizeof *e->bnodes);
    }
    *out = nkg_terms_fresh_bnode(T);
    e->bnodes[e->nbnodes].label = id[0];
    e->bnodes[e->nbnodes++].node = *out;
    return NKG_X_OK;
  }
  if (strcmp(name, "STRDT") == 0) {
    NARGS(2);
    if (v[0].c != C_SIMPLE || v[1].c != C_IRI)
      return NKG_X_ERROR;
    *out = mk_lit(T, v[0].t->lex, v[0].t->len, NULL, v[1].t->lex);
    return NKG_X_OK;
  }
  if (strcmp(name, "STRLANG") == 0) {
    NARGS(2);
    if (v[0].c != C_SIMPLE || v[1].c != C_SIMPLE || v[1].t->len == 0)
      return NKG_X_ERROR;
    return ret_str(ctx, v[0].t->lex, v[0].t->len, v[1].t->lex, out);
  }
  if (strcmp(name, "STRLEN") == 0) {
    NARGS(1);
    if (!is_string(&v[0]))
      return NKG_X_ERROR;
    *out = mk_int(T, (int64_t)nkg_utf8_count(v[0].t->lex, v[0].t->len));
    return NKG_X_OK;
  }
  if (strcmp(name, "UCASE") == 0 || strcmp(name, "LCASE") == 0) {
    NARGS(1);
    if (!is_string(&v[0]))
      return NKG_X_ERROR;
    nkg_buf_clear(&e->buf);
    const char *s = v[0].t->lex;
    size_t len = v[0].t->len;
    for (size_t i = 0; i < len;) {
      size_t nx;
      uint32_t c = utf8_decode(s, len, i, &nx);
      if (c == 0xDF && name[0] == 'U')
        nkg_buf_adds(&e->buf, "SS"); /* the one common 1:2 mapping */
      else
        utf8_encode(&e->buf, name[0] == 'U' ? to_upper(c) : to_lower(c));
      i = nx;
    }
    return ret_str(ctx, e->buf.data ? e->buf.data : "", e->buf.len,
                   v[0].t->lang, out);
  }
  if (strcmp(name, "STRSTARTS") == 0 || strcmp(name, "STRENDS") == 0 ||
      strcmp(name, "CONTAINS") == 0 || strcmp(name, "STRBEFORE") == 0 ||
      strcmp(name, "STRAFTER") == 0) {
    NARGS(2);
    if (!compatible(&v[0], &v[1]))
      return NKG_X_ERROR;
    const char *a = v[0].t->lex, *b = v[1].t->lex;
    size_t an = v[0].t->len, bn = v[1].t->len;
    if (strcmp(name, "STRSTARTS") == 0)
      return ret_bool(ctx, an >= bn && memcmp(a, b, bn) == 0, out);
    if (strcmp(name, "STRENDS") == 0)
      return ret_bool(ctx, an >= bn && memcmp(a + an - bn, b, bn) == 0, out);
    const char *at = find_sub(a, an, b, bn);
    if (strcmp(name, "CONTAINS") == 0)
      return ret_bool(ctx, at != NULL, out);
    if (!at)
      return ret_str(ctx, "", 0, NULL, out);
    if (strcmp(name, "STRBEFORE") == 0)
      return ret_str(ctx, a, (size_t)(at - a), v[0].t->lang, out);
    return ret_str(ctx, at + bn, an - (size_t)(at - a) - bn, v[0].t->lang, out);
  }
  if (strcmp(name, "ENCODE_FOR_URI") == 0) {
    NARGS(1);
    if (!is_string(&v[0]))
      return NKG_X_ERROR;
    nkg_buf_clear(&e->buf);
    for (size_t i = 0; i < v[0].t->len; i++) {
      unsigned char c = (unsigned char)v[0].t->lex[i];
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit((char)c) ||
          c == '-' || c == '.' || c == '_' || c == '~')
        nkg_buf_addc(&e->buf, (char)c);
      else
        nkg_buf_printf(&e->buf, "%%%02X", c);
    }
    return ret_str(ctx, e->buf.data ? e->buf.data : "", e->buf.len, NULL, out);
  }
  if (strcmp(name, "LANGMATCHES") == 0) {
    NARGS(2);
    if (v[0].c != C_SIMPLE || v[1].c != C_SIMPLE)
      return NKG_X_ERROR;
    const char *tag = v[0].t->lex, *range = v[1].t->lex;
    size_t rn = v[1].t->len;
    if (strcmp(range, "*") == 0)
      return ret_bool(ctx, *tag != '\0', out);
    int m = strncasecmp(tag, range, rn) == 0 &&
            (tag[rn] == '\0' || (tag[rn] == '-' && rn > 0));
    return ret_bool(ctx, m, out);
  }
  if (strcmp(name, "ABS") == 0 || strcmp(name, "ROUND") == 0 ||
      strcmp(name, "CEIL") == 0 || strcmp(name, "FLOOR") == 0) {
    NARGS(1);
    if (v[0].c != C_NUM)
      return NKG_X_ERROR;
    num m = v[0].n;
    char op = name[0] == 'A' ? 'a' : name[0] == 'R' ? 'r' : name[0] == 'C' ? 'c' : 'f';
    if (m.k == N_INT) {
      if (op == 'a' && m.i < 0) {
        if (m.i == INT64_MIN)
          return NKG_X_ERROR;
        m.i = -m.i;
      }
    } else if (m.k == N_DEC) {
      i128 fl = m.d / DEC_SCALE * DEC_SCALE;
      if (fl > m.d)
        fl -= DEC_SCALE; /* floor of a negative */
      if (op == 'a')
        m.d = m.d < 0 ? -m.d : m.d;
      else if (op == 'f')
        m.d = fl;
      else if (op == 'c')
        m.d = fl == m.d ? fl : fl + DEC_SCALE;
      else
        m.d = (m.d - fl) * 2 >= DEC_SCALE ? fl + DEC_SCALE : fl;
    } else {
      double f = op == 'a' ? fabs(m.f) : op == 'f' ? floor(m.f)
                 : op == 'c' ? ceil(m.f) : round(m.f);
      m.f = m.k == N_FLT ? (float)f : f;
    }
    *out = mk_num(e, &m);
    return NKG_X_OK;
  }
  if (strcmp(name, "YEAR") == 0 || strcmp(name, "MONTH") == 0 ||
      strcmp(name, "DAY") == 0 || strcmp(name, "HOURS") == 0 ||
      strcmp(name, "MINUTES") == 0 || strcmp(name, "SECONDS") == 0 ||
      strcmp(name, "TIMEZONE") == 0 || strcmp(name, "TZ") == 0) {
    NARGS(1);
    return call_dt_part(ctx, name, &v[0], out);
  }
  if (strcmp(name, "MD5") == 0 || strncmp(name, "SHA", 3) == 0) {
    NARGS(1);
    if (v[0].c != C_SIMPLE)
      return NKG_X_ERROR;
    if (name[0] == 'S' && strcmp(name, "SHA1") != 0 && strcmp(name, "SHA256") != 0 &&
        strcmp(name, "SHA384") != 0 && strcmp(name, "SHA512") != 0)
      return NKG_X_ERROR;
    return hash_fn(ctx, name, &v[0], out);
  }
  return NKG_X_ERROR;
#undef NARGS
}

/* ---- casts (section 17.5) ---------------------------------------------- */

static int cast(nkg_x_ctx *ctx, const char *to, nkg_tid a, nkg_tid *out) {
  nkg_terms *T = ctx->terms;
  nkg_x_env *e = ctx->env;
  val v;
  classify(T, a, &v);
  if (v.c == C_BNODE || (v.c == C_LANG && strcmp(to, "string") != 0))
    return NKG_X_ERROR;
  const char *lex = v.t->lex;
  size_t len = v.t->len;
  if (strcmp(to, "string") == 0) {
    if (v.c == C_NUM) {
      nkg_buf_clear(&e->buf);
      fmt_num(&e->buf, &v.n);
      return ret_str(ctx, e->buf.data, e->buf.len, NULL, out);
    }
    if (v.c == C_BOOL)
      return ret_str(ctx, v.b ? "true" : "false", v.b ? 4 : 5, NULL, out);
    return ret_str(ctx, lex, len, NULL, out);
  }
  if (v.c == C_IRI || v.c == C_OTHER || v.c == C_BAD)
    return NKG_X_ERROR;
  num n = {0};
  if (strcmp(to, "boolean") == 0) {
    int b;
    if (v.c == C_BOOL)
      b = v.b;
    else if (v.c == C_NUM)
      b = nkg_x_term_ebv(T, a);
    else if (v.c == C_SIMPLE && (strcmp(lex, "true") == 0 || strcmp(lex, "1") == 0))
      b = 1;
    else if (v.c == C_SIMPLE && (strcmp(lex, "false") == 0 || strcmp(lex, "0") == 0))
      b = 0;
    else
      return NKG_X_ERROR;
    return ret_bool(ctx, b, out);
  }
  if (strcmp(to, "dateTime") == 0) {
    dtime d;
    if ((v.c == C_DATETIME && v.dt.ty == TY_DATETIME) ||
        (v.c == C_SIMPLE && parse_datetime(lex, len, &d))) {
      /* trailing zeros of the seconds' fraction go (canonical form) */
      nkg_buf_clear(&e->buf);
      nkg_buf_add(&e->buf, lex, len);
      char *dot = memchr(e->buf.data, '.', e->buf.len);
      if (dot) {
        char *end = dot + 1;
        while (end < e->buf.data + e->buf.len && is_digit(*end))
          end++;
        char *keep = end;
        while (keep > dot + 1 && keep[-1] == '0')
          keep--;
        if (keep == dot + 1)
          keep = dot;
        size_t tail = (size_t)(e->buf.data + e->buf.len - end);
        memmove(keep, end, tail);
        e->buf.len = (size_t)(keep - e->buf.data) + tail;
      }
      *out = mk_lit(T, e->buf.data, e->buf.len, NULL, XSD "dateTime");
      return NKG_X_OK;
    }
    return NKG_X_ERROR;
  }
  if (v.c == C_DATETIME)
    return NKG_X_ERROR;
  if (strcmp(to, "integer") == 0) {
    n.k = N_INT;
    if (v.c == C_BOOL)
      n.i = v.b;
    else if (v.c == C_SIMPLE) {
      if (!parse_int(lex, len, &n.i))
        return NKG_X_ERROR;
    } else if (v.n.k == N_INT)
      n.i = v.n.i;
    else if (v.n.k == N_DEC) {
      i128 t = v.n.d / DEC_SCALE;
      if (t > INT64_MAX || t < INT64_MIN)
        return NKG_X_ERROR;
      n.i = (int64_t)t;
    } else {
      double t = trunc(v.n.f);
      if (!(t >= -9223372036854775808.0 && t < 9223372036854775808.0))
        return NKG_X_ERROR;
      n.i = (int64_t)t;
    }
  } else if (strcmp(to, "decimal") == 0) {
    n.k = N_DEC;
    if (v.c == C_BOOL)
      n.d = v.b ? DEC_SCALE : 0;
    else if (v.c == C_SIMPLE) {
      if (!parse_dec(lex, len, &n.d))
        return NKG_X_ERROR;
    } else if (v.n.k <= N_DEC)
      n.d = to_dec(&v.n);
    else {
      /* as Oxigraph: the binary value times 10^18, truncated */
      double t = v.n.f * 1e18;
      if (!isfinite(t) || fabs(t) >= 1.7e38)
        return NKG_X_ERROR;
      n.d = (i128)t;
    }
  } else if (strcmp(to, "float") == 0 || strcmp(to, "double") == 0) {
    n.k = to[0] == 'f' ? N_FLT : N_DBL;
    if (v.c == C_BOOL)
      n.f = v.b;
    else if (v.c == C_SIMPLE) {
      if (!parse_double(lex, len, &n.f))
        return NKG_X_ERROR;
    } else
      n.f = to_double(&v.n);
    if (n.k == N_FLT)
      n.f = (float)n.f;
  } else {
    return NKG_X_ERROR;
  }
  *out = mk_num(e, &n);
  return NKG_X_OK;
}

/* ---- the evaluator ------------------------------------------------------ */

static int eval(nkg_x_ctx *ctx, const nkg_x *x, nkg_tid *out) {
  nkg_tid a, b;
  int r;
  switch (x->kind) {
  case X_VAR:
    if (x->var < 0 || (size_t)x->var >= ctx->nvars || !ctx->row[x->var])
      return NKG_X_ERROR;
    *out = ctx->row[x->var];
    return NKG_X_OK;
  case X_CONST:
    if (!x->term)
      return NKG_X_ERROR;
    *out = x->term;
    return NKG_X_OK;
  case X_OR:
  case X_AND: {
    /* an error on one side is overridden by a decisive other side */
    int err = 0;
    for (size_t i = 0; i < x->nargs; i++) {
      int bv = ebv3(ctx, x->args[i]);
      if (bv < 0)
        return -1;
      if (bv == EBV_ERROR) {
        err = 1;
        continue;
      }
      if (bv == (x->kind == X_OR))
        return ret_bool(ctx, bv, out);
    }
    if (err)
      return NKG_X_ERROR;
    return ret_bool(ctx, x->kind == X_AND, out);
  }
  case X_NOT: {
    if (x->nargs != 1)
      return NKG_X_ERROR;
    int bv = ebv3(ctx, x->args[0]);
    if (bv < 0 || bv == EBV_ERROR)
      return bv < 0 ? -1 : NKG_X_ERROR;
    return ret_bool(ctx, !bv, out);
  }
  case X_EQ: case X_NE: case X_LT: case X_GT: case X_LE: case X_GE:
    if (x->nargs != 2)
      return NKG_X_ERROR;
    TRY_ARG(0, a);
    TRY_ARG(1, b);
    return compare_op(ctx, x->kind, a, b, out);
  case X_IN:
  case X_NOTIN: {
    if (x->nargs < 1)
      return NKG_X_ERROR;
    TRY_ARG(0, a);
    int err = 0;
    for (size_t i = 1; i < x->nargs; i++) {
      r = eval(ctx, x->args[i], &b);
      if (r < 0)
        return r;
      int eq = r ? NKG_X_EQ_ERROR : nkg_x_equal(ctx->terms, a, b);
      if (eq == NKG_X_EQ_ERROR) {
        err = 1;
        continue;
      }
      if (eq)
        return ret_bool(ctx, x->kind == X_IN, out);
    }
    if (err)
      return NKG_X_ERROR;
    return ret_bool(ctx, x->kind == X_NOTIN, out);
  }
  case X_ADD: case X_SUB: case X_MUL: case X_DIV: {
    if (x->nargs != 2)
      return NKG_X_ERROR;
    TRY_ARG(0, a);
    TRY_ARG(1, b);
    val va, vb;
    classify(ctx->terms, a, &va);
    classify(ctx->terms, b, &vb);
    if (va.c != C_NUM || vb.c != C_NUM)
      return NKG_X_ERROR;
    num res;
    if (!arith(x->kind, va.n, vb.n, &res))
      return NKG_X_ERROR;
    *out = mk_num(ctx->env, &res);
    return NKG_X_OK;
  }
  case X_NEG:
  case X_PLUS: {
    if (x->nargs != 1)
      return NKG_X_ERROR;
    TRY_ARG(0, a);
    val va;
    classify(ctx->terms, a, &va);
    if (va.c != C_NUM)
      return NKG_X_ERROR;
    num m = va.n;
    if (x->kind == X_NEG) {
      if (m.k == N_INT) {
        if (m.i == INT64_MIN)
          return NKG_X_ERROR;
        m.i = -m.i;
      } else if (m.k == N_DEC)
        m.d = -m.d;
      else
        m.f = -m.f;
    }
    *out = mk_num(ctx->env, &m);
    return NKG_X_OK;
  }
  case X_CALL:
    return call(ctx, x, out);
  case X_FUNC: {
    const char *l = xsd_local(x->name);
    if (!l || x->nargs != 1)
      return NKG_X_ERROR;
    TRY_ARG(0, a);
    return cast(ctx, l, a, out);
  }
  case X_EXISTS:
  case X_NOT_EXISTS:
    if (!ctx->exists)
      return NKG_X_ERROR;
    r = ctx->exists(ctx->exists_data, x->pattern, ctx->row);
    if (r < 0)
      return -1;
    return ret_bool(ctx, x->kind == X_EXISTS ? r : !r, out);
  case X_AGG:
    if (!ctx->agg_values || x->agg_index < 0 || !ctx->agg_values[x->agg_index])
      return NKG_X_ERROR;
    *out = ctx->agg_values[x->agg_index];
    return NKG_X_OK;
  }
  return NKG_X_ERROR;
}

int nkg_x_eval(nkg_x_ctx *ctx, const nkg_x *x, nkg_tid *out) {
  return eval(ctx, x, out);
}

int nkg_x_ebv(nkg_x_ctx *ctx, const nkg_x *x) {
  int b = ebv3(ctx, x);
  return b == EBV_ERROR ? 0 : b;
}

/* ---- aggregates --------------------------------------------------------- */

/* A set of ids (or of row hashes for COUNT(DISTINCT *)). */
typedef struct {
  uint64_t *slots; /* key + 1; 0 when empty */
  size_t nslots, n;
} idset;

static int idset_add(idset *s, uint64_t key) {
  key++;
  if ((s->n + 1) * 2 > s->nslots) {
    size_t ns = s->nslots ? s->nslots * 2 : 16;
    uint64_t *slots = nkg_xcalloc(ns, sizeof *slots);
    for (size_t i = 0; i < s->nslots; i++) {
      if (!s->slots[i])
        continue;
      size_t j = (size_t)(s->slots[i] * UINT64_C(0x9e3779b97f4a7c15) >> 7) & (ns - 1);
      while (slots[j])
        j = (j + 1) & (ns - 1);
      slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->nslots = ns;
  }
  size_t j = (size_t)(key * UINT64_C(0x9e3779b97f4a7c15) >> 7) & (s->nslots - 1);
  for (; s->slots[j]; j = (j + 1) & (s->nslots - 1))
    if (s->slots[j] == key)
      return 0;
  s->slots[j] = key;
  s->n++;
  return 1;
}

enum { A_COUNT, A_SUM, A_AVG, A_MIN, A_MAX, A_SAMPLE, A_CONCAT };

struct nkg_agg {
  const nkg_x *x;
  int op;
  int error;
  int64_t count;
  num sum;
  nkg_tid best; /* MIN, MAX, SAMPLE */
  idset seen;
  /* COUNT(DISTINCT *): whole rows, compared exactly */
  nkg_tid *rows;
  size_t nrows, caprows, nvars;
  nkg_buf text; /* GROUP_CONCAT */
};

nkg_agg *nkg_agg_new(const nkg_x *x) {
  nkg_agg *a = nkg_xcalloc(1, sizeof *a);
  a->x = x;
  const char *n = x->name ? x->name : "";
  a->op = strcmp(n, "SUM") == 0      ? A_SUM
          : strcmp(n, "AVG") == 0    ? A_AVG
          : strcmp(n, "MIN") == 0    ? A_MIN
          : strcmp(n, "MAX") == 0    ? A_MAX
          : strcmp(n, "SAMPLE") == 0 ? A_SAMPLE
          : strcmp(n, "GROUP_CONCAT") == 0 ? A_CONCAT
                                           : A_COUNT;
  a->sum.k = N_INT;
  return a;
}

void nkg_agg_free(nkg_agg *a) {
  if (!a)
    return;
  free(a->seen.slots);
  free(a->rows);
  nkg_buf_free(&a->text);
  free(a);
}

/* COUNT(DISTINCT *): 1 when this row was not seen before. Rows are kept
 * whole; a new hash means a new row, an old one is checked exactly. */
static int new_row(nkg_agg *a, nkg_x_ctx *ctx) {
  size_t nv = ctx->nvars;
  uint64_t h = nkg_hash64(ctx->row, nv * sizeof *ctx->row, NKG_HASH_SEED);
  a->nvars = nv;
  if (!idset_add(&a->seen, h >> 1))
    for (size_t i = 0; i < a->nrows; i++)
      if (memcmp(a->rows + i * nv, ctx->row, nv * sizeof *ctx->row) == 0)
        return 0;
  if (a->nrows == a->caprows) {
    a->caprows = a->caprows ? 2 * a->caprows : 8;
    a->rows = nkg_xrealloc(a->rows, a->caprows * (nv ? nv : 1) * sizeof *a->rows);
  }
  if (nv)
    memcpy(a->rows + a->nrows * nv, ctx->row, nv * sizeof *ctx->row);
  a->nrows++;
  return 1;
}

int nkg_agg_add(nkg_agg *a, nkg_x_ctx *ctx) {
  const nkg_x *x = a->x;
  if (a->op == A_COUNT && x->star) {
    if (!x->distinct || new_row(a, ctx))
      a->count++;
    return 0;
  }
  if (x->nargs < 1)
    return 0;
  nkg_tid v;
  int r = eval(ctx, x->args[0], &v);
  if (r < 0)
    return -1;
  if (r) {
    if (a->op != A_COUNT && a->op != A_SAMPLE)
      a->error = 1;
    return 0;
  }
  if (a->error)
    return 0;
  if (x->distinct && !idset_add(&a->seen, v))
    return 0;
  val vv;
  switch (a->op) {
  case A_COUNT:
    a->count++;
    break;
  case A_SUM:
  case A_AVG: {
    classify(ctx->terms, v, &vv);
    if (vv.c != C_NUM || !arith(X_ADD, a->sum, vv.n, &a->sum))
      a->error = 1;
    a->count++;
    break;
  }
  case A_MIN:
  case A_MAX:
    if (!a->best) {
      a->best = v;
    } else {
      int c = nkg_x_order(ctx->terms, v, a->best);
      if (a->op == A_MIN ? c < 0 : c > 0)
        a->best = v;
    }
    break;
  case A_SAMPLE:
    if (!a->best)
      a->best = v;
    break;
  case A_CONCAT: {
    const nkg_term *t = nkg_terms_get(ctx->terms, v);
    if (t->kind != NKG_T_LIT) {
      a->error = 1;
      break;
    }
    if (a->count)
      nkg_buf_adds(&a->text, x->separator ? x->separator : " ");
    nkg_buf_add(&a->text, t->lex, t->len);
    a->count++;
    break;
  }
  }
  return 0;
}

int nkg_agg_result(nkg_agg *a, nkg_x_ctx *ctx, nkg_tid *out) {
  nkg_terms *T = ctx->terms;
  if (a->error)
    return NKG_X_ERROR;
  switch (a->op) {
  case A_COUNT:
    *out = mk_int(T, a->count);
    return NKG_X_OK;
  case A_SUM:
    *out = mk_num(ctx->env, &a->sum);
    return NKG_X_OK;
  case A_AVG: {
    if (!a->count) {
      *out = mk_int(T, 0);
      return NKG_X_OK;
    }
    num c = {.k = N_INT, .i = a->count}, r;
    if (!arith(X_DIV, a->sum, c, &r))
      return NKG_X_ERROR;
    *out = mk_num(ctx->env, &r);
    return NKG_X_OK;
  }
  case A_MIN:
  case A_MAX:
  case A_SAMPLE:
    if (!a->best)
      return NKG_X_ERROR;
    *out = a->best;
    return NKG_X_OK;
  default:
    /* a simple literal, whatever the languages of the values (section
     * 18.5.1.7; W3C agg-groupconcat-04, -06). Oxigraph keeps a language
     * all the values share. */
    *out = mk_lit(T, a->text.data ? a->text.data : "", a->text.len, NULL,
                  NULL);
    return NKG_X_OK;
  }
}
