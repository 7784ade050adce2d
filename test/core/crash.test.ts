// Crash test: a scan of 100,000 messages killed with SIGKILL at random points several times and
// restarted ends with exactly one verdict per message and every decided action applied exactly
// once at the (fake) platform.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runScanWorker } from '../helpers/scan-worker-process.js';
import { makeRng } from '../../src/util/rng.js';

const MESSAGES = 100_000;


describe('crash safety', () => {
  it('SIGKILLed scans of 100,000 messages end with one verdict per message and every action applied exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-crash-'));
    const file = join(dir, 'export.jsonl');
    const rng = makeRng(99);
    const rows: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const toxic = rng() < 0.1;
      rows.push(JSON.stringify({ id: `m${i}`, platform: 'discord', channel: `c${i % 13}`, author: `u${i % 997}`, text: toxic ? `shut up you stupid idiot ${i}` : `see you at the match, game ${i} was fun` }));
    }
    writeFileSync(file, rows.join('\n') + '\n');
    const db = join(dir, 'toxguard.sqlite');
    const platform = join(dir, 'platform.jsonl');

    let kills = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const result = await runScanWorker([file, db, platform], 2500 + Math.floor(rng() * 6000));
      if (result.signal === 'SIGKILL') kills++;
      else expect(result.out).toContain('finished');
    }
    const final = await runScanWorker([file, db, platform]);
    expect(final.out, final.out).toContain('finished');
    expect(kills).toBeGreaterThanOrEqual(2);

    const sqlite = new Database(db, { readonly: true });
    const verdicts = sqlite.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT message_key) AS d FROM verdicts').get() as { n: number; d: number };
    expect(verdicts).toEqual({ n: MESSAGES, d: MESSAGES });
    const actions = sqlite.prepare("SELECT id, status FROM actions").all() as { id: number; status: string }[];
    sqlite.close();
    expect(actions.length).toBeGreaterThan(MESSAGES * 0.05);
    expect(actions.filter((a) => a.status !== 'done')).toEqual([]);
    // Every action reached the platform, and the platform applied each one once (deduped by key).
    const requests = existsSync(platform) ? readFileSync(platform, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { key: number }).key) : [];
    const applied = new Set(requests);
    expect(applied.size).toBe(actions.length);
    for (const a of actions) expect(applied.has(a.id)).toBe(true);
    process.stdout.write(`crash test: ${kills} SIGKILLs, ${actions.length} actions, ${requests.length - applied.size} duplicate requests deduped by the platform\n`);
  }, 600_000);
});
