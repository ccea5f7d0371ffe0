/* sparql_ast.h: the syntax tree of the SPARQL 1.1 front end.
 *
 * nkg_sq_parse() checks a query against the SPARQL 1.1 grammar and the
 * scope rules of section 18.2 (BIND and SELECT AS variables, grouping),
 * and builds a tree that keeps, for every element, the range of tokens it
 * came from: the rewriter re-emits untouched parts token by token and only
 * rebuilds what it changes. All memory belongs to the tree's arena and is
 * released by nkg_sq_free(). */
#ifndef NKG_SPARQL_AST_H
#define NKG_SPARQL_AST_H

#include <stddef.h>

#include "sparql_expr.h"
#include "sparql_lex.h"
#include "sparql_value.h"

typedef struct sq_group sq_group;
typedef struct sq_query sq_query;

typedef enum { T_VAR, T_IRI, T_BNODE, T_LIT } sq_term_kind;

/* A term. text is what the rewriter emits (?v, <iri>, _:b, "x"^^<dt>);
 * iri holds the IRI (prefixed names expanded) of T_IRI terms; literals
 * keep their value (escapes decoded), language and datatype IRI. */
typedef struct {
  sq_term_kind kind;
  const char *text;
  const char *iri;
  const char *value, *lang, *dt;
  int var;    /* T_VAR, T_BNODE: index in the variable table (blank nodes
                 of a pattern act as variables named "_:label"); else -1 */
  nkg_tid id; /* T_IRI, T_LIT: the interned term */
} sq_term;

typedef enum {
  P_LINK, P_INV, P_SEQ, P_ALT, P_STAR, P_PLUS, P_OPT, P_NPS
} sq_path_kind;

typedef struct sq_path {
  sq_path_kind kind;
  const sq_term *iri;     /* P_LINK */
  struct sq_path **kids;  /* P_INV, P_STAR, P_PLUS, P_OPT: 1; SEQ, ALT: n */
  size_t nkids;
  const sq_term **nps;    /* P_NPS members */
  int *nps_inv;           /* 1 when the member is ^iri */
  size_t nnps;
} sq_path;

/* s path o. A plain predicate (IRI or variable) is in pred and path is
 * NULL; table is set by the rewriter when the path was evaluated. */
typedef struct {
  const sq_term *s, *o, *pred;
  sq_path *path;
  int table;
} sq_triple;

typedef struct {
  size_t t0, t1;  /* tokens of "EXISTS {...}" or "NOT EXISTS {...}" */
  int neg;
  sq_group *g;
  int flag;       /* set by the rewriter: column of the evaluated value */
} sq_exists;

typedef struct {
  size_t t0, t1;  /* token range */
  sq_exists **ex;
  size_t nex;
  nkg_x *x;       /* the expression tree */
} sq_expr;

typedef enum {
  E_TRIPLES, E_FILTER, E_OPTIONAL, E_MINUS, E_UNION, E_GRAPH, E_GROUP,
  E_SUBSELECT, E_BIND, E_VALUES, E_SERVICE, E_ROWS,
  E_HOIST /* the rewriter's BIND(COALESCE(tokens t0..t1) AS ?var) */
} sq_elem_kind;

typedef struct sq_elem_s {
  sq_elem_kind kind;
  size_t t0, t1;            /* token range (not for E_ROWS) */
  sq_triple *triples;       /* E_TRIPLES */
  size_t ntriples;
  int complex;              /* E_TRIPLES: has a path that is not an IRI */
  sq_group *g;              /* OPTIONAL, MINUS, GRAPH, GROUP, SERVICE */
  sq_group **alts;          /* UNION */
  size_t nalts;
  const sq_term *gterm;     /* GRAPH, SERVICE */
  sq_expr *expr;            /* FILTER, BIND */
  const char *var;          /* BIND, HOIST: name without '?' */
  sq_query *sub;            /* SUBSELECT */
  int table;                /* E_ROWS */
  const char **cols;        /* E_ROWS, E_VALUES: variable names */
  int *always;              /* E_ROWS: 1 when bound in every row */
  size_t ncols;             /* E_ROWS, E_VALUES: variables */
  size_t *vals;             /* E_VALUES: token range of each value, row by
                               row (t0 == t1 for UNDEF): 2 * ncols a row */
  size_t nrows;             /* E_VALUES */
  int native;               /* E_VALUES: left to rasqal as written */
  int bvar;                 /* E_BIND: the variable's index */
  int *colvar;              /* E_VALUES: the variables' indexes */
  nkg_tid *rows;            /* E_VALUES: nrows * ncols terms, 0 = UNDEF */
} sq_elem;

struct sq_group {
  size_t t0, t1; /* from '{' to past '}' */
  sq_elem **elems;
  size_t nelems;
  int dirty;     /* set by the rewriter when it must be rebuilt */
};

typedef enum { Q_SELECT, Q_CONSTRUCT, Q_ASK, Q_DESCRIBE } sq_query_kind;

struct sq_query {
  sq_query_kind kind;
  size_t t0, t1;
  sq_group *where;  /* NULL for DESCRIBE without WHERE */
  int star;
  const char **proj; /* projected variable names (SELECT) */
  size_t nproj;
  /* GROUP BY (expr AS ?v): "(" .. ")" tokens, the expression's, the name */
  size_t *gb_t0, *gb_t1, *gb_e0, *gb_e1;
  const char **gb_var;
  size_t ngb;
  /* HAVING: the keyword's token and each constraint's token range */
  size_t hv_tok;
  size_t *hv_c0, *hv_c1;
  size_t nhv;
  sq_elem *values; /* the trailing VALUES clause, or NULL */
  int aggregate; /* has GROUP BY or aggregates */
  int has_group; /* has GROUP BY */
  /* What the evaluator needs, as trees and variable indexes: */
  int distinct, reduced;
  int *proj_var;     /* nproj: index of each projected variable */
  nkg_x **proj_x;    /* nproj: SELECT (expr AS ?v), or NULL for plain ?v */
  nkg_x **group_x;   /* GROUP BY conditions */
  int *group_var;    /* their AS variable (or the variable itself), -1 */
  size_t ngroup;
  nkg_x **having;
  size_t nhaving;
  nkg_x **order_x;   /* ORDER BY conditions */
  int *order_desc;
  size_t norder;
  long limit, offset; /* -1 when absent */
  nkg_x **aggs;      /* the aggregates of this query (agg_index order) */
  size_t naggs;
  sq_triple *tmpl;   /* CONSTRUCT template (CONSTRUCT WHERE: the pattern) */
  size_t ntmpl;
  const sq_term **describe; /* DESCRIBE terms (none for DESCRIBE *) */
  size_t ndescribe;
  const char **from, **from_named; /* dataset IRIs */
  size_t nfrom, nfrom_named;
  void *alg;         /* the evaluator's translation of where */
};

/* An aggregate call: its keyword token, the argument's tokens, the
 * SEPARATOR string token of GROUP_CONCAT (0 if none) and the token after
 * its ')'. */
typedef struct {
  size_t tok, e0, e1, sep, end;
  int distinct;
  int concat; /* GROUP_CONCAT */
} sq_concat;

typedef struct {
  const char *text;
  nkg_sq_tok *toks;
  size_t ntoks;
  size_t prologue_end; /* first token after BASE/PREFIX declarations */
  const char *base;    /* last BASE IRI, or NULL */
  const char **pfx;    /* prefix names (without ':') */
  const char **pfx_iri;
  size_t npfx;
  sq_query *q;
  sq_concat *concat;
  size_t nconcat, capconcat;
  /* BIND arguments to bind: expression variable tokens to emit as a
   * never-bound variable (set by the rewriter), ntoks entries */
  char *unbound;
  /* BIND expressions: a token starts one (wrap_open) or follows one
   * (wrap_close); ntoks entries each, or NULL when there is no BIND */
  char *wrap_open, *wrap_close;
  /* CONCAT arguments the rewriter binds beforehand (see sparql.c): a token
   * that starts one maps to its E_HOIST element; ntoks entries or NULL */
  struct sq_elem_s **hoist;
  void *arena;
  nkg_terms *terms;   /* constants are interned here */
  int own_terms;      /* terms was made by nkg_sq_parse() */
  const char **vars;  /* the variable table: names without '?' */
  size_t nvars, capvars;
} sq_ast;

/* Parses text. Returns 0 and sets *ast, or -1 and sets *error (malloc'd)
 * to "line L, column C: message". */
int nkg_sq_parse(const char *text, sq_ast **ast, char **error);
/* The same, interning constants in terms (which must outlive the tree) and
 * resolving relative IRIs against base (may be NULL; BASE overrides it).
 * Brackets, braces, parentheses, paths and expressions nested more than
 * NKG_SQ_MAX_DEPTH levels deep are refused ("query nested too deeply"). */
#define NKG_SQ_MAX_DEPTH 1000
int nkg_sq_parse_query(const char *text, const char *base, nkg_terms *terms,
                       sq_ast **ast, char **error);
void nkg_sq_free(sq_ast *ast);

/* Allocation in the tree's arena (zeroed), for the rewriter's own nodes. */
void *nkg_sq_alloc(sq_ast *ast, size_t n);
char *nkg_sq_strdup(sq_ast *ast, const char *s, size_t n);

/* The variables in scope after elems (section 18.2.1), in the arena. */
void nkg_sq_scope(sq_ast *ast, sq_elem **elems, size_t n, const char ***names,
                  size_t *count);

/* The IRI a prefixed-name token stands for (escapes removed), or NULL when
 * its prefix is not declared. Allocated in the arena. */
const char *nkg_sq_expand(sq_ast *ast, const nkg_sq_tok *t);

#endif
