import { PROFILES } from '../shared/domain/profiles';
import { depositSchema } from '../shared/domain/schema/deposit-schema';

/** `npm run schemas`: each profile's JSON Schema size and the rules only controler checks. */
for (const profile of Object.values(PROFILES)) {
  const { schema, unexpressed } = depositSchema(profile);
  const bytes = Buffer.byteLength(JSON.stringify(schema, null, 2));
  console.log(
    `\n== ${profile.id} : ${(bytes / 1024).toFixed(1)} Ko, ${unexpressed.length} règle(s) hors du schéma ==`,
  );
  for (const item of unexpressed)
    console.log(`- ${item.field || '(la demande ou le fichier)'} : ${item.rule}`);
}
