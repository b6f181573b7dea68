import { GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isoParisDay } from '../../shared/adapters/day-index';
import { runCli } from '../support/cli';
import { SIRET } from '../support/deposits';
import { hopDeposit, waitFor } from '../support/embedded-deposits';
import { useEmbeddedStack } from '../support/embedded-stack';
import { mockAssumeRole } from '../support/sts';

/**
 * The operators' view of deposits on the embedded stack: `lister-soumissions` by day, SIRET, status
 * and profile (queries on the day index, never a scan), `montrer-soumission`'s whole story, and
 * `rejouer-dlq`.
 */
const embedded = useEmbeddedStack('operators');
const OTHER_SIRET = '11111111111111';
const options = () => [
  '--endpoint',
  embedded.stack.endpoints.aws,
  '--dynamodb-endpoint',
  embedded.stack.endpoints.dynamodb,
];

describe('lister-soumissions and montrer-soumission', () => {
  let accepted: Awaited<ReturnType<typeof hopDeposit>>;
  let rejected: Awaited<ReturnType<typeof hopDeposit>>;

  beforeAll(async () => {
    const { stack } = embedded;
    // Judged: one line accepted (a numeroASP), one rejected (its documents missing from the zip).
    accepted = await hopDeposit('501', ['V0001', 'V0002']);
    const zipOfFirst = await hopDeposit('501', ['V0001']);
    await stack.upload(`depot/${SIRET}/avance/${accepted.name}.zip`, zipOfFirst.zip);
    await stack.upload(`depot/${SIRET}/avance/${accepted.name}.json`, accepted.json);
    await embedded.endGracePeriod(accepted.id, [`${accepted.name}.zip`]);
    await embedded.idle();
    // Re-sent under the judged name: refused (1052), the verdict stands.
    await stack.upload(
      `depot/${SIRET}/avance/${accepted.name}.json`,
      (await hopDeposit('501', ['V0003'])).json,
    );
    // Rejected at control 1 (its header names another SIRET than its folder), from another vendor.
    rejected = await hopDeposit('502', ['V0004']);
    await stack.upload(`depot/${OTHER_SIRET}/avance/${rejected.name}.json`, rejected.json);
    await stack.upload(`depot/${OTHER_SIRET}/avance/${rejected.name}.zip`, rejected.zip);
    await embedded.endGracePeriod(`${OTHER_SIRET}/avance/${rejected.name}`, [`${rejected.name}.zip`]);
    // Refused before any submission: a file outside the naming scheme.
    await stack.upload(`depot/${SIRET}/avance/notes.txt`, Buffer.from('bonjour'));
    // Waiting: a zip whose JSON has not come yet.
    await stack.upload(`depot/${SIRET}/avance/JSON-1234567890-20220315-503.zip`, zipOfFirst.zip);
    await embedded.idle();
  });

  it('lists the day’s submissions with their status, counts, codes, numbers, files and returns (Paris day)', async () => {
    const result = await runCli(['lister-soumissions', ...options()]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Soumissions du \d\d\/\d\d\/\d{4} \(heure de Paris\) : 4\n/);
    const block = blockOf(result.stdout, accepted.id);
    expect(block).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d {2}/);
    expect(block).toContain('traitée  HOP-DPI-avance  1 acceptée(s), 1 rejetée(s)  n° ASP FINHOP');
    expect(block).toContain('codes : 1052');
    expect(block).toContain(`fichiers : ${accepted.name}.json, ${accepted.name}.zip`);
    expect(block).toContain(`retours : retour/${SIRET}/avance/${accepted.name}.json`);
    expect(block).toContain(`retour/${SIRET}/avance/${accepted.name}.json.refus.json`);
    expect(blockOf(result.stdout, `${OTHER_SIRET}/avance/${rejected.name}`)).toMatch(
      /rejetée \(contrôle 1\) {2}HOP-DPI-avance[\s\S]*codes : 1\d{3}/,
    );
    expect(blockOf(result.stdout, `${SIRET}/avance/JSON-1234567890-20220315-503`)).toContain('en attente');
    expect(blockOf(result.stdout, `${SIRET}/avance/notes.txt`)).toMatch(
      /refusée\n {4}codes : 1\d{3}\n {4}retours : retour\/88558855858745\/avance\/notes\.txt\.refus\.json/,
    );
  });

  it('filters by SIRET, status and profile, and says when nothing matches', async () => {
    const other = await runCli(['lister-soumissions', '--siret', OTHER_SIRET, ...options()]);
    expect(other.stdout).toContain(`, SIRET ${OTHER_SIRET} : 1\n`);
    expect(other.stdout).not.toContain(accepted.id);
    const waiting = await runCli(['lister-soumissions', '--statut', 'en-attente', ...options()]);
    expect(waiting.stdout).toContain(', en attente : 1\n');
    expect(waiting.stdout).toContain('JSON-1234567890-20220315-503');
    const hop = await runCli(['lister-soumissions', '--profil', 'HOP-DPI', ...options()]);
    expect(hop.stdout).toContain(', profil HOP-DPI : 2\n');
    const bio = await runCli(['lister-soumissions', '--profil', 'BIO-SGL', ...options()]);
    expect(bio.stdout).toContain(', profil BIO-SGL : 0\n');
    const yesterday = isoParisDay(new Date(Date.now() - 2 * 86_400_000));
    const before = await runCli(['lister-soumissions', '--jour', yesterday, ...options()]);
    expect(before).toMatchObject({ code: 0, stdout: expect.stringMatching(/ : 0\n$/) });
  });

  it('gives scripts JSON, and reads only the day index and the listed submissions (no scan)', async () => {
    // Spied, not replaced: the commands go to the embedded DynamoDB as they would to AWS.
    const send = jest.spyOn(DynamoDBDocumentClient.prototype, 'send');
    try {
      const result = await runCli(['lister-soumissions', '--format', 'json', ...options()]);
      expect(result.code).toBe(0);
      const listing = JSON.parse(result.stdout);
      expect(listing.jours).toEqual([isoParisDay(new Date())]);
      const row = listing.soumissions.find((candidate: { id: string }) => candidate.id === accepted.id);
      expect(row).toMatchObject({
        status: 'traitee',
        profile: 'HOP-DPI-avance',
        accepted: 1,
        rejected: 1,
        codes: ['1052'],
        numerosAsp: { count: 1 },
      });
      const sent = send.mock.calls.map(([command]) => (command as object).constructor.name);
      expect(sent).not.toContain('ScanCommand');
      // One query on the index, then one per submission listed.
      expect(sent.filter((name) => name === 'QueryCommand')).toHaveLength(1 + 4);
    } finally {
      send.mockRestore();
    }
  });

  it('montrer-soumission tells one submission’s story: arrivals, judgement, numbers, returns, emails', async () => {
    const result = await runCli(['montrer-soumission', accepted.id, ...options()]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`Soumission ${accepted.id}`);
    expect(result.stdout).toMatch(/première arrivée le \d\d\/\d\d\/\d{4} à \d\d h \d\d \(heure de Paris\)/);
    expect(result.stdout).toMatch(
      new RegExp(
        `Arrivées :\\n  \\d\\d/.* depot/${SIRET}/avance/${accepted.name}\\.json  \\(ETag [0-9a-f]+, \\d+ octets\\)`,
      ),
    );
    expect(result.stdout).toContain(`depot/${SIRET}/avance/${accepted.name}.zip`);
    expect(result.stdout).toMatch(/Jugements :\n {2}[0-9a-f]{32} {2}terminé/);
    expect(result.stdout).toMatch(
      /jugement : 1 acceptée\(s\), 1 rejetée\(s\) \(HOP-DPI-avance\)\n {4}ligne 1 \(n° éditeur V0001\) : FINHOP\d{6}/,
    );
    expect(result.stdout).toMatch(/\d\d h \d\d \(heure de Paris\) {2}refus, codes 1052/);
    const json = JSON.parse(
      (await runCli(['montrer-soumission', accepted.id, '--format', 'json', ...options()])).stdout,
    );
    expect(json.outcomes.map((outcome: { outcome: string }) => outcome.outcome)).toEqual([
      'jugement',
      'refus',
    ]);
  });

  it('says in French what is wrong with its options, before asking AWS anything', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--jour', '2026-02-30'], /--jour 2026-02-30 : une date AAAA-MM-JJ attendue/],
      [['--du', '2026-01-01', '--au', '2026-03-01'], /60 jours demandés : 31 au plus/],
      [['--au', '2026-01-01'], /--au sans --du/],
      [['--siret', '123'], /--siret 123 : 14 chiffres attendus/],
      [['--statut', 'payee'], /--statut payee inconnu : en-attente, traitee/],
      [['--profil', 'XYZ'], /--profil XYZ inconnu : MDV-LGC-avance/],
      [['--format', 'xml'], /--format xml : text ou json/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['lister-soumissions', ...args, '--endpoint', 'http://127.0.0.1:9']);
      expect({ args, code: result.code, stderr: result.stderr }).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(message),
      });
    }
    const unknown = await runCli(['montrer-soumission', `${SIRET}/avance/JSON-inconnu`, ...options()]);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('inconnue') });
  });
});

/** The block of lines of one submission in the text listing. */
function blockOf(listing: string, id: string): string {
  const blocks = listing.split(/\n(?=\d\d\/)/);
  const block = blocks.find((candidate) => candidate.includes(`  ${id}  `));
  if (!block) throw new Error(`${id} absente de :\n${listing}`);
  return block;
}

describe('rejouer-dlq', () => {
  it('shows a dead letter without moving it (--essai), then puts it back in its queue, where it is handled', async () => {
    const { stack } = embedded;
    // A JSON whose zip never came: it waits for its grace period to end.
    const waiting = await hopDeposit('504', ['W0001']);
    await stack.upload(`depot/${SIRET}/avance/${waiting.name}.json`, waiting.json);
    await embedded.idle();
    // The request that ended it failed every attempt (a fault since repaired): it rests in the judge's DLQ.
    const sqs = stack.clients.sqs;
    const { QueueUrl: dlq } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'segur-judge-dlq' }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: JSON.stringify({ submissionId: waiting.id, reason: 'grace-period' }),
      }),
    );
    const results = stack.results.length;

    const dry = await runCli(['rejouer-dlq', 'judge', '--essai', ...options()]);
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toMatch(
      new RegExp(
        `^1 message\\(s\\) dans segur-judge-dlq \\(essai : rien n'a bougé ; sans --essai, ils retournent dans segur-judge\\) :\\n  jugement de ${waiting.id} \\(grace-period\\) — reçu 1 fois, envoyé le \\d\\d/\\d\\d/\\d{4} à \\d\\d h \\d\\d \\(heure de Paris\\)\\n$`,
      ),
    );
    // Still there, visible at once: a second dry run reads it again.
    expect((await runCli(['rejouer-dlq', 'judge', '--essai', ...options()])).stdout).toContain(waiting.id);
    expect(stack.results.length).toBe(results);

    const moved = await runCli(['rejouer-dlq', 'judge', ...options()]);
    expect(moved.stdout).toMatch(/^1 message\(s\) remis dans segur-judge :\n/);
    await waitFor('le jugement rejoué', () => stack.results.length > results);
    expect(stack.results.slice(results).map((result) => result.submissionId)).toEqual([waiting.id]);
    expect((await runCli(['rejouer-dlq', 'judge', '--essai', ...options()])).stdout).toBe(
      'aucun message dans la file de lettres mortes segur-judge-dlq\n',
    );
  });

  it('describes what it cannot read, and keys with control characters printably, never raw', async () => {
    const sqs = embedded.stack.clients.sqs;
    const urlOf = async (name: string) =>
      (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    await sqs.send(
      new SendMessageCommand({ QueueUrl: await urlOf('segur-results-dlq'), MessageBody: '{pas du JSON' }),
    );
    const key = encodeURIComponent(`depot/${SIRET}/avance/\u001b[31mrouge.json`);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: await urlOf('segur-intake-dlq'),
        MessageBody: JSON.stringify({
          Records: [{ s3: { object: { key } } }, { s3: { object: { key: '%E0%A4%A' } } }],
        }),
      }),
    );
    const results = await runCli(['rejouer-dlq', 'results', '--essai', ...options()]);
    expect(results.stdout).toContain('  message illisible (12 octets) — reçu 1 fois');
    const intake = await runCli(['rejouer-dlq', 'intake', '--essai', ...options()]);
    expect(intake.stdout).toContain(
      `dépôt depot/${SIRET}/avance/\\u001b[31mrouge.json, %E0%A4%A — reçu 1 fois`,
    );
    expect(intake.stdout).not.toContain('\u001b');
  });

  it('names the queues it knows, in French', async () => {
    const result = await runCli(['rejouer-dlq', 'jugement', ...options()]);
    expect(result).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('file « jugement » inconnue : intake, judge, results'),
    });
  });
});

describe('the operators’ role', () => {
  it('runs a command in a session of the role given by --role-arn, and says in French when it is refused', async () => {
    const sts = mockAssumeRole('ASIAOPS');
    const roleArn = 'arn:aws:iam::123456789012:role/segur-exploitation';
    try {
      const listed = await runCli(['lister-soumissions', '--role-arn', roleArn, ...options()]);
      expect(listed).toMatchObject({ code: 0, stderr: '' });
      expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
        RoleArn: roleArn,
        RoleSessionName: expect.stringMatching(/^exploitation-[\w+=,.@-]{1,51}$/),
        DurationSeconds: 3600,
      });
      sts.reset();
      sts.on(AssumeRoleCommand).rejects(new Error('User is not authorized to perform: sts:AssumeRole'));
      const refused = await runCli(['rejouer-dlq', 'judge', '--essai', '--role-arn', roleArn, ...options()]);
      expect(refused).toMatchObject({
        code: 2,
        stderr: `segur-pipeline : rôle ${roleArn} refusé : User is not authorized to perform: sts:AssumeRole (votre identité a-t-elle le droit sts:AssumeRole sur ce rôle ?)\n`,
      });
    } finally {
      sts.restore();
    }
  });
});
