/* people.c: see people.h. */
#include "people.h"

#include <stdlib.h>
#include <string.h>

#include "resolve.h"
#include "util.h"

typedef struct {
  char *name;
  int country;
} known;

/* Candidates are looked up by the first letters of the first and last
 * tokens and the token count, which spelling variants keep; the bucket is
 * then checked with nkg_name_same. */
#define BUCKETS 4096

struct nkg_people {
  known *items;
  size_t n, cap;
  size_t *next;      /* per item: next item in its bucket, or SIZE_MAX */
  size_t head[BUCKETS];
};

static size_t bucket_of(const char *name) {
  const char *last = strrchr(name, ' ');
  last = last ? last + 1 : name;
  size_t words = 1;
  for (const char *p = name; *p; p++)
    words += *p == ' ';
  unsigned char f = (unsigned char)name[0], l = (unsigned char)last[0];
  if (f >= 'A' && f <= 'Z')
    f = (unsigned char)(f - 'A' + 'a');
  if (l >= 'A' && l <= 'Z')
    l = (unsigned char)(l - 'A' + 'a');
  return (((size_t)f * 257u + l) * 31u + words) % BUCKETS;
}

nkg_people *nkg_people_new(void) {
  nkg_people *p = nkg_xcalloc(1, sizeof *p);
  for (size_t i = 0; i < BUCKETS; i++)
    p->head[i] = SIZE_MAX;
  return p;
}

void nkg_people_free(nkg_people *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->n; i++)
    free(p->items[i].name);
  free(p->items);
  free(p->next);
  free(p);
}

static void remember(nkg_people *p, const char *name, int country) {
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 64;
    p->items = nkg_xrealloc(p->items, p->cap * sizeof *p->items);
    p->next = nkg_xrealloc(p->next, p->cap * sizeof *p->next);
  }
  size_t b = bucket_of(name);
  p->items[p->n].name = nkg_xstrdup(name);
  p->items[p->n].country = country;
  p->next[p->n] = p->head[b];
  p->head[b] = p->n;
  p->n++;
}

void nkg_people_unify(nkg_people *p, nkg_extraction *x) {
  for (size_t i = 0; i < x->n_persons; i++) {
    nkg_person *ps = &x->persons[i];
    const known *match = NULL;
    for (size_t k = p->head[bucket_of(ps->name)]; k != SIZE_MAX;
         k = p->next[k]) {
      const known *kn = &p->items[k];
      if ((kn->country < 0 || ps->country < 0 || kn->country == ps->country) &&
          nkg_name_same(kn->name, ps->name)) {
        match = kn;
        break;
      }
    }
    if (match) {
      if (strcmp(match->name, ps->name) != 0) {
        free(ps->name);
        ps->name = nkg_xstrdup(match->name);
      }
    } else {
      remember(p, ps->name, ps->country);
    }
  }
}
