import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { davidson, hatefulMemes, hateval, hatexplain, olid, ruddit, stormfront, trac2 } from './english.js';
import { coldZh, germeval, hasocHi, koreanHate, offensevalTr } from './multilingual.js';
import { toxicSpans } from './toxic-spans.js';
import { convabuse, dynahate, edos, gabHate, hatemoji, implicitHate, sbic } from './hate.js';
import type { CorpusLoader, Example } from './types.js';

export type { CorpusLoader, Example, Gold } from './types.js';

export const CORPORA: CorpusLoader[] = [
  olid, hateval, trac2, davidson, hatexplain, stormfront, ruddit, toxicSpans, hatefulMemes,
  germeval, offensevalTr, coldZh, koreanHate, hasocHi,
  dynahate, hatemoji, implicitHate, edos, sbic, convabuse, gabHate,
];

/** What makes two texts the same post across corpora: letters and digits, lower-cased. */
const dedupKey = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export interface LoadOptions {
  /** Only these corpora (by name or short name). */
  only?: string[];
  onCorpus?: (name: string, count: number) => void;
}

/** Loads every corpus found under `dir`; a missing corpus folder is skipped and reported. */
export function loadCorpora(dir: string, options: LoadOptions = {}): { examples: Example[]; missing: string[] } {
  if (!existsSync(dir)) throw new Error(`datasets directory not found: ${dir}`);
  const examples: Example[] = [];
  const missing: string[] = [];
  // A post that an earlier corpus already has (SBIC shares ~1,350 with Davidson and Stormfront) is
  // kept only there: no double weight, and no twin of a validation text in training.
  const owner = new Map<string, string>();
  for (const loader of CORPORA) {
    const short = loader.name.split('/').pop() ?? loader.name;
    if (options.only && !options.only.includes(loader.name) && !options.only.includes(short)) continue;
    const folder = join(dir, loader.name);
    if (!existsSync(folder)) {
      missing.push(loader.name);
      continue;
    }
    const loaded = loader.load(folder).filter((e) => {
      if (e.text.trim() === '') return false;
      const key = dedupKey(e.text);
      const first = owner.get(key);
      if (first === undefined) owner.set(key, e.corpus);
      return first === undefined || first === e.corpus || key.length < 8;
    });
    options.onCorpus?.(loader.name, loaded.length);
    examples.push(...loaded);
  }
  return { examples, missing };
}
