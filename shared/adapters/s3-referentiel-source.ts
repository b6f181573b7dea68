import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PREFIXES } from '../config/resources';
import type { Referentiel } from '../domain/referentiel';
import { validateReferentiel } from '../domain/referentiel-validation';
import { SourceReadError } from '../errors';
import type { ReferentielSource } from '../pipeline/ports';

/**
 * The référentiel from config/referentiel.json, cached for a short while: operators' changes apply
 * within a minute, and a burst of judgements reads it once. An invalid file is a fault (alarm).
 */
export class S3ReferentielSource implements ReferentielSource {
  private cached: { at: number; value: Referentiel | undefined } | undefined;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly ttlMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async load(): Promise<Referentiel | undefined> {
    if (this.cached && this.clock() - this.cached.at < this.ttlMs) return this.cached.value;
    let text: string;
    try {
      const response = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: PREFIXES.referentiel }),
      );
      text = (await response.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') {
        this.cached = { at: this.clock(), value: undefined };
        return undefined;
      }
      throw new SourceReadError(`référentiel s3://${this.bucket}/${PREFIXES.referentiel} illisible`, {
        cause: error,
      });
    }
    const outcome = validateReferentiel(JSON.parse(text));
    if (!outcome.ok) throw new SourceReadError(`référentiel invalide : ${outcome.errors.join(' ; ')}`);
    this.cached = { at: this.clock(), value: outcome.referentiel };
    return outcome.referentiel;
  }
}
