#!/bin/sh
# Installs the Debian packages iprcheck needs to build and test, when they
# are missing.  As root it runs apt-get; otherwise it prints the command.
# Usage: scripts/install-deps.sh [extra-package ...]
set -eu
need="cmake make gcc pkg-config libpcre2-dev libyaml-dev libjansson-dev libicu-dev nettle-dev libcmocka-dev
wamerican python3 clang-format git $*"
missing=""
for p in $need; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "missing Debian packages:$missing" >&2
    echo "run: sudo apt-get install -y$missing" >&2
    exit 1
fi
