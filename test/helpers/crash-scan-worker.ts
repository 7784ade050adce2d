// Child process for the crash test: feeds an export through the real pipeline into a SQLite file
// while an outbox worker applies the decided actions to a fake platform (a JSONL log). Like real
// platforms (Discord's enforced nonce, delete = 10008 when already gone), the fake platform
// dedupes by idempotency key, which is the action id; it logs every request it receives.
import { appendFileSync } from 'node:fs';
import { loadScorer } from '../../src/classifier/registry.js';
import { ModerationPipeline } from '../../src/core/pipeline.js';
import { PolicyService } from '../../src/core/policies.js';
import { OutboxWorker } from '../../src/core/outbox.js';
import { scanFile } from '../../src/core/scan.js';
import { Store } from '../../src/store/index.js';

// db: a SQLite file or a postgres:// URL; leaseMs: how long a claimed action is held before another worker may take it.
// drain = 'wait': at the end, also wait out the leases of actions another (killed) worker had claimed.
const [file = '', db = '', platformLog = '', leaseMs = '200', drain = ''] = process.argv.slice(2);
const scorer = await loadScorer('builtin');
const store = await Store.open(db, { leaseMs: Number(leaseMs) });
const policies = new PolicyService(store, scorer.thresholds);
if ((await policies.get('g1')).mode !== 'active') await policies.set('g1', 'mode', 'active', 'crash-test', 'cli');
const pipeline = new ModerationPipeline({ scorer, store, policies, concurrency: 16, queueLimit: 2000 });
const outbox = new OutboxWorker({
  store,
  batch: 200,
  pollMs: 5,
  executors: {
    discord: {
      async execute(action) {
        appendFileSync(platformLog, `${JSON.stringify({ key: action.id, kind: action.kind, message: action.verdictId === null ? null : action.target.messageKey })}\n`);
        return { ok: true };
      },
    },
  },
});
outbox.start();
// A scan never plans actions (act: false); here the export's rows stand in for live Discord messages,
// so they are submitted as an adapter would submit them, with their actions planned.
const live = { submit: (message: Parameters<ModerationPipeline['submit']>[0]) => pipeline.submit(message) };
await scanFile({ file, store, pipeline: live, serverId: 'g1', checkpointEvery: 500 });
// Drain the outbox, then say so.
while ((await outbox.runOnce()) > 0);
if (drain === 'wait') {
  const deadline = Date.now() + 120_000;
  for (;;) {
    while ((await outbox.runOnce()) > 0);
    const open = await store.kysely.selectFrom('actions').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['pending', 'running', 'failed']).executeTakeFirst();
    if (Number(open?.n ?? 0) === 0 || Date.now() > deadline) break;
    await new Promise((done) => setTimeout(done, 200));
  }
}
await outbox.stop();
await store.close();
process.stdout.write('finished\n');
