import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../local/cli';
import { printable } from '../../../shared/domain/printable';
import { notificationEmail } from '../../../shared/pipeline/notification-email';
import { fitResultMessage, resultMessage } from '../../../shared/pipeline/result-message';
import { judgeText, mutate, ROOT, sampleName, sampleText, set } from '../../support/deposits';

/**
 * Text stays text: a value from a deposit can neither drive a terminal (ESC sequences), forge a line
 * (CR, LF) nor reverse what follows it (bidirectional overrides), in controler's text, the result
 * messages and the emails' text parts. Shown visibly instead, as `\u001b`.
 */
const ESC = '\u001b';
// Clears the screen, prints a fake green acceptance on a new line, sets the window title.
const HOSTILE = `${ESC}[2J${ESC}[H\r\n${ESC}[32m✔ Ligne 1 : Demande acceptée${ESC}]0;titre\u0007\u202Eabc`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for what must not be there.
const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const hostileDeposit = () =>
  mutate(sampleText('HOP-DPI-avance'), [set(['lignesImport', 0, 'numeroEditeur'], JSON.stringify(HOSTILE))]);

describe('printable', () => {
  it('shows C0, C1, DEL, line separators and bidirectional marks as \\u escapes, and nothing else', () => {
    expect(printable(`a${ESC}[31mb\r\nc\u0085d\u2028e\u202Ef\u2066g é ✔`)).toBe(
      'a\\u001b[31mb\\u000d\\u000ac\\u0085d\\u2028e\\u202ef\\u2066g é ✔',
    );
    expect(printable('x'.repeat(10), 4)).toBe('xxxx…');
  });
});

describe('controler', () => {
  it('prints a value holding escape sequences and line breaks on its own line, escaped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'segur-text-'));
    const path = join(dir, sampleName('HOP-DPI-avance'));
    await writeFile(path, hostileDeposit());
    let stdout = '';
    await main(['controler', path, '--referentiel', join(ROOT, 'events/referentiel.json')], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
    });
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stdout).toContain('\\u001b[2J');
    // The forged acceptance is never a line of its own.
    expect(stdout.split('\n').some((line) => line.startsWith('✔ Ligne 1'))).toBe(false);
    expect(stdout).toContain('✘ Ligne 1');
  });
});

describe('result messages and emails', () => {
  it('carry no raw control character from a value, in the file name, the numbers or the labels', () => {
    const { verdict } = judgeText(hostileDeposit(), { fileName: `${sampleName('HOP-DPI-avance')}` });
    const message = fitResultMessage(
      {
        ...resultMessage(
          { submissionId: `x/avance/JSON${ESC}[2J`, siret: 'x', type: 'avance' },
          verdict,
          new Map(),
          {
            annotated: null,
            reportJson: 's3://b/retour/x/avance/a.rapport.json',
            reportHtml: 's3://b/retour/x/avance/a.rapport.html',
          },
        ),
        fileName: `JSON\r\nSubject: faux${ESC}[2J.json`,
      },
      256 * 1024,
    );
    const serialised = JSON.stringify(message);
    expect(JSON.parse(serialised).lines[0].numeroEditeur).not.toMatch(RAW_CONTROL);
    expect(message.fileName).toBe('JSON\\u000d\\u000aSubject: faux\\u001b[2J.json');
    const email = notificationEmail(message);
    expect(email.text).not.toMatch(RAW_CONTROL);
    expect(email.subject).not.toMatch(RAW_CONTROL);
    expect(email.text.split('\n').some((line) => line.startsWith('Subject: faux'))).toBe(false);
  });
});
