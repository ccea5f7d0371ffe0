#!/usr/bin/python3
"""facts.py: print the facts of a newskg graph, one a line, sorted.

Reads N-Triples on standard input and prints tab-separated lines:
  met A B                  (names sorted; one line per pair)
  holdsPosition PERSON TITLE
  represents PERSON COUNTRY
  cooperatesWith C1 C2     (sorted)
  cooperatesIn COUNTRY SECTOR
  meeting A|B|... DATE PLACE   ('-' when absent)
Names are rdfs:label values. Used by the rule tests to compare what the
extractor found with what a case expects.
"""
import re
import sys

NT = re.compile(r'^(<[^>]*>|_:\S+)\s+<([^>]*)>\s+(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?)\s*\.\s*$')
NKG = "https://w3id.org/newskg/ns#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def unescape(lit):
    body = re.match(r'^"(.*)"', lit).group(1)
    return re.sub(r'\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)',
                  lambda m: chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2))
                  else {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(3), m.group(3)), body)


def main():
    triples = [m.groups() for m in (NT.match(l.strip()) for l in sys.stdin) if m]
    label = {s: unescape(o) for s, p, o in triples if p == LABEL}
    out = set()
    meetings = {}
    for s, p, o in triples:
        if not p.startswith(NKG):
            continue
        local = p[len(NKG):]
        a, b = label.get(s, s), label.get(o, o)
        if local in ("met", "cooperatesWith"):
            out.add("%s\t%s\t%s" % ((local,) + tuple(sorted((a, b)))))
        elif local in ("holdsPosition", "represents", "cooperatesIn"):
            out.add("%s\t%s\t%s" % (local, a, b))
        elif local in ("participant", "date", "place"):
            m = meetings.setdefault(s, {"participant": [], "date": "-", "place": "-"})
            if local == "participant":
                m["participant"].append(b)
            elif local == "date":
                m["date"] = unescape(o)
            else:
                m["place"] = b
    for m in meetings.values():
        out.add("meeting\t%s\t%s\t%s" % ("|".join(sorted(m["participant"])), m["date"], m["place"]))
    for line in sorted(out):
        print(line)


if __name__ == "__main__":
    main()
