import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PREFIXES } from '../config/resources';
import type { Referentiel } from '../domain/referentiel';
import { validateReferentiel } from '../domain/referentiel-validation';
import { ReferentielUnavailable } from '../errors';
import type { ReferentielSource } from '../pipeline/ports';

/**
 * The référentiel from config/referentiel.json, cached for a short while: operators' changes apply
 * within a minute, and a burst of judgements reads it once. Absent, unreadable or invalid, it is
 * `ReferentielUnavailable` (never cached): the judge then judges nothing.
 */
export class S3ReferentielSource implements ReferentielSource {
  private cached: { at: number; value: Referentiel } | undefined;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly ttlMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async load(): Promise<Referentiel> {
    if (this.cached && this.clock() - this.cached.at < this.ttlMs) return this.cached.value;
    const where = `s3://${this.bucket}/${PREFIXES.referentiel}`;
    let text: string;
    try {
      const response = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: PREFIXES.referentiel }),
      );
      text = (await response.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey')
        throw new ReferentielUnavailable('absent', `référentiel absent (${where})`, { cause: error });
      throw new ReferentielUnavailable('illisible', `référentiel illisible (${where})`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ReferentielUnavailable('invalide', `référentiel invalide (${where}) : JSON mal formé`, {
        cause: error,
      });
    }
    const outcome = validateReferentiel(parsed);
    if (!outcome.ok)
      throw new ReferentielUnavailable(
        'invalide',
        `référentiel invalide (${where}) : ${outcome.errors.join(' ; ')}`,
      );
    this.cached = { at: this.clock(), value: outcome.referentiel };
    return outcome.referentiel;
  }
}
