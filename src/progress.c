/* progress.c: the progress meter of progress.h. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "util.h"

/* Nothing is shown before this many seconds. */
#define QUIET_SECONDS 2.0

struct nkg_progress {
  const char *what, *units;
  size_t total, done;
  int tty;         /* redraw in place */
  int shown;       /* a line was printed */
  double start;    /* seconds */
  double last;     /* time of the last line */
  double after;    /* seconds before anything shows */
  size_t drawn;    /* the count of the last line */
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

nkg_progress_mode nkg_progress_mode_for(int quiet, int progress) {
  if (quiet)
    return NKG_PROGRESS_OFF;
  return progress ? NKG_PROGRESS_ON : NKG_PROGRESS_AUTO;
}

nkg_progress *nkg_progress_new(const char *what, const char *units,
                               size_t total, nkg_progress_mode mode) {
  int tty = isatty(STDERR_FILENO);
  if (mode == NKG_PROGRESS_OFF || (mode == NKG_PROGRESS_AUTO && !tty))
    return NULL;
  nkg_progress *p = nkg_xcalloc(1, sizeof *p);
  p->what = what;
  p->units = units;
  p->total = total;
  p->tty = tty;
  p->start = p->last = now();
  /* NEWSKG_PROGRESS_AFTER=SECONDS: show sooner (tests) */
  const char *after = getenv("NEWSKG_PROGRESS_AFTER");
  p->after = after && *after ? atof(after) : QUIET_SECONDS;
  return p;
}

static void draw(nkg_progress *p, double t) {
  double elapsed = t - p->start;
  double rate = elapsed > 0 ? (double)p->done / elapsed : 0;
  char count[64], left[48] = "";
  if (p->total)
    snprintf(count, sizeof count, "%zu/%zu", p->done, p->total);
  else
    snprintf(count, sizeof count, "%zu", p->done);
  if (p->total && rate > 0 && p->done < p->total) {
    long s = (long)((double)(p->total - p->done) / rate + 0.5);
    snprintf(left, sizeof left, ", %ld:%02ld left", s / 60, s % 60);
  }
  fprintf(stderr, "%snewskg: %s: %s %s, %.0f/s%s%s", p->tty ? "\r" : "",
          p->what, count, p->units, rate, left, p->tty ? "\033[K" : "\n");
  fflush(stderr);
  p->shown = 1;
  p->last = t;
  p->drawn = p->done;
}

void nkg_progress_add(nkg_progress *p, size_t n) {
  if (!p)
    return;
  p->done += n;
  double t = now();
  if (t - p->start < p->after)
    return;
  if (t - p->last >= (p->tty ? 0.25 : 1.0) || !p->shown)
    draw(p, t);
}

void nkg_progress_end(nkg_progress *p) {
  if (!p)
    return;
  if (p->shown) {
    if (p->tty)
      fputs("\r\033[K", stderr);
    else if (p->drawn != p->done)
      draw(p, now());
    fflush(stderr);
  }
  free(p);
}
