// `toxguard serve` wires the dashboard in: its login works with TOXGUARD_DASHBOARD_PASSWORD, the
// dashboard needs no API bearer token, and the password never reaches the logs.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('toxguard serve with the dashboard', () => {
  it('serves /dashboard behind its login', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'toxguard-serve-dashboard-'));
    const password = 'dashboard-password-never-logged';
    const env = { ...process.env, PORT: '0', DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '', TOXGUARD_API_TOKEN: 'api-token', TOXGUARD_DASHBOARD_PASSWORD: password };
    const child = spawn(process.execPath, ['--import', pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, resolve(ROOT, 'src/cli/main.ts'), 'serve'], { cwd, env });
    let logs = '';
    child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    try {
      const address = await new Promise<string>((done, fail) => {
        child.stdout.on('data', (d: Buffer) => {
          logs += d.toString();
          const m = /"address":"(http:\/\/[^"]+)"/.exec(logs);
          if (m?.[1]) done(m[1]);
        });
        child.on('close', () => fail(new Error(`serve exited: ${logs}`)));
      });
      expect(logs).toContain(`"dashboard":"${address}/dashboard/"`);
      const page = await fetch(`${address}/dashboard/`, { redirect: 'manual' });
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/dashboard/login?next=%2Fdashboard%2F');
      const login = await fetch(`${address}/dashboard/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: address, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ password, name: 'erin' }),
      });
      expect(login.status).toBe(303);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const servers = await fetch(`${address}/dashboard/api/servers`, { headers: { cookie } });
      expect(servers.status).toBe(200);
      expect(await servers.json()).toEqual({ servers: [] });
    } finally {
      child.kill('SIGTERM');
      await new Promise((done) => child.on('close', done));
    }
    expect(logs).not.toContain(password);
  }, 60_000);
});
