#!/usr/bin/env python3
"""renamed-corpus.py: N articles of varied real text, for tests/bench/query-scale.

Copies the real articles given (tests/eval/real*/ and examples/) round
after round until there are N. Round 0 is the articles as they are. In
round k >= 1 every official named in NAMES (one label a line: what newskg
found in the originals) is renamed, in the whole text, to a name of the
pool of 3,000 that gencorpus.py draws from (seed 1): the full name, then the
family name alone ("Lavrov said"). The new name depends only on the round
and the old name, so within a round the same person recurs across the
articles that name them, and people of different rounds differ or recur
as the pool's draw decides (as in gencorpus.py). Each copy ends with a line
"(Archive copy k.)", so that it is a document of its own (the document IRI
is a hash of the text) even when it names no official.

The same arguments always give the same bytes; the first N articles of a
larger corpus are the N articles of a smaller one.

  renamed-corpus.py --articles N --names NAMES.txt --out DIR ARTICLE.txt...
"""
import argparse
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gencorpus  # noqa: E402  (the pool of names)


def renamer(names, pool, k):
    """A function that renames the officials of names in a text, round k."""
    pairs = []
    for old in names:
        new = pool[random.Random(f"{k}\0{old}").randrange(len(pool))][0]
        pairs.append((old, new))
        parts_old, parts_new = old.split(), new.split()
        # the family name alone, when it is a word of its own
        if len(parts_old) > 1 and len(parts_old[-1]) > 3:
            pairs.append((parts_old[-1], parts_new[-1]))
    # longest first, so a full name is replaced before its family name
    pairs.sort(key=lambda p: -len(p[0]))
    table = dict(pairs)
    # one pass: a name written by a replacement is never replaced again
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(old) for old, _ in pairs) + r")(?!\w)")
    return lambda text: pattern.sub(lambda m: table[m.group(1)], text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--names", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()
    with open(a.names, encoding="utf-8") as f:
        names = sorted({line.strip() for line in f if line.strip()})
    pool = gencorpus.Gen(1).officials
    texts = []
    for path in a.sources:
        with open(path, encoding="utf-8") as f:
            texts.append((os.path.basename(path), f.read()))
    os.makedirs(a.out, exist_ok=True)
    width = len(str(a.articles))
    rename = None
    for i in range(a.articles):
        k, j = divmod(i, len(texts))
        if j == 0:
            rename = renamer(names, pool, k) if k else (lambda t: t)
        name, text = texts[j]
        body = rename(text)
        if k:
            body = body.rstrip("\n") + f"\n\n(Archive copy {k}.)\n"
        out = os.path.join(a.out, f"{i + 1:0{width}d}-{name}")
        with open(out, "w", encoding="utf-8") as f:
            f.write(body)


if __name__ == "__main__":
    main()
