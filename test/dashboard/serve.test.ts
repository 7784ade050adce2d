// `toxguard serve` wires the dashboard in, on SQLite and on PostgreSQL (DATABASE_URL): its login works
// with TOXGUARD_DASHBOARD_PASSWORD, the dashboard needs no API bearer token, its answers come from the
// configured store, and the password never reaches the logs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../helpers/cli.js';
import { describeBackends, newPgDatabase } from '../store/helpers.js';
import { expect, it } from 'vitest';

describeBackends('toxguard serve with the dashboard', (backend) => {
  it('serves /dashboard behind its login, on the configured store', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'toxguard-serve-dashboard-'));
    const password = 'dashboard-password-never-logged';
    const database = backend === 'postgres' ? { DATABASE_URL: await newPgDatabase('serve') } : {};
    const serve = await startServe(cwd, { DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '', TOXGUARD_API_TOKEN: 'api-token', TOXGUARD_DASHBOARD_PASSWORD: password, ...database });
    const { address } = serve;
    try {
      expect(serve.logs()).toContain(`"dashboard":"${address}/dashboard/"`);
      if (backend === 'postgres') expect(serve.logs()).toContain('"database":"postgres://');
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
      // A change through the dashboard lands in that store and shows in its server list.
      const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await (await fetch(`${address}/dashboard/`, { headers: { cookie } })).text())?.[1] ?? '';
      const saved = await fetch(`${address}/dashboard/api/policy`, {
        method: 'POST',
        headers: { cookie, origin: address, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ server: 'g9', set: { mode: 'active' } }),
      });
      expect(saved.status).toBe(200);
      expect(await (await fetch(`${address}/dashboard/api/servers`, { headers: { cookie } })).json()).toEqual({ servers: [{ serverId: 'g9', verdicts: 0, pending: 0 }] });
    } finally {
      await serve.stop();
    }
    expect(serve.logs()).not.toContain(password);
  }, 60_000);
});
