/* cli_extract.c: `newskg extract`, news text in, RDF out.
 *
 * Options are parsed into one struct, resources are acquired in order and
 * released on a single path at the end; the exit status is decided here and
 * returned to main(). */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <raptor2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "document.h"
#include "extract.h"
#include "graph.h"
#include "explain.h"
#include "jsonl.h"
#include "progress.h"
#include "lexicon.h"
#include "output.h"
#include "util.h"

typedef struct {
  const char *format; /* as given with -f */
  const char *syntax; /* the raptor serialiser it names */
  const char *output; /* -o FILE, or NULL for stdout */
  const char *base;   /* --base IRI, or NULL for the default */
  const char *rules;  /* --rules DIR, or NULL */
  int jobs;           /* -j N: worker threads */
  int jsonl;          /* --jsonl: inputs are JSON Lines of articles */
  int explain;        /* --explain: print the events, not the graph */
  int grouped;        /* --grouped: Turtle held whole and grouped */
  int quiet;
  int progress;       /* --progress: show it even when stderr is no terminal */
  int help;
  int version;
  int raptor_writer; /* NEWSKG_WRITER=raptor: raptor writes nt/nq/ttl */
  char **inputs; /* the FILE operands (argv tail) */
  int n_inputs;
} extract_options;

enum {
  OPT_BASE = 256,
  OPT_RULES,
  OPT_VERSION,
  OPT_JSONL,
  OPT_EXPLAIN,
  OPT_PROGRESS,
  OPT_GROUPED
};

/* More threads than this is a typo, not a machine. */
#define MAX_JOBS 256

static const struct option long_options[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"base", required_argument, NULL, OPT_BASE},
    {"rules", required_argument, NULL, OPT_RULES},
    {"jobs", required_argument, NULL, 'j'},
    {"jsonl", no_argument, NULL, OPT_JSONL},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"quiet", no_argument, NULL, 'q'},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"grouped", no_argument, NULL, OPT_GROUPED},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const char *const format_labels[] = {"Turtle (default)",
                                            "N-Triples",
                                            "N-Quads, a graph per document and one for entities",
                                            "RDF/XML, abbreviated",
                                            "RDF/JSON (resource-centric)",
                                            "GraphViz DOT",
                                            NULL};

static void usage_hint(void) { nkg_cli_usage_hint("extract"); }

static void print_help(raptor_world *world) {
  printf(
      "Usage: newskg extract [OPTION]... [FILE]...\n"
      "Read English news articles (plain text, UTF-8) and write the "
      "officials,\n"
      "meetings and cooperation they report as RDF, with evidence for each "
      "fact.\n"
      "With no FILE, or when FILE is -, read standard input.\n"
      "\n"
      "Options:\n"
      "  -f, --format FMT   output format (default turtle; see below)\n"
      "  -o, --output FILE  write to FILE, replaced only when the run "
      "succeeds\n"
      "                     (default: standard output)\n"
      "      --base IRI     namespace for minted IRIs, ending in '/' or '#'\n"
      "                     (default " NKG_DEFAULT_BASE ")\n"
      "      --rules DIR    rules and lexicon directory (default: "
      "$NEWSKG_RULES,\n"
      "                     else the installed " NKG_PKGDATADIR "/extract)\n"
      "  -j, --jobs N       analyse N inputs at a time on N threads; the "
      "output is\n"
      "                     the same as with -j 1 (default 1)\n"
      "      --jsonl        inputs are JSON Lines, one article a line: "
      "{\"id\", \"url\",\n"
      "                     \"date\", \"title\", \"text\"}; the id names "
      "the document; a\n"
      "                     malformed line is reported as FILE:LINE and "
      "skipped\n"
      "      --explain      instead of RDF, print each event found (meeting,\n"
      "                     cooperation, sector): the trigger that opened it\n"
      "                     and the rule and text behind each of its slots\n"
      "      --grouped      Turtle: hold the whole graph and write each "
      "subject once,\n"
      "                     all documents together (for small outputs)\n"
      "  -q, --quiet        no warnings or progress on standard error\n"
      "      --progress     show progress (documents, documents per second, time\n"
      "                     left) even when standard error is not a terminal;\n"
      "                     on a terminal it shows after two seconds\n"
      "  -h, --help         show this help and exit\n"
      "      --version      show the version and exit\n"
      "\n"
      "Turtle, N-Triples and N-Quads are written document by document as "
      "they are\n"
      "done (memory stays flat however large the input): Turtle declares its\n"
      "prefixes once and groups each document's statements by subject, so a\n"
      "country or sector named by several documents has a block in each\n"
      "(the copies merge when read). The other formats, and Turtle with\n"
      "--grouped, hold the whole graph in memory to group and de-duplicate "
      "it.\n"
      "Outputs of separate runs merge by concatenation: IRIs depend only on "
      "the\n"
      "content. N-Triples, N-Quads and Turtle are written by newskg's own "
      "writers,\n"
      "which give the bytes of raptor's serialisers; NEWSKG_WRITER=raptor "
      "uses raptor's.\n"
      "\n"
      "Formats (short names):\n");
  for (size_t i = 0; nkg_graph_formats[i]; i++) {
    const char *syntax = nkg_graph_format_syntaxes[i];
    int have = raptor_world_is_serializer_name(world, syntax);
    printf("  %-10s %s%s\n", nkg_graph_formats[i], format_labels[i],
           have ? "" : " [not in this raptor]");
  }
  printf("\nRaptor serialisers available at run time (* = has a short name;\n"
         "any of these names is accepted by --format):\n");
  for (unsigned int i = 0;; i++) {
    const raptor_syntax_description *d =
        raptor_world_get_serializer_description(world, i);
    if (!d)
      break;
    const char *name = d->names[0];
    const char *target = nkg_graph_syntax_for(world, name);
    int marked = 0;
    for (size_t k = 0; nkg_graph_format_syntaxes[k]; k++)
      if (!strcmp(name, nkg_graph_format_syntaxes[k]))
        marked = 1;
    printf("  %c %-16s %s", marked ? '*' : ' ', name, d->label);
    /* A raptor name that is also a short name for another serialiser. */
    if (target && strcmp(target, name))
      printf(" (-f %s gives %s)", name, target);
    putchar('\n');
  }
  printf("\nExit status: 0 success, 1 an input or the output failed "
         "(other inputs\nare still processed), 2 usage error.\n");
}

/* Parses argv into o. Returns NKG_OK or NKG_USAGE (message printed). */
static int parse_options(int argc, char **argv, extract_options *o) {
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":f:o:j:qh", long_options, NULL)) !=
         -1) {
    switch (c) {
    case 'f':
      o->format = optarg;
      break;
    case 'o':
      o->output = optarg;
      break;
    case OPT_BASE:
      o->base = optarg;
      break;
    case OPT_RULES:
      o->rules = optarg;
      break;
    case 'j': {
      char *end;
      errno = 0;
      long n = strtol(optarg, &end, 10);
      if (errno || end == optarg || *end || n < 1 || n > MAX_JOBS) {
        nkg_error("extract: -j '%s' is not a number of threads from 1 to %d",
                  optarg, MAX_JOBS);
        usage_hint();
        return NKG_USAGE;
      }
      o->jobs = (int)n;
      break;
    }
    case OPT_JSONL:
      o->jsonl = 1;
      break;
    case OPT_GROUPED:
      o->grouped = 1;
      break;
    case OPT_EXPLAIN:
      o->explain = 1;
      break;
    case 'q':
      o->quiet = 1;
      break;
    case OPT_PROGRESS:
      o->progress = 1;
      break;
    case 'h':
      o->help = 1;
      break;
    case OPT_VERSION:
      o->version = 1;
      break;
    default:
      return nkg_cli_option_error("extract", c, argv);
    }
  }
  o->inputs = argv + optind;
  o->n_inputs = argc - optind;
  /* NEWSKG_WRITER=raptor writes N-Triples, N-Quads and Turtle with
   * raptor's serialisers (the reference of tests/ntwriter-diff.test)
   * instead of ntwriter and ttlwriter; "newskg" or unset is the default. */
  const char *writer = getenv("NEWSKG_WRITER");
  if (writer && *writer && strcmp(writer, "newskg")) {
    if (strcmp(writer, "raptor")) {
      nkg_error("extract: NEWSKG_WRITER='%s' is neither 'raptor' nor "
                "'newskg'",
                writer);
      usage_hint();
      return NKG_USAGE;
    }
    o->raptor_writer = 1;
  }
  return NKG_OK;
}

/* An absolute IRI (scheme ':' ...) without characters IRIs may not hold,
 * ending in '/' or '#' so that appended names stay inside it. */
static int valid_base(raptor_world *world, const char *base) {
  size_t n = strlen(base);
  if (n == 0 || (base[n - 1] != '/' && base[n - 1] != '#'))
    return 0;
  for (const unsigned char *p = (const unsigned char *)base; *p; p++)
    if (*p <= 0x20 || *p == 0x7f || strchr("<>\"{}|\\^`", *p))
      return 0;
  if (!raptor_uri_uri_string_is_absolute((const unsigned char *)base))
    return 0;
  raptor_uri *u = raptor_new_uri(world, (const unsigned char *)base);
  if (!u)
    return 0;
  raptor_free_uri(u);
  return 1;
}

static int file_exists(const char *dir, const char *name) {
  nkg_buf b = {0};
  nkg_buf_printf(&b, "%s/%s", dir, name);
  int ok = access(b.data, F_OK) == 0;
  nkg_buf_free(&b);
  return ok;
}

void nkg_cli_usage_hint(const char *command) {
  fprintf(stderr, "Try 'newskg %s --help' for more information.\n", command);
}

int nkg_cli_option_error(const char *command, int c, char **argv) {
  if (c == ':')
    nkg_error("%s: option '%s' needs an argument", command, argv[optind - 1]);
  else if (optopt && optopt < 256)
    nkg_error("%s: unknown option '-%c'", command, optopt);
  else
    nkg_error("%s: unknown option '%s'", command, argv[optind - 1]);
  nkg_cli_usage_hint(command);
  return NKG_USAGE;
}

char *nkg_cli_rules_dir(const char *opt) {
  if (opt)
    return nkg_xstrdup(opt);
  const char *env = getenv("NEWSKG_RULES");
  if (env && *env)
    return nkg_xstrdup(env);

  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0'; /* exe is now the program's directory */
      nkg_buf b = {0};
      nkg_buf_printf(&b, "%s/../extract", exe);
      if (file_exists(b.data, "countries.tsv"))
        return nkg_buf_steal(&b);
      nkg_buf_clear(&b);
      nkg_buf_printf(&b, "%s/..", exe);
      int build_tree = file_exists(b.data, "Makefile") &&
                       file_exists(b.data, "config.status");
      nkg_buf_free(&b);
      if (build_tree && file_exists(NKG_SRCDIR "/extract", "countries.tsv"))
        return nkg_xstrdup(NKG_SRCDIR "/extract");
    }
  }
  return nkg_xstrdup(NKG_PKGDATADIR "/extract");
}

static void log_handler(void *data, raptor_log_message *m) {
  (void)data;
  if (m->level >= RAPTOR_LOG_LEVEL_ERROR)
    nkg_error("raptor: %s", m->text);
  else if (m->level >= RAPTOR_LOG_LEVEL_WARN)
    nkg_warn("raptor: %s", m->text);
}

/* ---- the pipeline ------------------------------------------------------
 *
 * Inputs (files, or the articles of JSON Lines files) become jobs, numbered
 * in input order. A job is read, analysed and extracted on a worker thread;
 * for N-Triples and N-Quads the worker also builds its statements (in a
 * graph and raptor world of its own: raptor worlds are not thread-safe) and
 * serialises them to bytes. The main thread takes the jobs back in input
 * order and writes the bytes, or, for the other formats, adds the document to
 * the one graph written at the end. At most RING jobs are in flight, so
 * memory does not grow with the input. With -j 1 the main thread does
 * everything itself, in the same order. */

typedef struct {
  /* input */
  char *path;       /* file to read, or NULL for text already read */
  char *name;       /* document name: the path, or the article id */
  char *text;       /* the article text when path is NULL */
  size_t len;
  /* result */
  nkg_document *doc; /* kept for the main graph (non-streaming formats) */
  nkg_extraction x;
  nkg_buf bytes;     /* serialised statements (streaming formats) */
  size_t n_statements;
  int rc;            /* 0, or -1 after a message */
  int done;
} job;

typedef struct {
  raptor_world *world; /* streaming formats only */
  nkg_graph *g;
} worker;

typedef struct {
  const extract_options *o;
  const nkg_lexicon *lex;
  const nkg_rules *rules;
  int streaming;
  /* ring of jobs in flight: [next_write, next_submit) */
  job *ring;
  size_t ring_size;
  size_t next_submit, next_take, next_write;
  int finished; /* no more jobs will be submitted */
  int main_waits; /* the main thread sleeps until job wait_for is done */
  size_t wait_for;
  pthread_mutex_t mu;
  pthread_cond_t have_work, have_done;
  worker *workers;
  pthread_t *threads;
  int n_threads; /* 0 when the main thread works alone */
  /* main thread only */
  nkg_graph *g;  /* the whole graph, non-streaming formats */
  FILE *out;
  size_t n_ok, n_failed, n_statements;
  int write_failed;
  nkg_progress *progress; /* documents done, or NULL */
  int nquads;               /* streaming N-Quads: entity lines written once */
  nkg_byteset entity_quads; /* the entity-graph lines written so far */
  int turtle;               /* streaming Turtle: prefixes declared once */
  nkg_buf turtle_head;      /* the first document's @prefix lines */
  int turtle_head_seen;
} pipeline;

/* The length of the directives (@prefix, @base lines and the blank line
 * after them) at the start of a document's Turtle. */
static size_t turtle_directives(const char *s, size_t len) {
  size_t at = 0;
  while (at < len && s[at] == '@') {
    const char *nl = memchr(s + at, '\n', len - at);
    if (!nl)
      return 0;
    at = (size_t)(nl - s) + 1;
  }
  if (at && at < len && s[at] == '\n')
    at++;
  return at;
}

/* Streaming Turtle: the first document's directives are written, and the
 * same directives at the head of a later document are left out (raptor
 * writes them for every document; every document declares the same
 * prefixes). Different ones would be kept: redeclaring is valid Turtle. */
static void strip_turtle_directives(pipeline *p, nkg_buf *bytes) {
  size_t n = turtle_directives(bytes->data, bytes->len);
  if (!p->turtle_head_seen) {
    nkg_buf_add(&p->turtle_head, bytes->data, n);
    p->turtle_head_seen = 1;
    return;
  }
  if (n == p->turtle_head.len && n &&
      !memcmp(bytes->data, p->turtle_head.data, n)) {
    memmove(bytes->data, bytes->data + n, bytes->len - n);
    bytes->len -= n;
    bytes->data[bytes->len] = '\0';
  }
}


/* Frees what the job holds but its output buffer, which the next job of
 * this slot of the ring reuses: grown from nothing for every document, it
 * was a dozen reallocs per job, and a free across threads with -j. Its size
 * is bounded by the largest document's output. */
static void job_clear(job *j) {
  free(j->path);
  free(j->name);
  free(j->text);
  nkg_extraction_free(&j->x);
  nkg_document_free(j->doc);
  nkg_buf bytes = j->bytes;
  nkg_buf_clear(&bytes);
  memset(j, 0, sizeof *j);
  j->bytes = bytes;
}

/* Reads, analyses and extracts one input; for streaming formats builds and
 * serialises its statements with w. Sets j->rc.
 *
 * The extraction and the output bytes are built in locals and stored in the
 * job at the end: the ring's slots are adjacent, and a slot's fields, written
 * for every event and every statement, could share a cache line with the
 * slot the other worker is writing. */
static void run_job(pipeline *p, worker *w, job *j) {
  const char *shown = strcmp(j->name, "-") ? j->name : "stdin";
  nkg_document *doc = j->path ? nkg_document_read(j->path)
                              : nkg_document_from_text(j->name, j->text, j->len);
  j->text = NULL; /* owned by the document now */
  j->rc = -1;
  if (!doc)
    return;
  nkg_extraction x = {0};
  nkg_buf bytes = j->bytes;
  if (nkg_document_analyse(doc, p->lex) != 0 ||
      nkg_extract_document(p->rules, p->lex, doc, &x) != 0) {
    nkg_error("%s: not processed", shown);
    nkg_extraction_free(&x);
    nkg_document_free(doc);
    return;
  }
  if (p->o->explain) {
    nkg_explain_document(doc, &x, p->lex, &bytes);
    nkg_extraction_free(&x);
    nkg_document_free(doc);
    j->bytes = bytes;
    j->rc = 0;
    return;
  }
  if (!p->streaming) {
    j->x = x;
    j->doc = doc;
    j->rc = 0;
    return;
  }
  int rc = nkg_graph_add(w->g, doc, &x, p->lex);
  j->n_statements = nkg_graph_size(w->g);
  if (nkg_graph_flush(w->g, p->o->syntax, &bytes) != 0)
    rc = -1;
  if (rc != 0)
    nkg_error("%s: not processed", shown);
  nkg_extraction_free(&x);
  nkg_document_free(doc);
  j->bytes = bytes;
  j->rc = rc;
}

static void *worker_main(void *arg) {
  pipeline *p = ((void **)arg)[0];
  worker *w = ((void **)arg)[1];
  free(arg);
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (p->next_take == p->next_submit && !p->finished)
      pthread_cond_wait(&p->have_work, &p->mu);
    if (p->next_take == p->next_submit) {
      pthread_mutex_unlock(&p->mu);
      return NULL;
    }
    job *j = &p->ring[p->next_take++ % p->ring_size];
    pthread_mutex_unlock(&p->mu);
    run_job(p, w, j);
    pthread_mutex_lock(&p->mu);
    j->done = 1;
    /* Wake the main thread only for the job it waits for: a wake-up for
     * every job, most of them not yet writable, was a context switch per
     * job on top of the needed ones. */
    if (p->main_waits && j == &p->ring[p->wait_for % p->ring_size])
      pthread_cond_signal(&p->have_done);
    pthread_mutex_unlock(&p->mu);
  }
}

/* Waits until job number k (in flight) is done (main thread). */
static void wait_done(pipeline *p, size_t k) {
  job *j = &p->ring[k % p->ring_size];
  if (!p->n_threads)
    return;
  pthread_mutex_lock(&p->mu);
  while (!j->done) {
    p->wait_for = k;
    p->main_waits = 1;
    pthread_cond_wait(&p->have_done, &p->mu);
  }
  p->main_waits = 0;
  pthread_mutex_unlock(&p->mu);
}

/* Waits for the oldest job in flight and writes its result (main thread). */
static void retire(pipeline *p) {
  job *j = &p->ring[p->next_write % p->ring_size];
  wait_done(p, p->next_write);
  if (j->rc == 0 && !p->streaming) {
    j->rc = nkg_graph_add(p->g, j->doc, &j->x, p->lex);
    if (j->rc)
      nkg_error("%s: not processed",
                strcmp(j->name, "-") ? j->name : "stdin");
  }
  /* Workers cannot know what an earlier document wrote; here, in input
   * order, the output stays the same for every -j. */
  if (j->rc == 0 && p->nquads)
    j->n_statements -= nkg_graph_drop_written_entity_quads(
        p->o->base, &p->entity_quads, &j->bytes);
  if (j->rc == 0 && p->turtle && j->bytes.len)
    strip_turtle_directives(p, &j->bytes);
  if (j->rc == 0 && p->streaming && j->bytes.len && !p->write_failed &&
      fwrite(j->bytes.data, 1, j->bytes.len, p->out) != j->bytes.len)
    p->write_failed = 1; /* reported by nkg_output_commit() */
  if (j->rc == 0) {
    p->n_ok++;
    p->n_statements += j->n_statements;
  } else {
    p->n_failed++;
  }
  job_clear(j);
  p->next_write++;
  nkg_progress_add(p->progress, 1);
}

/* Queues a job (taking ownership of path, name and text); runs it at once
 * when there are no worker threads. */
static void submit(pipeline *p, char *path, char *name, char *text,
                   size_t len) {
  if (p->next_submit - p->next_write == p->ring_size) {
    /* A full ring is emptied by half: the main thread sleeps until the job
     * half a ring ahead is done, and writes the jobs up to it, so that it
     * is woken once per half ring rather than once per job (each wake-up a
     * futex call, and a context switch on a core a worker was using). The
     * jobs before that one are nearly always done by then; retire() waits
     * for any that is not, so the order is kept. */
    size_t half = p->ring_size / 2 ? p->ring_size / 2 : 1;
    wait_done(p, p->next_write + half - 1);
    for (size_t k = 0; k < half; k++)
      retire(p);
  }
  job *j = &p->ring[p->next_submit % p->ring_size];
  j->path = path;
  j->name = name;
  j->text = text;
  j->len = len;
  if (!p->n_threads) {
    run_job(p, &p->workers[0], j);
    j->done = 1;
    p->next_submit++;
    p->next_take++;
    retire(p);
    return;
  }
  pthread_mutex_lock(&p->mu);
  p->next_submit++;
  pthread_cond_signal(&p->have_work);
  pthread_mutex_unlock(&p->mu);
}

static void drain(pipeline *p) {
  while (p->next_write < p->next_submit)
    retire(p);
}

/* Feeds the articles of one JSON Lines input to the pipeline. */
static void submit_jsonl(pipeline *p, const char *path) {
  nkg_jsonl_reader *r = nkg_jsonl_open(path);
  if (!r) {
    p->n_failed++;
    return;
  }
  nkg_jsonl_article a;
  int rc;
  while ((rc = nkg_jsonl_next(r, &a)) != 0 && !p->write_failed) {
    if (rc == -2) {
      p->n_failed++;
      break;
    }
    if (rc < 0) {
      p->n_failed++;
      continue;
    }
    size_t len;
    char *text = nkg_jsonl_article_text(&a, &len);
    submit(p, NULL, nkg_xstrdup(a.id), text, len);
    nkg_jsonl_article_free(&a);
  }
  nkg_jsonl_close(r);
}

/* Sets up n workers (n >= 1; threads only when n > 1). Returns 0, or -1
 * with a message. */
static int pipeline_start(pipeline *p, int n) {
  p->ring_size = (size_t)(n > 1 ? 16 * n : 1);
  p->ring = nkg_xcalloc(p->ring_size, sizeof *p->ring);
  p->workers = nkg_xcalloc((size_t)n, sizeof *p->workers);
  /* Worlds are made here, one after the other, not in the threads. */
  for (int i = 0; i < n && p->streaming; i++) {
    worker *w = &p->workers[i];
    w->world = raptor_new_world();
    /* No world-wide tree of URIs: the graph's IRI cache already makes one
     * term per IRI and document, and the tree's search and insert (an AVL
     * tree of IRIs sharing the long base prefix) cost 2,000 instructions
     * per new IRI, 4% of -f ntriples. */
    if (w->world &&
        raptor_world_set_flag(w->world, RAPTOR_WORLD_FLAG_URI_INTERNING, 0)) {
      nkg_error("cannot initialise raptor");
      return -1;
    }
    if (!w->world || raptor_world_open(w->world) != 0) {
      nkg_error("cannot initialise raptor");
      return -1;
    }
    raptor_world_set_log_handler(w->world, NULL, log_handler);
    if (!(w->g = nkg_graph_new(w->world, p->o->base)))
      return -1;
    nkg_graph_use_raptor_writer(w->g, p->o->raptor_writer);
    nkg_graph_stream_only(w->g); /* flushed to bytes, document by document */
  }
  if (n == 1)
    return 0;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->have_work, NULL);
  pthread_cond_init(&p->have_done, NULL);
  p->threads = nkg_xcalloc((size_t)n, sizeof *p->threads);
  for (int i = 0; i < n; i++) {
    void **arg = nkg_xmalloc(2 * sizeof *arg);
    arg[0] = p;
    arg[1] = &p->workers[i];
    int e = pthread_create(&p->threads[i], NULL, worker_main, arg);
    if (e) {
      free(arg);
      nkg_error("cannot start a thread: %s", strerror(e));
      return -1;
    }
    p->n_threads++;
  }
  return 0;
}

/* Finishes the jobs in flight, stops the threads and frees everything but
 * p->g. */
static void pipeline_stop(pipeline *p, int n) {
  if (p->ring)
    drain(p);
  if (p->n_threads) {
    pthread_mutex_lock(&p->mu);
    p->finished = 1;
    pthread_cond_broadcast(&p->have_work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n_threads; i++)
      pthread_join(p->threads[i], NULL);
  }
  if (p->threads) {
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->have_work);
    pthread_cond_destroy(&p->have_done);
  }
  free(p->threads);
  for (int i = 0; p->workers && i < n; i++) {
    nkg_graph_free(p->workers[i].g);
    if (p->workers[i].world)
      raptor_free_world(p->workers[i].world);
  }
  free(p->workers);
  for (size_t i = 0; p->ring && i < p->ring_size; i++)
    nkg_buf_free(&p->ring[i].bytes);
  free(p->ring);
  nkg_byteset_free(&p->entity_quads);
  nkg_buf_free(&p->turtle_head);
}

/* The lexicon, loaded on a thread of its own while the rules load (-j N
 * with N > 1): it was 17M instructions of the serial start, and the
 * rules' loading keeps the other cores busy only part of the time. */
typedef struct {
  const char *dir;
  nkg_lexicon *lex;
} lexicon_job;

static void *load_lexicon(void *arg) {
  lexicon_job *l = arg;
  l->lex = nkg_lexicon_load(l->dir);
  return NULL;
}

/* Loads the lexicon and the rules of dir into *lex and *rules; with more
 * than one job, both at once (then both report their errors). Returns 0,
 * or -1 with messages, leaving in *lex and *rules what did load. */
static int load_lexicon_and_rules(const char *dir, int jobs, nkg_lexicon **lex,
                                  nkg_rules **rules) {
  lexicon_job l = {dir, NULL};
  pthread_t t;
  int threaded = jobs > 1 && pthread_create(&t, NULL, load_lexicon, &l) == 0;
  if (!threaded)
    load_lexicon(&l);
  if (threaded || l.lex)
    *rules = nkg_rules_load_threads(dir, jobs);
  if (threaded && pthread_join(t, NULL) != 0) {
    nkg_error("cannot wait for the lexicon to load");
    *lex = NULL; /* the thread may still use it: leaked, not freed */
    return -1;
  }
  *lex = l.lex;
  return *lex && *rules ? 0 : -1;
}

int nkg_cli_extract(int argc, char **argv) {
  extract_options o = {.format = "turtle"};
  raptor_world *world = NULL;
  nkg_lexicon *lex = NULL;
  nkg_rules *rules = NULL;
  nkg_graph *g = NULL;
  nkg_output *out = NULL;
  char *dir = NULL;
  int status = parse_options(argc, argv, &o);
  if (status != NKG_OK)
    goto done;
  nkg_set_quiet(o.quiet);

  if (o.version) {
    printf("newskg %s\n", PACKAGE_VERSION);
    status = nkg_output_close_stdout() ? NKG_FAIL : NKG_OK;
    goto done;
  }

  world = raptor_new_world();
  if (!world || raptor_world_open(world) != 0) {
    nkg_error("cannot initialise raptor");
    status = NKG_FAIL;
    goto done;
  }
  raptor_world_set_log_handler(world, NULL, log_handler);

  if (o.help) {
    print_help(world);
    status = nkg_output_close_stdout() ? NKG_FAIL : NKG_OK;
    goto done;
  }
  o.syntax = nkg_graph_syntax_for(world, o.format);
  if (!o.syntax) {
    nkg_error("extract: unknown format '%s'", o.format);
    usage_hint();
    status = NKG_USAGE;
    goto done;
  }
  if (o.base && !valid_base(world, o.base)) {
    nkg_error("extract: --base '%s' is not an absolute IRI ending in '/' or "
              "'#'",
              o.base);
    usage_hint();
    status = NKG_USAGE;
    goto done;
  }

  status = NKG_FAIL;
  dir = nkg_cli_rules_dir(o.rules);
  if (load_lexicon_and_rules(dir, o.jobs > 0 ? o.jobs : 1, &lex, &rules) < 0)
    goto done;
  if (!(g = nkg_graph_new(world, o.base)))
    goto done;
  nkg_graph_use_raptor_writer(g, o.raptor_writer);
  if (!(out = nkg_output_open(o.output)))
    goto done;

  static char *const stdin_only[] = {"-"};
  char *const *inputs = o.n_inputs ? o.inputs : stdin_only;
  int n_inputs = o.n_inputs ? o.n_inputs : 1;
  int n_jobs = o.jobs > 0 ? o.jobs : 1;
  pipeline p = {.o = &o, .lex = lex, .rules = rules, .g = g,
                .streaming = o.explain || nkg_graph_syntax_streams(o.syntax) ||
                             (!strcmp(o.syntax, "turtle") && !o.grouped),
                .nquads = !o.explain && !strcmp(o.syntax, "nquads"),
                .turtle = !o.explain && !strcmp(o.syntax, "turtle") &&
                          !o.grouped,
                .out = nkg_output_stream(out),
                .progress = nkg_progress_new(
                    "extract", "documents", o.jsonl ? 0 : (size_t)n_inputs,
                    nkg_progress_mode_for(o.quiet, o.progress))};
  if (pipeline_start(&p, n_jobs) != 0) {
    pipeline_stop(&p, n_jobs);
    nkg_progress_end(p.progress);
    goto done;
  }
  for (int i = 0; i < n_inputs && !p.write_failed; i++) {
    if (o.jsonl)
      submit_jsonl(&p, inputs[i]);
    else
      submit(&p, nkg_xstrdup(inputs[i]), nkg_xstrdup(inputs[i]), NULL, 0);
  }
  pipeline_stop(&p, n_jobs);
  nkg_progress_end(p.progress);
  size_t n_ok = p.n_ok, n_failed = p.n_failed;
  if (!o.quiet && isatty(STDERR_FILENO))
    fprintf(stderr, "newskg: %zu documents, %zu statements\n", n_ok,
            p.streaming ? p.n_statements : nkg_graph_size(g));

  /* With nothing read there is nothing worth replacing the output with. */
  if (n_ok == 0 && n_failed > 0)
    goto done;
  if (!p.streaming && nkg_graph_write(g, o.syntax, nkg_output_stream(out)) != 0)
    goto done;
  int rc = nkg_output_commit(out);
  out = NULL;
  if (rc == 0)
    status = n_failed ? NKG_FAIL : NKG_OK;

done:
  nkg_output_abort(out);
  nkg_graph_free(g);
  if (rules)
    nkg_rules_free(rules);
  if (lex)
    nkg_lexicon_free(lex);
  free(dir);
  if (world)
    raptor_free_world(world);
  return status;
}
