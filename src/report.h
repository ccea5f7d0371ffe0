/* report.h: `newskg report`, one self-contained HTML page about a graph.
 *
 * The page shows the meeting network (officials as nodes coloured by
 * country, meetings as edges labelled with date and place; laid out by
 * Graphviz and embedded as inline SVG), a country-by-sector table of
 * cooperation and the country pairs that cooperate, and three fact tables
 * (meetings, positions, cooperation) in which every fact shows its source
 * sentence with the matched span highlighted, its article and its rule. A
 * small script of our own, inlined, sorts and filters the tables; clicking a
 * node, an edge, a country or a name filters the facts to it. The page
 * loads nothing: a Content-Security-Policy forbids every request.
 *
 * Everything comes from the SPARQL queries of examples/queries/report-*.rq
 * (compiled into the program), run with nkg_query_run() over the model, so
 * the report works on any graph newskg wrote, including a merged store.
 *
 * Every string from the graph is written through one escaping function
 * (text and attribute values alike), and no graph data ever goes into the
 * script or the style sheet, so names, sentences and IRIs cannot break the
 * page. */
#ifndef NKG_REPORT_H
#define NKG_REPORT_H

#include <redland.h>
#include <stddef.h>
#include <stdio.h>

#include "progress.h"

/* Defaults of the limits below. */
#define NKG_REPORT_MAX_OFFICIALS 300
#define NKG_REPORT_MAX_ROWS 5000

typedef struct {
  const char *title;    /* heading and <title>; NULL: "newskg report" */
  size_t max_officials; /* the network shows at most this many officials,
                           the most connected (0: the default) */
  size_t max_rows;      /* rows per fact table (0: the default) */
  nkg_progress_mode progress; /* a meter over the report's steps */
} nkg_report_options;

/* Runs the report queries over model and writes the page to out. Returns
 * 0, or -1 after a message "newskg: report: ..." (a query or the layout
 * failed). Write errors on out are left to the caller's final flush and
 * close (nkg_output_commit()). */
int nkg_report_write(librdf_world *world, librdf_model *model,
                     const nkg_report_options *o, FILE *out);

/* Writes s[0..n) escaped for HTML text and attribute values alike (& < >
 * " ' become references); code points that HTML forbids (controls other
 * than tab, newline and carriage return, noncharacters) and invalid UTF-8
 * become U+FFFD. Exposed for tests. */
void nkg_report_escape(FILE *out, const char *s, size_t n);

#endif
