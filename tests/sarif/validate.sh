#!/bin/sh
# Validates real `iprcheck scan --format sarif` output against the official
# SARIF 2.1.0 schema (read in place from the shared schemas folder beside the
# data folder, sha256 checked) with
# ajv-cli, and against the fields GitHub code scanning needs on top of it
# (github_subset.js).  The logs come from the built program: a listing file
# with findings, listing text a viewer must not act on, an unparseable row
# and a missing file; a record a regex limit cut short; a clean run; and a
# real export when the shared data folder is there.  Broken copies must be
# refused, so the check itself is known to work.
#
# ajv-cli and ajv-formats are installed from npm into BUILD_DIR/npm on first
# use.  ajv 8 has no draft-04 support, so the schema is migrated to
# draft-07 first (`ajv migrate`), which keeps its meaning.
# Usage: validate.sh IPRCHECK BUILD_DIR [SHARED_DATA_DIR]
# Exit: 0 pass, 1 fail, 77 skipped (no node/npm).
set -u
bin=$1
build=$2
data=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
schema=${IPR_SARIF_SCHEMA:-${data:-$here/../../../shared/data}/../schemas/sarif-schema-2.1.0.json}
schema_sha256=c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e

fail() {
    echo "FAIL: $*"
    exit 1
}

[ -f "$schema" ] || fail "the official SARIF schema is not at $schema"
[ "$(sha256sum "$schema" | cut -d' ' -f1)" = "$schema_sha256" ] ||
    fail "$schema is not the official SARIF 2.1.0 schema (sha256 differs)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: node and npm are needed to validate SARIF (Debian: nodejs, npm)"
    exit 77
fi

npm_dir=$build/npm
ajv=$npm_dir/node_modules/.bin/ajv
if [ ! -x "$ajv" ] || [ ! -d "$npm_dir/node_modules/ajv-formats" ]; then
    echo "installing ajv-cli and ajv-formats into $npm_dir"
    mkdir -p "$npm_dir" || fail "cannot create $npm_dir"
    npm install --prefix "$npm_dir" --no-audit --no-fund --no-save --loglevel=error \
        ajv-cli@5.0.0 ajv-formats@3.0.1 || fail "npm install of ajv-cli and ajv-formats failed"
fi

work=$(mktemp -d) || fail "mktemp"
trap 'rm -rf "$work"' EXIT
"$ajv" migrate -s "$schema" -o "$work/schema7.json" >/dev/null 2>"$work/migrate.err" ||
    { cat "$work/migrate.err"; fail "ajv migrate"; }

# scan NAME DIR ARGS...: the SARIF log of one run, from DIR so that file
# names are relative, as a CI job gives them.  Exit 0, 1 and 3 are runs
# that completed; 2 is not.
scan() {
    name=$1 dir=$2
    shift 2
    (cd "$dir" && "$bin" scan --format sarif "$@") >"$work/$name.json" 2>"$work/$name.err"
    rc=$?
    [ "$rc" -ne 2 ] || { cat "$work/$name.err"; fail "$name: iprcheck could not run"; }
}

validate() {
    "$ajv" validate -s "$work/schema7.json" -d "$1" --strict=false -c ajv-formats \
        --all-errors --errors=text >"$work/ajv.out" 2>&1
}

# expect FILE JS-EXPRESSION MESSAGE: node evaluates the expression over the log
expect() {
    node -e '
        const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const run = log.runs[0], results = run.results;
        const notes = run.invocations[0].toolExecutionNotifications;
        process.exit(eval(process.argv[2]) ? 0 : 1);' "$1" "$2" || fail "$3"
}

# the built-in packs (their full rule texts and references), and the
# small fixed packs of the flow tests, whose results are known exactly
scan listings "$here" listings.csv missing.csv
scan listings-again "$here" listings.csv missing.csv
(cd "$here" && "$bin" scan --format json listings.csv missing.csv) >"$work/listings-findings.json" \
    2>/dev/null
fixed="--no-default-rules -r $here/../flows/marketing.yaml -r $here/../flows/payment.yaml"
# shellcheck disable=SC2086
scan fixed "$here" $fixed listings.csv missing.csv
logs="listings fixed"

# a record the slow rule cannot finish: 64 KiB of "a"
node -e 'process.stdout.write(JSON.stringify({sku: "S-1", title: "a".repeat(65536) + "cb"}) + "\n")' \
    >"$work/slow.jsonl"
scan incomplete "$work" --no-default-rules -r "$here/slow.yaml" slow.jsonl
logs="$logs incomplete"
# a run without findings: only the clean row of the listing file
head -n 1 "$here/listings.csv" >"$work/clean.csv"
sed -n 3p "$here/listings.csv" >>"$work/clean.csv"
scan clean "$work" clean.csv
logs="$logs clean"
if [ -n "$data" ] && [ -f "$data/wdc-products/tableA.csv" ]; then
    scan real "$data" wdc-products/tableA.csv
    logs="$logs real"
fi

for name in $logs; do
    validate "$work/$name.json" || { cat "$work/ajv.out"; fail "$name: not valid SARIF 2.1.0"; }
    node "$here/github_subset.js" "$work/$name.json" || fail "$name: misses what GitHub requires"
done

# what the logs say, not only that they are well-formed
cmp -s "$work/listings.json" "$work/listings-again.json" || fail "two runs gave different logs"
expect "$work/listings.json" \
    'results.length > 0 && results.length === JSON.parse(require("fs").readFileSync(
        process.argv[1].replace("listings.json", "listings-findings.json"))).findings.length' \
    "listings: the SARIF results are not the findings of the json report"
expect "$work/listings.json" \
    'results.every(r => r.locations[0].logicalLocations[0].fullyQualifiedName ===
                        r.properties.key + (r.properties.field ? "/" + r.properties.field : ""))' \
    "listings: a logical location is not KEY/FIELD"
expect "$work/listings.json" \
    'results.every(r => r.locations[0].physicalLocation.artifactLocation.uri === "listings.csv")' \
    "listings: artifact URI is not the relative input name"
expect "$work/listings.json" \
    'notes.length === 2 && notes.every(n => n.level === "error") &&
     notes[0].locations[0].physicalLocation.region.startLine === 5 &&
     notes[1].locations[0].physicalLocation.artifactLocation.uri === "missing.csv"' \
    "listings: the unparseable row and the missing file are not error notifications"
expect "$work/listings.json" \
    'run.properties.summary.records === 5 && run.properties.summary.error === 2 &&
     /^[0-9a-f]{64}$/.test(run.properties.rules_sha256) && run.properties.tool_version' \
    "listings: run properties lack the accounting, rules sha256 or version"
expect "$work/fixed.json" \
    'results.map(r => r.ruleId + " " + r.level + " " + r.properties.matched).join("|") ===
     "T-COUNTERFEIT error mirror quality|T-COUNTERFEIT error replica|" +
     "T-EMAIL error seller@example.com|T-COUNTERFEIT error fake"' \
    "fixed: not the four known results"
expect "$work/fixed.json" \
    'results[3].locations[0].logicalLocations[0].fullyQualifiedName ===
         "B09 <POKE> & \"sons\"/title" &&
     results[3].locations[0].physicalLocation.region.startLine === 4 &&
     results[3].locations[0].physicalLocation.region.startColumn === 25 &&
     run.tool.driver.rules.length === 4 &&
     results.every(r => run.tool.driver.rules[r.ruleIndex].id === r.ruleId)' \
    "fixed: locations or rule indexes are wrong"
expect "$work/incomplete.json" \
    'notes.length === 1 && notes[0].level === "warning" &&
     notes[0].descriptor.id === "record-incomplete" && run.invocations[0].executionSuccessful' \
    "incomplete: the record cut short is not a warning notification"
expect "$work/clean.json" 'results.length === 0 && notes.length === 0' \
    "clean: expected no results and no notifications"

# the checks must refuse broken logs
sed '0,/"level": "error"/s//"level": "critical"/' "$work/listings.json" >"$work/bad-level.json"
validate "$work/bad-level.json" && fail "ajv accepted a result with level \"critical\""
sed 's/"startLine": [0-9]*/"startLine": 0/' "$work/listings.json" >"$work/bad-line.json"
validate "$work/bad-line.json" && fail "ajv accepted startLine 0"
sed 's/"primaryLocationLineHash": "[^"]*",\{0,1\}//' "$work/listings.json" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
        const l=JSON.parse(s.replace(/,(\s*})/g,"$1"));process.stdout.write(JSON.stringify(l));})' \
        >"$work/bad-fingerprint.json"
node "$here/github_subset.js" "$work/bad-fingerprint.json" >/dev/null &&
    fail "the GitHub check accepted results without fingerprints"
echo "ok: SARIF logs valid: $logs"
exit 0
