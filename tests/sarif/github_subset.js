// github_subset.js - checks what GitHub code scanning requires of a SARIF
// log beyond the schema: non-empty rule texts within GitHub's length caps,
// a message, one physical location with a line and a fingerprint per
// result, and a ruleIndex that names the result's rule.  The schema leaves
// all of these optional, so a valid log can still be refused on upload.
// Usage: node github_subset.js FILE.json...   (exit 0: all pass)
'use strict';
const fs = require('fs');

let problems = 0;
function check(file, cond, what) {
  if (!cond) {
    console.log(`${file}: ${what}`);
    problems++;
  }
}
const nonEmpty = (s) => typeof s === 'string' && s.length > 0;
const chars = (s) => Array.from(s).length;

for (const file of process.argv.slice(2)) {
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  check(file, nonEmpty(log.$schema), '$schema missing');
  check(file, log.version === '2.1.0', 'version is not 2.1.0');
  check(file, Array.isArray(log.runs) && log.runs.length === 1, 'not exactly one run');
  for (const run of log.runs || []) {
    const driver = run.tool && run.tool.driver;
    check(file, driver && nonEmpty(driver.name), 'tool.driver.name missing');
    const rules = (driver && driver.rules) || [];
    check(file, rules.length > 0, 'tool.driver.rules is empty');
    rules.forEach((r, i) => {
      const at = `rules[${i}] (${r.id})`;
      check(file, nonEmpty(r.id), `${at}: id missing`);
      check(file, nonEmpty(r.name) && chars(r.name) <= 255, `${at}: name missing or too long`);
      for (const key of ['shortDescription', 'fullDescription']) {
        const t = r[key] && r[key].text;
        check(file, nonEmpty(t) && chars(t) <= 1024, `${at}: ${key}.text empty or over 1024`);
      }
      check(file, r.help && nonEmpty(r.help.text), `${at}: help.text missing`);
      const tags = (r.properties && r.properties.tags) || [];
      check(file, tags.length <= 20, `${at}: more than 20 tags`);
    });
    (run.results || []).forEach((res, i) => {
      const at = `results[${i}]`;
      check(file, nonEmpty(res.ruleId), `${at}: ruleId missing`);
      check(file, rules[res.ruleIndex] && rules[res.ruleIndex].id === res.ruleId,
            `${at}: ruleIndex does not name rule ${res.ruleId}`);
      check(file, res.message && nonEmpty(res.message.text), `${at}: message.text missing`);
      const loc = res.locations && res.locations[0] && res.locations[0].physicalLocation;
      check(file, loc && loc.artifactLocation && nonEmpty(loc.artifactLocation.uri),
            `${at}: physicalLocation.artifactLocation.uri missing`);
      check(file, loc && loc.region && loc.region.startLine >= 1, `${at}: region.startLine missing`);
      const fp = res.partialFingerprints || {};
      check(file, nonEmpty(fp.primaryLocationLineHash), `${at}: primaryLocationLineHash missing`);
    });
    const inv = run.invocations && run.invocations[0];
    check(file, inv && inv.executionSuccessful === true, 'invocations[0].executionSuccessful');
  }
}
process.exit(problems ? 1 : 0);
