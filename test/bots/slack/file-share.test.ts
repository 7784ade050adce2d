// An image shared in Slack whose caption is toxic: the real OCR engine downloads url_private with
// the bot token from the fake, reads the caption, and the pipeline acts on it. Without a valid
// token Slack answers with its HTML sign-in page: recorded as not scanned, never read as an image.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { wordScorer } from '../../helpers/word-scorer.js';
import type { Scorer } from '../../../src/classifier/scorer.js';
import { ImageOcr } from '../../../src/ocr/index.js';
import { renderMeme } from '../../helpers/images.js';
import { BOT_TOKEN, GENERAL, Harness, MEMBER, MODS, TEAM, blocksOf, nextTs } from './harness.js';

let scorer: Scorer;
let ocr: ImageOcr;
let meme: Buffer;
let h: Harness | undefined;

beforeAll(async () => {
  [scorer, ocr, meme] = await Promise.all([wordScorer(), ImageOcr.create({ workers: 1, allowPrivateHosts: ['127.0.0.1'] }), renderMeme({ top: 'YOU ARE A STUPID', bottom: 'WORTHLESS IDIOT' })]);
});

afterAll(async () => {
  await ocr?.close();
});

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function shareImage(hh: Harness, fileTeam: string, text: string): Promise<string> {
  const ts = nextTs();
  const fileId = `F${ts.replace('.', '')}`;
  const url = hh.fake.addFile(fileTeam, fileId, 'meme.png', meme, 'image/png');
  hh.fake.addMessage(GENERAL, ts, MEMBER, text);
  const res = await hh.sendEvent({
    type: 'message',
    subtype: 'file_share',
    channel: GENERAL,
    user: MEMBER,
    text,
    ts,
    team: TEAM,
    upload: false,
    files: [{ id: fileId, name: 'meme.png', title: 'meme.png', mimetype: 'image/png', filetype: 'png', size: meme.length, mode: 'hosted', url_private: url, url_private_download: `${url}?download=1` }],
  });
  expect(res.status).toBe(200);
  return ts;
}

describe('Slack app: image file share', () => {
  it('reads a toxic caption in a shared image (downloaded with the bot token) and flags + alerts', async () => {
    h = await Harness.start({ scorer, ocr, policy: { mode: 'active', 'alerts.channelId': MODS } });
    const hh = h;
    const ts = await shareImage(hh, TEAM, 'look at this lol');
    await vi.waitFor(() => expect(hh.fake.okCalls('chat.postMessage')).toHaveLength(1), { timeout: 30_000, interval: 50 });

    expect(hh.fake.downloads).toEqual([expect.objectContaining({ token: BOT_TOKEN, authorized: true })]);
    const v = await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${ts}`);
    expect(v?.text).toBe('look at this lol');
    expect(v?.sources).toHaveLength(1);
    expect(v?.sources[0]).toMatchObject({ scanned: true, name: 'meme.png' });
    expect(v?.sources[0]?.text?.toUpperCase()).toMatch(/STUPID/);
    expect(v?.labelSources.insult).toBe('attachment:0');
    expect(v?.decision.actions).toEqual(['flag', 'alert']);
    // The stored source URL is the file's; the token went only into the download's header.
    expect(hh.db().prepare('SELECT url FROM verdict_sources').get()).toEqual({ url: expect.stringContaining('/files-pri/') });
    expect(JSON.stringify(hh.db().prepare('SELECT * FROM verdicts').all())).not.toContain(BOT_TOKEN);

    const alert = JSON.stringify(blocksOf(hh.fake.okCalls('chat.postMessage')[0]?.params ?? {}));
    expect(alert).toContain('(OCR text)');
    expect(alert.toUpperCase()).toContain('IDIOT');
    expect(alert).toContain('insult from image 1');
    await vi.waitFor(() => expect(hh.fake.okCalls('reactions.add')[0]?.params).toMatchObject({ channel: GENERAL, timestamp: ts }), { timeout: 5000, interval: 25 });
  });

  it("gets Slack's HTML sign-in page instead of the image without a valid token: not scanned, nothing done", async () => {
    h = await Harness.start({ scorer, ocr, policy: { mode: 'active', 'alerts.channelId': MODS } });
    const hh = h;
    // A file of another workspace: our bot token is not valid for it, as when files:read is missing.
    const ts = await shareImage(hh, 'T0OTHER', '');
    await vi.waitFor(() => expect(hh.count('verdicts', 'message_id = ?', ts)).toBe(1), { timeout: 30_000, interval: 50 });
    expect(hh.fake.downloads).toEqual([expect.objectContaining({ authorized: false })]);
    const v = await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${ts}`);
    expect(v?.sources[0]).toMatchObject({ scanned: false, reason: expect.stringMatching(/html/i) });
    expect(v?.decision.actions).toEqual([]);
    await hh.pipeline.drain();
    expect(hh.count('actions')).toBe(0);
    expect(hh.fake.okCalls('chat.postMessage')).toHaveLength(0);
  });
});
