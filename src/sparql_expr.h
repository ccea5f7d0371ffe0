/* sparql_expr.h: SPARQL 1.1 expressions: the tree the parser builds, and
 * their evaluation over one solution (section 17 of the recommendation).
 *
 * The parser (sparql_parse.c) builds an nkg_x tree for every expression in
 * a query (FILTER, BIND, SELECT (expr AS ?v), GROUP BY, HAVING, ORDER BY).
 * Constants are interned when the tree is built. Variables are indexes
 * into the query's variable table, so a solution is an array of nkg_tid
 * indexed by variable (0 = unbound).
 *
 * Errors follow the recommendation: an unbound variable, a type error or a
 * failed cast makes nkg_x_eval() return NKG_X_ERROR; FILTER treats that as
 * false, BIND leaves the variable unbound, ORDER BY sorts it as unbound,
 * || and && and IF and COALESCE handle it as section 17.2 says. */
#ifndef NKG_SPARQL_EXPR_H
#define NKG_SPARQL_EXPR_H

#include <stddef.h>

#include "sparql_value.h"

typedef enum {
  X_VAR,    /* var */
  X_CONST,  /* term */
  X_OR, X_AND, X_NOT,
  X_EQ, X_NE, X_LT, X_GT, X_LE, X_GE,
  X_IN, X_NOTIN, /* args[0] IN (args[1..]) */
  X_ADD, X_SUB, X_MUL, X_DIV,
  X_NEG, X_PLUS, /* unary - and + */
  X_CALL,   /* a built-in call: name is its upper-case keyword ("STRLEN",
               "REGEX", "BOUND", "IF", "COALESCE", "SAMETERM", "NOW",
               "BNODE", "IRI" (URI is given as "IRI"), ...) */
  X_FUNC,   /* a function named by IRI: name is the IRI; the XSD casts
               (xsd:string, xsd:integer, xsd:decimal, xsd:float,
               xsd:double, xsd:boolean, xsd:dateTime) and nothing else:
               an unknown function is an error value */
  X_EXISTS, X_NOT_EXISTS, /* pattern */
  X_AGG     /* an aggregate: name "COUNT", "SUM", "MIN", "MAX", "AVG",
               "SAMPLE", "GROUP_CONCAT"; args[0] unless star; evaluated
               as the value the evaluator computed for its group */
} nkg_x_kind;

typedef struct nkg_x {
  nkg_x_kind kind;
  int var;            /* X_VAR: variable index */
  nkg_tid term;       /* X_CONST */
  const char *name;   /* X_CALL, X_FUNC, X_AGG */
  struct nkg_x **args;
  size_t nargs;
  int distinct;       /* X_AGG: DISTINCT */
  int star;           /* X_AGG: COUNT(*) */
  const char *separator; /* X_AGG GROUP_CONCAT: SEPARATOR, NULL for " " */
  const void *pattern;   /* X_EXISTS, X_NOT_EXISTS: the group pattern, for
                            the evaluator's callback */
  int agg_index;      /* X_AGG: index into nkg_x_ctx.agg_values, set by
                         the evaluator */
} nkg_x;

#define NKG_X_OK 0
#define NKG_X_ERROR 1

typedef struct nkg_x_ctx nkg_x_ctx;

/* The state that lives for one query: regex cache, NOW(), BNODE() labels
 * per solution, the random state of RAND/UUID/STRUUID. */
typedef struct nkg_x_env nkg_x_env;

/* base may be NULL (IRI() of a relative string is then an error). */
nkg_x_env *nkg_x_env_new(nkg_terms *terms, const char *base);
void nkg_x_env_free(nkg_x_env *e);

struct nkg_x_ctx {
  nkg_x_env *env;
  nkg_terms *terms;
  const nkg_tid *row;   /* the solution: bindings by variable index */
  size_t nvars;
  /* EXISTS / NOT EXISTS: the evaluator's callback. Returns 1 when the
   * pattern has a solution compatible with row (substituted, as the
   * recommendation's substitute() says), 0 when not, -1 on failure. */
  int (*exists)(void *data, const void *pattern, const nkg_tid *row);
  void *exists_data;
  const nkg_tid *agg_values; /* X_AGG values of the current group */
  /* BNODE(): labels are kept per solution; the evaluator bumps this for
   * each new solution so BNODE("x") is one node within a row and a
   * different one in the next row. */
  unsigned long row_serial;
};

/* Evaluates x over ctx->row. Returns NKG_X_OK and sets *out (never 0), or
 * NKG_X_ERROR. Returns -1 only for a failure that must stop the query (the
 * exists callback failed); a message has then been printed. */
int nkg_x_eval(nkg_x_ctx *ctx, const nkg_x *x, nkg_tid *out);

/* The effective boolean value of x (section 17.2.2): 1 true, 0 false or
 * an error (as FILTER treats it); -1 as above. */
int nkg_x_ebv(nkg_x_ctx *ctx, const nkg_x *x);

/* The effective boolean value of a term: 1, 0, or -2 when it has none
 * (an IRI, a blank node, a literal of another datatype). */
int nkg_x_term_ebv(nkg_terms *terms, nkg_tid id);

/* ORDER BY's order (section 15.1): unbound < blank nodes < IRIs <
 * literals; literals compared with '<' where it is defined, otherwise by a
 * fixed total order (lexical form, then datatype, then language) so that
 * sorting is deterministic. Returns <0, 0, >0. */
int nkg_x_order(nkg_terms *terms, nkg_tid a, nkg_tid b);

/* RDFterm-equal / value '=' of section 17.4.1.2: 1 equal, 0 not equal,
 * NKG_X_EQ_ERROR when the comparison is a type error (NKG_X_ERROR is 1,
 * which would read as "equal"). */
#define NKG_X_EQ_ERROR (-2)
int nkg_x_equal(nkg_terms *terms, nkg_tid a, nkg_tid b);

/* ---- aggregates (section 18.5) ---------------------------------------- */

typedef struct nkg_agg nkg_agg;

/* A running aggregate for one group, for the X_AGG node x. */
nkg_agg *nkg_agg_new(const nkg_x *x);
void nkg_agg_free(nkg_agg *a);
/* Feeds one solution of the group (ctx->row): evaluates x's argument and
 * accumulates it (errors are remembered as the spec says: SUM/AVG/MIN/MAX
 * of a group with an error is an error; COUNT skips errors and unbound).
 * Returns 0, or -1 as nkg_x_eval. */
int nkg_agg_add(nkg_agg *a, nkg_x_ctx *ctx);
/* The aggregate's value: NKG_X_OK and *out, or NKG_X_ERROR (the variable
 * stays unbound). COUNT of an empty group is 0; SUM 0; AVG 0; MIN, MAX
 * and SAMPLE of an empty group are errors; GROUP_CONCAT "". */
int nkg_agg_result(nkg_agg *a, nkg_x_ctx *ctx, nkg_tid *out);

#endif
