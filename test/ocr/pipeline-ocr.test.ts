// The pipeline with the real OCR engine: memes fetched over HTTP from a local server, read by
// tesseract.js, classified, and recorded; hostile files recorded as "not scanned" with the reason.
// Scores come from the word-list test scorer, so retraining the built-in model never changes them.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModerationPipeline } from '../../src/core/pipeline.js';
import { PolicyService } from '../../src/core/policies.js';
import { ImageOcr } from '../../src/ocr/index.js';
import { Store } from '../../src/store/index.js';
import { message } from '../helpers/messages.js';
import { wordScorer } from '../helpers/word-scorer.js';
import { renderBomb, renderMeme, renderScreenshot } from '../helpers/images.js';

let server: Server;
let base: string;
let ocr: ImageOcr;
let store: Store;
let pipeline: ModerationPipeline;
const files = new Map<string, { body: Buffer; type: string }>();

beforeAll(async () => {
  files.set('/toxic.jpg', { body: await renderMeme({ top: 'you are a worthless idiot', bottom: 'nobody likes you', format: 'jpeg' }), type: 'image/jpeg' });
  files.set('/clean.png', { body: await renderMeme({ top: 'when the pizza arrives', bottom: 'early on a friday' }), type: 'image/png' });
  files.set('/watermarked.png', { body: await renderScreenshot(['have a lovely weekend everyone', 'imgflip.com']), type: 'image/png' });
  // Named .png and declared as PNG, but it is a decompression bomb / a text file.
  files.set('/bomb.png', { body: renderBomb(20_000), type: 'image/png' });
  files.set('/fake.png', { body: Buffer.from('this is not a picture at all'), type: 'image/png' });
  server = createServer((req, res) => {
    const f = files.get(req.url ?? '');
    if (req.url === '/stall.png') return void res.writeHead(200, { 'content-type': 'image/png' }).write(Buffer.alloc(8));
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scorer = wordScorer();
  // The image server is on loopback: allowed explicitly (downloads are refused from private addresses by default).
  ocr = await ImageOcr.create({ workers: 2, downloadTimeoutMs: 500, allowPrivateHosts: ['127.0.0.1'] });
  store = await Store.open(join(mkdtempSync(join(tmpdir(), 'toxguard-ocr-pipeline-')), 'db.sqlite'));
  pipeline = new ModerationPipeline({ scorer, store, policies: new PolicyService(store, scorer.thresholds), ocr });
});
afterAll(async () => {
  await ocr.close();
  await store.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const image = (name: string) => ({ url: `${base}/${name}`, name, contentType: 'image/png' });

describe('pipeline + real OCR', () => {
  it('flags a harmless message whose meme caption is toxic, and says the image drove it', async () => {
    const out = await pipeline.submit(message({ text: 'lol', attachments: [image('toxic.jpg'), image('clean.png')] }));
    expect(out.scores.toxic).toBeGreaterThan(0.7);
    expect(out.scores.insult).toBeGreaterThan(0.5);
    expect(out.labelSources.toxic).toBe('attachment:0');
    const stored = await store.getVerdict(out.record.verdictId);
    expect(stored?.sources[0]?.text).toMatch(/WORTHLESS\s+IDIOT/);
    expect(stored?.sources[0]?.scores?.toxic).toBeGreaterThan(0.7);
    expect(stored?.sources[1]?.text).toMatch(/PIZZA/);
    expect(stored?.sources[1]?.scores?.toxic).toBeLessThan(0.5);
  });

  it('records watermark lines but does not classify them', async () => {
    const out = await pipeline.submit(message({ text: '', attachments: [image('watermarked.png')] }));
    const source = (await store.getVerdict(out.record.verdictId))?.sources[0];
    expect(source?.scanned).toBe(true);
    expect(source?.text).toMatch(/lovely weekend[\s\S]*imgflip\.com/i);
  });

  it('records hostile and broken files as not scanned, with the reason, and still scores the text', async () => {
    const out = await pipeline.submit(
      message({ text: 'you absolute moron', attachments: [image('bomb.png'), image('fake.png'), image('missing.png'), image('stall.png')] }),
    );
    expect(out.scores.insult).toBeGreaterThan(0.5);
    const reasons = (await store.getVerdict(out.record.verdictId))?.sources.map((s) => [s.scanned, s.reason]);
    expect(reasons).toEqual([
      [false, expect.stringMatching(/megapixel limit/)],
      [false, expect.stringMatching(/not a readable image/)],
      [false, expect.stringMatching(/HTTP 404/)],
      [false, expect.stringMatching(/longer than 500 ms/)],
    ]);
  });
});
