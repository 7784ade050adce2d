// Batch scans: moderate an export of messages (JSONL or CSV) through the same pipeline, recording
// verdicts (and review items) but never planning an action on a platform. Resumable: the line reached is checkpointed after its verdicts are stored, and
// verdicts are idempotent, so a restart after a crash redoes at most a few lines harmlessly.
import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { isPlatform, PLATFORMS, type IncomingMessage } from './message.js';
import type { ModerationPipeline } from './pipeline.js';
import type { Store } from '../store/index.js';

export interface ScanOptions {
  file: string;
  store: Store;
  pipeline: Pick<ModerationPipeline, 'submit'>;
  /** Server id for rows that do not name one. */
  serverId: string;
  /** Checkpoint every this many lines. */
  checkpointEvery?: number;
  onProgress?: (line: number, bytes: number) => void;
  onBadLine?: (line: number, reason: string) => void;
  /** How a row becomes a message (default: rowToMessage); a platform's export format brings its own. */
  toMessage?: (row: Row, line: number) => IncomingMessage;
}

export interface ScanResult {
  scanId: string;
  lines: number;
  scanned: number;
  skipped: number;
  resumedFrom: number;
  bad: number;
}

type Row = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** One export row as a message. Accepted columns: id, text (or content), server, channel, author, platform, timestamp. */
export function rowToMessage(row: Row, serverId: string, line: number): IncomingMessage {
  const id = str(row.id) ?? str(row.message_id);
  if (!id) throw new Error('missing "id"');
  const text = row.text ?? row.content;
  if (typeof text !== 'string') throw new Error('"text" must be a string');
  const platform = str(row.platform) ?? 'scan';
  if (!isPlatform(platform)) throw new Error(`unknown "platform" ${JSON.stringify(platform)} (expected one of ${PLATFORMS.join(', ')})`);
  return {
    platform,
    serverId: str(row.server) ?? str(row.server_id) ?? serverId,
    channelId: str(row.channel) ?? str(row.channel_id) ?? 'scan',
    messageId: id,
    author: { id: str(row.author) ?? str(row.author_id) ?? 'unknown', roleIds: [], isModerator: false, isBot: false },
    text,
    attachments: [],
    kind: 'new',
    sentAt: str(row.timestamp) ?? new Date(0 + line).toISOString(),
  };
}

async function* rows(file: string): AsyncGenerator<{ line: number; row?: Row; error?: string; bytes: number }> {
  if (/\.csv$/i.test(file)) {
    const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, relax_column_count: true, skip_empty_lines: true }));
    let line = 0;
    for await (const record of parser as AsyncIterable<Row>) {
      line++;
      yield { line, row: record, bytes: (parser as unknown as { info: { bytes: number } }).info.bytes };
    }
    return;
  }
  let line = 0;
  let bytes = 0;
  for await (const raw of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    bytes += Buffer.byteLength(raw) + 1;
    if (raw.trim() === '') continue;
    try {
      const value = JSON.parse(raw) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) yield { line, error: 'expected a JSON object', bytes };
      else yield { line, row: value as Row, bytes };
    } catch (err) {
      yield { line, error: `not valid JSON (${(err as Error).message})`, bytes };
    }
  }
}

export async function scanFile(options: ScanOptions): Promise<ScanResult> {
  const file = resolve(options.file);
  const { size } = statSync(file);
  const scanId = createHash('sha1').update(`${file}\u0000${size}`).digest('hex').slice(0, 16);
  const resumedFrom = (await options.store.scanCheckpoint(scanId))?.line ?? 0;
  const every = options.checkpointEvery ?? 500;
  let lines = 0;
  let scanned = 0;
  let skipped = 0;
  let bad = 0;
  let inflight: Promise<unknown>[] = [];
  let lastLine = resumedFrom;

  const flush = async (): Promise<void> => {
    await Promise.all(inflight);
    inflight = [];
    await options.store.setScanCheckpoint(scanId, file, lastLine);
  };

  for await (const item of rows(file)) {
    lines = item.line;
    if (item.line <= resumedFrom) {
      skipped++;
      continue;
    }
    lastLine = item.line;
    if (item.error || !item.row) {
      bad++;
      options.onBadLine?.(item.line, item.error ?? 'empty');
    } else {
      try {
        // An export's rows are not live messages: verdicts and review items are recorded, but no
        // platform action is ever planned, whatever the row's "platform" says.
        const message = options.toMessage ? options.toMessage(item.row, item.line) : rowToMessage(item.row, options.serverId, item.line);
        inflight.push(options.pipeline.submit(message, { act: false }));
        scanned++;
      } catch (err) {
        bad++;
        options.onBadLine?.(item.line, (err as Error).message);
      }
    }
    if (inflight.length >= every) {
      await flush();
      options.onProgress?.(item.line, item.bytes);
    }
  }
  await flush();
  options.onProgress?.(lines, size);
  return { scanId, lines, scanned, skipped, resumedFrom, bad };
}
