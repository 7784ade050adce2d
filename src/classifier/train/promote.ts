// Promotion: a candidate model becomes the default only after it is compared with the active one
// on the same validation texts, and only if it is not worse (unless forced).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LABELS, type Label } from '../labels.js';
import type { Example } from '../corpora/index.js';
import type { Scorer } from '../scorer.js';
import { evaluateScorer } from '../evaluation-runs.js';
import { mean } from '../metrics.js';
import type { EvalReport } from '../evaluate.js';
import { modelsDir } from '../../paths.js';

export interface ModelComparison {
  active: { name: string; report: EvalReport };
  candidate: { name: string; report: EvalReport };
  /** Mean ROC-AUC over the (corpus, label) pairs, and per label over its pairs. */
  macro: { active: number; candidate: number; change: number };
  labels: { label: Label; active: number; candidate: number; change: number }[];
}

function perLabel(report: EvalReport, label: Label): number {
  return mean(report.pairs.filter((p) => p.label === label).map((p) => p.rocAuc));
}

export async function compareModels(active: Scorer, candidate: Scorer, validation: readonly Example[], options: { quiet?: boolean } = {}): Promise<ModelComparison> {
  if (validation.length === 0) throw new Error('no validation texts to compare the models on');
  const a = await evaluateScorer(active, validation, options);
  const c = await evaluateScorer(candidate, validation, options);
  return {
    active: { name: `${active.name}@${active.version}`, report: a },
    candidate: { name: `${candidate.name}@${candidate.version}`, report: c },
    macro: { active: a.macro.rocAuc, candidate: c.macro.rocAuc, change: c.macro.rocAuc - a.macro.rocAuc },
    labels: LABELS.map((label) => {
      const x = perLabel(a, label);
      const y = perLabel(c, label);
      return { label, active: x, candidate: y, change: y - x };
    }),
  };
}

export function formatComparison(cmp: ModelComparison): string {
  const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : '  -   ');
  const d = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(4)}` : '');
  const lines = [
    `ROC-AUC on the same validation texts (${cmp.active.report.pairs.length} corpus/label pairs)`,
    `${''.padEnd(16)} ${`active ${cmp.active.name}`.padEnd(30)} ${`candidate ${cmp.candidate.name}`.padEnd(30)} change`,
    `${'mean'.padEnd(16)} ${f(cmp.macro.active).padEnd(30)} ${f(cmp.macro.candidate).padEnd(30)} ${d(cmp.macro.change)}`,
  ];
  for (const l of cmp.labels) lines.push(`${l.label.padEnd(16)} ${f(l.active).padEnd(30)} ${f(l.candidate).padEnd(30)} ${d(l.change)}`);
  return lines.join('\n');
}

/** The config file promote writes: --config, TOXGUARD_CONFIG, else ./toxguard.config.json. */
export function configFilePath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(explicit ?? env.TOXGUARD_CONFIG ?? 'toxguard.config.json');
}

/** How the config should name a model folder: its name when it lives under models/, else its absolute path. */
export function modelSpecFor(dir: string): string {
  const abs = resolve(dir);
  const name = abs.split(/[\\/]/).pop() ?? abs;
  return resolve(join(modelsDir(), name)) === abs ? name : abs;
}

/** Sets the config key `model`, keeping every other key (and creating the file if needed). */
export function writeConfigModel(file: string, spec: string): void {
  let config: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      config = parsed as Record<string, unknown>;
    } catch (err) {
      throw new Error(`config file ${file} is not valid JSON (${(err as Error).message}); not changed`);
    }
  }
  config.model = spec;
  mkdirSync(dirname(file), { recursive: true });
  // Write-then-rename: a crash mid-write must not leave a truncated config that serve refuses.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(config, null, 2) + '\n');
  renameSync(tmp, file);
}

export interface PromoteDecision {
  promoted: boolean;
  reason: string;
}

/** Not worse on mean ROC-AUC (by more than maxDrop), or forced. */
export function decidePromotion(cmp: ModelComparison, options: { force?: boolean; maxDrop?: number } = {}): PromoteDecision {
  const maxDrop = options.maxDrop ?? 0;
  if (!Number.isFinite(cmp.macro.candidate)) return { promoted: !!options.force, reason: 'the candidate could not be scored on these validation texts' };
  const drop = -cmp.macro.change;
  if (drop > maxDrop) {
    return options.force
      ? { promoted: true, reason: `mean ROC-AUC drops by ${drop.toFixed(4)}; promoted anyway (--force)` }
      : { promoted: false, reason: `mean ROC-AUC drops by ${drop.toFixed(4)} (${cmp.macro.active.toFixed(4)} -> ${cmp.macro.candidate.toFixed(4)}); not promoted (use --force to promote anyway)` };
  }
  return { promoted: true, reason: `mean ROC-AUC ${cmp.macro.change >= 0 ? 'improves' : 'changes'} by ${cmp.macro.change >= 0 ? '+' : ''}${cmp.macro.change.toFixed(4)}` };
}
