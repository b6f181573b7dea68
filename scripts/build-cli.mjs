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
  // Dependencies stay in node_modules (the command runs from the repository after `npm ci`): the
  // embedded DynamoDB (dynalite) loads a native LevelDB binding that cannot live inside a bundle.
  packages: 'external',
  logLevel: 'warning',
});
