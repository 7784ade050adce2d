// /healthz includes the database: a replica whose database does not answer reports 503 (so a load
// balancer takes it out), without saying where the database is.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Scorer } from '../../src/classifier/scorer.js';
import { buildServer } from '../../src/server/app.js';
import { Store } from '../../src/store/index.js';

const scorer: Scorer = {
  name: 'fake',
  version: '0',
  thresholds: { toxic: 0.5, severe_toxic: 0.5, obscene: 0.5, threat: 0.5, insult: 0.5, identity_hate: 0.5 },
  scoreBatch: async (texts) => texts.map(() => ({ scores: { toxic: 0, severe_toxic: 0, obscene: 0, threat: 0, insult: 0, identity_hate: 0 } })),
};

describe('/healthz', () => {
  it('says the database is ok while it answers, and 503 once it does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-health-'));
    const store = await Store.open(join(dir, 'h.db'));
    const app = buildServer({ scorer, database: store });
    try {
      const ok = await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.1.2.3' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ status: 'ok', model: 'fake@0', database: { backend: 'sqlite', status: 'ok' } });
      await store.close();
      const down = await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.1.2.3' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'error', model: 'fake@0', database: { backend: 'sqlite', status: 'unreachable' } });
      expect(down.body).not.toContain(dir);
    } finally {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
