// `toxguard serve` with no configuration at all: API on loopback, embedded SQLite file, built-in model.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('toxguard serve', () => {
  it('starts with no configuration, answers /predict, stores verdicts in data/toxguard.sqlite, stops on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'toxguard-serve-'));
    const env = { ...process.env, PORT: '0', DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '', TOXGUARD_API_TOKEN: 'never-logged-secret' };
    const child = spawn(process.execPath, ['--import', pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, resolve(ROOT, 'src/cli/main.ts'), 'serve'], { cwd, env });
    let logs = '';
    child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    const address = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        logs += d.toString();
        const m = /"address":"(http:\/\/[^"]+)"/.exec(logs);
        if (m?.[1]) done(m[1]);
      });
      child.on('close', () => fail(new Error(`serve exited: ${logs}`)));
    });
    const res = await fetch(`${address}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs":["you are an idiot"]}' });
    expect(res.status).toBe(200);
    const [first] = (await res.json()) as { label: string; score: number }[][];
    expect(first?.find((x) => x.label === 'toxic')?.score).toBeGreaterThan(0.5);
    const mod = await fetch(`${address}/v1/moderate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi there","server_id":"g1"}' });
    expect(mod.status).toBe(200);
    child.kill('SIGTERM');
    await new Promise((done) => child.on('close', done));
    expect(existsSync(join(cwd, 'data', 'toxguard.sqlite'))).toBe(true);
    expect(logs).toMatch(/DISCORD_TOKEN not set/);
    expect(logs).not.toContain('never-logged-secret');
  }, 60_000);
});
