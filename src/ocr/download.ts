// Gets an attachment's bytes: from the request itself, or downloaded with a byte limit enforced
// while the body streams in (a declared size is not trusted) and a time limit.
//
// Image URLs come from message authors (a Discord embed's image, an API caller's image_url), so a
// download must not become a way into the bot's own network (SSRF). Every hop, the first request and
// each redirect, is checked: http(s) only, and the address actually connected to (resolved by DNS
// inside the connection, so a name cannot resolve to a public address for a check and to a private
// one for the connection) must be public. Private, loopback, link-local, CGNAT, multicast and reserved
// addresses are refused unless the hop's host is listed in `allowPrivateHosts` (an internal CDN).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Attachment } from '../core/message.js';
import { formatBytes, ImageRefused } from './refusal.js';

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
  /**
   * Hosts (names or IP literals, compared case-insensitively) that may resolve to private, loopback
   * or link-local addresses: an internal image CDN. `*` allows every host. Default: none.
   */
  allowPrivateHosts?: readonly string[];
  /** Most redirects followed (default 5). */
  maxRedirects?: number;
}

const RANGES: [kind: string, network: string, prefix: number, family: 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['shared (CGNAT)', '100.64.0.0', 10, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['benchmarking', '198.18.0.0', 15, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['discard', '100::', 64, 'ipv6'],
  ['private (unique local)', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
];
const BLOCKS = RANGES.map(([kind, network, prefix, family]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { kind, list };
});

/**
 * Why an address must not be downloaded from ('loopback', 'private', 'link-local', ...), or undefined
 * for a public address. IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) count as their IPv4 address.
 */
export function nonPublicKind(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return BLOCKS.find((b) => b.list.check(bare, type))?.kind;
}

function allowedPrivate(host: string, limits: DownloadLimits): boolean {
  const list = limits.allowPrivateHosts ?? [];
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return list.some((a) => a === '*' || a.replace(/^\[|\]$/g, '').toLowerCase() === h);
}

function refusal(host: string, address: string, kind: string): ImageRefused {
  const where = host === address ? address : `${host} (${address})`;
  return new ImageRefused(
    `refused to download from ${where}: a ${kind} address; images are only downloaded from public addresses (list an internal CDN in ocr.allowPrivateHosts)`,
  );
}

/** dns.lookup, refusing non-public answers for hosts not allowed to have them. */
function checkedLookup(host: string, limits: DownloadLimits): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      if (!allowedPrivate(host, limits)) {
        for (const a of addresses) {
          const kind = nonPublicKind(a.address);
          if (kind) return callback(refusal(host, a.address, kind), '', 0);
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** One hop: the response (not yet read), or a refusal before anything was sent. */
function get(url: URL, headers: Record<string, string>, limits: DownloadLimits, signal: AbortSignal): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ImageRefused('image URL is not http(s)');
  const host = url.hostname;
  const literal = host.replace(/^\[|\]$/g, '');
  // An IP literal is connected to without a DNS lookup: check it here.
  if (isIP(literal) && !allowedPrivate(host, limits)) {
    const kind = nonPublicKind(literal);
    if (kind) throw refusal(literal, literal, kind);
  }
  const options: RequestOptions = { method: 'GET', headers, signal, lookup: checkedLookup(host, limits) };
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, resolve);
    req.on('error', reject);
    req.end();
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function imageBytes(attachment: Attachment, limits: DownloadLimits, signal?: AbortSignal): Promise<Buffer> {
  if (attachment.data) {
    if (attachment.data.length > limits.maxBytes) throw new ImageRefused(`image is larger than the ${formatBytes(limits.maxBytes)} limit`);
    return attachment.data;
  }
  if (!/^https?:\/\//i.test(attachment.url)) throw new ImageRefused('image URL is not http(s)');
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const failed = (err: unknown): Error => {
    if (err instanceof ImageRefused) return err;
    if (timeout.aborted) return new ImageRefused(`download took longer than ${limits.timeoutMs} ms`);
    if (signal?.aborted) return err as Error;
    return new ImageRefused(`download failed: ${(err as Error).message}`);
  };

  let url: URL;
  try {
    url = new URL(attachment.url);
  } catch {
    throw new ImageRefused('image URL is not a valid URL');
  }
  let headers = { ...(attachment.headers ?? {}) };
  const maxRedirects = limits.maxRedirects ?? 5;
  let response: IncomingMessage;
  for (let hop = 0; ; hop++) {
    try {
      response = await get(url, headers, limits, combined);
    } catch (err) {
      throw failed(err);
    }
    const status = response.statusCode ?? 0;
    if (!REDIRECTS.has(status)) break;
    response.destroy();
    const location = response.headers.location;
    if (!location) throw new ImageRefused(`download failed: HTTP ${status} without a Location`);
    if (hop >= maxRedirects) throw new ImageRefused(`download failed: more than ${maxRedirects} redirects`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new ImageRefused('download failed: redirected to an invalid URL');
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new ImageRefused('download failed: redirected to a URL that is not http(s)');
    // Credentials (Slack's bot token) never follow a redirect to another origin.
    if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^(authorization|cookie)$/i.test(k)));
    url = next;
  }

  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    response.destroy();
    throw new ImageRefused(`download failed: HTTP ${status}`);
  }
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    response.destroy();
    throw new ImageRefused(`image is larger than the ${formatBytes(limits.maxBytes)} limit (${formatBytes(declared)} declared)`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limits.maxBytes) {
        response.destroy();
        throw new ImageRefused(`image is larger than the ${formatBytes(limits.maxBytes)} limit`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    throw failed(err);
  }
  if (!response.complete) throw failed(new Error('the connection closed before the image was complete'));
  return Buffer.concat(chunks, total);
}
