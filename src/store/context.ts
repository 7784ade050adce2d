// What every repository module shares: the engine, the clock, the privacy setting. Repositories run
// each query on the Kysely handle they are given (the store's, or the transaction's).
import type { Backend } from './connection.js';
import type { Q } from './schema.js';
import type { MessageRef, TextMode } from './types.js';

export interface StoreContext {
  backend: Backend;
  /** Resolved path, ':memory:', or the PostgreSQL URL with its password redacted. */
  file: string;
  /** The current time as an ISO string (injectable for tests and replays). */
  now(): string;
  storeText: TextMode;
  /** How long a claimed action stays 'running' before another worker may take it over. */
  leaseMs: number;
}

export type { Q };

/** JSON.parse for columns we wrote ourselves; null stays null. */
export function parseJson<T>(text: string | null): T {
  return (text === null ? null : JSON.parse(text)) as T;
}

/** JSON for a column; undefined is stored as null (JSON.stringify(undefined) is not a string). */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** The verdicts columns that say which message a row is about (verdicts, and actions joined to them). */
export interface MessageRefRow {
  message_key: string;
  platform: MessageRef['platform'];
  server_id: string;
  channel_id: string;
  thread_id: string | null;
  message_id: string;
  author_id: string;
}

export function messageRefOf(r: MessageRefRow): MessageRef {
  return {
    messageKey: r.message_key,
    platform: r.platform,
    serverId: r.server_id,
    channelId: r.channel_id,
    threadId: r.thread_id,
    messageId: r.message_id,
    authorId: r.author_id,
  };
}

/** Rows changed by an update or delete (Kysely gives a bigint). */
export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined): number {
  return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0n);
}
