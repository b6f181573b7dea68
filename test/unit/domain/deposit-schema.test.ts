import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { PROFILES } from '../../../shared/domain/profiles';
import type { ProfileId } from '../../../shared/domain/rules/line-environment';
import { depositSchema } from '../../../shared/domain/schema/deposit-schema';
import {
  judgeText,
  type Mutation,
  mutate,
  remove,
  repeatFirstLine,
  SAMPLES,
  sampleName,
  sampleText,
  set,
} from '../../support/deposits';
import { PROFILE_RULE_CASES } from './profile-rule-cases';

/**
 * The JSON Schemas agree with controler, both ways: whatever controler accepts validates, and
 * whatever breaks a rule the schema expresses is refused by both. The cases are those of every rule
 * of the four tables (profile-rule-cases.ts), not a few picked for the schema.
 */
const PROFILE_IDS = Object.keys(SAMPLES) as ProfileId[];

/** Strict mode, as vendors' validators would compile it; union types are the schema's nullables. */
function compile(profile: ProfileId) {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  return ajv.compile(depositSchema(PROFILES[profile]).schema);
}
const validators = new Map(PROFILE_IDS.map((profile) => [profile, compile(profile)]));

function schemaAccepts(profile: ProfileId, text: string): boolean {
  return (validators.get(profile) as ReturnType<typeof compile>)(JSON.parse(text));
}

/** Codes of the rules a schema says whole: their breach is refused by the schema too. */
const EXPRESSED = new Set([
  '2001', // absent
  '2002', // of another JSON type
  '2003', // not null where null is required
  '2004', // not false
  '2005', // not one of the values
  '2006', // not of the length
  '2007', // too long
  '2013', // blank
  '2014', // not digits
  '2016', // two spellings of one tag
  '2017', // filled where it must not be
  '2018', // not letters and digits
  '2020', // an empty list
  '2021', // a list where none may be (LIBERAL / STRUCTURE)
  '2026', // neither false nor null
  '2027', // a value in the wrong case
  '2040', // an unknown operateurMessagerie
]);

function controlerVerdict(profile: ProfileId, text: string, options = {}) {
  const { verdict } = judgeText(text, { fileName: sampleName(profile), ...options });
  const accepted = verdict.status === 'processed' && verdict.lines.every((line) => line.accepted);
  const codes = verdict.status === 'processed' ? verdict.lines.map((line) => line.codeTraitement) : [];
  return { accepted, codes, fileCodes: verdict.fileErrors.map((error) => error.code) };
}

describe('the JSON Schema of each profile', () => {
  it.each(PROFILE_IDS)('%s compiles in strict mode with a stable $id, JSON Schema 2020-12', (profile) => {
    const { schema } = depositSchema(PROFILES[profile]);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`urn:segur-numerique:depot:${profile}:1`);
    expect(() => compile(profile)).not.toThrow();
    // Generated, not written: the same rules give the same schema.
    expect(JSON.stringify(depositSchema(PROFILES[profile]).schema)).toBe(JSON.stringify(schema));
  });

  it.each(PROFILE_IDS)('%s validates its sample and a 200-line deposit, refuses 201 lines', (profile) => {
    expect(controlerVerdict(profile, sampleText(profile)).accepted).toBe(true);
    expect(schemaAccepts(profile, sampleText(profile))).toBe(true);
    expect(schemaAccepts(profile, repeatFirstLine(profile, 200))).toBe(true);
    expect(schemaAccepts(profile, repeatFirstLine(profile, 201))).toBe(false);
  });

  it.each(PROFILE_IDS)('%s describes every property in French', (profile) => {
    const { schema } = depositSchema(PROFILES[profile]);
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, unknown> }).properties;
      for (const [key, value] of Object.entries(properties ?? {})) {
        if (value === true) continue;
        const described = (value as { description?: string }).description;
        // Properties named in conditions (`if`) or in `then` branches only constrain.
        if (!described && !path.includes('/if') && !path.includes('/then') && !path.includes('/else'))
          missing.push(`${path}/${key}`);
        walk(value, `${path}/${key}`);
      }
      for (const [keyword, value] of Object.entries(node))
        if (keyword !== 'properties' && typeof value === 'object') walk(value, `${path}/${keyword}`);
    };
    walk(schema, '');
    expect(missing).toEqual([]);
    expect(JSON.stringify(schema)).toContain('Obligatoire');
  });
});

describe('agreement with controler over every rule case of the four tables', () => {
  const cases = PROFILE_IDS.flatMap((profile) =>
    PROFILE_RULE_CASES[profile].map((ruleCase) => [profile, ruleCase.name, ruleCase] as const),
  );
  it.each(cases)('%s: %s', (profile, _name, ruleCase) => {
    const text = mutate(sampleText(profile), ruleCase.mutations);
    const controler = controlerVerdict(profile, text, ruleCase.options);
    const schema = schemaAccepts(profile, text);
    if (controler.accepted) expect(schema).toBe(true);
    if (ruleCase.expect !== 'accepted' && EXPRESSED.has(ruleCase.expect[0])) {
      expect(controler.accepted).toBe(false);
      expect(schema).toBe(false);
    }
  });
});

describe('whatever controler accepts validates (property-based)', () => {
  /** Leaf values of any kind a vendor's tool could write. */
  const anyValue = fc.oneof(
    fc.constantFrom('null', 'true', 'false', '""', '" "', '0', '1.00', '-1.00', '"00001"', '"A"', '[]', '{}'),
    fc.string({ maxLength: 12 }).map((text) => JSON.stringify(text)),
    fc.integer({ min: 0, max: 99_999 }).map((cents) => (cents / 100).toFixed(2)),
  );

  it.each(PROFILE_IDS)(
    '%s: random changes to the sample either fail controler or pass the schema',
    (profile) => {
      const sample = JSON.parse(sampleText(profile));
      const leaves = leafPaths(sample.lignesImport[0]).map((path) => ['lignesImport', 0, ...path]);
      const mutation: fc.Arbitrary<Mutation> = fc.oneof(
        fc.tuple(fc.constantFrom(...leaves), anyValue).map(([path, raw]) => set(path, raw)),
        fc.constantFrom(...leaves).map((path) => remove(path)),
      );
      let acceptedByBoth = 0;
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
          let text: string;
          try {
            text = mutate(sampleText(profile), mutations);
          } catch {
            return; // two mutations of one path: not a deposit
          }
          if (!controlerVerdict(profile, text).accepted) return;
          acceptedByBoth++;
          expect(schemaAccepts(profile, text)).toBe(true);
        }),
        { numRuns: 300, seed: 20261203 },
      );
      // The property is not vacuous: some changed deposits stay valid.
      expect(acceptedByBoth).toBeGreaterThan(0);
    },
  );
});

function leafPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value))
    return value.length === 0
      ? [prefix]
      : value.flatMap((item, index) => leafPaths(item, [...prefix, index]));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0
      ? [prefix]
      : entries.flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  }
  return [prefix];
}
