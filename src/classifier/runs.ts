// Every training run is recorded as runs/<id>/run.json so runs can be listed and compared.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runsDir } from '../paths.js';
import type { EvalReport } from './evaluate.js';

export interface RunRecord {
  id: string;
  startedAt: string;
  seconds: number;
  options: unknown;
  dataFingerprint: string;
  counts: Record<string, { train: number; val: number }>;
  history: { iteration: number; loss: number; seconds: number; valRocAuc?: number }[];
  iterations: number;
  thresholds: Record<string, number | undefined>;
  spans: { threshold: number; gate: number; f1: number; texts: number };
  report: EvalReport;
  artifact: string;
}

export function newRunId(date = new Date()): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

export function saveRun(record: RunRecord): string {
  const dir = join(runsDir(), record.id);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'run.json');
  writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}

export function listRuns(): RunRecord[] {
  const root = runsDir();
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((id) => existsSync(join(root, id, 'run.json')))
    .map((id) => JSON.parse(readFileSync(join(root, id, 'run.json'), 'utf8')) as RunRecord)
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
}
