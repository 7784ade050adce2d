// The outbox's executor for Slack: one module per action kind. Errors are mapped in ./errors.ts
// (rate limits retry after Retry-After, missing scopes and unknown channels give up at once).
import type { ActionExecutor } from '../../core/outbox.js';
import type { ClaimedAction, VerdictRecord } from '../../store/index.js';
import { postAlert, postSummary, refreshAlert } from './actions/alert.js';
import type { ActionDeps } from './actions/context.js';
import { DeleteAction } from './actions/delete.js';
import { addFlagReaction } from './actions/flag.js';
import { tellAuthor } from './actions/notify.js';

export class SlackExecutor implements ActionExecutor {
  private readonly deleter: DeleteAction;

  constructor(private readonly deps: ActionDeps) {
    this.deleter = new DeleteAction(deps);
  }

  async execute(action: ClaimedAction, verdict: VerdictRecord): Promise<unknown> {
    switch (action.kind) {
      case 'flag':
        return addFlagReaction(this.deps, action);
      case 'alert':
        return postAlert(this.deps, action, verdict);
      case 'delete':
        return this.deleter.execute(action);
      case 'timeout':
        // Slack has no timeouts or mutes for members; the alert says so.
        return { skipped: 'Slack has no timeouts' };
      case 'dm':
        return tellAuthor(this.deps, action);
      case 'refresh-alert':
        return refreshAlert(this.deps, verdict);
      case 'alert-summary':
        return postSummary(this.deps, action, verdict);
    }
  }

  stop(): void {
    // Nothing runs in the background: held-back alerts are summarised by alert-summary actions.
  }
}
