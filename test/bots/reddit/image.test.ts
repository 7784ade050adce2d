// Image posts end to end with the real OCR engine: an i.redd.it-style image post and a gallery,
// served by the fake, read by tesseract, their caption text classified and reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractOcr } from '../../../src/ocr/index.js';
import { imagesOf } from '../../../src/bots/reddit/things.js';
import { renderMeme } from '../../helpers/images.js';
import { MEMBER, RedditHarness, SUB } from './harness.js';

let h: RedditHarness;
let ocr: TesseractOcr;

beforeAll(async () => {
  // The fake serves the images on loopback, which the OCR download refuses unless allowed.
  ocr = await TesseractOcr.create({ workers: 1, allowPrivateHosts: ['127.0.0.1'] });
  h = await RedditHarness.create({ ocr });
});
afterAll(async () => {
  await h?.close();
  await ocr?.close();
});

describe('Reddit adapter: images', () => {
  it('reads the caption of an image post and of a gallery picture (OCR) and acts on it', async () => {
    const meme = await renderMeme({ top: 'YOU ARE A WORTHLESS', bottom: 'STUPID IDIOT' });
    const clean = await renderMeme({ top: 'WHEN THE BUILD', bottom: 'PASSES FIRST TIME', seed: 3 });
    const memeUrl = h.fake.addImage('abc123.png', meme);
    const cleanUrl = h.fake.addImage('def456.png', clean);
    const imagePost = h.fake.addPost(SUB, { author: MEMBER, title: 'lol', url: memeUrl, post_hint: 'image' });
    const gallery = h.fake.addPost(SUB, {
      author: MEMBER,
      title: 'two pictures',
      gallery: [
        { id: 'g1', url: cleanUrl, type: 'image/png' },
        { id: 'g2', url: memeUrl, type: 'image/png' },
      ],
    });
    await h.bot.pollAll();
    await h.settled();

    const v = await h.verdict(imagePost.name, imagePost.name);
    expect(v?.sources[0]).toMatchObject({ attachment: 0, name: 'abc123.png', scanned: true });
    expect(v?.sources[0]?.text?.toLowerCase()).toContain('idiot');
    expect(v?.labelSources.insult).toBe('attachment:0');
    expect(v?.decision.actions).toEqual(['flag', 'alert']);

    const g = await h.verdict(gallery.name, gallery.name);
    expect(g?.sources.map((s) => [s.name, s.scanned])).toEqual([['g1.png', true], ['g2.png', true]]);
    expect(g?.labelSources.insult).toBe('attachment:1');
    expect(h.fake.imageHits.filter((p) => p === '/img/abc123.png').length).toBeGreaterThanOrEqual(2);

    const reported = h.fake.callsTo('POST', '/api/report').map((c) => c.form.thing_id).sort();
    expect(reported).toEqual([imagePost.name, gallery.name].sort());
    const mail = h.fake.callsTo('POST', '/api/mod/conversations').find((c) => c.form.body?.includes(imagePost.id));
    expect(mail?.form.body?.toLowerCase()).toContain('text in image 1:');
  });

  it('takes images from i.redd.it links, galleries and comment media, and nothing from other links', () => {
    const base = { id: 'x1', name: 't3_x1', subreddit: SUB, author: MEMBER, created_utc: 1, edited: false as const };
    expect(imagesOf({ ...base, url: 'https://i.redd.it/abcdef.jpg' })).toEqual([{ url: 'https://i.redd.it/abcdef.jpg', name: 'abcdef.jpg' }]);
    expect(imagesOf({ ...base, url: 'https://example.com/article', post_hint: 'link' })).toEqual([]);
    expect(imagesOf({ ...base, is_self: true, url: 'https://www.reddit.com/r/x/comments/x1/' })).toEqual([]);
    expect(
      imagesOf({ ...base, name: 't1_x1', body: 'look', media_metadata: { m1: { status: 'valid', e: 'Image', m: 'image/jpg', s: { u: 'https://preview.redd.it/m1.jpg?width=600' } }, v1: { status: 'valid', e: 'RedditVideo' } } }),
    ).toEqual([{ url: 'https://preview.redd.it/m1.jpg?width=600', name: 'm1.jpg', contentType: 'image/jpg' }]);
  });
});
