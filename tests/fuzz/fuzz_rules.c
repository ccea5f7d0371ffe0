/* fuzz_rules.c: the rule-file parser. The input is written as zz.rules into
 * a private copy of the rules directory (lexicon files as symbolic links,
 * the shipped *.rules left out) and loaded with nkg_rules_load(); a rule set
 * that loads is run over a fixed sentence, so that the PCRE2 limits are
 * exercised too. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "document.h"
#include "extract.h"
#include "fuzz_common.h"
#include "lexicon.h"

static char dir[256];
static char path[300];
static nkg_lexicon *lex;

static void cleanup(void) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    char p[600];
    while ((e = readdir(d)))
      if (e->d_name[0] != '.') {
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
      }
    closedir(d);
  }
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  nkg_set_quiet(1);
  const char *src = fuzz_rules_dir();
  snprintf(dir, sizeof dir, "%s/nkg-fuzz-rules.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(dir))
    abort();
  atexit(cleanup);
  DIR *d = opendir(src);
  if (!d)
    abort();
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (e->d_name[0] == '.' || (n > 6 && !strcmp(e->d_name + n - 6, ".rules")))
      continue;
    char from[600], to[600];
    snprintf(from, sizeof from, "%s/%s", src, e->d_name);
    snprintf(to, sizeof to, "%s/%s", dir, e->d_name);
    if (symlink(from, to) != 0)
      abort();
  }
  closedir(d);
  snprintf(path, sizeof path, "%s/zz.rules", dir);
  lex = nkg_lexicon_load(dir);
  if (!lex)
    abort();
  return 0;
}

static const char sentence[] =
    "Japan and Pakistan agree to boost trade\n\n"
    "ISLAMABAD, Dec 17 (APP): Foreign Minister Matsuo Takehiko met Prime "
    "Minister Ali Khan on Monday in Islamabad and they agreed to cooperate "
    "in energy, agriculture and IT.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f)
    abort();
  if (size && fwrite(data, 1, size, f) != size)
    abort();
  if (fclose(f) != 0)
    abort();
  nkg_rules *rules = nkg_rules_load(dir);
  if (!rules)
    return 0;
  char *text = nkg_xstrdup(sentence);
  nkg_document *doc = nkg_document_from_text("fuzz.txt", text, strlen(text));
  nkg_extraction x;
  memset(&x, 0, sizeof x);
  if (nkg_document_analyse(doc, lex) == 0)
    (void)nkg_extract_document(rules, lex, doc, &x);
  nkg_extraction_free(&x);
  nkg_document_free(doc);
  nkg_rules_free(rules);
  return 0;
}
