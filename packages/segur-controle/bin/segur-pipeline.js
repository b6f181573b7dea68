#!/usr/bin/env node

// segur-controle: the offline check alone, bundled when the package is built (no install step).
const { main } = require('../dist/controle.js');

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: Boolean(process.stdout.isTTY),
}).then((code) => {
  process.exitCode = code;
});
