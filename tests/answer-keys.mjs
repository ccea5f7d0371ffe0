// answer-keys.mjs: what tests/oxigraph-compare.mjs and tests/sparql-diff.mjs
// share when they hold newskg's answers against Oxigraph's: loading the npm
// oxigraph package, keys for terms (blank nodes compare by shape, literals
// by a key the caller chooses) and multisets of row keys with their
// difference.
import { createRequire } from "node:module";

// The npm oxigraph package, or exit 77 (the test is skipped) without it.
export function requireOxigraph() {
  try {
    return createRequire(import.meta.url)("oxigraph");
  } catch (e) {
    console.log("# npm package oxigraph not installed: " + e.message);
    process.exit(77);
  }
}

// Keys of an Oxigraph term and of a W3C SPARQL JSON results term. Every
// blank node is "_:"; literals go through literalKey(value, datatype, lang).
export function termKeys(literalKey) {
  return {
    oxigraph(t) {
      if (!t) return "UNBOUND";
      if (t.termType === "NamedNode") return "<" + t.value + ">";
      if (t.termType === "BlankNode") return "_:";
      if (t.termType === "Literal")
        return literalKey(t.value, t.datatype && t.datatype.value, t.language);
      return "?" + t.value;
    },
    json(t) {
      if (!t || t.type === "unbound") return "UNBOUND";
      if (t.type === "uri") return "<" + t.value + ">";
      if (t.type === "bnode") return "_:";
      if (t.type === "literal" || t.type === "typed-literal")
        return literalKey(t.value, t.datatype, t["xml:lang"]);
      return "BAD(" + JSON.stringify(t) + ")";
    },
  };
}

export function multiset(keys) {
  const m = new Map();
  for (const k of keys) m.set(k, (m.get(k) || 0) + 1);
  return m;
}

// The keys one multiset has more often than the other, newskg's first.
export function diffMultisets(mine, theirs) {
  const out = [];
  for (const [k, n] of mine) {
    const d = n - (theirs.get(k) || 0);
    if (d > 0) out.push(`only newskg (${d}x): ${k}`);
  }
  for (const [k, n] of theirs) {
    const d = n - (mine.get(k) || 0);
    if (d > 0) out.push(`only Oxigraph (${d}x): ${k}`);
  }
  return out;
}
