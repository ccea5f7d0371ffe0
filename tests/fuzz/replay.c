/* replay.c: runs a libFuzzer harness without libFuzzer, so that make check
 * (any compiler) exercises it: every file given (a directory: every file in
 * it), then COUNT inputs of pseudo-random bytes from a fixed seed.
 *
 *   replay [-n COUNT] [-s SEED] PATH...
 *
 * Linked with one harness (LLVMFuzzerInitialize, LLVMFuzzerTestOneInput);
 * a harness reports a failure by aborting. Prints "N inputs" at the end.
 * Exit status: 0 all ran, 1 a file could not be read, 2 usage. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the harness on the bytes of path. Returns 0, or -1 with a message. */
static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  nkg_buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    nkg_buf_add(&b, chunk, n);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "replay: %s: read error\n", path);
    nkg_buf_free(&b);
    return -1;
  }
  LLVMFuzzerTestOneInput((const uint8_t *)(b.data ? b.data : ""), b.len);
  nkg_buf_free(&b);
  return 0;
}

/* Runs every regular file of dir, in name order (for a stable replay). */
static int run_dir(const char *dir, size_t *count) {
  struct dirent **names;
  int n = scandir(dir, &names, NULL, alphasort);
  if (n < 0) {
    perror(dir);
    return -1;
  }
  int rc = 0;
  for (int i = 0; i < n; i++) {
    if (names[i]->d_name[0] != '.') {
      nkg_buf p = {0};
      nkg_buf_printf(&p, "%s/%s", dir, names[i]->d_name);
      if (run_file(p.data) != 0)
        rc = -1;
      else
        (*count)++;
      nkg_buf_free(&p);
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  unsigned long count = 0, seed = 1;
  int i = 1;
  for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
    char *end;
    unsigned long v = strtoul(argv[i + 1], &end, 10);
    if (*end || end == argv[i + 1])
      break;
    if (!strcmp(argv[i], "-n"))
      count = v;
    else if (!strcmp(argv[i], "-s"))
      seed = v;
    else
      break;
  }
  if (i < argc && argv[i][0] == '-') {
    fprintf(stderr, "Usage: replay [-n COUNT] [-s SEED] PATH...\n");
    return 2;
  }
  LLVMFuzzerInitialize(&argc, &argv);
  size_t done = 0;
  int rc = 0;
  for (; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      rc = 1;
    } else if (S_ISDIR(st.st_mode)) {
      if (run_dir(argv[i], &done) != 0)
        rc = 1;
    } else if (run_file(argv[i]) != 0) {
      rc = 1;
    } else {
      done++;
    }
  }
  /* xorshift64: the same inputs on every machine */
  uint64_t x = seed ? seed : 1;
  uint8_t buf[2048];
  for (unsigned long k = 0; k < count; k++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    size_t len = (size_t)(x % sizeof buf);
    for (size_t j = 0; j < len; j++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      buf[j] = (uint8_t)(x >> 24);
    }
    LLVMFuzzerTestOneInput(buf, len);
    done++;
  }
  printf("%zu inputs\n", done);
  return rc;
}
