import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** ../shared beside the checkout: present in CI, absent on a user's fresh clone. */
export const SHARED = resolve(process.cwd(), '../shared');
export const DATASETS = resolve(SHARED, 'datasets');
export const hasDatasets = existsSync(DATASETS);

if (!hasDatasets) {
  // Say it loudly: the tests that need the corpora are skipped, not passed.
  process.stderr.write(`[toxguard tests] ${DATASETS} not found: tests that need the shared corpora are SKIPPED\n`);
}
