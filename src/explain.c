/* explain.c: see explain.h. */
#include "explain.h"

#include <string.h>

/* Appends text[b, e) on one line: line breaks and tabs become spaces. */
static void add_span(nkg_buf *out, const nkg_document *doc, size_t b,
                     size_t e) {
  if (e > doc->len)
    e = doc->len;
  nkg_buf_addc(out, '"');
  for (size_t i = b; i < e; i++) {
    char c = doc->text[i];
    nkg_buf_addc(out, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  }
  nkg_buf_addc(out, '"');
}

/* "rule R, sentence S: "text"", or "rule R (the dateline): ..." for a
 * document-level step, or nothing when p was never set. */
static void add_prov(nkg_buf *out, const nkg_document *doc,
                     const nkg_prov *p) {
  if (!p->rule) {
    nkg_buf_adds(out, "(no evidence)");
    return;
  }
  nkg_buf_printf(out, "rule %s", p->rule);
  if (p->sentence >= 0)
    nkg_buf_printf(out, ", sentence %d", p->sentence);
  if (p->end > p->begin) {
    nkg_buf_adds(out, ": ");
    add_span(out, doc, p->begin, p->end);
  }
}

static const char *country_name(const nkg_lexicon *lex, int c) {
  const nkg_country *k = c >= 0 ? nkg_lexicon_country(lex, c) : NULL;
  return k ? k->name : "?";
}

static void explain_person(nkg_buf *out, const nkg_document *doc,
                           const nkg_extraction *x, const nkg_lexicon *lex,
                           int i) {
  const nkg_person *p = &x->persons[i];
  nkg_buf_printf(out, "    participant %s\n      named by ", p->name);
  add_prov(out, doc, &p->prov);
  nkg_buf_addc(out, '\n');
  if (p->position && p->position_second_at) {
    /* two titles joined by "and", two positions */
    nkg_buf_printf(out, "      positions %.*s; %s, ",
                   (int)p->position_first_len, p->position,
                   p->position + p->position_second_at);
    add_prov(out, doc, &p->position_prov);
    nkg_buf_addc(out, '\n');
  } else if (p->position) {
    nkg_buf_printf(out, "      position %s, ", p->position);
    add_prov(out, doc, &p->position_prov);
    nkg_buf_addc(out, '\n');
  }
  if (p->country >= 0) {
    nkg_buf_printf(out, "      represents %s, ", country_name(lex, p->country));
    add_prov(out, doc, &p->country_prov);
    nkg_buf_addc(out, '\n');
  }
}

static void explain_meeting(nkg_buf *out, const nkg_document *doc,
                            const nkg_extraction *x, const nkg_lexicon *lex,
                            size_t i) {
  const nkg_meeting *m = &x->meetings[i];
  nkg_buf_printf(out, "  meeting %zu\n    trigger ", i + 1);
  add_prov(out, doc, &m->prov);
  nkg_buf_addc(out, '\n');
  for (size_t k = 0; k < m->n_participants; k++)
    explain_person(out, doc, x, lex, m->participants[k]);
  if (m->date[0]) {
    nkg_buf_printf(out, "    date %s, ", m->date);
    add_prov(out, doc, &m->date_prov);
  } else {
    nkg_buf_adds(out, "    date: none found");
  }
  nkg_buf_addc(out, '\n');
  if (m->place >= 0 && (size_t)m->place < x->n_places) {
    nkg_buf_printf(out, "    place %s, ", x->places[m->place].label);
    add_prov(out, doc, &m->place_prov);
  } else {
    nkg_buf_adds(out, "    place: none found");
  }
  nkg_buf_addc(out, '\n');
}

void nkg_explain_document(const nkg_document *doc, const nkg_extraction *x,
                          const nkg_lexicon *lex, nkg_buf *out) {
  nkg_buf_printf(out, "document %s: sentences %zu, meetings %zu, "
                      "cooperating pairs %zu, sectors %zu\n",
                 strcmp(doc->name, "-") ? doc->name : "stdin",
                 doc->n_sentences, x->n_meetings, x->n_cooperates,
                 x->n_cooperates_in);
  for (size_t i = 0; i < x->n_meetings; i++)
    explain_meeting(out, doc, x, lex, i);
  for (size_t i = 0; i < x->n_cooperates; i++) {
    const nkg_pair *c = &x->cooperates[i];
    nkg_buf_printf(out, "  cooperation %s - %s\n    ",
                   country_name(lex, c->a), country_name(lex, c->b));
    add_prov(out, doc, &c->prov);
    nkg_buf_addc(out, '\n');
  }
  for (size_t i = 0; i < x->n_cooperates_in; i++) {
    const nkg_coop_in *s = &x->cooperates_in[i];
    const char *label = "?";
    if (s->sector >= 0) {
      const nkg_sector *k = nkg_lexicon_sector(lex, s->sector);
      if (k)
        label = k->pref_label;
    } else if (s->unlisted >= 0 && (size_t)s->unlisted < x->n_unlisted) {
      label = x->unlisted[s->unlisted];
    }
    nkg_buf_printf(out, "  sector %s of %s%s\n    ", label,
                   country_name(lex, s->country),
                   s->sector < 0 ? " (not in the gazetteer)" : "");
    add_prov(out, doc, &s->prov);
    nkg_buf_addc(out, '\n');
  }
}
