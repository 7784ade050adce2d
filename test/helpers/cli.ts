import { spawn } from 'node:child_process';
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

/**
 * Starts `toxguard serve` from source in `cwd` (a temp folder: the SQLite file lands there) and
 * resolves once it logs its address. The loader is given by absolute path because cwd is outside
 * the checkout.
 */
export async function startServe(cwd: string, env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const loader = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', loader, resolve(ROOT, 'src/cli/main.ts'), 'serve'], { cwd, env: { ...process.env, PORT: '0', ...env } });
  let logs = '';
  const exited = new Promise<void>((done) => child.on('close', () => done()));
  child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
  const address = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (d: Buffer) => {
      logs += d.toString();
      const m = /"address":"(http:\/\/[^"]+)"/.exec(logs);
      if (m?.[1]) done(m[1]);
    });
    void exited.then(() => fail(new Error(`serve exited: ${logs}`)));
  });
  return {
    address,
    logs: () => logs,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
