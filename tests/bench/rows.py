#!/usr/bin/env python3
"""rows.py: the rows of SPARQL JSON results, in a form that compares.

  rows.py RESULTS.json...
  rows.py --rows RESULTS.json      the sorted rows themselves, one a line

For each file prints one line: its name, the number of rows, and a SHA-256
of its rows sorted, each row its terms in the head's variable order, each
term in N-Triples form (a plain literal and one typed xsd:string are the
same term; blank nodes are all "_:", their labels being local to an
answer; the integer types derived from xsd:integer are xsd:integer, as
Oxigraph stores them: oxigraph/oxigraph issue 526). Two engines gave the same answer when the lines agree past the
name. An ASK answer counts as one row, "true" or "false". A file that is
not SPARQL JSON results prints "-" for both.
"""
import hashlib
import json
import sys

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
INTEGERS = {XSD + t for t in (
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "long", "int", "short", "byte", "unsignedLong",
    "unsignedInt", "unsignedShort", "unsignedByte")}


def term(t):
    if t is None:
        return ""
    kind = t.get("type")
    if kind == "uri":
        return "<" + t["value"] + ">"
    if kind == "bnode":
        return "_:"
    lex = json.dumps(t["value"], ensure_ascii=False)
    if "xml:lang" in t:
        return lex + "@" + t["xml:lang"].lower()
    dt = t.get("datatype")
    if dt in INTEGERS:
        dt = XSD + "integer"
    if dt and dt != XSD_STRING:
        return lex + "^^<" + dt + ">"
    return lex


def sorted_rows(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    if "boolean" in doc:
        rows = [str(doc["boolean"]).lower()]
    else:
        names = doc.get("head", {}).get("vars", [])
        rows = ["\t".join(term(b.get(v)) for v in names)
                for b in doc.get("results", {}).get("bindings", [])]
    rows.sort()
    return rows


def digest(path):
    rows = sorted_rows(path)
    if rows is None:
        return "-", "-"
    h = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()[:16]
    return str(len(rows)), h


if sys.argv[1:2] == ["--rows"]:
    for p in sys.argv[2:]:
        for r in sorted_rows(p) or []:
            print(r)
else:
    for p in sys.argv[1:]:
        n, h = digest(p)
        print(p.rsplit("/", 1)[-1], n, h)
