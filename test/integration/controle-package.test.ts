import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/deposits';

/**
 * The checker as a small package, as a vendor's build installs it: `npm pack` of
 * packages/segur-controle (its bundle built by `npm run build`), `npm install --omit=dev` of the
 * tarball in an empty folder, then `segur-pipeline check` on a sample and a faulty deposit.
 */
const run = promisify(execFile);
const MDV = join(ROOT, 'events/drop/88558855858745/avance/JSON-3456789012-20221104-001');
let work: string;
let installed: string;

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'segur-controle-'));
  const { stdout } = await run('npm', [
    'pack',
    join(ROOT, 'packages/segur-controle'),
    '--pack-destination',
    work,
  ]);
  const tarball = join(work, stdout.trim().split('\n').pop() as string);
  installed = join(work, 'projet');
  await run('mkdir', ['-p', installed]);
  await writeFile(join(installed, 'package.json'), '{"name":"ci-fournisseur","private":true}\n');
  await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--offline', tarball], {
    cwd: installed,
  });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the segur-controle package', () => {
  it('installs alone: no CDK, no AWS SDK, no emulator, under 5 MB', async () => {
    expect(await readdir(join(installed, 'node_modules'))).toEqual(
      expect.arrayContaining(['segur-controle']),
    );
    const modules = (await readdir(join(installed, 'node_modules'))).filter((name) => !name.startsWith('.'));
    expect(modules).toEqual(['segur-controle']);
    expect(await sizeOf(join(installed, 'node_modules'))).toBeLessThan(5 * 1024 * 1024);
  });

  it('ships the four JSON Schemas, the same as its controler --schema prints', async () => {
    const folder = join(installed, 'node_modules', 'segur-controle', 'dist', 'schemas');
    expect((await readdir(folder)).sort()).toEqual([
      'BIO-LOINC-solde.schema.json',
      'BIO-SGL-avance.schema.json',
      'HOP-DPI-avance.schema.json',
      'MDV-LGC-avance.schema.json',
    ]);
    const bin = join(installed, 'node_modules', '.bin', 'segur-pipeline');
    const printed = await run(bin, ['controler', '--schema', 'BIO-LOINC']);
    expect(JSON.parse(printed.stdout)).toEqual(
      JSON.parse(await readFile(join(folder, 'BIO-LOINC-solde.schema.json'), 'utf8')),
    );
  });

  it('runs segur-pipeline check: 0 on the sample with its zip, 1 with each error on a faulty deposit', async () => {
    const bin = join(installed, 'node_modules', '.bin', 'segur-pipeline');
    const ok = await run(bin, ['check', `${MDV}.json`, '--zip', `${MDV}.zip`]);
    expect(ok.stdout).toContain('2 demande(s) : 2 acceptée(s), 0 rejetée(s)');
    const faulty = join(ROOT, 'events/faulty/mdv-rpps-15-chiffres/JSON-3456789012-20221104-001.json');
    const failure = await run(bin, ['controler', faulty, '--format', 'json']).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(JSON.parse(failure.stdout).lines[0].errors[0]).toMatchObject({ code: '2006' });
    const usage = await run(bin, ['traiter', 'events/drop']).catch((error) => error);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('commande inconnue « traiter »');
  });
});
