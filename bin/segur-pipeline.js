#!/usr/bin/env node

// The package's command: the bundled CLI (built by `npm run build`, run by `npm ci`'s prepare step).
const path = require('node:path');
const fs = require('node:fs');

// The AWS SDK warns on every start that its 2027 releases will need Node 22: noise for a vendor at a
// terminal. Every other warning is printed as usual.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning'))
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

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
