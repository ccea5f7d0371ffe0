#!/usr/bin/env python3
"""tests/bench/realcorpus.py N DIR: N articles of real published text, for
the benches, written into DIR (created; must not exist) as 1.txt .. N.txt.

The articles are those of tests/eval/real, real2, real3 and real4, taken in
turn and replicated: copy k of an article ends in k extra newlines. The
document IRI is the hash of the text, so every copy is a document of its
own (the same text would be the same document), and the newlines change
nothing else: each copy has the same sentences and facts.
Prints "FILES BYTES ARTICLES" (ARTICLES: distinct source articles)."""
import glob
import os
import sys


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.stderr.write("usage: realcorpus.py N DIR\n")
        return 2
    n, out = int(sys.argv[1]), sys.argv[2]
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    sources = []
    for d in ("real", "real2", "real3", "real4"):
        sources += sorted(glob.glob(os.path.join(top, "tests", "eval", d, "*.txt")))
    if not sources:
        sys.stderr.write("realcorpus.py: no articles in %s/tests/eval/real*\n" % top)
        return 1
    texts = []
    for path in sources:
        with open(path, "rb") as f:
            texts.append(f.read())
    try:
        os.mkdir(out)
    except OSError as e:
        sys.stderr.write("realcorpus.py: %s: %s\n" % (out, e.strerror))
        return 1
    total = 0
    for i in range(n):
        data = texts[i % len(texts)] + b"\n" * (1 + i // len(texts))
        with open(os.path.join(out, "%d.txt" % (i + 1)), "wb") as f:
            f.write(data)
        total += len(data)
    print(n, total, len(texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
