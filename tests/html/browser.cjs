// browser.cjs - drives the html report in headless Chromium (playwright-core).
//
// usage: node browser.cjs NORMAL.html LARGE.html WORKDIR
//        node browser.cjs --screenshot REPORT.html OUT.png
//
// NORMAL is the report of listings.jsonl (findings in every stage, an error
// row, a hostile listing); LARGE holds at least 10,000 findings.  Every
// expectation is computed from the report's own data block, so the checks
// follow the rule packs as they change.  Prints one line per check and a
// closing "N passed, N failed" line; exits 1 when a check failed.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require(process.env.IPR_PLAYWRIGHT);

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log('ok   ' + name);
  } else {
    failed++;
    console.log('FAIL ' + name + (detail === undefined ? '' : ': ' + JSON.stringify(detail)));
  }
}

// Opens a report and records everything that must not happen: console
// errors (a CSP violation is one), uncaught exceptions, dialogs, and any
// request that is not the file itself or a blob the page made.
async function open(browser, file) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const log = { errors: [], dialogs: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('blob:')) log.requests.push(u);
  });
  const t0 = Date.now();
  await page.goto('file://' + path.resolve(file));
  await page.waitForSelector('body.ready', { timeout: 30000 }).catch(() => {});
  log.loadMs = Date.now() - t0;
  const data = await page.evaluate(() => JSON.parse(document.getElementById('data').textContent));
  return { context, page, log, data };
}

const rows = (page) => page.locator('tr.finding').count();
const attrs = (page, name) => page.locator('tr.finding').evaluateAll(
  (trs, n) => trs.map((tr) => tr.dataset[n]), name);

function findings(data) {
  const out = [];
  for (const r of data.records)
    for (const f of r.findings) out.push({ rec: r, f, rule: data.rules[f.rule] });
  return out;
}

// RFC 4180 with quoted cells; enough for the export.
function parseCsv(textIn) {
  const text = textIn.replace(/^\ufeff/, '');
  const out = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r') { /* CRLF */ } else if (c === '\n') {
      row.push(cell); out.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); out.push(row); }
  return out;
}

async function exportCsv(page, work, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const file = path.join(work, name);
  await download.saveAs(file);
  return { name: download.suggestedFilename(), rows: parseCsv(fs.readFileSync(file, 'utf8')) };
}

async function normalReport(browser, file, work) {
  const { context, page, log, data } = await open(browser, file);
  const all = findings(data);
  const s = data.summary;
  check('normal: renders (body.ready)', await page.locator('body.ready').count() === 1);
  check('normal: records = clean + flagged + incomplete + error',
    s.records === s.clean + s.flagged + s.incomplete + s.error && s.error > 0, s);
  check('normal: accounting line shown', (await page.textContent('#accounting')) ===
    `${s.records} records = ${s.clean} clean + ${s.flagged} flagged + ${s.incomplete} incomplete + ${s.error} error`);
  const stageNames = await page.locator('table.stages tbody th').allTextContents();
  check('normal: checklist has the five stages',
    stageNames.join() === 'headway,tailing,payment,marketing,warehousing', stageNames);
  const stageCells = await page.locator('table.stages tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
  check('normal: checklist numbers match the summary', s.stages.every((st, i) =>
    stageCells[i][1] === String(st.passed) && stageCells[i][2] === String(st.flagged)), stageCells);
  const stagesHit = new Set(all.map((x) => x.rule.stage));
  check('normal: findings in at least four stages', stagesHit.size >= 4, [...stagesHit]);
  check('normal: clean records are not in the data',
    data.records.every((r) => r.status !== 'clean') && data.records.length < s.records);
  check('normal: every finding is a row', await rows(page) === all.length && all.length === s.findings,
    [await rows(page), all.length, s.findings]);
  check('normal: listings grouped with file:line and key',
    await page.locator('section.listing').count() === new Set(all.map((x) => x.rec)).size &&
    (await page.locator('section.listing .loc').first().textContent()).startsWith('listings.jsonl:'));
  const hl = await page.locator('mark.hl').allTextContents();
  check('normal: evidence highlighted', hl.includes('PayPal friends and family') && hl.includes('N1ke') &&
    hl.includes('高仿'), hl);

  // filters
  const byStage = all.filter((x) => x.rule.stage === 'payment').length;
  await page.selectOption('#f-stage', 'payment');
  const payRows = await rows(page);
  const payStages = await attrs(page, 'stage');
  check('filter: stage payment shows its rows only', payRows === byStage && payRows > 0 &&
    payRows < all.length && payStages.every((x) => x === 'payment'), [payRows, byStage]);
  await page.selectOption('#f-stage', '');
  await page.selectOption('#f-sev', 'critical');
  const crit = all.filter((x) => x.f.severity === 'critical').length;
  const critRows = await rows(page);
  check('filter: severity critical', critRows === crit && crit < all.length &&
    (await attrs(page, 'severity')).every((x) => x === 'critical'), [critRows, crit]);
  await page.selectOption('#f-stage', 'marketing');
  const both = all.filter((x) => x.f.severity === 'critical' && x.rule.stage === 'marketing').length;
  check('filter: stage and severity combine', await rows(page) === both && both < crit);
  await page.selectOption('#f-stage', '');
  await page.selectOption('#f-sev', 'gate');
  const gate = all.filter((x) => RANK[x.f.severity] >= RANK[s.fail_on]).length;
  check('filter: at or above fail-on', await rows(page) === gate && gate < all.length);
  await page.click('#reset');
  check('filter: reset shows everything', await rows(page) === all.length);

  const rule = 'PY-OFF-PLATFORM-PAY';
  await page.selectOption('#f-rule', rule);
  check('filter: rule', await rows(page) === all.filter((x) => x.rule.id === rule).length &&
    (await attrs(page, 'rule')).every((x) => x === rule));
  await page.click('#reset');
  const marked = all.filter((x) => x.f.mark === 'Nike').length;
  await page.selectOption('#f-mark', 'Nike');
  check('filter: mark', marked > 0 && await rows(page) === marked, marked);
  check('filter: mark and owner shown', (await page.locator('.markl').first().textContent())
    .includes('Nike, Inc.'));
  await page.click('#reset');

  await page.fill('#q', 'shoe-003');
  await page.waitForFunction(() => document.querySelectorAll('section.listing').length === 1);
  const keys = await page.locator('section.listing .key').allTextContents();
  check('search: free text narrows to one listing', keys.join() === 'SHOE-003' &&
    await rows(page) === all.filter((x) => x.rec.key === 'SHOE-003').length, keys);
  await page.fill('#q', 'friends and family');
  await page.waitForFunction(() => !document.querySelector('section.listing .key') ||
    document.querySelector('section.listing .key').textContent === 'BAG-001');
  check('search: matches listing text', (await page.locator('section.listing .key').allTextContents())
    .join() === 'BAG-001');
  await page.fill('#q', 'no such words anywhere');
  await page.waitForSelector('#list p.none');
  check('search: nothing found message', await rows(page) === 0);
  await page.click('#reset');

  // sort
  const groupsRules = async () => page.locator('section.listing').evaluateAll((secs) =>
    secs.map((s) => [...s.querySelectorAll('tr.finding')].map((tr) => tr.dataset.rule)));
  await page.selectOption('#sort', 'rule');
  const gr = await groupsRules();
  const sorted = (a) => a.every((x, i) => i === 0 || a[i - 1] <= x);
  check('sort: by rule', gr.every(sorted) && sorted(gr.map((g) => g[0])), gr);
  await page.selectOption('#sort', 'severity');
  const gs = await page.locator('section.listing').evaluateAll((secs) =>
    secs.map((s) => [...s.querySelectorAll('tr.finding')].map((tr) => tr.dataset.severity)));
  const desc = (a) => a.every((x, i) => i === 0 || RANK[a[i - 1]] >= RANK[x]);
  check('sort: by severity', gs.every(desc) && desc(gs.map((g) => g[0])), gs);
  await page.selectOption('#sort', 'listing');
  const gl = await page.locator('section.listing .loc').allTextContents();
  const lines = gl.map((x) => Number(x.split(':').pop()));
  check('sort: by listing', lines.every((x, i) => i === 0 || lines[i - 1] < x), gl);

  // export
  await page.selectOption('#f-stage', 'payment');
  const pay = await exportCsv(page, work, 'payment.csv');
  check('export: file name', pay.name === 'iprcheck-findings.csv', pay.name);
  check('export: visible rows only', pay.rows.length === byStage + 1 &&
    pay.rows.slice(1).every((r) => r[4] === 'payment'), pay.rows.length);
  await page.click('#reset');
  const full = await exportCsv(page, work, 'all.csv');
  const header = full.rows[0];
  check('export: header and all rows', header[0] === 'file' && header.includes('fingerprint') &&
    full.rows.length === all.length + 1, header);
  const cells = full.rows.flat();
  check('export: formula cells neutralized', cells.includes("'=cmd|'/c calc'!A1") &&
    cells.every((c) => !/^[=+\-@\t\r]/.test(c)));
  const hostileRow = full.rows.find((r) => r[2] === "'=cmd|'/c calc'!A1");
  check('export: quoted cells survive', hostileRow && hostileRow.length === header.length);

  // hostile listing text
  const pwned = await page.evaluate(() => window.__pwned);
  check('hostile: no script from listing text ran', pwned === undefined && log.dialogs.length === 0,
    [pwned, log.dialogs]);
  const ev = await page.locator('.ev').allTextContents();
  check('hostile: </script> title shown as text',
    ev.some((t) => t.includes('</script><script>window.__pwned=1;alert(1)</script> replica watch')));
  check('hostile: <img onerror> shown as text',
    ev.some((t) => t.includes('<img src=x onerror="window.__pwned=2;alert(2)"> 1:1 mirror')));
  check('hostile: no element made from listing text', await page.locator('img').count() === 0 &&
    await page.locator('script').count() === 2);
  const ctl = await page.locator('.ev .ctl').allTextContents();
  check('hostile: bidi and line separators made visible', ctl.includes('\\u202e') &&
    ctl.includes('\\u2028'), ctl);
  check('hostile: key shown as text', (await page.locator('section.listing .key').allTextContents())
    .includes("=cmd|'/c calc'!A1"));

  // a long value: a window around the evidence, the whole text on request
  const longRow = page.locator('section.listing', { hasText: 'LONG-008' }).locator('tr.finding').first();
  const longValue = data.records.find((r) => r.key === 'LONG-008').values[0].text;
  const windowed = await longRow.locator('.ev').textContent();
  check('long text: a window around the evidence', windowed.startsWith('\u2026') &&
    windowed.endsWith('\u2026') && windowed.length < longValue.length &&
    (await longRow.locator('mark.hl').textContent()) === 'Mirror quality', windowed);
  await longRow.locator('button.more').click();
  check('long text: shown whole on request',
    (await longRow.locator('.ev').textContent()) === longValue &&
    (await longRow.locator('mark.hl').textContent()) === 'Mirror quality');

  // records not fully checked
  const errRows = await page.locator('#unchecked tr.unchecked').allTextContents();
  check('errors: the bad row is listed', !(await page.locator('#unchecked').isHidden()) &&
    errRows.length === s.error + s.incomplete && errRows.some((t) => t.includes('invalid JSON')), errRows);

  check('normal: zero console errors', log.errors.length === 0, log.errors);
  check('normal: no network request', log.requests.length === 0, log.requests);
  await context.close();
}

// The CSP must refuse a script the report did not bring: proves both that
// the policy is in force and that console errors are seen by this test.
async function tamperedReport(browser, file, work) {
  const html = fs.readFileSync(file, 'utf8');
  const bad = path.join(work, 'tampered.html');
  fs.writeFileSync(bad, html.replace('</body>', '<script>window.__pwned=3</script>\n</body>'));
  const { context, page, log } = await open(browser, bad);
  check('csp: an added inline script does not run', await page.evaluate(() => window.__pwned) === undefined);
  check('csp: the violation is a console error',
    log.errors.some((e) => /Content Security Policy/i.test(e)), log.errors);
  await context.close();
}

async function largeReport(browser, file) {
  const { context, page, log, data } = await open(browser, file);
  const s = data.summary;
  check('large: at least 10,000 findings', s.findings >= 10000, s.findings);
  check(`large: renders within 20 s (${log.loadMs} ms)`, log.loadMs < 20000);
  const groups = new Set(findings(data).map((x) => x.rec)).size;
  check('large: one page of listings in the DOM', await page.locator('section.listing').count() === 50 &&
    groups > 50, groups);
  check('large: count line names every finding', (await page.textContent('#count'))
    .startsWith(s.findings.toLocaleString('en-US') + ' findings'));
  const first = await page.locator('section.listing .key').first().textContent();
  await page.click('#next');
  check('large: next page', (await page.textContent('#pageinfo')).startsWith('Listings 51') &&
    (await page.locator('section.listing .key').first().textContent()) !== first);
  const before = await rows(page);
  await page.selectOption('#f-stage', 'payment');
  const after = await rows(page);
  check('large: filter changes the rows and goes back to page 1', after !== before &&
    (await page.textContent('#pageinfo')).startsWith('Listings 1'), [before, after]);
  check('large: zero console errors', log.errors.length === 0, log.errors);
  await context.close();
}

async function screenshot(browser, file, out) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto('file://' + path.resolve(file));
  await page.waitForSelector('body.ready');
  await page.screenshot({ path: out, fullPage: false });
  await context.close();
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.IPR_CHROMIUM, args: ARGS });
  try {
    if (process.argv[2] === '--screenshot') {
      await screenshot(browser, process.argv[3], process.argv[4]);
      return;
    }
    const [normal, large, work] = process.argv.slice(2);
    await normalReport(browser, normal, work);
    await tamperedReport(browser, normal, work);
    await largeReport(browser, large);
  } catch (e) {
    check('no exception in the test', false, String(e && e.stack || e));
  } finally {
    await browser.close();
  }
  if (process.argv[2] !== '--screenshot') {
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  }
})();
