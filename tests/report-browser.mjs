// report-browser.mjs: opens a page written by `newskg report` in headless
// Chromium (Debian's /usr/bin/chromium through puppeteer-core) and checks it
// with the browser's own DOM:
//   - the SVG network holds every official of the data as a node and one
//     edge per pair of officials that met;
//   - the fact tables have one row per meeting and per evidence record;
//   - evidence is highlighted, and a column sorts;
//   - clicking a node filters the tables to that official, "Show all"
//     clears it;
//   - no console message of level error, no page error, and no request
//     other than the page itself.
// The expected sets come from `newskg query` over the same DATA, so the test
// follows the extraction rules as they change.
//
// With --hostile, the page is one made from tests/report/hostile.*: it
// checks that no script but ours ran or exists, that no markup from the
// data became an element, and that the hostile names show as text.
//
// Usage: node report-browser.mjs NEWSKG PAGE DATA... [--hostile PAGE]
//        node report-browser.mjs --screenshot PNG PAGE
// (one browser for both pages: starting it is the slow part)
// Exit status: 0 pass, 1 fail (each failure printed), 77 no browser.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch (e) {
  console.error('report-browser: npm package puppeteer-core is missing (npm ci)');
  process.exit(77);
}
if (!existsSync(CHROMIUM)) {
  console.error(`report-browser: no browser at ${CHROMIUM} (Debian: chromium)`);
  process.exit(77);
}

const args = process.argv.slice(2);
const screenshot = args[0] === '--screenshot' ? args[1] : null;
const h = args.indexOf('--hostile');
const hostile_path = h >= 0 ? args[h + 1] : null;
if (h >= 0) args.splice(h, 2);
const [newskg, page_path, ...data] = screenshot ? [null, args[2]] : args;

let failures = 0;
function check(ok, what, detail) {
  if (ok) {
    console.log(`ok: ${what}`);
  } else {
    failures++;
    console.log(`FAIL: ${what}${detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
  }
}

// Rows of a SELECT through newskg query (TSV; header dropped).
function select(query) {
  const out = execFileSync(newskg, ['query', '--quiet', '-r', 'tsv', '-e', query, ...data],
                           { encoding: 'utf8' });
  return out.split('\n').slice(1).filter((l) => l.length).map((l) => l.split('\t'));
}
const unquote = (s) => JSON.parse(s.replace(/\^\^<[^>]*>$/, '').replace(/@[a-zA-Z-]+$/, ''));

const profile = mkdtempSync(join(tmpdir(), 'newskg-chromium-'));
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--disable-dev-shm-usage'],
});
async function run(page_path, hostile) {
  const url = pathToFileURL(resolve(page_path)).href;
  console.log(`# ${page_path}`);
  const page = await browser.newPage();
  const requests = [], errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.setViewport({ width: 1300, height: 900 });
  await page.goto(url, { waitUntil: 'load' });

  if (hostile) {
    const count = (sel) => page.$$eval(sel, (es) => es.length);
    check((await count('script')) === 1, 'one script element: ours', await count('script'));
    check((await count('style')) === 1, 'one style element: ours', await count('style'));
    for (const sel of ['img', 'b', 'i', 'iframe', 'object'])
      check((await count(sel)) === 0, `no <${sel}> from the data`, await count(sel));
    const text = await page.$eval('body', (b) => b.textContent);
    for (const t of ['<script>alert(4)</script> "O\'Brien" & Co', '</svg><script>alert(6)</script>',
                     '<script>alert("title")</script>', '<img src=x onerror=alert(2)>',
                     'Back\\N\\G\\nslash &lt;b&gt; &amp;', '</script><script>alert(1)</script>',
                     'rule"><script>alert(9)</script>'])
      check(text.includes(t), `shows as text: ${t}`);
    const nodes = await page.$$eval('.graph svg g.node text', (ts) => ts.map((t) => t.textContent));
    check(nodes.includes('<script>alert(4)</script> "O\'Brien" & Co'), 'the SVG node names the official as text', nodes);
    const mark = await page.$$eval('#t-meetings mark', (ms) => ms.map((m) => m.textContent));
    check(mark.includes('<script>alert(8)</script>'), 'the matched span is highlighted as text', mark);
    check(await page.$eval('body', (b) => getComputedStyle(b).display !== 'none'), 'the data cannot restyle the page');
    const first = await page.$('.graph svg g.node');
    await first.click();
    check((await page.$eval('#filter-status', (s) => s.textContent)).length > 0, 'clicking a node still filters');
    check(dialogs.length === 0, 'no script from the data ran', dialogs);
  } else if (screenshot) {
    await page.screenshot({ path: screenshot, fullPage: false });
    console.log(`report-browser: wrote ${screenshot}`);
  } else {
    // the network
    const officials = select('SELECT DISTINCT ?name { ?o a nkg:Official ; rdfs:label ?name }')
      .map((r) => unquote(r[0])).sort();
    const nodes = await page.$$eval('.graph svg g.node text', (ts) => ts.map((t) => t.textContent));
    check(JSON.stringify([...nodes].sort()) === JSON.stringify(officials),
          `the SVG has one node per official (${officials.length})`, { nodes, officials });
    const pairs = select('SELECT DISTINCT ?a ?b { ?m a nkg:Meeting ; nkg:participant ?a , ?b . ' +
                         'FILTER (STR(?a) < STR(?b)) }');
    const edges = await page.$$eval('.graph svg g.edge', (es) => es.length);
    check(edges === pairs.length, `the SVG has one edge per pair that met (${pairs.length})`, edges);
    const tips = await page.$$eval('.graph svg g.edge a', (as) => as.map((a) => a.getAttribute('xlink:title')));
    const labels = select('SELECT DISTINCT ?x ?y { ?m a nkg:Meeting ; nkg:participant ?a , ?b . ' +
                          '?a rdfs:label ?x . ?b rdfs:label ?y . FILTER (STR(?a) < STR(?b)) }')
      .map((r) => [unquote(r[0]), unquote(r[1])]);
    check(labels.every(([x, y]) => tips.some((t) => t.includes(x) && t.includes(y))),
          'every edge names the two officials who met', { labels, tips });

    // the fact tables
    const count = (q) => select(q).length;
    const want = {
      't-meetings': count('SELECT DISTINCT ?m { ?m a nkg:Meeting ; nkg:participant ?p }'),
      't-positions': count('SELECT DISTINCT ?e { ?e a nkg:Evidence ; rdf:predicate ?p . ' +
                           'FILTER (?p = nkg:holdsPosition || ?p = nkg:represents) }'),
      't-cooperation-facts': count('SELECT DISTINCT ?e { ?e a nkg:Evidence ; rdf:predicate ?p . ' +
                                   'FILTER (?p = nkg:cooperatesWith || ?p = nkg:cooperatesIn) }'),
    };
    const rows = (id) => page.$$eval(`#${id} tbody tr`, (trs) => trs.length);
    const visible = (id) => page.$$eval(`#${id} tbody tr`, (trs) => trs.filter((t) => !t.hidden).length);
    for (const [id, n] of Object.entries(want))
      check((await rows(id)) === n, `table ${id} has ${n} rows`, await rows(id));
    const marks = await page.$$eval('#t-meetings mark', (ms) => ms.map((m) => m.textContent));
    const matched = select('SELECT DISTINCT ?t { ?e rdf:predicate nkg:participant ; nkg:matchedText ?t }')
      .map((r) => unquote(r[0]));
    check(matched.every((m) => marks.includes(m)),
          'each meeting\'s matched text is highlighted in its sentence', { matched, marks });

    // click a node: the tables show its facts only
    const first = await page.$('.graph svg g.node');
    const name = await first.$eval('text', (t) => t.textContent);
    const id = await first.evaluate((g) => g.id.slice(2));
    await first.click();
    const shownMeetings = await page.$$eval('#t-meetings tbody tr', (trs) =>
      trs.filter((t) => !t.hidden).map((t) => t.cells[0].textContent));
    const hisMeetings = await page.$$eval('#t-meetings tbody tr', (trs, id) =>
      trs.filter((t) => (' ' + t.dataset.k + ' ').includes(' ' + id + ' ')).length, id);
    check(shownMeetings.length === hisMeetings && hisMeetings > 0 &&
          shownMeetings.every((c) => c.includes(name)),
          `clicking the node of ${name} shows only the meetings with ${name}`, shownMeetings);
    const shownPositions = await page.$$eval('#t-positions tbody tr', (trs) =>
      trs.filter((t) => !t.hidden).map((t) => t.cells[0].textContent));
    check(shownPositions.length > 0 && shownPositions.every((c) => c === name),
          `... and only the positions of ${name}`, shownPositions);
    const status = await page.$eval('#filter-status', (s) => s.textContent);
    check(status.includes(name), 'the filter says whose facts are shown', status);
    check(await page.$eval(`#g-${id}`, (g) => g.classList.contains('sel')), 'the node is marked');
    await page.click('#filter-clear');
    check((await visible('t-meetings')) === want['t-meetings'], '"Show all" shows every meeting again');

    // the text filter and sorting
    await page.type('#filter', name);
    check((await visible('t-meetings')) === hisMeetings, 'the text filter finds the same meetings');
    await page.click('#filter-clear');
    await page.$$eval('#t-meetings thead th', (ths) => ths[1].click());
    const dates = await page.$$eval('#t-meetings tbody tr', (trs) => trs.map((t) => t.cells[1].textContent));
    check(JSON.stringify(dates) === JSON.stringify([...dates].sort()), 'the Date column sorts', dates);
  }
  const others = requests.filter((r) => r !== url);
  check(others.length === 0, 'no request but the page itself', others);
  check(errors.length === 0, 'no console error and no page error', errors);
  await page.close();
}
try {
  if (screenshot || page_path) await run(page_path, false);
  if (hostile_path) await run(hostile_path, true);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures) {
  console.log(`report-browser: ${failures} check(s) failed`);
  process.exit(1);
}
