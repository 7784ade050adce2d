// Gets an attachment's bytes: from the request itself, or downloaded with a byte limit enforced
// while the body streams in (a declared size is not trusted) and a time limit.
import type { Attachment } from '../core/message.js';
import { formatBytes, ImageRefused } from './refusal.js';

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
}

export async function imageBytes(attachment: Attachment, limits: DownloadLimits, signal?: AbortSignal): Promise<Buffer> {
  if (attachment.data) {
    if (attachment.data.length > limits.maxBytes) throw new ImageRefused(`image is larger than the ${formatBytes(limits.maxBytes)} limit`);
    return attachment.data;
  }
  if (!/^https?:\/\//i.test(attachment.url)) throw new ImageRefused('image URL is not http(s)');
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(attachment.url, { headers: attachment.headers, signal: combined, redirect: 'follow' });
  } catch (err) {
    if (timeout.aborted) throw new ImageRefused(`download took longer than ${limits.timeoutMs} ms`);
    if (signal?.aborted) throw err;
    throw new ImageRefused(`download failed: ${(err as Error).message}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ImageRefused(`download failed: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await response.body?.cancel();
    throw new ImageRefused(`image is larger than the ${formatBytes(limits.maxBytes)} limit (${formatBytes(declared)} declared)`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body ?? []) {
      total += chunk.length;
      if (total > limits.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw new ImageRefused(`image is larger than the ${formatBytes(limits.maxBytes)} limit`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof ImageRefused) throw err;
    if (timeout.aborted) throw new ImageRefused(`download took longer than ${limits.timeoutMs} ms`);
    if (signal?.aborted) throw err;
    throw new ImageRefused(`download failed: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks, total);
}
