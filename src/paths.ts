import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The checkout or installed package root (works from src/ under tsx and from dist/ when built). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where named models live: `models/<name>/model.json`. */
export function modelsDir(): string {
  return process.env.TOXGUARD_MODELS_DIR ? resolve(process.env.TOXGUARD_MODELS_DIR) : resolve(PACKAGE_ROOT, 'models');
}

/** Where training runs are recorded. */
export function runsDir(): string {
  return process.env.TOXGUARD_RUNS_DIR ? resolve(process.env.TOXGUARD_RUNS_DIR) : resolve(process.cwd(), 'runs');
}
