// Pipeline benchmark: text messages through normalisation, the model, the policy and the store (one
// transaction per verdict), on SQLite (WAL, a real file), on PostgreSQL (a throwaway local cluster)
// with one process and with two processes sharing the database; then /predict under concurrent HTTP
// clients. BENCH_MESSAGES sets the messages per run (default 20 000).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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
  /** CPU time of the process during the run (user + system), ms. */
  cpuMs: number;
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
    const cpu = process.cpuUsage();
    const start = performance.timeOrigin + performance.now();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      pending.push(pipeline.submit(make(i)));
      if (pending.length >= 2000) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    const used = process.cpuUsage(cpu);
    return { n, start, end: performance.timeOrigin + performance.now(), cpuMs: (used.user + used.system) / 1000 };
  } finally {
    await store.close();
  }
}

const wallMs = (runs: PipelineRun[]): number => Math.max(...runs.map((r) => r.end)) - Math.min(...runs.map((r) => r.start));
const rate = (runs: PipelineRun[]): number => runs.reduce((s, r) => s + r.n, 0) / (wallMs(runs) / 1000);

/**
 * CPU time (ms) the PostgreSQL cluster has used so far: the postmaster's own and its exited children's
 * (cutime/cstime: it reaps every backend), plus its live children's. Linux /proc; undefined elsewhere.
 */
function clusterCpuMs(dataDir: string): number | undefined {
  try {
    const ticks = 100; // USER_HZ: 100 on every Linux architecture Node runs on
    const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const stat = (pid: string): number[] => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ').map(Number) ?? [];
    // Fields after "(comm) ": [0] state, [1] ppid, ..., [11] utime, [12] stime, [13] cutime, [14] cstime.
    const own = stat(String(postmaster));
    let total = (own[11] ?? 0) + (own[12] ?? 0) + (own[13] ?? 0) + (own[14] ?? 0);
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const f = stat(pid);
        if (f[1] === postmaster) total += (f[11] ?? 0) + (f[12] ?? 0);
      } catch {
        // the process ended while we looked
      }
    }
    return (total * 1000) / ticks;
  } catch {
    return undefined;
  }
}

/** Cores kept busy during the runs: the toxguard processes' CPU (and the database's) over the wall time. */
function busy(runs: PipelineRun[], databaseCpuMs?: number): string {
  const wall = wallMs(runs);
  const own = runs.reduce((s, r) => s + r.cpuMs, 0) / wall;
  const db = databaseCpuMs === undefined ? '' : ` + PostgreSQL ${(databaseCpuMs / wall).toFixed(2)}`;
  return `cores busy: toxguard ${own.toFixed(2)}${db} of ${availableParallelism()}`;
}

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
  const rows: [string, number, string][] = [];
  const sqliteRun = [await runPipeline(scorer, join(dir, 'bench.sqlite'), n, 's-')];
  rows.push(['SQLite (WAL file), 1 process', rate(sqliteRun), busy(sqliteRun)]);
  const pg = findPostgres();
  if ('missing' in pg) {
    console.log(`PostgreSQL: skipped (${pg.missing})`);
  } else {
    const cluster = await startCluster(pg);
    const dataDir = join(cluster.dir, 'data');
    // The database's CPU during a run: what its processes used between the run's start and end.
    const measured = async (run: () => Promise<PipelineRun[]>): Promise<[PipelineRun[], number | undefined]> => {
      const before = clusterCpuMs(dataDir);
      const runs = await run();
      const after = clusterCpuMs(dataDir);
      return [runs, before === undefined || after === undefined ? undefined : after - before];
    };
    try {
      const url1 = await createDatabase(cluster.adminUrl, 'bench1');
      const [one, oneDb] = await measured(async () => [await runPipeline(scorer, url1, n, 'o-')]);
      rows.push(['PostgreSQL (local), 1 process', rate(one), busy(one, oneDb)]);
      const url2 = await createDatabase(cluster.adminUrl, 'bench2');
      const [two, twoDb] = await measured(() => twoProcesses(url2, n));
      rows.push(['PostgreSQL (local), 2 processes', rate(two), busy(two, twoDb)]);
    } finally {
      cluster.stop();
    }
  }
  const base = rows[0]?.[1] ?? 1;
  for (const [name, r, cores] of rows) console.log(`${name.padEnd(34)} ${Math.round(r).toLocaleString('en-US').padStart(7)} messages/s  (${(r / base).toFixed(2)}x SQLite)  ${cores}`);
  const one = rows[1]?.[1];
  const two = rows[2]?.[1];
  if (one && two) console.log(`PostgreSQL: 2 processes / 1 process = ${(two / one).toFixed(2)}x (two processes gain only with cores to spare: see "cores busy")`);

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
