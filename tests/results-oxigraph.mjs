// results-oxigraph.mjs: Oxigraph's serialisations of query results, the
// reference that tests/results-oxigraph.test holds newskg's against.
//
//   node results-oxigraph.mjs OUTDIR PREFIXES DATA... -- Q.rq ...
//
// Loads DATA (N-Quads, TriG or Turtle by extension) into one Oxigraph store
// and writes what the store holds to OUTDIR/data.nq: Oxigraph normalises
// some literals as it loads them ("007"^^xsd:integer becomes "7", the
// datatype xsd:int becomes xsd:integer: oxigraph/oxigraph issue 526), so
// newskg is given that file, and both answer over the same terms. The
// default graph is then made the merge of every graph, a set, as newskg's.
// For each query Q.rq (PREFIXES, the PREFIX line newskg predeclares, put
// before it) writes OUTDIR/Q.json, Q.xml, Q.csv and Q.tsv: what
// Store.query() serialises with results_format json, xml, csv and tsv. A
// format Oxigraph refuses gets OUTDIR/Q.FORMAT.err with the message.
//
// The npm package has no results *parser* (its exports: Store, parse() for
// RDF syntaxes only, term factories), so the comparison is done on these
// serialisations by the caller. Exit status 0, 1 when a query fails to
// run at all, 77 when the npm package is missing (`npm ci`).
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { requireOxigraph } from "./answer-keys.mjs";

const oxigraph = requireOxigraph();

function formatFor(path) {
  if (path.endsWith(".nq")) return "application/n-quads";
  if (path.endsWith(".nt")) return "application/n-triples";
  if (path.endsWith(".trig")) return "application/trig";
  return "text/turtle";
}

const args = process.argv.slice(2);
const dash = args.indexOf("--");
if (dash < 2) {
  console.error("usage: node results-oxigraph.mjs OUTDIR PREFIXES DATA... -- Q.rq ...");
  process.exit(2);
}
const [outdir, prefixFile] = args;
const data = args.slice(2, dash);
const queries = args.slice(dash + 1);
const prefixes = readFileSync(prefixFile, "utf8").split("\n")[0];

const store = new oxigraph.Store();
for (const f of data)
  store.load(readFileSync(f, "utf8"), { format: formatFor(f), base_iri: "file://" + f });
writeFileSync(`${outdir}/data.nq`, store.dump({ format: "application/n-quads" }));
// newskg's default graph is the RDF merge of all graphs: copy every quad's
// triple into the default graph (the store keeps each triple once there).
const dg = oxigraph.defaultGraph();
for (const q of store.match())
  if (q.graph.termType !== "DefaultGraph")
    store.add(oxigraph.quad(q.subject, q.predicate, q.object, dg));

let status = 0;
for (const qfile of queries) {
  const name = basename(qfile, ".rq");
  const query = prefixes + "\n" + readFileSync(qfile, "utf8");
  for (const fmt of ["json", "xml", "csv", "tsv"]) {
    try {
      const out = store.query(query, { results_format: fmt });
      writeFileSync(`${outdir}/${name}.${fmt}`, out);
    } catch (e) {
      writeFileSync(`${outdir}/${name}.${fmt}.err`, String(e) + "\n");
      if (fmt === "json") {
        console.error(`results-oxigraph: ${qfile}: ${e}`);
        status = 1;
      }
    }
  }
}
process.exit(status);
