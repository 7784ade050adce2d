// A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, started on a random free
// port on 127.0.0.1 (and a Unix socket in the same folder), torn down afterwards. The server refuses to
// run as root, so as root it runs as the `postgres` user (Debian's package creates it). Where no
// PostgreSQL binaries are installed, `findPostgres()` says why, and the tests skip visibly, except
// under CI=true, where the absence is a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgBinaries {
  bin: string;
}

/** The newest /usr/lib/postgresql/<v>/bin with initdb and pg_ctl (env PG_BIN overrides), or why there is none. */
export function findPostgres(): PgBinaries | { missing: string } {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) candidates.push(join(base, v, 'bin'));
  }
  for (const bin of candidates) if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return { bin };
  return { missing: `no PostgreSQL server binaries (initdb, pg_ctl) under ${base} or PG_BIN; install Debian's postgresql package` };
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => done(port));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a server binary, as the postgres user when we are root. */
function runAsOwner(bin: string, args: string[]): void {
  const quoted = [bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = isRoot ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
}

export interface PgCluster {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  port: number;
  dir: string;
  /** A new, empty database; returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  stop(): void;
}

let counter = 0;

/** A new, empty database on the cluster of `adminUrl`; returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 't'): Promise<string> {
  const name = `${prefix}_${process.pid}_${++counter}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE template0`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startCluster(binaries: PgBinaries): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'toxguard-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  runAsOwner(join(binaries.bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  // fsync off and small buffers: a test cluster, thrown away afterwards.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  runAsOwner(join(binaries.bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    adminUrl,
    port,
    dir,
    createDatabase: (prefix) => createDatabase(adminUrl, prefix),
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        runAsOwner(join(binaries.bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
