import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];
const dir = mkdtempSync(join(tmpdir(), 'toxguard-cli-'));

describe('toxguard classify', () => {
  it('writes one {"id", "scores"} line per input line, in input order, ids kept as given', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      id: i % 3 === 0 ? i : `m${i}`,
      text: i % 2 ? `thanks for the game number ${i}` : `you are a stupid idiot number ${i}`,
    }));
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(input, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const res = await runCli(['classify', '--input', input, '--output', output, '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    const out = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: unknown; scores: Record<string, number> });
    expect(out.map((o) => o.id)).toEqual(rows.map((r) => r.id));
    for (const o of out) {
      expect(Object.keys(o.scores)).toEqual(LABELS);
      for (const v of Object.values(o.scores)) expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(out[0]!.scores.toxic).toBeGreaterThan(out[1]!.scores.toxic as number);
  });

  it('adds character spans of the original text with --explain', async () => {
    const text = 'nice stream, but you are a worthless idiot';
    const res = await runCli(['classify', '--input', '-', '--output', '-', '--explain'], { input: JSON.stringify({ id: 'a', text }) + '\n' });
    expect(res.code, res.stderr).toBe(0);
    const line = JSON.parse(res.stdout) as { id: string; spans: [number, number][] };
    expect(line.spans.length).toBeGreaterThan(0);
    expect(line.spans.map(([s, e]) => text.slice(s, e)).join(' ')).toMatch(/idiot/);
  });

  it('names each bad line, keeps the good ones, and exits non-zero', async () => {
    const input = ['{"id": 1, "text": "hello"}', '{"id": 2, "text": ', '{"id": 3}', '["x"]', '', '{"id": 4, "text": ""}'].join('\n');
    const res = await runCli(['classify', '--input', '-', '--output', '-'], { input });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 2: not valid JSON/);
    expect(res.stderr).toMatch(/line 3: "text" must be a string/);
    expect(res.stderr).toMatch(/line 4: expected an object/);
    const out = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: unknown; error?: string; scores?: object });
    expect(out.map((o) => o.id)).toEqual([1, null, 3, null, 4]);
    expect(out[0]!.scores).toBeDefined();
    expect(out[4]!.scores).toBeDefined();
    expect(out[1]!.error).toMatch(/line 2/);
  });

  it('fails clearly for an unknown model', async () => {
    const res = await runCli(['classify', '--input', '-', '--output', '-', '--model', 'no-such-model'], { input: '{"id":1,"text":"x"}\n' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/unknown model "no-such-model"/);
  });
});

describe('toxguard check / models', () => {
  it('prints the six scores and what drove the flagged labels', async () => {
    const res = await runCli(['check', 'you are a worthless idiot']);
    expect(res.code, res.stderr).toBe(0);
    for (const l of LABELS) expect(res.stdout).toContain(l);
    expect(res.stdout).toMatch(/toxic .*FLAGGED.*idiot/);
  });

  it('lists the registered models with the default marked', async () => {
    const res = await runCli(['models', 'list']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^\* builtin/m);
  });
});
