// The one executor shape: the outbox hands it a claimed action; it looks the kind up in the
// catalogue, validates the payload again (a row written by another version, or edited by hand, gives
// up instead of acting on a guess) and calls the platform's apply for that kind.
import { PermanentActionError, type ActionExecutor } from '../outbox.js';
import { isServerActionKind, type ClaimedAction, type VerdictRecord } from '../../store/types.js';
import type { CatalogueAction, PlatformBlueprint } from './blueprint.js';
import { actionDefinition, parseActionPayload } from './catalogue.js';

/** The claimed action with its payload validated and its idempotency key; PermanentActionError when it cannot be read. */
export function toCatalogueAction(action: ClaimedAction): CatalogueAction {
  const def = actionDefinition(action.kind);
  if (!def) throw new PermanentActionError(`unknown action kind: ${String(action.kind)}`);
  // A row edited by hand (or a bug) must not reach an apply that reads a verdict it does not have.
  if (isServerActionKind(action.kind) !== (action.verdictId === null)) {
    throw new PermanentActionError(action.verdictId === null ? `a ${action.kind} action needs a verdict` : `a ${action.kind} action is for a server, not a verdict`);
  }
  try {
    const payload = parseActionPayload(action.kind, action.payload);
    return { ...action, payload, idempotencyKey: def.idempotencyKey(action.id) } as CatalogueAction;
  } catch (err) {
    throw new PermanentActionError((err as Error).message);
  }
}

export class CatalogueExecutor<Ctx> implements ActionExecutor {
  constructor(
    readonly blueprint: PlatformBlueprint<Ctx>,
    readonly context: Ctx,
  ) {}

  async execute(claimed: ClaimedAction, verdict: VerdictRecord | undefined): Promise<unknown> {
    const action = toCatalogueAction(claimed);
    if (action.verdictId !== null && !verdict) throw new PermanentActionError(`verdict ${action.verdictId} is gone`);
    // The kind was checked against the verdict above: a message's apply gets one, a notice's none.
    const apply = this.blueprint.apply[action.kind] as (ctx: Ctx, action: CatalogueAction, verdict: VerdictRecord | undefined) => Promise<unknown>;
    try {
      return await apply(this.context, action, verdict);
    } catch (err) {
      const handled = await this.blueprint.onError?.(this.context, err, action, verdict);
      if (handled !== undefined) return handled;
      throw err;
    }
  }
}
