// Shared fixtures for the store tests: temp dirs with real SQLite files, a controllable clock and
// verdict inputs built from the core message shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { IncomingMessage } from '../../src/core/message.js';
import { LABELS, type Scores } from '../../src/classifier/labels.js';
import { Store, type StoreOptions } from '../../src/store/index.js';
import type { ActionKind, Decision, VerdictInput } from '../../src/store/index.js';

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
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

/** Opens a store on a real file in a temp dir (closed after the test). */
export function openTemp(options: StoreOptions = {}, file = join(tempDir(), 'toxguard.db')): Store {
  const store = Store.open(file, options);
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
