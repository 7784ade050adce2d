// `toxguard serve` wires the dashboard in: its login works with TOXGUARD_DASHBOARD_PASSWORD, the
// dashboard needs no API bearer token, and the password never reaches the logs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../helpers/cli.js';
import { describe, expect, it } from 'vitest';


describe('toxguard serve with the dashboard', () => {
  it('serves /dashboard behind its login', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'toxguard-serve-dashboard-'));
    const password = 'dashboard-password-never-logged';
    const serve = await startServe(cwd, { DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '', TOXGUARD_API_TOKEN: 'api-token', TOXGUARD_DASHBOARD_PASSWORD: password });
    const { address } = serve;
    try {
      expect(serve.logs()).toContain(`"dashboard":"${address}/dashboard/"`);
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
      await serve.stop();
    }
    expect(serve.logs()).not.toContain(password);
  }, 60_000);
});
