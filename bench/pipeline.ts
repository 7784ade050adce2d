// Pipeline benchmark: text messages through normalisation, the model, the policy and the store (one
// transaction per verdict), on SQLite (WAL, a real file), on PostgreSQL (a throwaway local cluster)
// with one process and with two processes sharing the database; then /predict under concurrent HTTP
// clients. BENCH_MESSAGES sets the messages per run (default 20 000).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { loadScorer } from '../src/classifier/registry.js';
import type { Scorer } from '../src/classifier/scorer.js';
import { ModerationPipeline } from '../src/core/pipeline.js';
import { PolicyService } from '../src/core/policies.js';
import { Store } from '../src/store/index.js';
import { buildServer } from '../src/server/app.js';
import { makeRng } from '../src/util/rng.js';
import { createDatabase, findPostgres, startCluster } from '../test/helpers/postgres.js';

const CLEAN = ['see you at the match tonight', 'anyone up for a raid?', 'thanks for the help earlier', 'new patch notes are out', 'lol that was close'];
const TOXIC = ['shut up you stupid idiot', 'you are a worthless loser', 'go die in a fire'];
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);

export interface PipelineRun {
  n: number;
  /** performance.timeOrigin-based ms, so two processes' runs can be put on one time line. */
  start: number;
  end: number;
}

/** Opens a pipeline on `target`, warms it up, then waits for `go` and moderates `n` messages. */
export async function runPipeline(scorer: Scorer, target: string, n: number, prefix: string, go: () => Promise<void> = async () => undefined): Promise<PipelineRun> {
  const store = await Store.open(target);
  try {
    const policies = new PolicyService(store, scorer.thresholds);
    await policies.set('g1', 'mode', 'active', 'bench', 'cli');
    const pipeline = new ModerationPipeline({ scorer, store, policies, concurrency: 64, queueLimit: 5000, batchSize: 64, batchWaitMs: 0 });
    const rng = makeRng(5);
    const make = (i: number | string) => ({
      platform: 'discord' as const,
      serverId: 'g1',
      channelId: `c${Number(String(i).replace(/\D/g, '')) % 20}`,
      messageId: `${prefix}${i}`,
      author: { id: `u${Number(String(i).replace(/\D/g, '')) % 500}`, roleIds: [], isModerator: false, isBot: false },
      text: `${(rng() < 0.05 ? TOXIC : CLEAN)[Math.floor(rng() * 3)]} ${i}`,
      attachments: [],
      kind: 'new' as const,
      sentAt: new Date().toISOString(),
    });
    for (let i = 0; i < 2000; i++) await pipeline.submit(make(`w${i}`)); // warm-up
    await go();
    const start = performance.timeOrigin + performance.now();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      pending.push(pipeline.submit(make(i)));
      if (pending.length >= 2000) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    return { n, start, end: performance.timeOrigin + performance.now() };
  } finally {
    await store.close();
  }
}

const rate = (runs: PipelineRun[]): number => {
  const n = runs.reduce((s, r) => s + r.n, 0);
  const seconds = (Math.max(...runs.map((r) => r.end)) - Math.min(...runs.map((r) => r.start))) / 1000;
  return n / seconds;
};

/** Two worker processes on one PostgreSQL database, started together once both have warmed up. */
async function twoProcesses(url: string, n: number): Promise<PipelineRun[]> {
  const worker = resolve(import.meta.dirname, 'pipeline-worker.ts');
  const children = ['p1-', 'p2-'].map((prefix) => spawn(process.execPath, ['--import', 'tsx', worker, url, String(n), prefix], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const outs = children.map(() => '');
  const ready = children.map(
    (child, i) =>
      new Promise<void>((done, fail) => {
        child.stdout.on('data', (d: Buffer) => {
          outs[i] += d.toString();
          if (outs[i]?.includes('ready\n')) done();
        });
        child.on('close', (code) => fail(new Error(`bench worker exited (${code}) before it was ready`)));
      }),
  );
  const exited = children.map((child) => new Promise<number | null>((done) => child.on('close', (code) => done(code))));
  await Promise.all(ready);
  for (const child of children) child.stdin.end('go\n');
  const codes = await Promise.all(exited);
  if (codes.some((c) => c !== 0)) throw new Error(`bench worker failed: exit codes ${codes.join(', ')}`);
  return outs.map((out) => JSON.parse(out.split('\n').find((l) => l.startsWith('{')) ?? '{}') as PipelineRun);
}

export async function benchPipeline(): Promise<void> {
  const scorer = await loadScorer('builtin');
  const dir = mkdtempSync(join(tmpdir(), 'toxguard-bench-'));
  const n = MESSAGES;
  console.log(`\n== pipeline: text messages through model + policy + store (one transaction per verdict), ${n.toLocaleString('en-US')} messages per process`);
  const rows: [string, number][] = [];
  const sqlite = rate([await runPipeline(scorer, join(dir, 'bench.sqlite'), n, 's-')]);
  rows.push(['SQLite (WAL file), 1 process', sqlite]);
  const pg = findPostgres();
  if ('missing' in pg) {
    console.log(`PostgreSQL: skipped (${pg.missing})`);
  } else {
    const cluster = await startCluster(pg);
    try {
      const one = rate([await runPipeline(scorer, await createDatabase(cluster.adminUrl, 'bench1'), n, 'o-')]);
      rows.push(['PostgreSQL (local), 1 process', one]);
      const two = rate(await twoProcesses(await createDatabase(cluster.adminUrl, 'bench2'), n));
      rows.push(['PostgreSQL (local), 2 processes', two]);
    } finally {
      cluster.stop();
    }
  }
  const base = rows[0]?.[1] ?? 1;
  for (const [name, r] of rows) console.log(`${name.padEnd(34)} ${Math.round(r).toLocaleString('en-US').padStart(7)} messages/s  (${(r / base).toFixed(2)}x SQLite)`);
  const one = rows[1]?.[1];
  const two = rows[2]?.[1];
  if (one && two) console.log(`PostgreSQL: 2 processes / 1 process = ${(two / one).toFixed(2)}x`);

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
  rmSync(dir, { recursive: true, force: true });
}
