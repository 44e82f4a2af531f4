#!/bin/sh
# Installs the programs the benchmark and the scale-out test compare with or
# drive when they are missing: ripgrep and grep (the peers), GNU parallel
# (scale-out), perf or valgrind (the profile, optional).  As root it runs
# apt-get; otherwise it prints the command, and fails only when a peer is
# missing, so `make bench` never measures half a table.
# Usage: bench/install-tools.sh [extra-package ...]
set -eu
required="ripgrep grep time python3 $*"
optional="linux-perf valgrind"
installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
missing="" missing_required=""
for p in $required $optional; do
    installed "$p" || missing="$missing $p"
done
for p in $required; do
    installed "$p" || missing_required="$missing_required $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
    exit 0
fi
echo "missing Debian packages:$missing" >&2
echo "run: sudo apt-get install -y$missing" >&2
[ -z "$missing_required" ]
