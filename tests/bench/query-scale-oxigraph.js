// query-scale-oxigraph.js: Oxigraph's side of tests/bench/query-scale.
//
//   node query-scale-oxigraph.js DATA PREFIXES OUTDIR TIMEOUT Q.rq...
//
// Loads DATA (N-Triples: the default graph; .nq: N-Quads, queried over the
// union of the graphs) into an in-memory Oxigraph store (npm oxigraph) and
// runs each query (PREFIXES put before it), writing the answer as SPARQL
// JSON (Oxigraph's own serialiser) to OUTDIR/NAME.json. Prints "load
// SECONDS" and, per query, "query NAME SECONDS" (wall time of
// Store.query() with its serialisation), or "timeout NAME" when it ran past
// TIMEOUT seconds: its worker thread is then ended and the store loaded
// again in a new one for the next query.
"use strict";
const fs = require("fs");
const path = require("path");
const { Worker, isMainThread, parentPort, workerData } =
  require("worker_threads");

function oxigraph() {
  try {
    return require("oxigraph");
  } catch (e) {
    // the project's node_modules, when run from elsewhere
    return require(path.join(__dirname, "..", "..", "node_modules",
      "oxigraph"));
  }
}

if (!isMainThread) {
  const ox = oxigraph();
  const { data, prefixes, outdir, queries, from } = workerData;
  const nquads = data.endsWith(".nq");
  const store = new ox.Store();
  let t = process.hrtime.bigint();
  store.load(fs.readFileSync(data), {
    format: nquads ? "application/n-quads" : "application/n-triples" });
  parentPort.postMessage({ loaded: Number(process.hrtime.bigint() - t) / 1e9 });
  for (let i = from; i < queries.length; i++) {
    parentPort.postMessage({ start: i });
    t = process.hrtime.bigint();
    const out = store.query(prefixes + fs.readFileSync(queries[i], "utf8"),
      { use_default_graph_as_union: nquads, results_format: "json" });
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    fs.writeFileSync(path.join(outdir,
      path.basename(queries[i], ".rq") + ".json"), out);
    parentPort.postMessage({ i, seconds });
  }
  return;
}

const [data, prefixFile, outdir, timeoutArg, ...queries] =
  process.argv.slice(2);
const timeout = Number(timeoutArg);
if (!queries.length || !(timeout > 0)) {
  console.error("usage: node query-scale-oxigraph.js DATA PREFIXES OUTDIR " +
    "TIMEOUT Q.rq...");
  process.exit(2);
}
const prefixes = fs.readFileSync(prefixFile, "utf8");
let first = true;
function run(from) {
  if (from >= queries.length) return;
  const w = new Worker(__filename,
    { workerData: { data, prefixes, outdir, queries, from } });
  let timer = null, current = -1, done = false;
  w.on("message", m => {
    if (m.loaded !== undefined) {
      if (first) console.log(`load ${m.loaded.toFixed(3)}`);
      first = false;
    } else if (m.start !== undefined) {
      current = m.start;
      timer = setTimeout(() => {
        done = true;
        console.log(`timeout ${path.basename(queries[current])}`);
        w.terminate().then(() => run(current + 1));
      }, timeout * 1000);
    } else {
      clearTimeout(timer);
      console.log(`query ${path.basename(queries[m.i])} ${m.seconds.toFixed(3)}`);
    }
  });
  w.on("error", e => {
    clearTimeout(timer);
    console.error(`query-scale-oxigraph: ${e}`);
    if (!done && current >= 0) {
      done = true;
      console.log(`failed ${path.basename(queries[current])}`);
      run(current + 1);
    } else process.exitCode = 1;
  });
  w.on("exit", () => clearTimeout(timer));
}
run(0);
