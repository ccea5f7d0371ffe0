/* sparql_ast.h: the syntax tree of the SPARQL 1.1 front end.
 *
 * nkg_sq_parse() checks a query against the SPARQL 1.1 grammar and the
 * scope rules of section 18.2 (BIND and SELECT AS variables, grouping),
 * and builds the tree that the evaluator (sparql_algebra.h) translates and
 * runs: terms are interned, variables are indexes in the tree's variable
 * table and expressions are nkg_x trees (sparql_expr.h). All memory
 * belongs to the tree's arena and is released by nkg_sq_free(). */
#ifndef NKG_SPARQL_AST_H
#define NKG_SPARQL_AST_H

#include <stddef.h>

#include "sparql_expr.h"
#include "sparql_lex.h"
#include "sparql_value.h"

typedef struct sq_group sq_group;
typedef struct sq_query sq_query;

typedef enum { T_VAR, T_IRI, T_BNODE, T_LIT } sq_term_kind;

/* A term. iri holds the IRI (prefixed names expanded, relative IRIs
 * resolved) of T_IRI terms; literals keep their value (escapes decoded),
 * language and datatype IRI. */
typedef struct {
  sq_term_kind kind;
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
 * NULL; any other property path is in path and pred is NULL. */
typedef struct {
  const sq_term *s, *o, *pred;
  sq_path *path;
} sq_triple;

typedef enum {
  E_TRIPLES, E_FILTER, E_OPTIONAL, E_MINUS, E_UNION, E_GRAPH, E_GROUP,
  E_SUBSELECT, E_BIND, E_VALUES, E_SERVICE
} sq_elem_kind;

/* An element of a group graph pattern. */
typedef struct sq_elem_s {
  sq_elem_kind kind;
  sq_triple *triples;       /* E_TRIPLES: a basic graph pattern */
  size_t ntriples;
  int complex;              /* E_TRIPLES: has a path that is not an IRI */
  sq_group *g;              /* OPTIONAL, MINUS, GRAPH, GROUP, SERVICE */
  sq_group **alts;          /* UNION */
  size_t nalts;
  const sq_term *gterm;     /* GRAPH, SERVICE */
  nkg_x *x;                 /* FILTER, BIND: the expression */
  const char *var;          /* BIND: name without '?' */
  int bvar;                 /* BIND: the variable's index */
  sq_query *sub;            /* SUBSELECT */
  const char **cols;        /* VALUES: variable names */
  int *colvar;              /* VALUES: the variables' indexes */
  size_t ncols;             /* VALUES: variables */
  nkg_tid *rows;            /* VALUES: nrows * ncols terms, 0 = UNDEF */
  size_t nrows;             /* VALUES */
} sq_elem;

struct sq_group {
  sq_elem **elems;
  size_t nelems;
};

typedef enum { Q_SELECT, Q_CONSTRUCT, Q_ASK, Q_DESCRIBE } sq_query_kind;

struct sq_query {
  sq_query_kind kind;
  sq_group *where;  /* NULL for DESCRIBE without WHERE */
  int star;          /* SELECT * or DESCRIBE * */
  const char **proj; /* projected variable names (SELECT; for * the
                        variables in scope of where, also for DESCRIBE *) */
  size_t nproj;
  int *proj_var;     /* nproj: index of each projected variable */
  nkg_x **proj_x;    /* nproj: SELECT (expr AS ?v), or NULL for plain ?v */
  int distinct, reduced;
  int aggregate;     /* has GROUP BY or aggregates */
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
  sq_elem *values;   /* the trailing VALUES clause, or NULL */
  sq_triple *tmpl;   /* CONSTRUCT template (CONSTRUCT WHERE: the pattern) */
  size_t ntmpl;
  const sq_term **describe; /* DESCRIBE terms (none for DESCRIBE *) */
  size_t ndescribe;
  const char **from, **from_named; /* dataset IRIs */
  size_t nfrom, nfrom_named;
  void *alg;         /* the evaluator's translation of where */
};

typedef struct {
  nkg_sq_tok *toks;    /* the query's tokens */
  size_t ntoks;
  const char *base;    /* the base IRI (last BASE, resolved), or NULL */
  const char **pfx;    /* prefix names (without ':') */
  const char **pfx_iri;
  size_t npfx;
  sq_query *q;
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

/* FROM and FROM NAMED name graphs of the data, never something to fetch:
 * returns 0 when every IRI they give is a file: IRI, or -1 after
 * "newskg: SOURCE: FROM[ NAMED] <IRI> is refused: WHY" for the first that
 * is not. */
int nkg_sq_check_from(const sq_query *q, const char *source,
                      const char *why);

/* Allocation in the tree's arena (zeroed), also for the evaluator's nodes;
 * released with the tree. */
void *nkg_sq_alloc(sq_ast *ast, size_t n);

#endif
