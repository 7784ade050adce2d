// `toxguard drift` on a real database file, against the committed built-in model's reference.json.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABELS, type Scores } from '../../src/classifier/labels.js';
import { modelsDir } from '../../src/paths.js';
import { loadReference } from '../../src/monitoring/reference.js';
import { Store } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { message } from '../helpers/messages.js';
import { readManifest, resolveModelDir } from '../../src/classifier/registry.js';

/** The committed built-in model (its reference and its verdicts carry its name and version). */
const manifest = readManifest(resolveModelDir('builtin'));
const BUILTIN = { name: manifest.name, version: manifest.version };

describe('toxguard drift', () => {
  it('the built-in model has a reference made from its validation split', () => {
    const ref = loadReference(join(modelsDir(), 'builtin'));
    expect(ref?.model).toEqual(BUILTIN);
    expect(ref?.texts).toBeGreaterThan(1000);
    expect(ref?.source).toMatch(/validation split/);
    for (const l of LABELS) expect(ref?.scores[l].reduce((a, b) => a + b, 0)).toBe(ref?.texts);
  });

  it('computes the missing days and prints a table with the rows over the bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-drift-cli-'));
    const file = join(dir, 'toxguard.sqlite');
    const yesterday = new Date(Date.now() - 86_400_000);
    const store = await Store.open(file, { now: () => yesterday });
    // Every message scored as very toxic: far from any realistic reference.
    const scores = Object.fromEntries(LABELS.map((l) => [l, 0.99])) as Scores;
    for (let i = 0; i < 250; i++) {
      await store.recordVerdict({
        message: message({ text: `message number ${i} with some words in it` }),
        scores,
        labelSources: {},
        spans: [],
        sources: [],
        model: BUILTIN,
        decision: { actions: [], triggered: [], logOnly: true },
        latencyMs: 1,
      });
    }
    await store.close();
    const res = await runCli(['drift', '--db', file, '--days', '3', '--model', 'builtin'], { env: { TOXGUARD_CONFIG: '' } });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^day\s+server\s+metric/m);
    expect(res.stdout).toMatch(/\(all\)\s+score\s+toxic\s+[\d.]+\s+0\.20\s+250\s+OVER/);
    expect(res.stdout).toMatch(/\(all\)\s+no_text\s+0\.0%/);
    const again = await runCli(['drift', '--db', file, '--days', '3', '--json'], { env: { TOXGUARD_CONFIG: '' } });
    const rows = again.stdout.trim().split('\n').map((l) => JSON.parse(l) as { metric: string; over: boolean });
    expect(rows.filter((r) => r.metric === 'score' && r.over).length).toBeGreaterThan(0);
  });
});
