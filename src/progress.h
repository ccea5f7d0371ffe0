/* progress.h: a progress meter on standard error for long runs.
 *
 * A meter counts documents (or any unit named at creation). It prints
 * nothing during the first two seconds, so short runs stay silent; after
 * that it shows, at most four times a second, one line
 *
 *   newskg: extract: 1200/10000 documents, 412/s, 0:21 left
 *
 * (the total and the time left only when the total is known). On a
 * terminal the line is redrawn in place ("\r" and erase to end of line) and
 * erased at the end; elsewhere (--progress to a log) a line is appended at
 * most once a second and the last count is printed at the end.
 *
 * Whether it shows at all is decided once, at creation, from the mode:
 * NKG_PROGRESS_AUTO shows on a terminal only, NKG_PROGRESS_ON always
 * (--progress), NKG_PROGRESS_OFF never (-q). NEWSKG_PROGRESS_AFTER=SECONDS
 * changes the two seconds (for tests). All functions accept NULL, so
 * callers need no checks. Not thread-safe: call from one thread. */
#ifndef NKG_PROGRESS_H
#define NKG_PROGRESS_H

#include <stddef.h>

typedef enum {
  NKG_PROGRESS_AUTO = 0,
  NKG_PROGRESS_ON,
  NKG_PROGRESS_OFF
} nkg_progress_mode;

typedef struct nkg_progress nkg_progress;

/* A meter for the step what ("extract", "report: loading") counting units
 * ("documents"), with total units expected (0: unknown). Returns NULL when
 * the mode says not to show anything; what and units must outlive it. */
nkg_progress *nkg_progress_new(const char *what, const char *units,
                               size_t total, nkg_progress_mode mode);

/* Adds n units done and redraws when due. */
void nkg_progress_add(nkg_progress *p, size_t n);

/* Ends the meter (erasing its line on a terminal, printing the final
 * count elsewhere, if anything was shown) and frees it. NULL is allowed. */
void nkg_progress_end(nkg_progress *p);

/* The mode from the options: -q wins over --progress. */
nkg_progress_mode nkg_progress_mode_for(int quiet, int progress);

#endif
