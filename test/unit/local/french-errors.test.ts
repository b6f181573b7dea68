import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsErrorText } from '../../../local/aws-error-text';
import { runCli } from '../../support/cli';

/** What an operator reads when something goes wrong: French, what happened and what to do. */
const run = runCli;

describe('operators’ commands in French', () => {
  it('publier-referentiel names a syntax error’s place in French, and lists every invalid field at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'segur-ref-'));
    const broken = join(dir, 'casse.json');
    await writeFile(broken, '{"referencements": [ {"numeroAns": "123"  "siret": "1"} ]}');
    const syntax = await run(['publier-referentiel', broken]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain("n'est pas un JSON valide : « , » attendue (ligne 1, colonne 43)");
    expect(syntax.stderr).not.toMatch(/Unexpected|position \d+/);
    const invalid = join(dir, 'invalide.json');
    await writeFile(invalid, '{"referencements": [ {"numeroAns": "123", "siret": "1"} ], "avances": [{}]}');
    const listed = await run(['publier-referentiel', invalid]);
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain('invalide, 9 erreur(s) :');
    expect(listed.stderr).toContain('  - referencements[0].siret doit compter 14 chiffres');
    expect(listed.stderr).toContain('  - avances[0].statut est obligatoire');
  });

  it.each([
    [
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'identifiants AWS introuvables',
    ],
    [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      'service injoignable (ECONNREFUSED) : vérifiez --endpoint',
    ],
    [
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
      'accès refusé par AWS',
    ],
    [
      Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }),
      'compartiment S3 introuvable',
    ],
  ])('says %s in French', (error, text) => {
    expect(awsErrorText(error)).toContain(text);
  });
});
