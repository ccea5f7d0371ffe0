/* fuzz_common.h: shared set-up of the libFuzzer harnesses (see run.sh).
 *
 * The rules directory is $NEWSKG_RULES, else the source tree's extract/
 * (NKG_SRCDIR, defined by run.sh). Messages are silenced: the harnesses look
 * for crashes, leaks and undefined behaviour, not for diagnostics. */
#ifndef NKG_FUZZ_COMMON_H
#define NKG_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *fuzz_rules_dir(void) {
  const char *env = getenv("NEWSKG_RULES");
  return env && *env ? env : NKG_SRCDIR "/extract";
}

/* A malloc'd copy of data, as nkg_document_from_text() takes ownership. */
static char *fuzz_copy(const unsigned char *data, size_t size) {
  char *text = nkg_xmalloc(size + 1);
  if (size)
    memcpy(text, data, size);
  return text;
}

#endif
