// Runs the crash tests' scan worker (test/helpers/crash-scan-worker.ts) in a child process, optionally
// killed with SIGKILL after a delay; resolves with how it ended and everything it printed.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export function runScanWorker(args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'test/helpers/crash-scan-worker.ts'), ...args], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, out });
    });
  });
}
