// Slack's side of the action catalogue (src/core/actions/): one apply per kind. Errors are mapped in
// ./errors.ts (rate limits retry after Retry-After, missing scopes and unknown channels give up at once).
import { CatalogueExecutor, type PlatformBlueprint } from '../../core/actions/index.js';
import { postAlert, postSummary, refreshAlert } from './actions/alert.js';
import type { ActionDeps } from './actions/context.js';
import { DeleteAction } from './actions/delete.js';
import { addFlagReaction } from './actions/flag.js';
import { postNotice } from './actions/notice.js';
import { tellAuthor } from './actions/notify.js';

interface SlackActionContext extends ActionDeps {
  deleter: DeleteAction;
}

export const slackBlueprint: PlatformBlueprint<SlackActionContext> = {
  platform: 'slack',
  apply: {
    flag: (ax, action) => addFlagReaction(ax, action),
    alert: (ax, action, verdict) => postAlert(ax, action, verdict),
    delete: (ax, action) => ax.deleter.execute(action),
    // Slack has no timeouts or mutes for members; the alert says so.
    timeout: () => Promise.resolve({ skipped: 'Slack has no timeouts' }),
    dm: (ax, action) => tellAuthor(ax, action),
    'refresh-alert': (ax, _action, verdict) => refreshAlert(ax, verdict),
    'alert-summary': (ax, action, verdict) => postSummary(ax, action, verdict),
    notice: (ax, action) => postNotice(ax, action),
  },
};

export class SlackExecutor extends CatalogueExecutor<SlackActionContext> {
  constructor(deps: ActionDeps) {
    super(slackBlueprint, { ...deps, deleter: new DeleteAction(deps) });
  }

  stop(): void {
    // Nothing runs in the background: held-back alerts are summarised by alert-summary actions.
  }
}
