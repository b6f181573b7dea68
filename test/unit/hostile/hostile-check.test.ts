import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../local/cli';
import { MDV_FILE, paddedDeposit } from '../../support/hostile-inputs';

async function check(path: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(['check', path, '--format', 'json'], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stderr, result: stdout ? JSON.parse(stdout) : undefined };
}

describe('check reads no more than the 10 MiB cap', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'segur-hostile-check-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses /dev/zero after the cap + 1 byte (1004), instead of reading for ever', async () => {
    const { code, result } = await check('/dev/zero');
    expect(code).toBe(1);
    expect(result.fileErrors.map((error: { code: string }) => error.code)).toEqual(['1004']);
  });

  it('refuses a 12 MB deposit from its size (1004), naming that size', async () => {
    const path = join(dir, MDV_FILE);
    await writeFile(path, paddedDeposit(12 * 1024 * 1024));
    const { code, result } = await check(path);
    expect(code).toBe(1);
    expect(result.fileErrors[0].code).toBe('1004');
    expect(result.fileErrors[0].message).toContain(String(12 * 1024 * 1024));
  });

  it('says a folder is not a deposit (exit 2, one line)', async () => {
    const { code, stderr } = await check(dir);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('dossier');
  });
});
