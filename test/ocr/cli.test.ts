// `toxguard ocr` as users and the external evaluation run it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { renderMeme, renderScreenshot } from '../helpers/images.js';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'toxguard-ocr-cli-'));
  writeFileSync(join(dir, 'meme.png'), await renderMeme({ top: 'get out of here loser' }));
  writeFileSync(join(dir, 'shot.jpg'), await renderScreenshot(['thanks for the help yesterday'], { format: 'jpeg' }));
  writeFileSync(join(dir, 'broken.png'), Buffer.from('not an image'));
  writeFileSync(
    join(dir, 'manifest.jsonl'),
    [
      { file: 'meme.png', text: 'GET OUT OF HERE LOSER', label: 1, source: 'rendered-memes' },
      { file: 'shot.jpg', text: 'thanks for the help yesterday', label: 0, source: 'rendered-shots' },
    ]
      .map((x) => JSON.stringify(x))
      .join('\n') + '\n',
  );
});

describe('toxguard ocr', () => {
  it('--json prints one line per image in the order given, errors included', async () => {
    const { code, stdout } = await runCli(['ocr', '--json', '-w', '2', join(dir, 'meme.png'), join(dir, 'broken.png'), join(dir, 'shot.jpg'), join(dir, 'nope.png')]);
    expect(code).toBe(1); // some images could not be read
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.file)).toEqual([join(dir, 'meme.png'), join(dir, 'broken.png'), join(dir, 'shot.jpg'), join(dir, 'nope.png')]);
    expect(lines[0]).toMatchObject({ text: expect.stringMatching(/GET\s+OUT\s+OF\s+HERE\s+LOSER/), confidence: expect.any(Number), ms: expect.any(Number) });
    expect(lines[1]).toEqual({ file: join(dir, 'broken.png'), error: expect.stringMatching(/not a readable image/) });
    expect(lines[2]?.text).toMatch(/thanks for the help yesterday/);
    expect(lines[3]).toEqual({ file: join(dir, 'nope.png'), error: expect.stringMatching(/ENOENT/) });
  });

  it('--eval prints both engines side by side: corpus CER/WER per source and overall, wall time, and ROC-AUC with --classify', async () => {
    const { code, stdout, stderr } = await runCli(['ocr', '--eval', join(dir, 'manifest.jsonl'), '--classify', '-w', '1', '-q']);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2 images, 1 worker\(s\)/);
    for (const engine of ['paddle', 'tesseract']) {
      const cer = Number(new RegExp(`toxguard ${engine}\\s+CER (\\d\\.\\d+)`).exec(stdout)?.[1]);
      expect(cer, engine).toBeLessThan(0.1);
    }
    // The configured engine (PaddleOCR by default) first.
    expect(stdout.indexOf('toxguard paddle')).toBeLessThan(stdout.indexOf('toxguard tesseract'));
    expect(stdout).toMatch(/toxguard paddle .* s on 1 worker\(s\), \d+\.\d\d images\/s/);
    expect(stdout).toMatch(/rendered-memes\s+n=1\s+paddle 0\.\d{3} \/ 0\.\d{3}\s+tesseract 0\.\d{3}/);
    expect(stdout).toMatch(/toxic ROC-AUC vs labels: paddle OCR text 1\.000, tesseract OCR text 1\.000, transcribed text 1\.000/);
  });

  it('--engine picks the engine; an unknown one is an error that lists the choices', async () => {
    const { code, stdout } = await runCli(['ocr', '--json', '--engine', 'tesseract', '-w', '1', join(dir, 'meme.png')]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ text: expect.stringMatching(/GET\s+OUT\s+OF\s+HERE\s+LOSER/) });
    const bad = await runCli(['ocr', '--engine', 'easyocr', join(dir, 'meme.png')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown OCR engine "easyocr" \(paddle, tesseract, auto\)/);
  });
});
