// Runs a TypeScript entry point with plain node: bundles it with esbuild (dependencies stay
// external) into dist/run/ and starts it in its own process, arguments passed through.
// Used by `npm run bench` and `npm run docs:codes`; no TypeScript loader is needed at run time.
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <entry.ts> [args...]');
  process.exit(2);
}
const outfile = join('dist', 'run', `${basename(entry, '.ts')}.js`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
const result = spawnSync(
  process.execPath,
  [
    '--enable-source-maps',
    ...(process.env.NODE_RUN_FLAGS?.split(' ').filter(Boolean) ?? []),
    outfile,
    ...args,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
