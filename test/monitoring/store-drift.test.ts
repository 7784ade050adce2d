// The drift table through the Store API on a real SQLite file, and the monitoring config section.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { DriftMonitor } from '../../src/monitoring/monitor.js';
import { MonitoringConfigSchema } from '../../src/monitoring/config.js';
import { Store, StoreError } from '../../src/store/index.js';

describe('store.recordDrift / listDrift', () => {
  it('stores typed daily rows per server, upserts them and keeps the record of a sent alert', async () => {
    const store = await Store.open(join(mkdtempSync(join(tmpdir(), 'toxguard-drift-store-')), 't.sqlite'));
    try {
      const model = 'builtin@1.0.0';
      const [all] = await store.recordDrift([
        { day: '2026-05-01', metric: 'score', label: 'toxic', value: 0.31, bound: 0.2, n: 500, model },
        { day: '2026-05-01', serverId: 'g1', metric: 'no_text', value: 0.1, bound: 0.5, reference: 0, n: 300, model },
        { day: '2026-05-02', metric: 'length', value: 0.05, bound: 0.2, n: 480, model },
      ]);
      expect(all).toMatchObject({ day: '2026-05-01', serverId: null, metric: 'score', label: 'toxic', value: 0.31, bound: 0.2, over: true, n: 500, alerted: false, alertedAt: null });
      expect((await store.listDrift({ since: '2026-05-01' })).map((r) => [r.day, r.metric, r.label, r.over])).toEqual([
        ['2026-05-01', 'score', 'toxic', true],
        ['2026-05-02', 'length', undefined, false],
      ]);
      expect(await store.listDrift({ since: '2026-05-01', serverId: 'g1' })).toMatchObject([{ serverId: 'g1', metric: 'no_text', reference: 0, over: false }]);
      expect(await store.listDrift({ since: '2026-05-01', until: '2026-05-01', allServers: true })).toHaveLength(2);
      expect(await store.listDrift({ since: new Date('2026-05-02T13:00:00Z') })).toHaveLength(1);
      // An all-servers row is marked alerted and told to no one but the log: no notice.
      expect(await store.alertDrift(all?.id ?? -1, 'drift')).toEqual({ marked: true, notices: [] });
      expect(await store.alertDrift(all?.id ?? -1, 'drift')).toEqual({ marked: false, notices: [] });
      const [again] = await store.recordDrift({ day: '2026-05-01', metric: 'score', label: 'toxic', value: 0.4, bound: 0.2, n: 520, model });
      expect(again).toMatchObject({ id: all?.id, value: 0.4, n: 520, alerted: true });
      await expect((async () => await store.recordDrift({ day: '1 May', metric: 'length', value: 1, bound: 1, n: 1, model }))()).rejects.toThrow(StoreError);
      await expect((async () => await store.recordDrift({ day: '2026-05-03', metric: 'length', value: Number.NaN, bound: 1, n: 1, model }))()).rejects.toThrow(/finite/);
      // A purged server's own rows go with it; the all-servers rows stay.
      await store.purgeServer('g1');
      expect((await store.listDrift({ since: '2026-05-01', allServers: true })).some((r) => r.serverId === 'g1')).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('starts a timer that does not keep the process alive, and stops it', async () => {
    const store = await Store.open(':memory:');
    const monitor = new DriftMonitor({ store, reference: undefined, model: 'm@1', config: MonitoringConfigSchema.parse({}) });
    monitor.start();
    monitor.stop();
    expect(await monitor.runOnce()).toEqual({ days: [], alerts: [] });
    await store.close();
  });
});

describe('monitoring config section', () => {
  it('has defaults and names unknown keys', () => {
    const config = loadConfig({ env: {} });
    expect(config.monitoring).toMatchObject({ enabled: true, psiBound: 0.2, noTextMargin: 0.5, ocrFailureBound: 0.2, minMessages: 200, lookbackDays: 7 });
    expect(MonitoringConfigSchema.parse({ psiBound: 0.1 }).psiBound).toBe(0.1);
    expect(() => MonitoringConfigSchema.parse({ psiBoud: 0.1 })).toThrow(/psiBoud/);
  });
});
