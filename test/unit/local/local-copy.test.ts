import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localPathFor, writeLocalCopy } from '../../../local/local-copy';
import { refusalKey } from '../../../shared/pipeline/refusal';
import { parseDepositKey } from '../../../shared/pipeline/submission-key';

/** Every key becomes a path inside its folder, or nothing; a local file is never overwritten. */
const SIRET = '88558855858745';

describe('localPathFor', () => {
  it.each([
    [`${SIRET}/avance/../../../../x.txt`, '« .. » dans le chemin'],
    ['/etc/passwd', 'chemin absolu'],
    [`${SIRET}//avance/x.json`, 'dossier vide'],
    [`${SIRET}/avance/a\\..\\..\\x`, 'barre oblique inverse'],
    [`${SIRET}/avance/x\u001b[2J.json`, 'caractère de contrôle'],
    [`${SIRET}/avance/${'é'.repeat(122)}.json`, 'nom de plus de 200 octets'],
  ])('refuses « %s » with the reason (%s)', (key, reason) => {
    const outcome = localPathFor('/tmp/sortie', key);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toContain(reason);
  });

  it('maps an ordinary key inside the folder', () => {
    expect(localPathFor('/tmp/sortie', `${SIRET}/avance/JSON-1.json`)).toEqual({
      ok: true,
      path: `/tmp/sortie/${SIRET}/avance/JSON-1.json`,
    });
  });
});

describe('writeLocalCopy', () => {
  it('writes, leaves the same bytes alone, and keeps a different local file, the new one beside it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'segur-copy-'));
    const key = `${SIRET}/avance/JSON-1.rapport.json`;
    expect((await writeLocalCopy(root, key, Buffer.from('v1'))).status).toBe('written');
    expect((await writeLocalCopy(root, key, Buffer.from('v1'))).status).toBe('unchanged');
    const changed = await writeLocalCopy(root, key, Buffer.from('v2'));
    expect(changed).toMatchObject({
      status: 'kept-beside',
      path: join(root, SIRET, 'avance', 'JSON-1.rapport.v2.json'),
    });
    expect(await readFile(join(root, key), 'utf8')).toBe('v1');
    expect((await writeLocalCopy(root, key, Buffer.from('v2'))).status).toBe('unchanged');
    expect((await readdir(join(root, SIRET, 'avance'))).sort()).toEqual([
      'JSON-1.rapport.json',
      'JSON-1.rapport.v2.json',
    ]);
  });

  it('skips a key that cannot be a path, writing nothing anywhere', async () => {
    const root = await mkdtemp(join(tmpdir(), 'segur-copy-'));
    const outcome = await writeLocalCopy(
      join(root, 'out'),
      `${SIRET}/avance/../../../evil.txt`,
      Buffer.from('x'),
    );
    expect(outcome.status).toBe('skipped');
    expect(await readdir(root)).toEqual([]);
  });
});

describe('deposit keys and refusals', () => {
  it('refuses a key climbing out of its folder, and answers it in its own SIRET folder, never the one its .. names', () => {
    const key = `depot/${SIRET}/avance/../../11111111111111/avance/JSON-1234567890-20220315-001.json`;
    const parsed = parseDepositKey(key);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain('« .. » dans le chemin');
    const refusal = refusalKey(key);
    expect(refusal).toMatch(
      new RegExp(`^retour/${SIRET}/refus/JSON-1234567890-20220315-001\\.json-[0-9a-f]{12}\\.refus\\.json$`),
    );
    expect(refusal.split('/')).not.toContain('..');
  });

  it('answers a name too long for a file system under a short one', () => {
    const key = `depot/${SIRET}/avance/JSON-${'9'.repeat(240)}.json`;
    expect(parseDepositKey(key).ok).toBe(false);
    const refusal = refusalKey(key);
    expect(refusal.split('/').every((segment) => Buffer.byteLength(segment) <= 200)).toBe(true);
    expect(refusal.startsWith(`retour/${SIRET}/refus/`)).toBe(true);
  });
});
