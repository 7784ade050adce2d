// What every platform adapter implements: one `apply` per action kind of the catalogue, plus how its
// errors map onto the outbox's (done after all, retry, give up). The executor is the same for every
// platform (./executor.ts): look the kind up, validate the claimed payload, call the platform's apply.
import type { Platform } from '../message.js';
import type { ActionKind, ActionRecord, MessageRef, ServerActionKind, ServerRef, VerdictRecord } from '../../store/types.js';
import type { ActionPayload } from './catalogue.js';

/** What a kind acts on: a message (it has a verdict), or for a server's kind (a notice) the server. */
type Subject<K extends ActionKind> = K extends ServerActionKind ? { verdictId: null; target: ServerRef } : { verdictId: number; target: MessageRef };

/** A claimed action with its payload validated for its kind, and the key its platform call carries. */
export type CatalogueAction<K extends ActionKind = ActionKind> = Omit<ActionRecord, 'kind' | 'payload' | 'verdictId'> &
  Subject<K> & {
    kind: K;
    payload: ActionPayload<K>;
    /** The catalogue's idempotency key for this action (null for kinds whose repeat is harmless). */
    idempotencyKey: string | null;
  };

/** A message's kind gets its verdict; a server's kind (a notice) has none. */
export type ApplyAction<Ctx, K extends ActionKind> = K extends ServerActionKind
  ? (ctx: Ctx, action: CatalogueAction<K>) => Promise<unknown>
  : (ctx: Ctx, action: CatalogueAction<K>, verdict: VerdictRecord) => Promise<unknown>;

export interface PlatformBlueprint<Ctx> {
  platform: Platform;
  /** Every kind of the catalogue, done the platform's way (a skip result where the platform has no such thing). */
  apply: { [K in ActionKind]: ApplyAction<Ctx, K> };
  /**
   * A failure of an apply, as the outbox should see it: a result when it means "done" (the message is
   * already gone), or throws the outbox's kind of error (PermanentActionError, an error with
   * `retryAfterMs`); undefined leaves the error as it is (retried with backoff).
   */
  onError?(ctx: Ctx, err: unknown, action: CatalogueAction, verdict: VerdictRecord | undefined): Promise<unknown>;
}
