// A meme whose caption is toxic, end to end with the real OCR engine: the fake's CDN serves the
// rendered image, the pipeline reads it, the verdict and the alert carry the OCR text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordScorer } from '../../helpers/word-scorer.js';
import { ImageOcr } from '../../../src/ocr/index.js';
import { renderMeme } from '../../helpers/images.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let ocr: ImageOcr;

beforeAll(async () => {
  const scorer = wordScorer();
  // The fake Discord CDN is on loopback: allowed explicitly (downloads are refused from private addresses by default).
  ocr = await ImageOcr.create({ workers: 1, allowPrivateHosts: ['127.0.0.1'] });
  h = await startHarness({ scorer, ocr });
});
afterAll(async () => {
  await h?.stop();
  await ocr?.close();
});

interface AlertBody {
  embeds: { title: string; fields: { name: string; value: string }[] }[];
}

describe('Discord adapter: images', () => {
  it('flags a meme whose caption is toxic (OCR), with the OCR text in the alert', async () => {
    await h.resetPolicy();
    const png = await renderMeme({ top: 'YOU ARE A WORTHLESS', bottom: 'STUPID IDIOT' });
    const url = h.fake.addFile('meme.png', png, 'image/png');
    const from = h.fake.calls.length;
    const m = h.send({
      author: h.world.alice,
      content: 'lol look at this',
      channelId: h.world.channels.general,
      attachments: [{ filename: 'meme.png', url, proxy_url: url, size: png.length, content_type: 'image/png', width: 600, height: 400 }],
    });
    const verdict = await h.verdict(m);
    await h.settled(verdict.id);

    expect(h.fake.cdnHits).toContain(new URL(url).pathname);
    const [source] = verdict.sources;
    expect(source).toMatchObject({ attachment: 0, name: 'meme.png', scanned: true });
    expect(source?.text?.toLowerCase()).toContain('idiot');
    expect(verdict.labelSources.insult).toBe('attachment:0');
    expect(verdict.decision.actions).toEqual(['flag', 'alert']);
    expect(h.fake.callsTo('PUT', new RegExp(`/messages/${m.id}/reactions/`), from)).toHaveLength(1);

    const [alert] = h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from);
    const fields = Object.fromEntries(((alert?.body as AlertBody).embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Text in image 1 (meme.png)']?.toLowerCase()).toContain('idiot');
  });

  it('reads images of embeds too (a linked image)', async () => {
    await h.resetPolicy();
    const png = await renderMeme({ top: 'SHUT UP YOU', bottom: 'PATHETIC MORON', seed: 7 });
    const url = h.fake.addFile('linked.png', png, 'image/png');
    const m = h.send({
      author: h.world.alice,
      content: '',
      channelId: h.world.channels.general,
      embeds: [{ type: 'image' as never, url, thumbnail: { url, proxy_url: url, width: 600, height: 400 } }],
    });
    const verdict = await h.verdict(m);
    expect(verdict.sources[0]).toMatchObject({ name: 'linked.png', scanned: true });
    expect(verdict.sources[0]?.text?.toLowerCase()).toContain('moron');
    expect(verdict.decision.triggered.length).toBeGreaterThan(0);
  });
});
