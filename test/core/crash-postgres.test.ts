// Two processes on one PostgreSQL database, each owning half of the traffic (like two machines each
// running half of a bot's shards), each with its own outbox that may claim ANY action; one is killed
// with SIGKILL mid-run, several times, and restarted. At the end every message has exactly one
// verdict and every action was claimed to completion and applied at the (fake) platform, which dedupes
// by idempotency key as real platforms do: no action is lost, none is done twice in the store.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScanWorker } from '../helpers/scan-worker-process.js';
import { Store } from '../../src/store/index.js';
import { makeRng } from '../../src/util/rng.js';
import { newPgDatabase, pgMissing } from '../store/helpers.js';

const PER_PROCESS = 5_000;
/** Long enough that a live worker keeps its claims; a killed worker's claims are taken over after it. */
const LEASE_MS = '15000';
const missing = pgMissing();
if (missing) console.warn(`[toxguard] SKIPPED: two-process crash test on PostgreSQL: ${missing}`);


describe.skipIf(missing !== '')('crash safety across processes on PostgreSQL', () => {
  it('two processes, one SIGKILLed and restarted mid-run: one verdict per message, every action done once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-pg-crash-'));
    try {
      const rng = makeRng(7);
      // Each process owns half of the traffic (its "shards"): two exports with disjoint messages.
      const exports = ['a', 'b'].map((half) => {
        const rows: string[] = [];
        for (let i = 0; i < PER_PROCESS; i++) {
          const toxic = rng() < 0.15;
          rows.push(JSON.stringify({ id: `${half}${i}`, platform: 'discord', channel: `c${i % 13}`, author: `u${i % 997}`, text: toxic ? `shut up you stupid idiot ${i}` : `see you at the match, game ${i} was fun` }));
        }
        const file = join(dir, `export-${half}.jsonl`);
        writeFileSync(file, rows.join('\n') + '\n');
        return file;
      });
      const url = await newPgDatabase('crash');
      const platform = join(dir, 'platform.jsonl');
      const [fileA = '', fileB = ''] = exports;

      // B runs to the end; A is killed at random points and restarted until it finishes.
      const b = runScanWorker([fileB, url, platform, LEASE_MS, 'wait']);
      let kills = 0;
      for (let attempt = 0; attempt < 3; attempt++) {
        const result = await runScanWorker([fileA, url, platform, LEASE_MS], 3000 + Math.floor(rng() * 4000));
        if (result.signal === 'SIGKILL') kills++;
        else expect(result.out).toContain('finished');
      }
      // The last runs also wait out the leases the killed process held, then take those actions over.
      const finalA = await runScanWorker([fileA, url, platform, LEASE_MS, 'wait']);
      const finalB = await b;
      expect(finalA.out, finalA.out).toContain('finished');
      expect(finalB.out, finalB.out).toContain('finished');
      expect(kills).toBeGreaterThanOrEqual(1);

      const store = await Store.open(url);
      try {
        const q = store.kysely;
        const v = await q
          .selectFrom('verdicts')
          .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('message_key').distinct().as('d')])
          .executeTakeFirstOrThrow();
        expect({ n: Number(v.n), d: Number(v.d) }).toEqual({ n: 2 * PER_PROCESS, d: 2 * PER_PROCESS });
        const actions = await q.selectFrom('actions').select(['id', 'status']).execute();
        expect(actions.length).toBeGreaterThan(2 * PER_PROCESS * 0.05);
        expect(actions.filter((a) => a.status !== 'done')).toEqual([]);
        // Every action reached the platform; the platform applied each once (deduped by key).
        const requests = existsSync(platform) ? readFileSync(platform, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { key: number }).key) : [];
        const applied = new Set(requests);
        expect(applied.size).toBe(actions.length);
        for (const a of actions) expect(applied.has(a.id)).toBe(true);
        process.stdout.write(
          `crash test (PostgreSQL, 2 processes): ${kills} SIGKILLs, ${2 * PER_PROCESS} messages, ${actions.length} actions, ${requests.length - applied.size} duplicate requests deduped by the platform\n`,
        );
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
