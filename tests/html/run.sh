#!/bin/sh
# Browser test of the html report: builds reports with the built program and
# checks them in headless Chromium through playwright-core (browser.cjs).
#
# usage: run.sh IPRCHECK WORKDIR
#
# Chromium and Node come from Debian and playwright-core from npm; as root
# the missing ones are installed, otherwise the test is skipped (exit 77).
set -eu
prog=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mkdir -p "$2"
work=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
playwright_version=1.65.1

skip() {
    echo "SKIP: $*"
    exit 77
}

is_root() {
    [ "$(id -u)" -eq 0 ]
}

if ! command -v chromium >/dev/null 2>&1; then
    is_root || skip "chromium is not installed (apt-get install chromium)"
    "$root/scripts/install-deps.sh" chromium >&2 || skip "cannot install chromium"
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    is_root || skip "node and npm are not installed (apt-get install nodejs npm)"
    "$root/scripts/install-deps.sh" nodejs npm >&2 || skip "cannot install nodejs and npm"
fi

mkdir -p "$work/node"
pw="$work/node/node_modules/playwright-core"
if ! grep -q "\"version\": \"$playwright_version\"" "$pw/package.json" 2>/dev/null; then
    # playwright-core downloads no browser; the Debian chromium is used
    npm install --prefix "$work/node" --no-save --no-audit --no-fund --silent \
        "playwright-core@$playwright_version" >&2 ||
        skip "cannot install playwright-core $playwright_version from npm"
fi

# Exit status 1 (findings) and 3 (an unparseable row) are expected here.
scan() {
    status=0
    "$prog" scan --format html "$@" || status=$?
    if [ "$status" -ne 0 ] && [ "$status" -ne 1 ] && [ "$status" -ne 3 ]; then
        echo "iprcheck scan $* exited $status" >&2
        exit 1
    fi
}

cd "$here"
scan -r marks.yaml -o "$work/normal.html" listings.jsonl

# 2,000 listings with six findings each, in three stages.
awk 'BEGIN {
    for (i = 1; i <= 2000; i++)
        printf "{\"sku\":\"GEN-%05d\",\"title\":\"1:1 mirror quality N1ke shoes, size %d\",\"description\":\"Pay direct, PayPal friends and family only\",\"fulfillment\":{\"notes\":\"cover the logo\"}}\n", i, i % 40
}' >"$work/large.jsonl"
scan -o "$work/large.html" "$work/large.jsonl"

IPR_PLAYWRIGHT="$pw" IPR_CHROMIUM=$(command -v chromium) \
    node "$here/browser.cjs" "$work/normal.html" "$work/large.html" "$work"
