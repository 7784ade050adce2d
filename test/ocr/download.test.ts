// Downloads against a real local HTTP server: limits enforced while streaming, time limits, and
// login pages served instead of images.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageBytes } from '../../src/ocr/download.js';
import { ImageRefused } from '../../src/ocr/refusal.js';

let server: Server;
let base: string;
const served = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    served.set(req.url ?? '', (served.get(req.url ?? '') ?? 0) + 1);
    switch (req.url) {
      case '/ok.png':
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(1000, 7));
        return;
      case '/declared-huge':
        res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
        res.write(Buffer.alloc(1024));
        return; // never finishes: the client must not wait for it
      case '/endless': {
        // No content-length, chunked: only counting bytes as they arrive can stop this.
        res.writeHead(200, { 'content-type': 'image/png' });
        const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 1);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case '/slow':
        res.writeHead(200);
        res.write(Buffer.alloc(10));
        return; // stalls
      case '/private':
        if (req.headers.authorization === 'Bearer xoxb-test') res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('PNGDATA'));
        else res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html>sign in</html>');
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const limits = { maxBytes: 1024 * 1024, timeoutMs: 2000 };
const refused = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageRefused);
  return (err as Error).message;
};

describe('image downloads', () => {
  it('downloads an image', async () => {
    const bytes = await imageBytes({ url: `${base}/ok.png`, name: 'ok.png' }, limits);
    expect(bytes.length).toBe(1000);
  });

  it('refuses a declared size over the limit without reading the body', async () => {
    expect(await refused(imageBytes({ url: `${base}/declared-huge`, name: 'x.png' }, limits))).toMatch(/larger than the 1 MB limit \(50 MB declared\)/);
  });

  it('stops an undeclared stream as soon as it passes the limit', async () => {
    const started = performance.now();
    expect(await refused(imageBytes({ url: `${base}/endless`, name: 'x.png' }, limits))).toMatch(/larger than the 1 MB limit/);
    expect(performance.now() - started).toBeLessThan(limits.timeoutMs);
  });

  it('gives up on a stalled download at the time limit', async () => {
    expect(await refused(imageBytes({ url: `${base}/slow`, name: 'x.png' }, { ...limits, timeoutMs: 300 }))).toMatch(/longer than 300 ms/);
  });

  it('sends the attachment headers (Slack url_private) and reports HTTP errors', async () => {
    const withAuth = await imageBytes({ url: `${base}/private`, name: 'p.png', headers: { authorization: 'Bearer xoxb-test' } }, limits);
    expect(withAuth.toString()).toBe('PNGDATA');
    const withoutAuth = await imageBytes({ url: `${base}/private`, name: 'p.png' }, limits);
    expect(withoutAuth.toString()).toMatch(/^<!DOCTYPE html>/); // inspectImage refuses this as HTML
    expect(await refused(imageBytes({ url: `${base}/missing.png`, name: 'm.png' }, limits))).toMatch(/HTTP 404/);
    expect(await refused(imageBytes({ url: 'file:///etc/passwd', name: 'x.png' }, limits))).toMatch(/not http/);
  });

  it('uses bytes that came with the request, with the same limit', async () => {
    expect((await imageBytes({ url: 'upload', name: 'a.png', data: Buffer.alloc(10) }, limits)).length).toBe(10);
    expect(await refused(imageBytes({ url: 'upload', name: 'a.png', data: Buffer.alloc(2 * 1024 * 1024) }, limits))).toMatch(/larger than/);
  });
});
