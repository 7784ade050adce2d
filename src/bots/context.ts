// What every platform adapter gets from `serve`: the shared pipeline and the services the
// moderators' commands use. Adapters turn platform events into IncomingMessage, submit them, and
// execute the actions the outbox hands back through their ActionExecutor.
import type { Logger } from 'pino';
import type { Scorer } from '../classifier/scorer.js';
import type { Config, Secrets } from '../config/config.js';
import type { Platform } from '../core/message.js';
import type { OcrEngine } from '../core/ocr.js';
import type { ActionExecutor } from '../core/outbox.js';
import type { ModerationPipeline } from '../core/pipeline.js';
import type { PolicyService } from '../core/policies.js';
import type { Metrics } from '../server/metrics.js';
import type { Store } from '../store/index.js';

export interface BotContext {
  config: Config;
  secrets: Secrets;
  scorer: Scorer;
  store: Store;
  policies: PolicyService;
  pipeline: ModerationPipeline;
  /** The OCR engine the pipeline uses, if any. */
  ocr?: OcrEngine;
  /** Where verdicts and actions are counted (shard processes report theirs to it too). */
  metrics?: Metrics;
  logger: Logger;
}

/** A started adapter: the outbox executes its platform's actions through `executor`. */
export interface RunningBot {
  platform: Platform;
  executor: ActionExecutor;
  /**
   * Whether a `notice` for this server would reach its moderators: the server is this adapter's and
   * has a moderators' channel (where another adapter's posts go: reddit.linkedServers).
   */
  takesNotices?(serverId: string): Promise<boolean>;
  stop(): Promise<void>;
}
