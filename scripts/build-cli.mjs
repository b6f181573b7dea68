// Bundles the CLI with esbuild so that `npx segur-pipeline` starts fast with plain node (no
// TypeScript loader at run time). Runs on `npm ci` through the `prepare` script.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
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

// The small package (packages/segur-controle): `controler` alone, every dependency inside, so
// that its install needs nothing but Node (neither CDK, the AWS SDK nor the emulators).
await build({
  entryPoints: ['local/controle-cli.ts'],
  outfile: 'packages/segur-controle/dist/controle.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// The JSON Schema of each profile, generated from its rules by the command just built (controler
// --schema): for the repository (dist/schemas/) and inside the small package.
for (const folder of ['dist/schemas', 'packages/segur-controle/dist/schemas'])
  mkdirSync(folder, { recursive: true });
for (const [software, profile] of [
  ['MDV-LGC', 'MDV-LGC-avance'],
  ['HOP-DPI', 'HOP-DPI-avance'],
  ['BIO-SGL', 'BIO-SGL-avance'],
  ['BIO-LOINC', 'BIO-LOINC-solde'],
]) {
  const schema = execFileSync(process.execPath, ['bin/segur-pipeline.js', 'controler', '--schema', software]);
  for (const folder of ['dist/schemas', 'packages/segur-controle/dist/schemas'])
    writeFileSync(`${folder}/${profile}.schema.json`, schema);
}
