// Executes the actions the pipeline recorded (the outbox), through the adapter of the message's
// platform. An action is claimed with a lease, so after a crash it is picked up again; a completed
// one is never repeated. Failures retry with exponential backoff, then give up loudly.
import type { Logger } from 'pino';
import type { Platform } from './message.js';
import { parseActionPayload, type ClaimedAction, type Store, type VerdictRecord } from '../store/index.js';

export interface ActionExecutor {
  /** Performs the action; the returned value is stored as its result. `verdict`: none for a server's notice. */
  execute(action: ClaimedAction, verdict: VerdictRecord | undefined): Promise<unknown>;
}

/** An error that retrying cannot fix (missing permissions, unknown channel): give up at once. */
export class PermanentActionError extends Error {}

export interface OutboxOptions {
  store: Store;
  executors: Partial<Record<Platform, ActionExecutor>>;
  logger?: Logger;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  pollMs?: number;
  batch?: number;
  onResult?: (action: ClaimedAction, outcome: 'done' | 'retry' | 'dead', error?: unknown) => void;
}

/** What an action is about, for the log: its message, or a notice's server. */
function subjectOf(action: ClaimedAction): { message: string } | { server: string } {
  return action.verdictId === null ? { server: action.target.serverId } : { message: action.target.messageKey };
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(private readonly opts: OutboxOptions) {}

  /** Claims due actions and executes them; returns how many were handled. */
  async runOnce(now = new Date()): Promise<number> {
    const started = performance.now();
    const { store } = this.opts;
    const claimed = await store.claimActions(this.opts.batch ?? 20, now);
    for (const action of claimed) await this.executeOne(action, now, started);
    return claimed.length;
  }

  private async executeOne(action: ClaimedAction, now: Date, started: number): Promise<void> {
    const { store, logger } = this.opts;
    const executor = this.opts.executors[action.target.platform];
    // A notice is for a server: it has no verdict, and a missing one does not mean "gone".
    const verdict = action.verdictId === null ? undefined : await store.getVerdict(action.verdictId);
    try {
      if (!executor) throw new PermanentActionError(`no adapter is running for platform "${action.target.platform}"`);
      if (action.verdictId !== null && !verdict) throw new PermanentActionError(`verdict ${action.verdictId} is gone`);
      // Checked again at claim: a row this version cannot read gives up instead of acting on a guess.
      try {
        parseActionPayload(action.kind, action.payload);
      } catch (err) {
        throw new PermanentActionError((err as Error).message);
      }
      const result = await executor.execute(action, verdict);
      await store.completeAction(action.id, result ?? null);
      this.opts.onResult?.(action, 'done');
    } catch (err) {
      const maxAttempts = this.opts.maxAttempts ?? 6;
      const permanent = err instanceof PermanentActionError || action.attempts >= maxAttempts;
      const message = err instanceof Error ? err.message : String(err);
      if (permanent) {
        await store.failAction(action.id, message, { dead: true });
        logger?.error({ action: action.id, kind: action.kind, ...subjectOf(action), error: message }, 'action failed for good');
        this.opts.onResult?.(action, 'dead', err);
      } else {
        const base = this.opts.baseDelayMs ?? 1000;
        const retryAfter = (err as { retryAfterMs?: number }).retryAfterMs;
        const delay = Math.min(this.opts.maxDelayMs ?? 300_000, retryAfter ?? base * 2 ** (action.attempts - 1));
        // From when the failure was seen (a platform's retry_after counts from its answer), not from the claim.
        const seen = now.getTime() + (performance.now() - started);
        await store.failAction(action.id, message, { retryAt: new Date(seen + delay) });
        logger?.warn({ action: action.id, kind: action.kind, attempt: action.attempts, retryInMs: delay, error: message }, 'action failed, will retry');
        this.opts.onResult?.(action, 'retry', err);
      }
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      this.running = this.runOnce().catch((err: unknown) => {
        this.opts.logger?.error({ error: (err as Error).message }, 'outbox pass failed');
        return 0;
      });
      const handled = await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), handled > 0 ? 0 : (this.opts.pollMs ?? 250));
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
