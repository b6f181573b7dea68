#!/usr/bin/env bash
# Kept for the scripts that call it: the same as `bash scripts/with-node.sh 22 <command…>`.
exec bash "$(dirname "$0")/with-node.sh" 22 "$@"
