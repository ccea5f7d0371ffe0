"""results-oxigraph.py: newskg's W3C results documents against Oxigraph's.

    python3 results-oxigraph.py NEWSKG OXDIR KNOWN DATA... -- Q.rq ...

For each query Q.rq, runs `newskg query -r FORMAT -q Q.rq DATA...` for
json, xml, csv and tsv, and compares each document with OXDIR/Q.FORMAT,
what Oxigraph serialised for the same query over the same data
(tests/results-oxigraph.mjs):

- CSV and TSV byte for byte: the recommendation fixes their bytes (CSV:
  RFC 4180 quoting, CRLF line ends, section 3; TSV: Turtle terms with \\t
  \\n \\r escapes, LF line ends, section 4). Normalised: blank node labels
  (to _:b0, _:b1 ... in order of first appearance: the same label must stay
  the same node), a signed number in TSV (short form, see tsv_field()),
  and, for a query without ORDER BY, the order of the rows.
- JSON and XML as parsed documents (Python's json, and expat, a
  conforming XML 1.0 parser): the same head variables and links, the same
  solutions with the same bindings, each of the same type (uri, bnode,
  literal) with the same value, datatype and xml:lang; or the same boolean.
- Both documents read by rdflib's result parser of the format, which must
  give the same solutions (blank nodes by order of first appearance).

KNOWN lists the expected differences with their cause (Oxigraph's
deviations from the recommendations, rdflib's limits, librdf's rewriting
of xsd:boolean), "Q FORMAT[ rdflib]<TAB>reason" a line: a listed check
that differs shows as "not ok ... # TODO", one that no longer differs
fails, so the list stays true. TAP on standard output; exit status 0 when
every check passes.
"""
import io
import json
import os
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

# Compare lexical forms as written, not rdflib's normalised values.
rdflib.NORMALIZE_LITERALS = False

SRX = "{http://www.w3.org/2005/sparql-results#}"
FORMATS = ("json", "xml", "csv", "tsv")

n = 0
failures = 0


def report(good, desc, detail="", todo=None):
    global n, failures
    n += 1
    if good and todo is None:
        print("ok %d - %s" % (n, desc))
        return
    if good:  # a known difference that no longer differs
        failures += 1
        print("not ok %d - %s: listed as known but agrees now (%s)"
              % (n, desc, todo))
        return
    if todo is not None:
        print("not ok %d - %s # TODO %s" % (n, desc, todo))
    else:
        failures += 1
        print("not ok %d - %s" % (n, desc))
    for line in detail.splitlines()[:12]:
        print("#   " + (line if len(line) < 400 else line[:400] + " ..."))


class Labels:
    """Blank node labels renamed _:b0, _:b1 ... by first appearance."""

    def __init__(self):
        self.map = {}

    def __call__(self, label):
        if label not in self.map:
            self.map[label] = "b%d" % len(self.map)
        return self.map[label]


# ---- CSV and TSV: bytes ---------------------------------------------------

def csv_records(data):
    """RFC 4180 records of data as lists of raw fields (quotes kept), and
    the bytes that end each record. Raises ValueError on a quote that
    does not open or close a field."""
    records, fields, i, size = [], [], 0, len(data)
    while i < size:
        start = i
        if data[i:i + 1] == b'"':
            i += 1
            while True:
                j = data.find(b'"', i)
                if j < 0:
                    raise ValueError("unterminated quoted field at byte %d" % start)
                if data[j + 1:j + 2] == b'"':
                    i = j + 2
                    continue
                i = j + 1
                break
        else:
            while i < size and data[i:i + 1] not in (b",", b"\r", b"\n"):
                if data[i:i + 1] == b'"':
                    raise ValueError("quote inside an unquoted field at byte %d" % i)
                i += 1
        fields.append(data[start:i])
        if i < size and data[i:i + 1] == b",":
            i += 1
            if i == size:
                fields.append(b"")
            continue
        end = data[i:i + 2] if data[i:i + 2] == b"\r\n" else data[i:i + 1]
        records.append((fields, end))
        fields = []
        i += len(end)
    if fields:
        records.append((fields, b""))
    return records


def norm_csv(data, ordered):
    labels = Labels()
    recs = csv_records(data)
    out = []
    for fields, end in recs:
        fields = [b"_:" + labels(f[2:].decode()).encode()
                  if f.startswith(b"_:") else f for f in fields]
        out.append(b",".join(fields) + end)
    return join_rows(out, ordered)


XSD = "http://www.w3.org/2001/XMLSchema#"
# Turtle's INTEGER, DECIMAL and DOUBLE productions, signed.
SIGNED_NUMBER = {
    "integer": re.compile(rb"[+-][0-9]+"),
    "decimal": re.compile(rb"[+-][0-9]*\.[0-9]+"),
    "double": re.compile(rb"[+-]([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
}
TYPED = re.compile(rb'"([^"\\]*)"\^\^<' + re.escape(XSD.encode()) +
                   rb'(integer|decimal|double)>')


def tsv_field(f, labels):
    """A TSV field with its blank node label renamed, and a signed number
    in its short form: section 4.2 says the short forms of numbers
    "should" be used; newskg writes "-1.5"^^xsd:decimal in full because
    rdflib 6's TSV reader fails on -1.5, and Oxigraph writes -1.5. Both
    are the same RDF term in Turtle syntax."""
    if f.startswith(b"_:"):
        return b"_:" + labels(f[2:].decode()).encode()
    m = TYPED.fullmatch(f)
    if m and SIGNED_NUMBER[m.group(2).decode()].fullmatch(m.group(1)):
        return m.group(1)
    return f


def norm_tsv(data, ordered):
    labels = Labels()
    lines = data.split(b"\n")
    out = []
    for k, line in enumerate(lines):
        if k == len(lines) - 1 and line == b"":
            break
        fields = [tsv_field(f, labels) for f in line.split(b"\t")]
        out.append(b"\t".join(fields) + (b"\n" if k < len(lines) - 1 else b""))
    return join_rows(out, ordered)


def join_rows(rows, ordered):
    if not ordered and len(rows) > 1:
        rows = rows[:1] + sorted(rows[1:])
    return b"".join(rows)


# ---- JSON and XML: parsed documents ---------------------------------------

def unique_members(pairs):
    """A JSON object whose member names are all different (RFC 8259, 4:
    "SHOULD be unique"; a reader keeps one of two bindings of a name)."""
    names = [k for k, _ in pairs]
    if len(set(names)) != len(names):
        raise ValueError("duplicate member names in %r" % names)
    return dict(pairs)


def json_doc(data):
    """The JSON document as (head, solutions or boolean), values compared
    as the recommendation defines them."""
    doc = json.loads(data.decode("utf-8"), object_pairs_hook=unique_members)
    labels = Labels()
    head = doc.get("head")
    if not isinstance(head, dict):
        raise ValueError("no head object")
    norm_head = {"vars": head.get("vars"), "link": head.get("link")}
    if "boolean" in doc:
        if "results" in doc:
            raise ValueError("both boolean and results")
        return norm_head, {"boolean": doc["boolean"]}
    rows = []
    for b in doc["results"]["bindings"]:
        row = {}
        for var, t in b.items():
            t = dict(t)
            if t.get("type") == "bnode":
                t["value"] = labels(t["value"])
            row[var] = t
        rows.append(row)
    return norm_head, {"bindings": rows}


def xml_doc(data):
    root = ET.fromstring(data)
    if root.tag != SRX + "sparql":
        raise ValueError("root element %s, not sparql in the results namespace"
                         % root.tag)
    labels = Labels()
    head = root.find(SRX + "head")
    if head is None:
        raise ValueError("no head element")
    norm_head = {
        "vars": [v.get("name") for v in head.findall(SRX + "variable")],
        "link": [v.get("href") for v in head.findall(SRX + "link")],
    }
    boolean = root.find(SRX + "boolean")
    if boolean is not None:
        return norm_head, {"boolean": boolean.text}
    rows = []
    for r in root.find(SRX + "results").findall(SRX + "result"):
        row = {}
        for b in r.findall(SRX + "binding"):
            terms = list(b)
            if len(terms) != 1:
                raise ValueError("binding %s holds %d terms"
                                 % (b.get("name"), len(terms)))
            t = terms[0]
            kind = t.tag[len(SRX):] if t.tag.startswith(SRX) else t.tag
            value = t.text or ""
            if kind == "bnode":
                value = labels(value)
            attrs = {k: v for k, v in sorted(t.attrib.items())}
            row[b.get("name")] = (kind, value, attrs)
        rows.append(row)
    return norm_head, {"bindings": rows}


def sorted_rows(doc):
    head, body = doc
    if "bindings" in body:
        body = {"bindings": sorted(body["bindings"],
                                   key=lambda r: json.dumps(r, sort_keys=True))}
    return head, body


# ---- rdflib ---------------------------------------------------------------

def rdflib_rows(data, fmt):
    # rdflib's TSV reader prints its parse errors on standard output, and
    # warns about ill-typed literals: keep both out of the TAP stream.
    with redirect_stdout(sys.stderr), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = Result.parse(io.BytesIO(data), format=fmt)
    if res.type == "ASK":
        return ("ASK", res.askAnswer)
    labels = Labels()
    names = [str(v) for v in (res.vars or [])]

    def key(t):
        if t is None:
            return None
        if isinstance(t, BNode):
            return ("bnode", labels(str(t)))
        if isinstance(t, URIRef):
            return ("iri", str(t))
        if isinstance(t, Literal):
            return ("lit", str(t), t.language,
                    str(t.datatype) if t.datatype else None)
        return ("?", repr(t))

    rows = [tuple(key(b.get(rdflib.Variable(v))) for v in names)
            for b in res.bindings]
    return (names, rows)


# ---- driver ---------------------------------------------------------------

def run_newskg(newskg, fmt, query, data):
    p = subprocess.run([newskg, "query", "--quiet", "-r", fmt, "-q", query] + data,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def first_difference(a, b):
    """Where two byte strings part, as text for a message."""
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    lo = max(0, k - 40)
    return ("differ at byte %d\nnewskg:   %r\noxigraph: %r"
            % (k, a[lo:k + 60], b[lo:k + 60]))


def compare(name, fmt, ours, theirs, ordered):
    """(equal, detail) of our document and Oxigraph's."""
    if fmt in ("csv", "tsv"):
        norm = norm_csv if fmt == "csv" else norm_tsv
        a, b = norm(ours, ordered), norm(theirs, ordered)
        return a == b, "" if a == b else first_difference(a, b)
    parse = json_doc if fmt == "json" else xml_doc
    try:
        a = parse(ours)
    except Exception as e:
        return False, "newskg's document does not parse: %s: %s" % (
            type(e).__name__, e)
    try:
        b = parse(theirs)
    except Exception as e:
        return False, "Oxigraph's document does not parse: %s: %s" % (
            type(e).__name__, e)
    if not ordered:
        a, b = sorted_rows(a), sorted_rows(b)
    if a == b:
        return True, ""
    if a[0] != b[0]:
        return False, "head: newskg %r\n      oxigraph %r" % (a[0], b[0])
    ra, rb = a[1].get("bindings"), b[1].get("bindings")
    if ra is None or rb is None or len(ra) != len(rb):
        return False, "newskg %r\noxigraph %r" % (a[1], b[1])
    for k, (x, y) in enumerate(zip(ra, rb)):
        if x != y:
            return False, "solution %d:\nnewskg   %r\noxigraph %r" % (k, x, y)
    return False, "?"


def main(argv):
    dash = argv.index("--")
    newskg, oxdir, known_file = argv[1:4]
    data = argv[4:dash]
    queries = argv[dash + 1:]
    known = {}
    with open(known_file, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                key, _, reason = line.partition("\t")
                known[key] = reason
    used = set()

    # newskg's documents first, two at a time (the checks are cheap).
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = {(q, fmt): pool.submit(run_newskg, newskg, fmt, q, data)
                for q in queries for fmt in FORMATS}
        outputs = {k: j.result() for k, j in jobs.items()}

    for q in queries:
        name = os.path.basename(q)[:-3]
        text = open(q, encoding="utf-8").read()
        ordered = re.search(r"ORDER\s+BY", text, re.I) is not None or \
            not re.search(r"\bSELECT\b", text, re.I)
        for fmt in FORMATS:
            desc = "%s -r %s" % (name, fmt)
            ox_path = os.path.join(oxdir, name + "." + fmt)
            if not os.path.exists(ox_path):
                err = open(ox_path + ".err").read() if os.path.exists(
                    ox_path + ".err") else "missing"
                report(False, desc + ": no Oxigraph serialisation", err)
                continue
            theirs = open(ox_path, "rb").read()
            rc, ours, err = outputs[(q, fmt)]
            # ASK answers false with exit status 1.
            if rc not in (0, 1) or (rc == 1 and name != "ask-false"):
                report(False, desc + ": newskg exit %d" % rc, err)
                continue
            key = "%s %s" % (name, fmt)
            todo = known.get(key)
            if todo is not None:
                used.add(key)
            good, detail = compare(name, fmt, ours, theirs, ordered)
            what = "bytes" if fmt in ("csv", "tsv") else "parsed document"
            report(good, "%s: %s as Oxigraph's" % (desc, what), detail, todo)

            # rdflib reads both (it has no CSV/TSV form of ASK: neither
            # has the recommendation).
            if fmt in ("csv", "tsv") and not re.search(r"\bSELECT\b", text, re.I):
                continue
            key = "%s %s rdflib" % (name, fmt)
            todo = known.get(key)
            if todo is not None:
                used.add(key)
            results = []
            for who, doc in (("newskg", ours), ("oxigraph", theirs)):
                try:
                    results.append(rdflib_rows(doc, fmt))
                except Exception as e:
                    results.append("%s: rdflib cannot read it: %s: %s"
                                   % (who, type(e).__name__, e))
            a, b = results
            if not ordered and not isinstance(a, str) and not isinstance(b, str) \
                    and a[0] != "ASK":
                a = (a[0], sorted(a[1], key=repr))
                b = (b[0], sorted(b[1], key=repr))
            good = not isinstance(a, str) and a == b
            detail = ""
            if isinstance(a, str) or isinstance(b, str):
                detail = "\n".join(x for x in (a, b) if isinstance(x, str))
            elif not good:
                detail = "newskg   %r\noxigraph %r" % (a, b)
            report(good, "%s: rdflib reads both alike" % desc, detail, todo)

    for key in sorted(set(known) - used):
        report(False, "%s: listed in %s but not checked" % (key, known_file))
    print("1..%d" % n)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
