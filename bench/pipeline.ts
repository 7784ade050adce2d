// Pipeline benchmark: text messages through normalisation, the model, the policy and SQLite
// (one transaction per verdict, WAL, a real file), and /predict under concurrent HTTP clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadScorer } from '../src/classifier/registry.js';
import { ModerationPipeline } from '../src/core/pipeline.js';
import { PolicyService } from '../src/core/policies.js';
import { Store } from '../src/store/index.js';
import { buildServer } from '../src/server/app.js';
import { makeRng } from '../src/util/rng.js';

const CLEAN = ['see you at the match tonight', 'anyone up for a raid?', 'thanks for the help earlier', 'new patch notes are out', 'lol that was close'];
const TOXIC = ['shut up you stupid idiot', 'you are a worthless loser', 'go die in a fire'];

export async function benchPipeline(): Promise<void> {
  const scorer = await loadScorer('builtin');
  const dir = mkdtempSync(join(tmpdir(), 'toxguard-bench-'));
  const store = await Store.open(join(dir, 'bench.sqlite'));
  const policies = new PolicyService(store, scorer.thresholds);
  await policies.set('g1', 'mode', 'active', 'bench', 'cli');
  const pipeline = new ModerationPipeline({ scorer, store, policies, concurrency: 64, queueLimit: 5000, batchSize: 64, batchWaitMs: 0 });
  const rng = makeRng(5);
  const make = (i: number) => ({
    platform: 'discord' as const,
    serverId: 'g1',
    channelId: `c${i % 20}`,
    messageId: `m${i}`,
    author: { id: `u${i % 500}`, roleIds: [], isModerator: false, isBot: false },
    text: `${(rng() < 0.05 ? TOXIC : CLEAN)[Math.floor(rng() * 3)]} ${i}`,
    attachments: [],
    kind: 'new' as const,
    sentAt: new Date().toISOString(),
  });
  for (let i = 0; i < 2000; i++) await pipeline.submit(make(-i - 1)); // warm-up
  const n = 50_000;
  const t0 = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    pending.push(pipeline.submit(make(i)));
    if (pending.length >= 2000) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - t0) / 1000;
  console.log('\n== pipeline: text messages through model + policy + SQLite (WAL file, one transaction per verdict)');
  console.log(`${n.toLocaleString('en-US')} messages in ${seconds.toFixed(2)} s: ${Math.round(n / seconds).toLocaleString('en-US')} messages/s`);

  const app = buildServer({ scorer });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log('\n== POST /predict under load (autocannon, 10 s)');
  for (const connections of [1, 16, 64]) {
    const result = await autocannon({
      url: `${url}/predict`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: ['you are an idiot', 'have a great day, see you at the match'] }),
      connections,
      duration: 10,
    });
    console.log(
      `${String(connections).padStart(3)} clients: ${Math.round(result.requests.average).toLocaleString('en-US').padStart(7)} req/s  ` +
        `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  errors ${result.errors + result.non2xx}`,
    );
  }
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
