// `toxguard serve` with no configuration at all: API on loopback, embedded SQLite file, built-in model.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../helpers/cli.js';
import { describe, expect, it } from 'vitest';


describe('toxguard serve', () => {
  it('starts with no configuration, answers /predict, stores verdicts in data/toxguard.sqlite, stops on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'toxguard-serve-'));
    const serve = await startServe(cwd, { DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '', TOXGUARD_API_TOKEN: 'never-logged-secret' });
    const { address } = serve;
    const res = await fetch(`${address}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs":["you are an idiot"]}' });
    expect(res.status).toBe(200);
    const [first] = (await res.json()) as { label: string; score: number }[][];
    expect(first?.find((x) => x.label === 'toxic')?.score).toBeGreaterThan(0.5);
    const mod = await fetch(`${address}/v1/moderate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi there","server_id":"g1"}' });
    expect(mod.status).toBe(200);
    await serve.stop();
    expect(existsSync(join(cwd, 'data', 'toxguard.sqlite'))).toBe(true);
    expect(serve.logs()).toMatch(/DISCORD_TOKEN not set/);
    expect(serve.logs()).not.toContain('never-logged-secret');
  }, 60_000);
});
