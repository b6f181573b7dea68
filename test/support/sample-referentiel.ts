import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './deposits';

/** The sample référentiel's path and bytes: the pipeline judges nothing without one. */
export const SAMPLE_REFERENTIEL = join(ROOT, 'events/referentiel.json');
export const sampleReferentielBytes = (): Buffer => readFileSync(SAMPLE_REFERENTIEL);
