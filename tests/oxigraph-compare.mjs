// oxigraph-compare.mjs: checks newskg against independent engines.
//
//   node oxigraph-compare.mjs sparql KNOWN PREFIXES DATA... -- Q.rq=OUT ...
//     Runs each query Q.rq over DATA with Oxigraph (the default graph is the
//     merge of all graphs, a set, as in newskg) and compares its answer with OUT,
//     what `newskg query -r json` (SELECT, ASK) or `-f ntriples`
//     (CONSTRUCT) wrote. An OUT that does not exist means newskg failed on
//     the query. KNOWN lists expected differences (rasqal limitations),
//     "NAME<TAB>reason" a line; PREFIXES holds the PREFIX line newskg
//     predeclares.
//   node oxigraph-compare.mjs counts FILE.nq
//     Loads an N-Quads file into Oxigraph; prints "QUADS GRAPHS".
//   node oxigraph-compare.mjs shacl SHAPES.ttl DATA...
//     Validates DATA against the shapes with rdf-validate-shacl; prints each
//     violation; exits 1 if the data does not conform.
//
// Output is TAP; exit status 0 when every check passes (a known difference
// that still differs passes as "# TODO", one that no longer differs fails
// so the list stays true), 1 otherwise, 77 when the npm packages are
// missing (run `npm ci` at the top of the source tree).
import { readFileSync, existsSync } from "node:fs";
import { basename } from "node:path";
import { requireOxigraph, termKeys, multiset, diffMultisets } from "./answer-keys.mjs";

const oxigraph = requireOxigraph();

const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = new Set(["integer", "decimal", "double", "float", "int", "long",
  "nonNegativeInteger", "positiveInteger", "short", "byte"].map(t => XSD + t));

function formatFor(path) {
  if (path.endsWith(".nq")) return "application/n-quads";
  if (path.endsWith(".nt")) return "application/n-triples";
  if (path.endsWith(".trig")) return "application/trig";
  if (path.endsWith(".rdf")) return "application/rdf+xml";
  return "text/turtle";
}

// merge: also put every quad's triple in the default graph, once. newskg's
// default graph is the RDF merge of every graph, a set; Oxigraph's
// use_default_graph_as_union would repeat a triple once per graph.
function loadStore(files, merge = false) {
  const store = new oxigraph.Store();
  for (const f of files) {
    const base = "file://" + f;
    store.load(readFileSync(f, "utf8"), { format: formatFor(f), base_iri: base });
  }
  if (merge) {
    const dg = oxigraph.defaultGraph();
    for (const q of store.match())
      if (q.graph.termType !== "DefaultGraph")
        store.add(oxigraph.quad(q.subject, q.predicate, q.object, dg));
  }
  return store;
}

// A literal's lexical form, with numbers in one canonical form: rasqal and
// Oxigraph write computed numbers differently ("2.0" / "2.0E0"), which is
// not what this test is about.
function literalKey(value, datatype, lang) {
  if (lang) return JSON.stringify(value) + "@" + lang.toLowerCase();
  if (!datatype || datatype === XSD + "string") return JSON.stringify(value);
  if (NUMERIC.has(datatype) && value.trim() !== "" && !isNaN(Number(value)))
    return "num(" + Number(value) + ")";
  return JSON.stringify(value) + "^^<" + datatype + ">";
}

// Blank nodes compare by shape: every blank node is "_:".
const { oxigraph: termKey, json: jsonTermKey } = termKeys(literalKey);

function rowKey(vars, get) {
  return vars.map(v => v + "=" + get(v)).join(" ");
}

// N-Triples from newskg (CONSTRUCT) to keys, blank nodes by shape.
function ntriplesKeys(text) {
  const store = new oxigraph.Store();
  store.load(text, { format: "application/n-triples" });
  return store.match().map(q =>
    [q.subject, q.predicate, q.object].map(termKey).join(" "));
}

function compareQuery(store, prefixes, qfile, outfile) {
  const text = readFileSync(qfile, "utf8");
  const query = prefixes + "\n" + text;
  let ox;
  try {
    ox = store.query(query);
  } catch (e) {
    return ["Oxigraph cannot run the query: " + e.message];
  }
  if (!existsSync(outfile)) return ["newskg failed on the query (no output)"];
  const ours = readFileSync(outfile, "utf8");
  if (typeof ox === "boolean") {
    let b;
    try { b = JSON.parse(ours).boolean; } catch (e) { b = undefined; }
    return b === ox ? [] : [`ASK: newskg ${b}, Oxigraph ${ox}`];
  }
  if (Array.isArray(ox) && (ox.length === 0 || !(ox[0] instanceof Map))) {
    // CONSTRUCT / DESCRIBE: arrays of quads. An empty SELECT answer is also
    // an empty array; then newskg's output is JSON.
    if (ours.trimStart().startsWith("{")) {
      const j = JSON.parse(ours);
      return j.results.bindings.length === 0 ? []
        : [`newskg has ${j.results.bindings.length} rows, Oxigraph none`];
    }
    let mine;
    try { mine = ntriplesKeys(ours); } catch (e) {
      return ["newskg's CONSTRUCT output does not parse: " + e.message];
    }
    const theirs = ox.map(q =>
      [q.subject, q.predicate, q.object].map(termKey).join(" "));
    return diffMultisets(multiset(new Set(mine)), multiset(new Set(theirs)));
  }
  let j;
  try { j = JSON.parse(ours); } catch (e) {
    return ["newskg's JSON does not parse: " + e.message];
  }
  // rasqal gives no variable names for an empty answer: take Oxigraph's.
  const vars = (j.head.vars && j.head.vars.length) ? j.head.vars
    : (ox.length ? [...ox[0].keys()] : []);
  const mine = j.results.bindings.map(b => rowKey(vars, v => jsonTermKey(b[v])));
  const theirs = ox.map(m => rowKey(vars, v => termKey(m.get(v))));
  const d = diffMultisets(multiset(mine), multiset(theirs));
  if (d.length) d.unshift(`rows: newskg ${mine.length}, Oxigraph ${theirs.length}`);
  return d;
}

function readKnown(path) {
  const known = new Map();
  if (!existsSync(path)) return known;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const tab = line.indexOf("\t");
    const name = (tab < 0 ? line : line.slice(0, tab)).trim();
    known.set(name, tab < 0 ? "" : line.slice(tab + 1).trim());
  }
  return known;
}

function sparql(args) {
  const [knownFile, prefixFile, ...rest] = args;
  const sep = rest.indexOf("--");
  const data = rest.slice(0, sep), pairs = rest.slice(sep + 1);
  const known = readKnown(knownFile);
  const prefixes = readFileSync(prefixFile, "utf8").split("\n")[0];
  const store = loadStore(data, true);
  let n = 0, failed = 0, todo = 0, same = 0;
  for (const p of pairs) {
    const eq = p.lastIndexOf("=");
    const qfile = p.slice(0, eq), out = p.slice(eq + 1);
    const name = basename(qfile);
    n++;
    const diff = compareQuery(store, prefixes, qfile, out);
    if (known.has(name)) {
      if (diff.length) {
        todo++;
        console.log(`not ok ${n} - ${name} # TODO known difference: ${known.get(name)}`);
        for (const d of diff.slice(0, 6)) console.log("#   " + d);
      } else {
        failed++;
        console.log(`not ok ${n} - ${name}: listed in oxigraph-known.txt but the answers now agree; remove it`);
      }
    } else if (diff.length) {
      failed++;
      console.log(`not ok ${n} - ${name}: newskg and Oxigraph differ`);
      for (const d of diff.slice(0, 12)) console.log("#   " + d);
    } else {
      same++;
      console.log(`ok ${n} - ${name}: same answer as Oxigraph`);
    }
  }
  for (const name of known.keys())
    if (!pairs.some(p => basename(p.slice(0, p.lastIndexOf("="))) === name)) {
      n++;
      failed++;
      console.log(`not ok ${n} - ${name}: in oxigraph-known.txt but no such query`);
    }
  console.log(`1..${n}`);
  console.log(`# ${pairs.length} queries compared with Oxigraph: ${same} agree, ${todo} known differences, ${failed} failures`);
  return failed ? 1 : 0;
}

function counts([file]) {
  const store = loadStore([file]);
  const graphs = new Set(store.match().map(q => termKey(q.graph)));
  console.log(`${store.size} ${graphs.size}`);
  return 0;
}

async function shacl(args) {
  let known = new Map();
  if (args[0] === "--known") {
    known = readKnown(args[1]);
    args = args.slice(2);
  }
  const [shapesFile, ...data] = args;
  let Validator, datasets, dm;
  try {
    Validator = (await import("rdf-validate-shacl")).default;
    datasets = (await import("@rdfjs/dataset")).default;
    dm = (await import("@rdfjs/data-model")).default;
  } catch (e) {
    console.log("# npm package rdf-validate-shacl not installed: " + e.message);
    return 77;
  }
  // oxigraph.parse, not a Store: a Store keeps derived integer types
  // (xsd:nonNegativeInteger) as xsd:integer, which sh:datatype would see.
  const toDataset = files => {
    const ds = datasets.dataset();
    for (const f of files)
      for (const q of oxigraph.parse(readFileSync(f, "utf8"),
        { format: formatFor(f), base_iri: "file://" + f }))
      ds.add(dm.quad(dm.fromTerm(q.subject), dm.fromTerm(q.predicate),
        dm.fromTerm(q.object)));
    return ds;
  };
  const shapes = toDataset([shapesFile]);
  const validator = new Validator(shapes);
  const report = await validator.validate(toDataset(data));
  // Violations grouped by constraint and path: "sh:MinCount... nkg:sentence".
  const seen = new Map();
  for (const r of report.results) {
    const key = (r.sourceConstraintComponent
      ? r.sourceConstraintComponent.value.replace(/.*#/, "sh:") : "?") + " " +
      (r.path ? r.path.value : "");
    if (!seen.has(key))
      seen.set(key, { n: 0, focus: r.focusNode.value,
        message: r.message.map(m => m.value).join("; ") });
    seen.get(key).n++;
  }
  let n = 0, failed = 0;
  for (const [k, v] of seen) {
    n++;
    const what = `${k}: ${v.message} (${v.n}x, e.g. <${v.focus}>)`;
    if (known.has(k)) {
      console.log(`not ok ${n} - ${what} # TODO known: ${known.get(k)}`);
    } else {
      failed++;
      console.log(`not ok ${n} - ${what}`);
    }
  }
  for (const k of known.keys())
    if (!seen.has(k)) {
      n++;
      failed++;
      console.log(`not ok ${n} - ${k}: listed as known but no longer violated; remove it`);
    }
  if (report.conforms) {
    n++;
    console.log(`ok ${n} - the data conforms to ${basename(shapesFile)}`);
  }
  console.log(`1..${n}`);
  return failed ? 1 : 0;
}

const [mode, ...args] = process.argv.slice(2);
let status;
if (mode === "sparql") status = sparql(args);
else if (mode === "counts") status = counts(args);
else if (mode === "shacl") status = await shacl(args);
else {
  console.error("usage: oxigraph-compare.mjs sparql|counts|shacl ...");
  status = 2;
}
process.exit(status);
