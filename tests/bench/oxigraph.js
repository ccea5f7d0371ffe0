// oxigraph.js: the reference point of the bench: load an N-Quads file into
// an in-memory Oxigraph store (npm package oxigraph) and run SPARQL queries
// over the union of its graphs. Prints "load SECONDS", "query SECONDS" (all
// queries) and "rows N" on standard output.
//
//   node oxigraph.js DATA.nq PREFIXES.txt QUERY.rq...
"use strict";
const fs = require("fs");
const path = require("path");
let ox;
try {
  ox = require("oxigraph");
} catch (e) {
  // the project's node_modules, when run from elsewhere
  ox = require(path.join(__dirname, "..", "..", "node_modules", "oxigraph"));
}
const [data, prefixFile, ...queries] = process.argv.slice(2);
const prefixes = fs.readFileSync(prefixFile, "utf8");
const text = fs.readFileSync(data);
const store = new ox.Store();
let t = process.hrtime.bigint();
store.load(text, { format: "application/n-quads" });
const load = Number(process.hrtime.bigint() - t) / 1e9;
let rows = 0;
t = process.hrtime.bigint();
for (const q of queries) {
  const r = store.query(prefixes + fs.readFileSync(q, "utf8"), {
    use_default_graph_as_union: true,
  });
  rows += Array.isArray(r) ? r.length : 1;
}
const query = Number(process.hrtime.bigint() - t) / 1e9;
console.log(`load ${load.toFixed(3)}`);
console.log(`query ${query.toFixed(3)}`);
console.log(`rows ${rows}`);
