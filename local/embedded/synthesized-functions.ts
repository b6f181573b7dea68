import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../cli-io';

export type FunctionName = 'intake' | 'judge' | 'notify' | 'sweeper';

/** The functions' logical ids in the stack (construct ids + CDK's 8-character hash). */
const LOGICAL_IDS: Record<FunctionName, RegExp> = {
  intake: /IntakeFunction[0-9A-F]{8}$/,
  judge: /JudgeFunction[0-9A-F]{8}$/,
  notify: /NotifyFunction[0-9A-F]{8}$/,
  sweeper: /SweeperFunction[0-9A-F]{8}$/,
};

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: { readonly Code?: { readonly S3Key?: unknown } };
}

/**
 * The bundles `cdk synth` wrote for the four functions (`<cdk.out>/asset.<hash>/index.js`, the hash
 * read from each function's S3Key in the template): the artefacts AWS will run, so that the
 * embedded stack can run them instead of the sources (`traiter --cdk-out`).
 */
export async function synthesizedFunctions(cdkOut: string): Promise<Record<FunctionName, string>> {
  const templates = (await readdir(cdkOut).catch(() => [] as string[])).filter((name) =>
    name.endsWith('.template.json'),
  );
  if (templates.length !== 1)
    throw new UsageError(
      `${cdkOut} : un seul modèle *.template.json attendu (sortie de « npm run synth »), ${templates.length} trouvé(s)`,
    );
  const template = JSON.parse(await readFile(join(cdkOut, templates[0] as string), 'utf8')) as {
    Resources: Record<string, TemplateResource>;
  };
  const functions = Object.entries(template.Resources).filter(
    ([, resource]) => resource.Type === 'AWS::Lambda::Function',
  );
  const bundles: Partial<Record<FunctionName, string>> = {};
  for (const [name, pattern] of Object.entries(LOGICAL_IDS) as Array<[FunctionName, RegExp]>) {
    const key = functions.find(([id]) => pattern.test(id))?.[1].Properties?.Code?.S3Key;
    if (typeof key !== 'string')
      throw new UsageError(`${cdkOut} : la fonction ${name} n'a pas de paquet (synthèse sans empaquetage ?)`);
    const bundle = join(cdkOut, `asset.${key.replace(/\.zip$/, '')}`, 'index.js');
    await access(bundle).catch(() => {
      throw new UsageError(`${cdkOut} : paquet de la fonction ${name} introuvable (${bundle})`);
    });
    bundles[name] = bundle;
  }
  return bundles as Record<FunctionName, string>;
}
