// Builds the deposit simulator (web/): one self-contained page, dist/web/index.html, from the same
// domain code and zip reader as `controler` (esbuild, for the browser). Node modules that yauzl
// requires are given browser shims (web/shims/); the script's hash goes into the page's CSP, which
// forbids any connection: the page can send nothing anywhere.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shim = (name) => join(root, 'web', 'shims', name);

const result = await build({
  entryPoints: [join(root, 'web', 'app.ts')],
  bundle: true,
  write: false,
  platform: 'browser',
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'none',
  inject: [shim('globals.ts')],
  alias: {
    zlib: shim('zlib.ts'),
    'node:zlib': shim('zlib.ts'),
    util: shim('util.ts'),
    stream: shim('unavailable.ts'),
    fs: shim('unavailable.ts'),
    events: join(root, 'node_modules', 'events', 'events.js'),
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
// `</script` inside the code would end the inline script early.
const script = result.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
const hash = createHash('sha256').update(script).digest('base64');
const csp = [
  "default-src 'none'",
  `script-src 'sha256-${hash}'`,
  "style-src 'unsafe-inline'",
  'img-src data:',
  "frame-src 'self' about:",
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
].join('; ');
const template = await readFile(join(root, 'web', 'index.html'), 'utf8');
const page = template
  .replace('__CSP__', csp)
  .replace('<script>__SCRIPT__</script>', () => `<script>${script}</script>`);
await mkdir(join(root, 'dist', 'web'), { recursive: true });
await writeFile(join(root, 'dist', 'web', 'index.html'), page);
