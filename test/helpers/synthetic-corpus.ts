// A tiny made-up corpus in the OLID and TRAC-2 file formats, so training can be tested end to end
// without ../shared. Toxic rows draw from an insult vocabulary, clean rows from a friendly one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRng } from '../../src/util/rng.js';

const INSULTS = ['idiot', 'moron', 'loser', 'stupid', 'dumb', 'pathetic', 'trash', 'clown'];
const FRIENDLY = ['thanks', 'great', 'lovely', 'friend', 'awesome', 'welcome', 'nice', 'happy'];
const FILLER = ['the', 'game', 'today', 'was', 'really', 'and', 'you', 'are', 'so', 'this', 'team', 'match'];

export function makeSyntheticCorpus(dir: string, rows = 600, seed = 1): void {
  const rng = makeRng(seed);
  const pick = (xs: string[]): string => xs[Math.floor(rng() * xs.length)] as string;
  const sentence = (toxic: boolean): string => {
    const words = Array.from({ length: 6 + Math.floor(rng() * 6) }, () => pick(FILLER));
    const k = 1 + Math.floor(rng() * 2);
    for (let i = 0; i < k; i++) words.splice(Math.floor(rng() * words.length), 0, pick(toxic ? INSULTS : FRIENDLY));
    return words.join(' ');
  };
  mkdirSync(join(dir, 'olid'), { recursive: true });
  const olid = ['id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c'];
  for (let i = 0; i < rows; i++) {
    const toxic = rng() < 0.4;
    olid.push(`${1000 + i}\t@USER ${sentence(toxic)}\t${toxic ? 'OFF' : 'NOT'}\t${toxic ? 'TIN' : 'NULL'}\t${toxic ? 'IND' : 'NULL'}`);
  }
  writeFileSync(join(dir, 'olid', 'olid-training-v1.0.tsv'), olid.join('\n') + '\n');
  mkdirSync(join(dir, 'trac2'), { recursive: true });
  for (const [file, n] of [['trac2_eng_train.csv', rows / 2], ['trac2_eng_dev.csv', rows / 4]] as const) {
    const lines = ['ID,Text,Sub-task A,Sub-task B'];
    for (let i = 0; i < n; i++) {
      const toxic = rng() < 0.3;
      lines.push(`C${file.length}.${i},"${sentence(toxic)}",${toxic ? 'OAG' : 'NAG'},NGEN`);
    }
    writeFileSync(join(dir, 'trac2', file), lines.join('\n') + '\n');
  }
}
