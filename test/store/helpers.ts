// Shared fixtures for the store tests: real databases (a SQLite file in a temp dir, or a fresh
// database on the run's throwaway PostgreSQL cluster), a controllable clock and verdict inputs built
// from the core message shape. `describeBackends` runs a suite once per backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, inject } from 'vitest';
import { createDatabase } from '../helpers/postgres.js';
import type { IncomingMessage } from '../../src/core/message.js';
import { LABELS, type Scores } from '../../src/classifier/labels.js';
import { Store, type StoreOptions } from '../../src/store/index.js';
import type { ActionKind, Decision, VerdictInput } from '../../src/store/index.js';

const dirs: string[] = [];
const stores: Store[] = [];

export const BACKENDS = ['sqlite', 'postgres'] as const;
export type TestBackend = (typeof BACKENDS)[number];

let current: TestBackend = 'sqlite';

/** Why the PostgreSQL tests cannot run here ('' when they can). */
export function pgMissing(): string {
  return inject('pgMissing') || (inject('pgAdminUrl') ? '' : 'no PostgreSQL cluster was started for this run');
}

/** A new, empty PostgreSQL database on the run's cluster. */
export function newPgDatabase(prefix = 'store'): Promise<string> {
  return createDatabase(inject('pgAdminUrl'), prefix);
}

/**
 * The suite once per backend (describe.each), every store opened by openTemp/tempTarget on that
 * backend. Where PostgreSQL is absent its half is skipped, visibly (CI=true fails earlier, in the
 * global setup).
 */
export function describeBackends(title: string, body: (backend: TestBackend) => void): void {
  describe.each(BACKENDS)(`${title} [%s]`, (backend) => {
    const missing = backend === 'postgres' ? pgMissing() : '';
    if (missing) console.warn(`[toxguard] SKIPPED on PostgreSQL: "${title}": ${missing}`);
    describe.skipIf(missing !== '')(backend, () => {
      beforeEach(() => {
        current = backend;
      });
      body(backend);
    });
  });
}

/** Where a new store goes on the current backend: a fresh SQLite file, or a fresh PostgreSQL database's URL. */
export async function tempTarget(name = 'toxguard.db'): Promise<string> {
  return current === 'postgres' ? newPgDatabase() : join(tempDir(), name);
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  current = 'sqlite';
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'toxguard-store-'));
  dirs.push(dir);
  return dir;
}

/** A clock the test moves by hand. */
export function makeClock(start = '2025-03-01T12:00:00.000Z'): { now: () => Date; set: (iso: string) => void; advance: (ms: number) => void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (iso) => {
      t = new Date(iso).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Opens a store on a new database of the current backend (closed after the test); `target` reopens one. */
export async function openTemp(options: StoreOptions = {}, target?: string): Promise<Store> {
  const store = await Store.open(target ?? (await tempTarget()), options);
  stores.push(store);
  return store;
}

/** Tracks a store opened elsewhere so it is closed after the test. */
export function track(store: Store): Store {
  stores.push(store);
  return store;
}

export function message(over: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    platform: 'discord',
    serverId: 'guild-1',
    channelId: 'chan-1',
    messageId: 'msg-1',
    author: { id: 'user-1', roleIds: [], isModerator: false, isBot: false },
    text: 'you are an idiot',
    attachments: [],
    kind: 'new',
    sentAt: '2025-03-01T11:59:00.000Z',
    ...over,
  };
}

export function scores(over: Partial<Scores> = {}): Scores {
  const s = Object.fromEntries(LABELS.map((l) => [l, 0.01])) as Scores;
  return { ...s, ...over };
}

export function decision(actions: ActionKind[], over: Partial<Decision> = {}): Decision {
  return {
    actions,
    triggered: actions.length ? [{ label: 'insult', score: 0.92, threshold: 0.8 }] : [],
    logOnly: false,
    ...over,
  };
}

export function verdict(over: Partial<VerdictInput> & { msg?: Partial<IncomingMessage>; actions?: ActionKind[] } = {}): VerdictInput {
  const { msg, actions = ['delete', 'flag'], ...rest } = over;
  return {
    message: message(msg),
    scores: scores({ toxic: 0.95, insult: 0.92 }),
    labelSources: { toxic: 'text', insult: 'text' },
    spans: [[11, 16]],
    sources: [],
    model: { name: 'builtin', version: '1.0.0' },
    decision: decision(actions),
    latencyMs: 12.5,
    ...rest,
  };
}
