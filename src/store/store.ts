// The store facade: opens the database, runs migrations, and exposes the repositories as one API.
// Every public call goes through `guard` so a lock timeout or a non-database file surfaces as a
// StoreError that names the file.
import type BetterSqlite3 from 'better-sqlite3';
import type { Label } from '../classifier/labels.js';
import { ActionsRepo, type FailOutcome } from './actions.js';
import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase } from './connection.js';
import { CursorsRepo, type CursorRecord } from './cursors.js';
import { DriftRepo, type DriftInput, type DriftImageSample, type DriftMessageSample, type DriftRecord, type ListDriftOptions } from './drift.js';
import { FeedbackRepo, type DecidedReview, type DecidedReviewsOptions } from './feedback.js';
import type { StoreContext } from './context.js';
import { StoreError, translateError } from './errors.js';
import { InstallationsRepo, type InstallationKey, type InstallationRow } from './installations.js';
import { migrate, schemaVersion } from './migrations.js';
import { PoliciesRepo } from './policies.js';
import { RetentionRepo } from './retention.js';
import { ReviewsRepo, type ListReviewsOptions } from './reviews.js';
import { ScansRepo } from './scans.js';
import { StatsRepo } from './stats.js';
import { StrikesRepo } from './strikes.js';
import { toIso, type TimeInput } from './time.js';
import type {
  ActionRecord,
  ClaimedAction,
  DecisionSource,
  PlannedAction,
  PolicyAuditEntry,
  PruneResult,
  RecordResult,
  ReviewDecision,
  ReviewDecisionRecord,
  ReviewItem,
  ReviewWithVerdict,
  ScanCheckpoint,
  ServerPurgeResult,
  Stats,
  TextMode,
  VerdictInput,
  VerdictRecord,
} from './types.js';
import { VerdictsRepo } from './verdicts.js';

export const DEFAULT_LEASE_MS = 60_000;

export interface StoreOptions {
  /** Privacy: 'full' keeps message and OCR text; 'excerpt' keeps only the first 120 characters + hash. Default 'full'. */
  storeText?: TextMode;
  /** How long to wait for another writer's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Lease on a claimed action; after it a crashed worker's action is claimable again. Default 60 s. */
  leaseMs?: number;
  /** Clock for timestamps (tests, replays). Default: the system clock. */
  now?: () => Date;
}

export class Store {
  readonly file: string;
  readonly storeText: TextMode;
  /** Schema versions applied by this open (empty when the file was already up to date). */
  readonly migrated: readonly number[];
  private readonly db: BetterSqlite3.Database;
  private readonly busyTimeoutMs: number;
  private readonly clock: () => Date;
  private readonly actions: ActionsRepo;
  private readonly reviews: ReviewsRepo;
  private readonly verdicts: VerdictsRepo;
  private readonly strikes: StrikesRepo;
  private readonly policies: PoliciesRepo;
  private readonly statsRepo: StatsRepo;
  private readonly scans: ScansRepo;
  private readonly retention: RetentionRepo;
  private readonly installations: InstallationsRepo;
  private readonly drift: DriftRepo;
  private readonly feedback: FeedbackRepo;
  private readonly cursors: CursorsRepo;

  private constructor(db: BetterSqlite3.Database, file: string, options: StoreOptions, migrated: number[]) {
    this.db = db;
    this.file = file;
    this.migrated = migrated;
    this.storeText = options.storeText ?? 'full';
    this.busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.clock = options.now ?? (() => new Date());
    const ctx: StoreContext = {
      db,
      file,
      now: () => toIso(this.clock()),
      storeText: this.storeText,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    };
    this.actions = new ActionsRepo(ctx);
    this.reviews = new ReviewsRepo(ctx);
    this.verdicts = new VerdictsRepo(ctx, this.actions, this.reviews);
    this.strikes = new StrikesRepo(ctx);
    this.policies = new PoliciesRepo(ctx);
    this.statsRepo = new StatsRepo(ctx);
    this.scans = new ScansRepo(ctx);
    this.retention = new RetentionRepo(ctx);
    this.installations = new InstallationsRepo(ctx);
    this.drift = new DriftRepo(ctx);
    this.feedback = new FeedbackRepo(ctx);
    this.cursors = new CursorsRepo(ctx);
  }

  /** Opens (creating parent folders and the file) and migrates. `path` may be ':memory:'. */
  static open(path: string, options: StoreOptions = {}): Store {
    if (options.storeText !== undefined && options.storeText !== 'full' && options.storeText !== 'excerpt') {
      throw new StoreError(`storeText must be 'full' or 'excerpt', got ${String(options.storeText)}`, 'invalid');
    }
    const busy = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    const { db, file } = openDatabase(path, { busyTimeoutMs: busy });
    try {
      const migrated = migrate(db, toIso((options.now ?? (() => new Date()))()));
      return new Store(db, file, options, migrated);
    } catch (err) {
      db.close();
      throw translateError(err, file, busy);
    }
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw translateError(err, this.file, this.busyTimeoutMs);
    }
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  schemaVersion(): number {
    return this.guard(() => schemaVersion(this.db));
  }

  // ---- verdicts ----

  recordVerdict(input: VerdictInput, plannedActions: readonly PlannedAction[] = []): RecordResult {
    return this.guard(() => this.verdicts.record(input, plannedActions));
  }

  /** By id or by messageKey. */
  getVerdict(idOrKey: number | string): VerdictRecord | undefined {
    return this.guard(() => this.verdicts.get(idOrKey));
  }

  // ---- actions outbox ----

  /** Due pending/failed actions and running ones whose lease expired, marked running; oldest first. */
  claimActions(limit: number, now: TimeInput = this.clock(), leaseMs?: number): ClaimedAction[] {
    return this.guard(() => this.actions.claim(limit, now, leaseMs));
  }

  completeAction(id: number, result?: unknown): boolean {
    return this.guard(() => this.actions.complete(id, result, toIso(this.clock())));
  }

  failAction(id: number, error: unknown, outcome: FailOutcome): boolean {
    return this.guard(() => this.actions.fail(id, error, outcome, toIso(this.clock())));
  }

  listActions(verdictId: number): ActionRecord[] {
    return this.guard(() => this.actions.listForVerdict(verdictId));
  }

  getAction(id: number): ActionRecord | undefined {
    return this.guard(() => this.actions.get(id));
  }

  // ---- reviews ----

  /** Newest in the queue first (an appeal puts an item back on top), with the verdict joined. */
  listReviews(serverId: string, options: ListReviewsOptions = {}): ReviewWithVerdict[] {
    return this.guard(() =>
      this.reviews.list(serverId, options).map((item) => {
        const verdict = this.verdicts.get(item.verdictId);
        if (!verdict) throw new StoreError(`review ${item.id} has no verdict ${item.verdictId}`, 'not-found');
        return { ...item, verdict };
      }),
    );
  }

  getReview(id: number): ReviewItem | undefined {
    return this.guard(() => this.reviews.get(id));
  }

  reviewForVerdict(verdictId: number): ReviewItem | undefined {
    return this.guard(() => this.reviews.forVerdict(verdictId));
  }

  /** Appends to the decision history and sets the item's status to this (latest) decision. */
  /**
   * Records a moderator's decision. When the verdict has an alert (posted or still to be posted), a
   * `refresh-alert` action is enqueued in the same transaction, so the posted alert shows the decision
   * whichever surface it came from (the platform's buttons, the dashboard, the CLI).
   */
  decideReview(id: number, decision: ReviewDecision, moderatorId: string, source: DecisionSource, note?: string): ReviewItem {
    const now = toIso(this.clock());
    return this.guard(() =>
      this.db
        .transaction(() => {
          const item = this.reviews.decide(id, decision, moderatorId, source, note, now);
          const alerted = this.actions.listForVerdict(item.verdictId).some((a) => a.kind === 'alert' && a.status !== 'dead');
          if (alerted && item.lastDecision) this.actions.enqueue(item.verdictId, [{ kind: 'refresh-alert', key: `refresh-alert:${item.lastDecision.id}` }], now);
          return item;
        })
        .immediate(),
    );
  }

  /** The verdict's review item, created (pending) if it has none (e.g. a delete that fell back to a flag). */
  ensureReview(verdictId: number): ReviewItem {
    return this.guard(() => {
      const verdict = this.verdicts.get(verdictId);
      if (!verdict) throw new StoreError(`no verdict with id ${verdictId}`, 'not-found');
      const id = this.reviews.ensure(verdictId, verdict.serverId, false, toIso(this.clock()));
      const item = this.reviews.get(id);
      if (!item) throw new StoreError(`review item ${id} vanished`, 'not-found');
      return item;
    });
  }

  /** Oldest first. */
  reviewHistory(id: number): ReviewDecisionRecord[] {
    return this.guard(() => this.reviews.history(id));
  }

  /** Only the message's author may appeal; the review item (created if missing) goes back to pending. */
  appeal(verdictId: number, authorId: string, text: string): ReviewItem {
    return this.guard(() => {
      const verdict = this.verdicts.get(verdictId);
      if (!verdict) throw new StoreError(`no verdict with id ${verdictId}`, 'not-found');
      if (verdict.authorId !== authorId) throw new StoreError(`only the author of the message can appeal verdict ${verdictId}`, 'invalid');
      return this.reviews.appeal(verdictId, verdict.serverId, authorId, text, toIso(this.clock()));
    });
  }

  // ---- strikes ----

  /** Returns false when this verdict already gave a strike (replays do not strike twice). */
  addStrike(serverId: string, userId: string, verdictId: number | null, at: TimeInput = this.clock()): boolean {
    return this.guard(() => this.strikes.add(serverId, userId, verdictId, at));
  }

  /** Strikes at or after `since`, not counting those whose review was overturned. */
  countStrikes(serverId: string, userId: string, sinceIso: TimeInput): number {
    return this.guard(() => this.strikes.countSince(serverId, userId, sinceIso));
  }

  // ---- policies ----

  getPolicy(serverId: string): unknown {
    return this.guard(() => this.policies.get(serverId));
  }

  setPolicy(serverId: string, policy: unknown, actor: string, source: string): void {
    this.guard(() => this.policies.set(serverId, policy, actor, source));
  }

  /** Changes a server's policy atomically (read, update, write and audit in one transaction); see PoliciesRepo.update. */
  updatePolicy<T>(serverId: string, update: (stored: unknown) => T, actor: string, source: string): T {
    return this.guard(() => this.policies.update(serverId, update, actor, source));
  }

  /**
   * Enqueues actions on a verdict outside its recording (e.g. the summary of held-back alerts), due at
   * `notBefore` (default now). Keys already live or done for the verdict are skipped. Returns new ids.
   */
  enqueueActions(verdictId: number, planned: readonly PlannedAction[], notBefore?: TimeInput): number[] {
    const now = toIso(this.clock());
    return this.guard(() => this.db.transaction(() => this.actions.enqueue(verdictId, planned, now, notBefore === undefined ? now : toIso(notBefore))).immediate());
  }

  /** The alerts of a server held back in the batch that started at `batchStart` (ISO), oldest first. */
  heldBackAlerts(serverId: string, batchStart: string): { verdictId: number; channelId: string; labels: Label[] }[] {
    return this.guard(() => this.actions.heldBack(serverId, batchStart));
  }

  /** Newest first. */
  listPolicyAudit(serverId: string, limit = 50): PolicyAuditEntry[] {
    return this.guard(() => this.policies.listAudit(serverId, limit));
  }

  // ---- platform app installations (Slack OAuth) ----

  /** Stores (or replaces, on re-install) an installation document, tokens included. */
  saveInstallation(key: InstallationKey, installation: unknown, installedBy?: string): void {
    this.guard(() => this.installations.save(key, installation, installedBy));
  }

  getInstallation(key: InstallationKey): InstallationRow | undefined {
    return this.guard(() => this.installations.get(key));
  }

  deleteInstallation(key: InstallationKey): boolean {
    return this.guard(() => this.installations.delete(key));
  }

  // ---- stats, scans, retention ----

  stats(serverId: string | undefined, sinceIso: TimeInput): Stats {
    return this.guard(() => this.statsRepo.get(serverId, sinceIso));
  }

  scanCheckpoint(scanId: string): ScanCheckpoint | undefined {
    return this.guard(() => this.scans.get(scanId));
  }

  setScanCheckpoint(scanId: string, file: string, line: number): void {
    this.guard(() => this.scans.set(scanId, file, line));
  }

  /** Deletes everything stored about a server (verdicts with their actions and reviews, strikes, policy, audit). */
  purgeServer(serverId: string): ServerPurgeResult {
    return this.guard(() => this.retention.purgeServer(serverId));
  }

  prune(olderThanIso: TimeInput): PruneResult {
    return this.guard(() => this.retention.prune(olderThanIso));
  }

  // ---- model drift (src/monitoring) ----

  /** Upserts daily drift rows; a row that already alerted keeps its alertedAt. Returns the stored rows. */
  recordDrift(rows: DriftInput | readonly DriftInput[]): DriftRecord[] {
    return this.guard(() => this.drift.record(Array.isArray(rows) ? (rows as readonly DriftInput[]) : [rows as DriftInput]));
  }

  /** Oldest day first. Without serverId: the rows computed over all servers. */
  listDrift(options: ListDriftOptions): DriftRecord[] {
    return this.guard(() => this.drift.listRows(options));
  }

  /** Records that the alert for a drift row went out; false if it already had. */
  markDriftAlerted(id: number): boolean {
    return this.guard(() => this.drift.setAlerted(id));
  }

  /** Marks a UTC day as computed (even with too few messages for any metric). */
  recordDriftDay(day: string, messages: number, model: string): void {
    this.guard(() => this.drift.recordDay(day, messages, model));
  }

  /** Days in [since, until] (YYYY-MM-DD) already computed. */
  driftDaysComputed(since: string, until: string): string[] {
    return this.guard(() => this.drift.computedDays(since, until));
  }

  /** UTC days (YYYY-MM-DD) with verdicts recorded in [from, to). */
  verdictDays(from: TimeInput, to: TimeInput): string[] {
    return this.guard(() => this.drift.daysWithVerdicts(toIso(from), toIso(to)));
  }

  /** What drift is computed from: the verdicts and image sources recorded on one UTC day. */
  driftSamples(day: string): { messages: DriftMessageSample[]; images: DriftImageSample[] } {
    return this.guard(() => this.drift.samples(day));
  }

  // ---- feedback loop ----

  /** Decided review items with the texts the model scored, oldest first (training examples). */
  decidedReviews(options: DecidedReviewsOptions = {}): DecidedReview[] {
    return this.guard(() => this.feedback.list(options));
  }

  // ---- cursors of polled sources (Reddit listings) ----

  getCursor<T>(source: string): CursorRecord<T> | undefined {
    return this.guard(() => this.cursors.get<T>(source));
  }

  setCursor(source: string, value: unknown): void {
    this.guard(() => this.cursors.set(source, value));
  }

  deleteCursor(source: string): boolean {
    return this.guard(() => this.cursors.delete(source));
  }
}
