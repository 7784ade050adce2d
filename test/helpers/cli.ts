import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Runs the CLI from source (node + tsx), as `npx toxguard ...` would run the built copy. */
export function runCli(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export interface ServeProcess {
  /** The API's address, from serve's start-up log line. */
  address: string;
  /** Everything logged so far (stdout and stderr). */
  logs(): string;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

export interface SpawnedServe {
  proc: ChildProcess;
  /** Everything logged so far (stdout and stderr). */
  logs(): string;
  exited: Promise<void>;
}

/**
 * Spawns `toxguard serve` from source in `cwd` (a temp folder: the SQLite file lands there), on a
 * free port. The loader is given by absolute path because cwd is outside the checkout.
 */
export function spawnServe(cwd: string, env: NodeJS.ProcessEnv): SpawnedServe {
  const loader = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const proc = spawn(process.execPath, ['--import', loader, resolve(ROOT, 'src/cli/main.ts'), 'serve'], { cwd, env: { ...process.env, PORT: '0', ...env } });
  let logs = '';
  proc.stdout.on('data', (d: Buffer) => (logs += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (logs += d.toString()));
  const exited = new Promise<void>((done) => proc.on('close', () => done()));
  return { proc, logs: () => logs, exited };
}

/** Starts `toxguard serve` (spawnServe) and resolves once it logs its address. */
export async function startServe(cwd: string, env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const { proc: child, logs: logged, exited } = spawnServe(cwd, env);
  const address = await new Promise<string>((done, fail) => {
    const look = (): void => {
      const m = /"address":"(http:\/\/[^"]+)"/.exec(logged());
      if (m?.[1]) done(m[1]);
    };
    child.stdout?.on('data', look);
    void exited.then(() => fail(new Error(`serve exited: ${logged()}`)));
  });
  return {
    address,
    logs: logged,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
