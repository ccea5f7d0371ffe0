// oxigraph-each.js: the reference point of tests/bench/sqlite-store: load
// an N-Quads file into an in-memory Oxigraph store (npm package oxigraph)
// and run each SPARQL query over the union of its graphs, timing each one.
// Prints "load SECONDS", then per query "query NAME CPU WALL ROWS": the
// CPU seconds of the process (user + system, as GNU time counts newskg's)
// and the wall seconds of the query.
//
//   node oxigraph-each.js DATA.nq PREFIXES.txt QUERY.rq...
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
const store = new ox.Store();
let t = process.hrtime.bigint();
store.load(fs.readFileSync(data), { format: "application/n-quads" });
console.log(`load ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(3)}`);
for (const q of queries) {
  const text = prefixes + fs.readFileSync(q, "utf8");
  t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const r = store.query(text, { use_default_graph_as_union: true });
  const used = process.cpuUsage(c);
  const wall = Number(process.hrtime.bigint() - t) / 1e9;
  const cpu = (used.user + used.system) / 1e6;
  const rows = Array.isArray(r) ? r.length : 1;
  console.log(
    `query ${path.basename(q, ".rq")} ${cpu.toFixed(3)} ${wall.toFixed(3)} ${rows}`,
  );
}
