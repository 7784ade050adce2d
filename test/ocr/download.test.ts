// Downloads against a real local HTTP server: limits enforced while streaming, time limits, login
// pages served instead of images, and no way into private networks (SSRF) through a redirect. The
// server is on loopback, so the tests that download from it allow that host explicitly.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageBytes } from '../../src/ocr/download.js';
import { ImageRefused } from '../../src/ocr/refusal.js';

let server: Server;
let base: string;
const port = (): number => (server.address() as AddressInfo).port;
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
      case '/to-loopback':
        res.writeHead(302, { location: `http://127.0.0.1:${port()}/ok.png` }).end();
        return;
      case '/to-localhost':
        res.writeHead(302, { location: `http://localhost:${port()}/ok.png` }).end();
        return;
      case '/to-metadata':
        res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      case '/to-file':
        res.writeHead(302, { location: 'file:///etc/passwd' }).end();
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' }).end();
        return;
      case '/to-ok':
        res.writeHead(301, { location: '/ok.png' }).end();
        return;
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

// The test server is on loopback: allowed explicitly, as an internal CDN would be.
const limits = { maxBytes: 1024 * 1024, timeoutMs: 5000, allowPrivateHosts: ['127.0.0.1'] };
const publicOnly = { maxBytes: 1024 * 1024, timeoutMs: 5000 };
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

describe('no downloads from private networks (SSRF)', () => {
  it('refuses loopback, private and link-local addresses unless the host is allowed', async () => {
    const before = served.get('/ok.png') ?? 0;
    expect(await refused(imageBytes({ url: `${base}/ok.png`, name: 'x.png' }, publicOnly))).toMatch(/127\.0\.0\.1: a loopback address.*ocr\.allowPrivateHosts/);
    for (const url of ['http://10.1.2.3/a.png', 'http://192.168.0.1/a.png', 'http://172.20.0.1/a.png', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/a.png', 'http://[fe80::1]/a.png', 'http://[::ffff:127.0.0.1]/a.png', 'http://0.0.0.0/a.png']) {
      expect(await refused(imageBytes({ url, name: 'a.png' }, publicOnly)), url).toMatch(/refused to download from .*(loopback|private|link-local|unspecified)/);
    }
    expect(served.get('/ok.png') ?? 0).toBe(before); // refused before any request was sent
  });

  it('resolves names and refuses one that points at loopback', async () => {
    expect(await refused(imageBytes({ url: `http://localhost:${port()}/ok.png`, name: 'x.png' }, publicOnly))).toMatch(/localhost \((127\.0\.0\.1|::1)\): a loopback address/);
  });

  it('checks every redirect: a redirect to 127.0.0.1 is refused', async () => {
    // The first hop is allowed (as an internal CDN would be); the redirect target is not.
    const first = { ...publicOnly, allowPrivateHosts: ['localhost'] };
    expect((await imageBytes({ url: `http://localhost:${port()}/ok.png`, name: 'x.png' }, first)).length).toBe(1000);
    const before = served.get('/ok.png') ?? 0;
    expect(await refused(imageBytes({ url: `http://localhost:${port()}/to-loopback`, name: 'x.png' }, first))).toMatch(/refused to download from 127\.0\.0\.1: a loopback address/);
    expect(served.get('/ok.png') ?? 0).toBe(before);
    // ... and to a name that resolves to loopback, and to the cloud metadata address.
    const literal = { ...publicOnly, allowPrivateHosts: ['127.0.0.1'] };
    expect(await refused(imageBytes({ url: `${base}/to-localhost`, name: 'x.png' }, literal))).toMatch(/refused to download from localhost/);
    expect(await refused(imageBytes({ url: `${base}/to-metadata`, name: 'x.png' }, literal))).toMatch(/169\.254\.169\.254: a link-local address/);
    expect(served.get('/ok.png') ?? 0).toBe(before);
  });

  it('follows allowed redirects, refuses other schemes and endless loops', async () => {
    expect((await imageBytes({ url: `${base}/to-ok`, name: 'x.png' }, limits)).length).toBe(1000);
    expect(await refused(imageBytes({ url: `${base}/to-file`, name: 'x.png' }, limits))).toMatch(/not http/);
    expect(await refused(imageBytes({ url: `${base}/loop`, name: 'x.png' }, limits))).toMatch(/more than 5 redirects/);
  });

  it('allows every host with "*"', async () => {
    expect((await imageBytes({ url: `${base}/to-localhost`, name: 'x.png' }, { ...publicOnly, allowPrivateHosts: ['*'] })).length).toBe(1000);
  });
});
