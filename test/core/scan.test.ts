import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScorer } from '../../src/classifier/registry.js';
import { ModerationPipeline } from '../../src/core/pipeline.js';
import { PolicyService } from '../../src/core/policies.js';
import { scanFile } from '../../src/core/scan.js';
import { Store } from '../../src/store/index.js';

describe('batch scans', () => {
  it('scans JSONL and CSV exports, reports bad lines, and resumes without duplicating verdicts', async () => {
    const scorer = await loadScorer('builtin');
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-scan-'));
    const file = join(dir, 'export.jsonl');
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: i, text: i % 3 ? `hello friend ${i}` : `you idiot ${i}`, channel: 'c1', author: `u${i % 7}` }));
    lines.splice(10, 0, '{"id": "broken"');
    writeFileSync(file, lines.join('\n') + '\n');
    const dbFile = join(dir, 'db.sqlite');
    const open = async () => {
      const store = await Store.open(dbFile);
      return { store, pipeline: new ModerationPipeline({ scorer, store, policies: new PolicyService(store, scorer.thresholds) }) };
    };
    const bad: number[] = [];
    const first = await open();
    const r1 = await scanFile({ file, ...first, serverId: 'g1', checkpointEvery: 50, onBadLine: (l) => bad.push(l) });
    expect(r1).toMatchObject({ lines: 301, scanned: 300, bad: 1, resumedFrom: 0 });
    expect(bad).toEqual([11]);
    expect((await first.store.stats('g1', new Date(0).toISOString())).verdicts).toBe(300);
    await first.store.close();

    // A second run of the same file resumes after the last checkpoint: nothing new.
    const second = await open();
    const r2 = await scanFile({ file, ...second, serverId: 'g1' });
    expect(r2.resumedFrom).toBe(301);
    expect(r2.scanned).toBe(0);
    expect((await second.store.stats('g1', new Date(0).toISOString())).verdicts).toBe(300);

    const csv = join(dir, 'export.csv');
    writeFileSync(csv, 'id,text,channel\n1,"you are, frankly, an idiot",c2\n2,"nice ""quoted"" words",c2\n');
    const r3 = await scanFile({ file: csv, ...second, serverId: 'g2' });
    expect(r3.scanned).toBe(2);
    expect((await second.store.stats('g2', new Date(0).toISOString())).verdicts).toBe(2);
    await second.store.close();
  });

  it('never plans platform actions, even for rows that say discord, and rejects unknown platforms', async () => {
    const scorer = await loadScorer('builtin');
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-scan-'));
    const file = join(dir, 'export.jsonl');
    const rows = [
      { id: 'a', text: 'shut up you worthless fucking idiot', platform: 'discord', server: 'g3', channel: 'c1' },
      { id: 'b', text: 'you stupid idiot, I will find you', platform: 'slack', server: 'g3', channel: 'c1' },
      { id: 'c', text: 'you moron', server: 'g3' },
      { id: 'd', text: 'hello', platform: 'nonsense', server: 'g3' },
    ];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const store = await Store.open(join(dir, 'db.sqlite'));
    const policies = new PolicyService(store, scorer.thresholds);
    // Active, with every action on: a live message like row a would be flagged, alerted and deleted.
    await policies.setMany('g3', [['mode', 'active'], ['actions.delete.enabled', 'true'], ['actions.delete.thresholds.toxic', '0.5'], ['alerts.channelId', 'mods']], 'test', 'cli');
    const pipeline = new ModerationPipeline({ scorer, store, policies });
    const bad: { line: number; reason: string }[] = [];
    const result = await scanFile({ file, store, pipeline, serverId: 'g3', onBadLine: (line, reason) => bad.push({ line, reason }) });
    expect(result).toMatchObject({ scanned: 3, bad: 1 });
    expect(bad).toEqual([{ line: 4, reason: expect.stringMatching(/unknown "platform" "nonsense" \(expected one of discord, slack, reddit, api, scan\)/) as unknown as string }]);
    const stats = await store.stats('g3', new Date(0).toISOString());
    expect(stats.verdicts).toBe(3);
    expect(stats.flaggedVerdicts).toBeGreaterThan(0);
    const actions = Object.values(stats.actions).flatMap((byStatus) => Object.values(byStatus));
    expect(actions.reduce((a, b) => a + b, 0)).toBe(0);
    const discordRow = await store.getVerdict('discord:g3:c1:a');
    expect(discordRow?.decision.actions).toContain('delete'); // what the policy decided is recorded ...
    expect(await store.listActions(discordRow?.id ?? -1)).toEqual([]); // ... and nothing was planned
    await store.close();
  });
});
