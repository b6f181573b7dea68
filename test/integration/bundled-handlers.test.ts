import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { SegurStack } from '../../infra/segur-stack';
import { type FunctionName, synthesizedFunctions } from '../../local/embedded/synthesized-functions';
import type { ResultMessage } from '../../shared/pipeline/result-message';
import { ROOT, SIRET } from '../support/deposits';
import { hopDeposit } from '../support/embedded-deposits';

/**
 * The artefact AWS runs is the artefact tested: `cdk synth` with bundling on (local esbuild, the
 * locked AWS SDK inside) into a folder outside the repository (nothing can come from its
 * node_modules), then the real command `traiter --cdk-out` runs those bundles in a Node process of
 * its own (as Lambda does, not in jest's sandbox) on the embedded stack, on the sample deposits.
 */
let work: string;
let cdkOut: string;
let bundles: Record<FunctionName, string>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'segur-bundles-'));
  const { context } = JSON.parse(await readFile(join(ROOT, 'cdk.json'), 'utf8'));
  cdkOut = join(work, 'cdk.out');
  const app = new App({ outdir: cdkOut, context });
  new SegurStack(app, 'Bundled', { notificationEmails: [] });
  app.synth();
  bundles = await synthesizedFunctions(cdkOut);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The files a bundle was built from, read off its source map. */
async function bundledSources(name: FunctionName): Promise<string[]> {
  return JSON.parse(await readFile(`${bundles[name]}.map`, 'utf8')).sources;
}

describe('the bundled functions', () => {
  it('carry the AWS SDK and Powertools, and only the adapters each one uses', async () => {
    for (const name of Object.keys(bundles) as FunctionName[]) {
      const sources = await bundledSources(name);
      expect(sources.some((source) => source.includes('node_modules/@aws-sdk/client-'))).toBe(true);
      expect(sources.some((source) => source.includes('@aws-lambda-powertools/logger'))).toBe(true);
      expect(sources).toContainEqual(expect.stringContaining(`lambdas/${name}/handler.ts`));
    }
    const has = async (name: FunctionName, fragment: string) =>
      (await bundledSources(name)).some((source) => source.includes(fragment));
    // The sweeper queries DynamoDB and sends to SQS: no S3 client, no zip reader, no référentiel validation.
    expect(await has('sweeper', 'node_modules/@aws-sdk/client-s3/')).toBe(false);
    expect(await has('sweeper', 'node_modules/yup/')).toBe(false);
    expect(await has('sweeper', 'node_modules/yauzl/')).toBe(false);
    // The intake reads zips but never the référentiel; notify only formats and publishes.
    expect(await has('intake', 'node_modules/yup/')).toBe(false);
    expect(await has('notify', 'node_modules/yup/')).toBe(false);
    expect(await has('notify', 'node_modules/yauzl/')).toBe(false);
    expect(await has('judge', 'node_modules/yup/')).toBe(true);
    // The state store in parts: the sweeper carries the waiting list alone, the intake the
    // submissions alone; the registry and the avance ledger are the judge's.
    expect(await has('sweeper', 'shared/adapters/state/dynamo-waiting-list.ts')).toBe(true);
    for (const part of [
      'dynamo-registry',
      'dynamo-avance-ledger',
      'dynamo-judgement-leases',
      'dynamo-submissions',
    ])
      expect({ part, inSweeper: await has('sweeper', `shared/adapters/state/${part}.ts`) }).toEqual({
        part,
        inSweeper: false,
      });
    expect(await has('intake', 'shared/adapters/state/dynamo-submissions.ts')).toBe(true);
    for (const part of ['dynamo-registry', 'dynamo-avance-ledger', 'dynamo-judgement-leases'])
      expect({ part, inIntake: await has('intake', `shared/adapters/state/${part}.ts`) }).toEqual({
        part,
        inIntake: false,
      });
    expect(await has('judge', 'shared/adapters/state/dynamo-registry.ts')).toBe(true);
  });

  it('judge the four samples, and through the sweeper a deposit without its zip (traiter --cdk-out)', async () => {
    const out = join(work, 'out');
    // The samples, and a deposit whose zip never comes: only the sweeper sends it to the judge.
    const drop = join(work, 'drop');
    await cp(join(ROOT, 'events/drop'), drop, { recursive: true });
    const alone = await hopDeposit('501', ['D0001']);
    await writeFile(join(drop, SIRET, 'avance', `${alone.name}.json`), alone.json);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'bin/segur-pipeline.js'),
        'traiter',
        drop,
        '--referentiel',
        join(ROOT, 'events/referentiel.json'),
        '--out',
        out,
        '--cdk-out',
        cdkOut,
        '--timeout',
        '60',
      ],
      { timeout: 120_000, env: { ...process.env, SEGUR_LOG_FILE: join(out, 'pipeline.log') } },
    );
    expect(stdout).toContain(`Fonctions empaquetées par cdk synth : ${cdkOut}`);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as ResultMessage[];
    const byName = new Map(summary.map((result) => [result.fileName, result]));
    expect(summary).toHaveLength(5);
    for (const result of summary.filter((candidate) => candidate.fileName !== `${alone.name}.json`))
      expect(result).toMatchObject({ status: 'processed', rejected: 0 });
    expect(byName.get(`${alone.name}.json`)).toMatchObject({ status: 'processed', accepted: 0, rejected: 1 });
    expect(JSON.stringify(byName.get(`${alone.name}.json`)?.lines)).toContain('3001');
    // The bundles' own Powertools wrote the logs, each from its own bundle, not from the sources.
    const logs = (await readFile(join(out, 'pipeline.log'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const services = new Set(logs.map((line) => line.service));
    expect([...services]).toEqual(expect.arrayContaining(['intake', 'judge', 'notify', 'sweeper']));
    expect(logs.filter((line) => line.level === 'ERROR')).toEqual([]);
  });

  it('refuses a folder that is not a synthesis with bundles, in French', async () => {
    await expect(synthesizedFunctions(join(ROOT, 'events'))).rejects.toThrow(
      /un seul modèle \*\.template\.json attendu/,
    );
  });
});
