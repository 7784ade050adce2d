// The store's public shapes. Inputs reuse the core message and classifier types; rows come back
// camelCased with JSON columns already parsed.
import type { Author, IncomingMessage, Platform } from '../core/message.js';
import type { Label, Scores, Span } from '../classifier/labels.js';

/** Privacy setting: keep the full text, or only the first 120 characters plus the hash. */
export type TextMode = 'full' | 'excerpt';

/** What a policy can decide to do about a message. */
export const MODERATION_ACTION_KINDS = ['delete', 'flag', 'alert', 'timeout', 'dm'] as const;
/**
 * Every kind of outbox action: the moderation actions, `refresh-alert` (re-render a posted alert after
 * a review decision, whatever surface the decision came from), `alert-summary` (the one message
 * that sums up the alerts held back by the per-minute limit, at the end of their minute) and `notice`
 * (a post to a server's moderators not about one message: a missing permission, a drift alert).
 */
export const ACTION_KINDS = [...MODERATION_ACTION_KINDS, 'refresh-alert', 'alert-summary', 'notice'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** The kinds enqueued for a server rather than a message: they have no verdict. */
export const SERVER_ACTION_KINDS = ['notice'] as const satisfies readonly ActionKind[];
export type ServerActionKind = (typeof SERVER_ACTION_KINDS)[number];

export function isServerActionKind(kind: string): kind is ServerActionKind {
  return (SERVER_ACTION_KINDS as readonly string[]).includes(kind);
}

/** 'failed' = failed, retry scheduled at nextAttemptAt; 'dead' = given up (or superseded by an edit). */
export const ACTION_STATUSES = ['pending', 'running', 'done', 'failed', 'dead'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const REVIEW_STATUSES = ['pending', 'confirmed', 'overturned', 'dismissed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export type ReviewDecision = Exclude<ReviewStatus, 'pending'>;

export const DECISION_SOURCES = ['discord', 'slack', 'dashboard', 'cli'] as const;
export type DecisionSource = (typeof DECISION_SOURCES)[number];

/** Which input drove a label's score: the message text or the OCR text of attachment n (0-based). */
export type LabelSource = 'text' | `attachment:${number}`;

export interface TriggeredLabel {
  label: Label;
  score: number;
  /** The threshold in force when the decision was made (stats count score >= threshold). */
  threshold: number;
}

/** What the policy decided for one message. Stored as JSON. */
export interface Decision {
  actions: ActionKind[];
  triggered: TriggeredLabel[];
  /** Why no action was taken although labels triggered (moderator author, exempt channel, ...). */
  exemption?: string | null;
  /** The server runs in log-only mode: decisions are recorded, nothing is done. */
  logOnly: boolean;
  /**
   * Log-only: what would have been done in active mode. Such a verdict still gets a review item
   * ("would have acted"), so moderators can measure their agreement with the model before acting.
   */
  wouldAct?: ActionKind[];
}

/** OCR outcome for one attachment. */
export type SourceInput = { attachment: number; name?: string; url?: string } & (
  | { scanned: true; text: string; confidence: number; scores?: Scores }
  | { scanned: false; reason: string }
);

export type VerdictMessage = Pick<
  IncomingMessage,
  'platform' | 'serverId' | 'channelId' | 'threadId' | 'messageId' | 'text' | 'attachments' | 'kind' | 'sentAt' | 'editedAt'
> & { author: Pick<Author, 'id'> };

/** What the pipeline found about a message: the same fields going in and coming out of the store. */
export interface VerdictFindings {
  scores: Scores;
  labelSources: Partial<Record<Label, LabelSource>>;
  spans: Span[];
  model: { name: string; version: string };
  decision: Decision;
  latencyMs: number;
}

export interface VerdictInput extends VerdictFindings {
  message: VerdictMessage;
  sources: SourceInput[];
}

export interface PlannedAction {
  kind: ActionKind;
  payload?: unknown;
  /**
   * De-duplication key within one message; defaults to `kind`. At most one action per key and message
   * is ever live or done, so a replay or an edit can never cause a second delete. Give two alerts to
   * different channels different keys ("alert:modlog", "alert:mods").
   */
  key?: string;
}

export interface RecordResult {
  verdictId: number;
  /** A new verdict row was inserted. */
  created: boolean;
  /** The stored content changed in this call (true on create; false for a replay with the same hash). */
  changed: boolean;
  /** A replayed event older than what is stored (by editedAt ?? sentAt); nothing was written. */
  stale: boolean;
  revision: number;
  /** Ids of the actions enqueued by this call. */
  enqueued: number[];
  /** Ids of pending actions cancelled (marked dead) because an edit no longer plans them. */
  superseded: number[];
  /** The review item, if the verdict has one. */
  reviewId: number | undefined;
}

export interface SourceRecord {
  attachment: number;
  name: string | null;
  url: string | null;
  scanned: boolean;
  text: string | null;
  confidence: number | null;
  reason: string | null;
  scores: Scores | null;
}

export interface VerdictRecord extends MessageRef, VerdictFindings {
  id: number;
  kind: 'new' | 'edit';
  contentHash: string;
  /** null when the store runs in excerpt mode (or did when this row was written). */
  text: string | null;
  excerpt: string;
  textStored: TextMode;
  sources: SourceRecord[];
  revision: number;
  messageAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface ActionRecord {
  id: number;
  /** null for a server's action (a notice), which is about no message. */
  verdictId: number | null;
  kind: ActionKind;
  key: string;
  payload: unknown;
  status: ActionStatus;
  attempts: number;
  nextAttemptAt: string;
  leaseUntil: string | null;
  lastError: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

/** Which platform message a verdict (or an action on it) is about. */
export interface MessageRef {
  messageKey: string;
  platform: Platform;
  serverId: string;
  channelId: string;
  threadId: string | null;
  messageId: string;
  authorId: string;
}

/** Which server a verdict-less action (a notice) is for. */
export interface ServerRef {
  platform: Platform;
  serverId: string;
}

/**
 * A claimed action with what it acts on, so a worker needs no second lookup: the message of its
 * verdict, or (a notice, no verdict) the server it is for.
 */
export type ClaimedAction = (ActionRecord & { verdictId: number; target: MessageRef }) | (ActionRecord & { verdictId: null; target: ServerRef });

/** A notice for a server's moderators, posted at most once per key (Store.enqueueNotice). */
export interface NoticeInput extends ServerRef {
  /** Once-only key within the server, e.g. `missing-permission:delete`, `drift:42`. */
  key: string;
  text: string;
  /** Where to post; none: the server's moderators' channel when it runs. */
  channelId?: string;
}

export interface ReviewItem {
  id: number;
  verdictId: number;
  serverId: string;
  status: ReviewStatus;
  appealNote: string | null;
  appealAuthorId: string | null;
  appealedAt: string | null;
  /** When it (last) entered the queue: creation, an appeal, or a re-flag after an edit. */
  queuedAt: string;
  createdAt: string;
  updatedAt: string;
  /** The latest decision, if any. */
  lastDecision: ReviewDecisionRecord | null;
}

export interface ReviewWithVerdict extends ReviewItem {
  verdict: VerdictRecord;
}

export interface ReviewDecisionRecord {
  id: number;
  reviewId: number;
  decision: ReviewDecision;
  moderatorId: string;
  source: DecisionSource;
  note: string | null;
  decidedAt: string;
}

export interface PolicyAuditEntry {
  id: number;
  serverId: string;
  actor: string;
  source: string;
  before: unknown;
  after: unknown;
  at: string;
}

export interface Stats {
  since: string;
  serverId: string | null;
  verdicts: number;
  /** Verdicts with at least one label at or over its recorded threshold. */
  flaggedVerdicts: number;
  flaggedByLabel: Record<Label, number>;
  exempted: number;
  logOnly: number;
  actions: Record<ActionKind, Record<ActionStatus, number>>;
  reviews: Record<ReviewStatus, number>;
}

export interface ScanCheckpoint {
  scanId: string;
  file: string;
  line: number;
  updatedAt: string;
}

export interface PruneResult {
  verdicts: number;
  sources: number;
  actions: number;
  reviews: number;
  reviewDecisions: number;
  /** Verdicts older than the cutoff kept because an action or a review is still pending. */
  keptPending: number;
}

/** Rows deleted by `purgeServer` (sources, actions and reviews went with their verdicts). */
export interface ServerPurgeResult {
  verdicts: number;
  strikes: number;
  policies: number;
  policyAudit: number;
}
