// Bundles the CLI with esbuild so that `npx segur-pipeline` starts fast with plain node (no
// TypeScript loader at run time). Runs on `npm ci` through the `prepare` script.
import { build } from 'esbuild';

await build({
  entryPoints: ['local/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // jsonc-parser's UMD build hides its requires from bundlers; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
