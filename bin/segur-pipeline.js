#!/usr/bin/env node

// The package's command: the bundled CLI (built by `npm run build`, run by `npm ci`'s prepare step).
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(
    "segur-pipeline : l'outil n'est pas construit ; lancez « npm run build » (ou « npm ci »).\n",
  );
  process.exit(2);
}
require(bundle)
  .main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdout.isTTY),
  })
  .then((code) => {
    process.exitCode = code;
  });
