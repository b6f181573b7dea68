import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository's root, from wherever this code runs: its sources (local/), the CLI bundle
 * (dist/) or a benchmark bundle (dist/run/). The first folder upwards holding a package.json.
 */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}
