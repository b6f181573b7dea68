import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { runOps } from '../../local/ops-commands';
import { runDeposit, runFetch } from '../../local/vendor-commands';
import { BUCKETS } from '../../shared/config/resources';
import { ROOT, SIRET } from '../support/deposits';
import { hopDeposit, waitFor } from '../support/embedded-deposits';
import { useEmbeddedStack } from '../support/embedded-stack';
import { mockAssumeRole } from '../support/sts';
import { makeZip } from '../support/zips';

/**
 * The vendors' commands against the embedded stack: a vendor deposits a JSON and its zip, waits
 * for the verdict and gets its returns; what would go to another SIRET's folder is refused before
 * anything is sent (on AWS, the role's policies and the buckets' refuse it too: test/infra).
 */
const embedded = useEmbeddedStack('vendor', { notifyExternalWrites: true });

function io() {
  const output = { stdout: '', stderr: '' };
  return {
    output,
    io: {
      stdout: { write: (text: string) => (output.stdout += text) },
      stderr: { write: (text: string) => (output.stderr += text) },
      colour: false,
    },
  };
}

const endpoint = () => ['--endpoint', embedded.stack.endpoints.aws];

async function depositedKeys(): Promise<string[]> {
  const { Contents } = await embedded.stack.clients.s3.send(
    new ListObjectsV2Command({ Bucket: BUCKETS.input }),
  );
  return (Contents ?? []).map((object) => object.Key as string);
}

describe('segur-pipeline deposer and recuperer', () => {
  it('deposits the zip then the JSON under depot/<SIRET>/<type>/, waits for the verdict and copies the returns', async () => {
    const sample = 'events/drop/88558855858745/avance/JSON-3456789012-20221104-001';
    const out = join(embedded.dir, 'retour-1');
    const { io: cli, output } = io();
    const code = await runDeposit(
      [
        join(ROOT, `${sample}.json`),
        '--zip',
        join(ROOT, `${sample}.zip`),
        '--siret',
        SIRET,
        '--attendre',
        '--delai',
        '60',
        '--out',
        out,
        ...endpoint(),
      ],
      cli,
      { pollSeconds: 0.2 },
    );
    expect(output.stderr).toBe('');
    expect(code).toBe(0);
    expect(output.stdout).toContain(
      `déposé : s3://${BUCKETS.input}/depot/${SIRET}/avance/JSON-3456789012-20221104-001.zip`,
    );
    expect(output.stdout).toContain(
      '✔ JSON-3456789012-20221104-001.json : 2 demande(s) acceptée(s), 0 rejetée(s) sur 2',
    );
    const returned = await readdir(join(out, SIRET, 'avance'));
    expect(returned.sort()).toEqual([
      'JSON-3456789012-20221104-001.json',
      'JSON-3456789012-20221104-001.rapport.html',
      'JSON-3456789012-20221104-001.rapport.json',
    ]);
    const annotated = JSON.parse(
      await readFile(join(out, SIRET, 'avance', 'JSON-3456789012-20221104-001.json'), 'utf8'),
    );
    expect(annotated.lignesImport[0].codeTraitement).toBe('0000');

    // The same file sent again: no second sending, the first deposit's verdict at once.
    const twice = io();
    const again2 = await runDeposit(
      [
        join(ROOT, `${sample}.json`),
        '--siret',
        SIRET,
        '--attendre',
        '--delai',
        '30',
        '--out',
        out,
        ...endpoint(),
      ],
      twice.io,
      { pollSeconds: 0.2 },
    );
    expect(again2).toBe(0);
    expect(twice.output.stdout).toMatch(/déjà déposé à l'identique le .* : pas de second envoi/);
    expect(twice.output.stdout).toContain('✔ JSON-3456789012-20221104-001.json : 2 demande(s) acceptée(s)');

    // recuperer: everything of the SIRET, once; a second run finds nothing new.
    const fetched = io();
    expect(
      await runFetch(['--siret', SIRET, '--out', join(embedded.dir, 'all'), ...endpoint()], fetched.io),
    ).toBe(0);
    expect(fetched.output.stdout).toContain('3 fichier(s) copié(s)');
    const again = io();
    expect(
      await runFetch(['--siret', SIRET, '--out', join(embedded.dir, 'all'), ...endpoint()], again.io),
    ).toBe(0);
    expect(again.output.stdout).toContain(`rien de nouveau dans retour/${SIRET}/`);
  });

  it('exits 1 with the counts when a line is rejected (its document missing from the zip)', async () => {
    const deposit = await hopDeposit('201', ['A0001', 'A0002']);
    const folder = join(embedded.dir, 'hop');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `${deposit.name}.json`), deposit.json);
    // The second line's documents are left out: that line is rejected, the first accepted.
    await writeFile(
      join(folder, `${deposit.name}.zip`),
      await makeZip(deposit.documents.filter((entry) => entry.name.includes('A0001'))),
    );
    const { io: cli, output } = io();
    const deposited = runDeposit(
      [
        join(folder, `${deposit.name}.json`),
        '--zip',
        join(folder, `${deposit.name}.zip`),
        '--siret',
        SIRET,
        '--type',
        'avance',
        '--attendre',
        '--delai',
        '120',
        '--out',
        join(embedded.dir, 'retour-2'),
        ...endpoint(),
      ],
      cli,
      { pollSeconds: 0.2 },
    );
    // A document is missing: the submission waits for its grace period, which the test ends.
    await embedded.endGracePeriod(deposit.id, [`${deposit.name}.zip`]);
    const code = await deposited;
    expect(code).toBe(1);
    expect(output.stdout).toContain(`◐ ${deposit.name}.json : 1 demande(s) acceptée(s), 1 rejetée(s) sur 2`);
  });

  it('sends a file over the size limit as it is, streamed, and reports its rejection at control 1', async () => {
    const folder = join(embedded.dir, 'enorme');
    await mkdir(folder, { recursive: true });
    const huge = join(folder, 'JSON-3456789012-20221104-009.json');
    await writeFile(huge, `{"x":"${'a'.repeat(12 * 1024 * 1024)}"}`);
    const { io: cli, output } = io();
    const code = await runDeposit(
      [
        huge,
        '--siret',
        SIRET,
        '--type',
        'avance',
        '--attendre',
        '--delai',
        '60',
        '--out',
        join(embedded.dir, 'r3'),
        ...endpoint(),
      ],
      cli,
      { pollSeconds: 0.2 },
    );
    expect(output.stdout).toContain('✘ JSON-3456789012-20221104-009.json : fichier rejeté au contrôle 1');
    expect(code).toBe(1);
  });

  it('refuses, before sending anything, a file whose header names another SIRET, a bad name or a foreign zip', async () => {
    const before = await depositedKeys();
    const other = join(embedded.dir, 'autre');
    await mkdir(other, { recursive: true });
    const sample = await readFile(
      join(ROOT, 'events/drop/88558855858745/avance/JSON-3456789012-20221104-001.json'),
      'utf8',
    );
    await writeFile(
      join(other, 'JSON-3456789012-20221104-002.json'),
      sample.replace(SIRET, '11111111111111'),
    );
    const attempts: Array<[string[], RegExp]> = [
      [
        [join(other, 'JSON-3456789012-20221104-002.json'), '--siret', SIRET],
        /porte le SIRET 11111111111111, pas 88558855858745/,
      ],
      [
        [join(ROOT, 'events/drop/88558855858745/avance/JSON-3456789012-20221104-001.json'), '--siret', '123'],
        /--siret « 123 » : 14 chiffres attendus/,
      ],
      [
        [
          join(ROOT, 'events/faulty/fichier-nom-hors-nomenclature/depot-avance.json'),
          '--siret',
          SIRET,
          '--type',
          'avance',
        ],
        /nom attendu JSON-/,
      ],
      [
        [
          join(ROOT, 'events/drop/88558855858745/avance/JSON-3456789012-20221104-001.json'),
          '--zip',
          join(ROOT, 'events/drop/88558855858745/avance/JSON-1234567890-20220315-001.zip'),
          '--siret',
          SIRET,
        ],
        /un \.zip porte le nom de son JSON/,
      ],
    ];
    for (const [args, message] of attempts) {
      const { io: cli } = io();
      await expect(runDeposit([...args, ...endpoint()], cli)).rejects.toThrow(message);
    }
    expect(await depositedKeys()).toEqual(before);
  });

  it('assumes the role with the SIRET as its only session tag when --role-arn is given', async () => {
    const sts = mockAssumeRole('ASIATEST');
    const { io: cli, output } = io();
    const roleArn = 'arn:aws:iam::123456789012:role/segur-fournisseur-depot';
    expect(
      await runFetch(
        ['--siret', SIRET, '--out', join(embedded.dir, 'role'), '--role-arn', roleArn, ...endpoint()],
        cli,
        {
          sts: new STSClient({ region: 'eu-west-3' }),
        },
      ),
    ).toBe(0);
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: roleArn,
      RoleSessionName: `fournisseur-${SIRET}`,
      DurationSeconds: 3600,
      Tags: [{ Key: 'siret', Value: SIRET }],
    });
    expect(output.stdout).toContain('copié(s)');
    sts.restore();
  });
});

describe('a corrected file re-sent under a judged name (the record holds)', () => {
  const outputKey = (name: string) => `retour/${SIRET}/avance/${name}`;
  const readOutput = async (key: string) => {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const response = await embedded.stack.clients.s3.send(
      new GetObjectCommand({ Bucket: BUCKETS.output, Key: key }),
    );
    return (await response.Body?.transformToString()) ?? '';
  };
  const write = async (folder: string, files: { name: string; json: Buffer; zip: Buffer }) => {
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `${files.name}.json`), files.json);
    await writeFile(join(folder, `${files.name}.zip`), files.zip);
    return [join(folder, `${files.name}.json`), '--zip', join(folder, `${files.name}.zip`)];
  };

  it('deposer refuses before sending, a direct upload is refused (1052), rejouer gives the same verdict, recuperer keeps local copies', async () => {
    const first = await hopDeposit('401', ['R0001']);
    const out = join(embedded.dir, 'resend');
    const sent = io();
    const args = [
      ...(await write(join(embedded.dir, 'v1'), first)),
      '--siret',
      SIRET,
      '--out',
      out,
      ...endpoint(),
    ];
    expect(await runDeposit([...args, '--attendre', '--delai', '60'], sent.io, { pollSeconds: 0.2 })).toBe(0);
    const accepted = await readOutput(outputKey(`${first.name}.json`));
    expect(JSON.parse(accepted).lignesImport[0].codeTraitement).toBe('0000');

    // The vendor corrects the file (another number, another zip) and sends it under the same name.
    const corrected = await hopDeposit('401', ['R0002']);
    const before = await depositedKeys();
    const refused = io();
    const correctedArgs = await write(join(embedded.dir, 'v2'), corrected);
    expect(await runDeposit([...correctedArgs, '--siret', SIRET, ...endpoint()], refused.io)).toBe(1);
    expect(refused.output.stderr).toContain(`${first.name} a déjà été jugé le`);
    expect(refused.output.stderr).toContain('JSON-1234567890-20220315-402.json');
    expect(refused.output.stdout).toBe('');
    expect(await depositedKeys()).toEqual(before);

    // Sent by other means anyway, zip first: both refused, the judged submission untouched.
    const results = embedded.stack.results.length;
    await embedded.stack.upload(`depot/${SIRET}/avance/${first.name}.zip`, corrected.zip);
    await embedded.stack.upload(`depot/${SIRET}/avance/${first.name}.json`, corrected.json);
    await waitFor('deux refus', () => embedded.stack.results.length >= results + 2);
    expect(embedded.stack.results.slice(results).map((result) => result.fileErrors[0]?.code)).toEqual([
      '1052',
      '1052',
    ]);
    expect(await embedded.stack.store.getSubmission(first.id)).toMatchObject({ status: 'judged' });
    expect(await readOutput(outputKey(`${first.name}.json`))).toBe(accepted);

    // rejouer: the recorded content (kept aside, this S3 has no versions), the same verdict and file.
    const replay = io();
    expect(
      await runOps(
        'rejouer',
        [first.id, ...endpoint(), '--dynamodb-endpoint', embedded.stack.endpoints.dynamodb],
        replay.io,
      ),
    ).toBe(0);
    expect(replay.output.stdout).toMatch(/Jugée le .* ; rejouée sur le contenu enregistré :/);
    expect(replay.output.stdout).toContain(`copie conservée archive/`);
    await waitFor('rejeu', () => embedded.stack.results.length >= results + 3);
    expect(embedded.stack.results.at(-1)?.lines[0]).toMatchObject({
      codeTraitement: '0000',
      numeroEditeur: 'R0001',
    });
    expect(await readOutput(outputKey(`${first.name}.json`))).toBe(accepted);

    // recuperer: the accepted copy stays; a local file the vendor changed is kept, the return beside it.
    const local = join(out, SIRET, 'avance', `${first.name}.json`);
    expect(await readFile(local, 'utf8')).toBe(accepted);
    await writeFile(local, 'modifié localement');
    const fetched = io();
    expect(await runFetch(['--siret', SIRET, '--out', out, ...endpoint()], fetched.io)).toBe(0);
    expect(await readFile(local, 'utf8')).toBe('modifié localement');
    expect(await readFile(join(out, SIRET, 'avance', `${first.name}.v2.json`), 'utf8')).toBe(accepted);
    expect(fetched.output.stdout).toContain(`conservé : ${local} (différent du retour publié)`);
    expect(fetched.output.stdout).toContain(`${first.name}.json.refus.json`);

    // The refused file used up nothing: the correction under a new number is accepted.
    const next = { ...corrected, name: 'JSON-1234567890-20220315-402' };
    const nextSent = io();
    const nextArgs = [
      ...(await write(join(embedded.dir, 'v3'), next)),
      '--siret',
      SIRET,
      '--out',
      out,
      ...endpoint(),
    ];
    expect(
      await runDeposit([...nextArgs, '--attendre', '--delai', '60'], nextSent.io, { pollSeconds: 0.2 }),
    ).toBe(0);
    expect(nextSent.output.stdout).toContain('1 demande(s) acceptée(s)');
  });
});

describe('deposer after a technical rejection', () => {
  it('sends a file under the name of a deposit that was only rejected technically (1060 is no judgement)', async () => {
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const deposit = await hopDeposit('451', ['W0001']);
    const folder = join(embedded.dir, 'technique');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `${deposit.name}.json`), deposit.json);
    await embedded.stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: BUCKETS.input,
        Key: `depot/${SIRET}/avance/${deposit.name}.json`,
        Body: '{}',
      }),
    );
    await embedded.stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: BUCKETS.output,
        Key: `retour/${SIRET}/avance/${deposit.name}.rapport.json`,
        Body: JSON.stringify({ fileErrors: [{ code: '1060' }] }),
      }),
    );
    const sent = io();
    expect(
      await runDeposit([join(folder, `${deposit.name}.json`), '--siret', SIRET, ...endpoint()], sent.io),
    ).toBe(0);
    expect(sent.output.stdout).toContain(
      `déposé : s3://${BUCKETS.input}/depot/${SIRET}/avance/${deposit.name}.json`,
    );
  });
});

describe('every path stays in its folder', () => {
  it('recuperer and the mirror copy every return but those whose key would leave the folder or is too long, and say why', async () => {
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const put = (key: string) =>
      embedded.stack.clients.s3.send(new PutObjectCommand({ Bucket: BUCKETS.output, Key: key, Body: 'x' }));
    const root = await mkdtemp(join(embedded.dir, 'paths-'));
    const out = join(root, 'out');
    await put(`retour/${SIRET}/avance/../../../../evade.txt`);
    await put(`retour/${SIRET}/avance/${'n'.repeat(244)}.json`);
    await put(`retour/${SIRET}/avance/zz-apres.json`);
    const fetched = io();
    expect(await runFetch(['--siret', SIRET, '--out', out, ...endpoint()], fetched.io)).toBe(0);
    expect(fetched.output.stdout).toContain('non copié : « .. » dans le chemin');
    expect(fetched.output.stdout).toContain('non copié : nom de plus de 200 octets');
    expect(await readFile(join(out, SIRET, 'avance', 'zz-apres.json'), 'utf8')).toBe('x');
    expect(await readdir(root)).toEqual(['out']);
    const failures: Array<{ key: string; reason: string }> = [];
    const mirror = join(root, 'miroir');
    await embedded.stack.mirrorOutputs(mirror, failures);
    expect(failures.map((failure) => failure.reason).join(' ')).toContain('« .. » dans le chemin');
    expect(await readFile(join(mirror, 'retour', SIRET, 'avance', 'zz-apres.json'), 'utf8')).toBe('x');
    expect((await readdir(root)).sort()).toEqual(['miroir', 'out']);
  });

  it('answers an upload whose key climbs into another SIRET in the uploader’s own folder', async () => {
    const other = '11111111111111';
    const results = embedded.stack.results.length;
    await embedded.stack.upload(
      `depot/${SIRET}/avance/../../${other}/avance/JSON-1234567890-20220315-901.json`,
      Buffer.from('{}'),
    );
    await waitFor('refus', () => embedded.stack.results.length > results);
    const refused = embedded.stack.results.at(-1);
    expect(refused).toMatchObject({ outcome: 'refus', siret: SIRET });
    expect(refused?.outputs.reportJson).toMatch(new RegExp(`/retour/${SIRET}/refus/`));
  });

  it('marquer-avance checks its number before any call, in French', async () => {
    const cli = io();
    await expect(
      runOps('marquer-avance', ['F'.repeat(5000), 'PAYEE', ...endpoint()], cli.io),
    ).rejects.toThrow('numéro ASP « FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF… » mal formé : attendu FIN');
  });
});
