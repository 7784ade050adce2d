// Several connections and processes on one file: visibility of commits, claims without doubles,
// and the errors for a locked database and for a file that is not a database.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { NotADatabaseError, Store, StoreLockedError } from '../../src/store/index.js';
import { makeClock, tempDir, track, verdict } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const STORE = resolve(ROOT, 'src/store/index.ts');

/** Runs a TypeScript snippet in a separate Node process (tsx), with `Store` imported. */
function runChild(dir: string, name: string, body: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = join(dir, `${name}.mts`);
  writeFileSync(script, `import { Store } from ${JSON.stringify(STORE)};\n${body}\n`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe('several connections on one file', () => {
  it('a second connection sees rows the first committed', async () => {
    const file = join(tempDir(), 'shared.db');
    const { now } = makeClock();
    const writer = track(await Store.open(file, { now }));
    const reader = track(await Store.open(file, { now }));
    expect(reader.migrated).toEqual([]);
    const r = await writer.recordVerdict(verdict({ actions: ['flag'] }), [{ kind: 'flag' }]);
    await writer.setPolicy('guild-1', { thresholds: { insult: 0.7 } }, 'owner', 'cli');

    expect((await reader.getVerdict(r.verdictId))?.text).toBe('you are an idiot');
    expect(await reader.listReviews('guild-1')).toHaveLength(1);
    expect(await reader.getPolicy('guild-1')).toEqual({ thresholds: { insult: 0.7 } });
    // and the other way round
    await reader.decideReview(r.reviewId ?? -1, 'confirmed', 'mod', 'dashboard');
    expect((await writer.getReview(r.reviewId ?? -1))?.status).toBe('confirmed');
  });

  it('another process sees committed rows, and parallel workers never claim the same action', async () => {
    const dir = tempDir();
    const file = join(dir, 'multi.db');
    const child = await runChild(
      dir,
      'writer',
      `const s = await Store.open(${JSON.stringify(file)}, { now: () => new Date('2025-03-01T12:00:00.000Z') });
       for (let i = 0; i < 30; i++) {
         await s.recordVerdict({
           message: { platform: 'slack', serverId: 'T1', channelId: 'C1', messageId: 'ts' + i, author: { id: 'U1' }, text: 'msg ' + i,
                      attachments: [], kind: 'new', sentAt: '2025-03-01T11:00:00.000Z' },
           scores: { toxic: 0.9, severe_toxic: 0, obscene: 0, threat: 0, insult: 0.9, identity_hate: 0 },
           labelSources: { toxic: 'text' }, spans: [], sources: [], model: { name: 'm', version: '1' },
           decision: { actions: ['alert'], triggered: [], logOnly: false }, latencyMs: 1,
         }, [{ kind: 'alert' }]);
       }
       await s.close();
       console.log('wrote');`,
    );
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('wrote');

    const parent = track(await Store.open(file));
    expect((await parent.stats('T1', '2000-01-01')).verdicts).toBe(30);
    expect((await parent.getVerdict('slack:T1:C1:ts7'))?.text).toBe('msg 7');

    // three worker processes drain the outbox at the same time
    const worker = `const s = await Store.open(${JSON.stringify(file)});
      const ids: number[] = [];
      for (;;) {
        const batch = await s.claimActions(2, '2025-03-01T12:00:00.000Z');
        if (batch.length === 0) break;
        for (const a of batch) { ids.push(a.id); await s.completeAction(a.id, { by: process.pid }); }
      }
      await s.close();
      console.log(JSON.stringify(ids));`;
    const results = await Promise.all([0, 1, 2].map((i) => runChild(dir, `worker${i}`, worker)));
    const ids = results.flatMap((r) => {
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as number[];
    });
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect((await parent.stats('T1', '2000-01-01')).actions.alert).toEqual({ pending: 0, running: 0, done: 30, failed: 0, dead: 0 });
  });
});

describe('clear errors', () => {
  it('says the database is locked, and names the file, when another writer holds it past the busy timeout', async () => {
    const file = join(tempDir(), 'locked.db');
    await track(await Store.open(file)).close();
    const holder = new Database(file);
    try {
      holder.exec('BEGIN EXCLUSIVE');
      holder.prepare(`INSERT INTO scan_checkpoints (scan_id, file, line, updated_at) VALUES ('x', 'f', 1, 'now')`).run();

      const store = track(await Store.open(file, { busyTimeoutMs: 100 })); // opening an up-to-date file needs no write lock
      const started = Date.now();
      let caught: unknown;
      try {
        await store.recordVerdict(verdict(), [{ kind: 'delete' }]);
      } catch (err) {
        caught = err;
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(90); // it waited for the busy timeout
      expect(caught).toBeInstanceOf(StoreLockedError);
      expect((caught as Error).message).toMatch(/database is locked/);
      expect((caught as Error).message).toContain(file);
      expect((caught as StoreLockedError).code).toBe('locked');
      // readers are not blocked by the writer (WAL), and see only committed data
      expect(await store.scanCheckpoint('x')).toBeUndefined();
      await expect((async () => await store.setScanCheckpoint('y', 'f', 2))()).rejects.toThrow(/database is locked/);

      // a fresh file that still needs its migration fails at open with the same message
      const fresh = join(tempDir(), 'fresh.db');
      const holder2 = new Database(fresh);
      holder2.pragma('journal_mode = WAL');
      holder2.exec('BEGIN EXCLUSIVE; CREATE TABLE t (x);');
      try {
        await expect((async () => await Store.open(fresh, { busyTimeoutMs: 50 }))()).rejects.toThrow(new RegExp(`database is locked: ${fresh.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      } finally {
        holder2.exec('ROLLBACK');
        holder2.close();
      }
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    // once released, the same store writes fine
    const again = track(await Store.open(file, { busyTimeoutMs: 100 }));
    expect((await again.recordVerdict(verdict(), [])).created).toBe(true);
  });

  it('says a file that is not a SQLite database is not one, naming it', async () => {
    const file = join(tempDir(), 'notes.db');
    writeFileSync(file, 'these are my moderation notes, definitely not sqlite\n'.repeat(200));
    let caught: unknown;
    try {
      track(await Store.open(file));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(NotADatabaseError);
    expect((caught as Error).message).toBe(`${file} is not a SQLite database (or it is encrypted or corrupt); point the store at a new path or a toxguard database`);
  });
});
