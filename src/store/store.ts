// The store facade: opens the database (a SQLite file by default, PostgreSQL for a postgres:// URL),
// runs migrations, and exposes the repositories as one async API. Every public call goes through
// `guard` so a lock timeout, a non-database file or an unreachable server surfaces as a StoreError
// that names the file or database (a URL's password is never shown). Writes that must be atomic run
// in one write transaction (dialect.ts says how each engine starts one).
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Label } from '../classifier/labels.js';
import type { Platform } from '../core/message.js';
import { ActionsRepo, type FailOutcome } from './actions.js';
import { ChartsRepo, type AgreementRow, type BucketUnit, type ChannelCount, type FlaggedSpans, type ServerSummary, type TimelineCounts } from './charts.js';
import { DEFAULT_BUSY_TIMEOUT_MS, isPostgresUrl, openDatabase, openPostgres, sqliteKysely, type Backend } from './connection.js';
import { CursorsRepo, type CursorRecord } from './cursors.js';
import { POLICY_CHANNEL, writeTransaction } from './dialect.js';
import { DriftRepo, type DriftInput, type DriftImageSample, type DriftMessageSample, type DriftRecord, type ListDriftOptions } from './drift.js';
import { FeedbackRepo, type DecidedReview, type DecidedReviewsOptions } from './feedback.js';
import type { Q, StoreContext } from './context.js';
import { StoreError, translateError } from './errors.js';
import { InstallationsRepo, type InstallationKey, type InstallationRow } from './installations.js';
import { migrate, migratePostgres, postgresSchemaVersion, schemaVersion } from './migrations.js';
import { PoliciesRepo } from './policies.js';
import { RetentionRepo } from './retention.js';
import { ReviewsRepo, type ListReviewsOptions } from './reviews.js';
import { ScansRepo } from './scans.js';
import type { DB } from './schema.js';
import { StatsRepo } from './stats.js';
import { StrikesRepo } from './strikes.js';
import { toIso, type TimeInput } from './time.js';
import type {
  ActionRecord,
  ClaimedAction,
  DecisionSource,
  NoticeInput,
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
  /** How long to wait for another writer's lock before failing (PostgreSQL: lock_timeout). Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Lease on a claimed action; after it a crashed worker's action is claimable again. Default 60 s. */
  leaseMs?: number;
  /** Clock for timestamps (tests, replays). Default: the system clock. */
  now?: () => Date;
  /** PostgreSQL: connections in the pool. Default 10. */
  poolSize?: number;
}

/** Called with the server whose policy changed, or '*' when changes may have been missed (a reconnect). */
export type PolicyChangeListener = (serverId: string) => void;

interface Engine {
  backend: Backend;
  db: Kysely<DB>;
  file: string;
  sqlite?: BetterSqlite3.Database;
  /** PostgreSQL: the URL, kept for the LISTEN connection only (never logged: `file` is the redacted form). */
  url?: string;
}

export class Store {
  /** The SQLite file (resolved path or ':memory:'), or the PostgreSQL URL with its password redacted. */
  readonly file: string;
  readonly backend: Backend;
  readonly storeText: TextMode;
  /** Schema versions applied by this open (empty when the database was already up to date). */
  readonly migrated: readonly number[];
  private readonly db: Kysely<DB>;
  private readonly sqlite: BetterSqlite3.Database | undefined;
  private readonly url: string | undefined;
  private readonly busyTimeoutMs: number;
  private readonly clock: () => Date;
  private readonly ctx: StoreContext;
  private readonly actions: ActionsRepo;
  private readonly reviews: ReviewsRepo;
  private readonly verdicts: VerdictsRepo;
  private readonly strikes: StrikesRepo;
  private readonly policies: PoliciesRepo;
  private readonly statsRepo: StatsRepo;
  private readonly charts: ChartsRepo;
  private readonly scans: ScansRepo;
  private readonly retention: RetentionRepo;
  private readonly installations: InstallationsRepo;
  private readonly drift: DriftRepo;
  private readonly feedback: FeedbackRepo;
  private readonly cursors: CursorsRepo;
  private readonly listeners = new Set<pg.Client>();
  private closed = false;

  private constructor(engine: Engine, options: StoreOptions, migrated: number[]) {
    this.db = engine.db;
    this.backend = engine.backend;
    this.sqlite = engine.sqlite;
    this.url = engine.url;
    this.file = engine.file;
    this.migrated = migrated;
    this.storeText = options.storeText ?? 'full';
    this.busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.clock = options.now ?? (() => new Date());
    const ctx: StoreContext = {
      backend: engine.backend,
      file: engine.file,
      now: () => toIso(this.clock()),
      storeText: this.storeText,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    };
    this.ctx = ctx;
    this.actions = new ActionsRepo(ctx);
    this.reviews = new ReviewsRepo();
    this.verdicts = new VerdictsRepo(ctx, this.actions, this.reviews);
    this.strikes = new StrikesRepo();
    this.policies = new PoliciesRepo(ctx);
    this.statsRepo = new StatsRepo(ctx);
    this.charts = new ChartsRepo(ctx);
    this.scans = new ScansRepo(ctx);
    this.retention = new RetentionRepo();
    this.installations = new InstallationsRepo(ctx);
    this.drift = new DriftRepo(ctx);
    this.feedback = new FeedbackRepo();
    this.cursors = new CursorsRepo(ctx);
  }

  /**
   * Opens and migrates. `target`: a SQLite path (parent folders and file created; ':memory:' allowed)
   * or a postgres:// / postgresql:// URL.
   */
  static async open(target: string, options: StoreOptions = {}): Promise<Store> {
    if (options.storeText !== undefined && options.storeText !== 'full' && options.storeText !== 'excerpt') {
      throw new StoreError(`storeText must be 'full' or 'excerpt', got ${String(options.storeText)}`, 'invalid');
    }
    const busy = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    const now = toIso((options.now ?? (() => new Date()))());
    if (isPostgresUrl(target)) {
      const { db, file } = await openPostgres(target, { busyTimeoutMs: busy, ...(options.poolSize ? { poolSize: options.poolSize } : {}) });
      try {
        const migrated = await migratePostgres(db, now);
        return new Store({ backend: 'postgres', db, file, url: target }, options, migrated);
      } catch (err) {
        await db.destroy().catch(() => undefined);
        throw translateError(err, file, busy);
      }
    }
    const { db, file } = openDatabase(target, { busyTimeoutMs: busy });
    try {
      const migrated = migrate(db, now);
      return new Store({ backend: 'sqlite', db: sqliteKysely(db), file, sqlite: db }, options, migrated);
    } catch (err) {
      db.close();
      throw translateError(err, file, busy);
    }
  }

  private async guard<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError(`the store is closed: ${this.file}`, 'invalid');
    try {
      return await fn(this.db);
    } catch (err) {
      throw translateError(err, this.file, this.busyTimeoutMs);
    }
  }

  /** One write transaction (see dialect.ts), errors translated. */
  private tx<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    return this.guard((db) => writeTransaction(db, this.backend, fn));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const client of this.listeners) await client.end().catch(() => undefined);
    this.listeners.clear();
    // SQLite: Kysely's destroy only closes a connection it has used; close the file handle ourselves too.
    await this.db.destroy().catch(() => undefined);
    if (this.sqlite?.open) this.sqlite.close();
  }

  /** For tools that move whole tables (db copy) and health checks: the Kysely handle on this database. */
  get kysely(): Kysely<DB> {
    return this.db;
  }

  /** Answers when the database does (health checks); throws a StoreError naming it otherwise. */
  async ping(): Promise<void> {
    await this.guard(async (q) => {
      await sql`SELECT 1`.execute(q);
    });
  }

  async schemaVersion(): Promise<number> {
    if (this.backend === 'postgres') return this.guard((q) => postgresSchemaVersion(q));
    const db = this.sqlite;
    return this.guard(async () => (db ? schemaVersion(db) : 0));
  }

  /**
   * PostgreSQL: calls `listener` with the server id whenever any process commits a policy change
   * (LISTEN on a dedicated connection, reconnected if it drops; after a reconnect the listener gets '*':
   * changes may have been missed). SQLite: returns undefined (no notifications; callers poll).
   * Resolves to a function that stops listening.
   */
  async onPolicyChange(listener: PolicyChangeListener): Promise<(() => Promise<void>) | undefined> {
    if (this.backend !== 'postgres' || !this.url) return undefined;
    const url = this.url;
    let stopped = false;
    let current: pg.Client | undefined;
    const connect = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
      client.on('notification', (n) => {
        if (n.channel === POLICY_CHANNEL && n.payload !== undefined) listener(n.payload);
      });
      const retry = (): void => {
        this.listeners.delete(client);
        if (stopped || this.closed) return;
        setTimeout(() => {
          if (stopped || this.closed) return;
          connect()
            .then(() => listener('*'))
            .catch(retry);
        }, 1000).unref();
      };
      client.on('error', () => undefined);
      client.on('end', retry);
      try {
        await client.connect();
        await client.query(`LISTEN ${POLICY_CHANNEL}`);
      } catch (err) {
        client.removeListener('end', retry);
        await client.end().catch(() => undefined);
        throw translateError(err, this.file, this.busyTimeoutMs);
      }
      current = client;
      this.listeners.add(client);
    };
    await connect();
    return async () => {
      stopped = true;
      if (current) {
        this.listeners.delete(current);
        await current.end().catch(() => undefined);
      }
    };
  }

  // ---- verdicts ----

  recordVerdict(input: VerdictInput, plannedActions: readonly PlannedAction[] = []): Promise<RecordResult> {
    return this.tx((q) => this.verdicts.record(q, input, plannedActions));
  }

  /** By id or by messageKey. */
  getVerdict(idOrKey: number | string): Promise<VerdictRecord | undefined> {
    return this.guard((q) => this.verdicts.get(q, idOrKey));
  }

  // ---- actions outbox ----

  /**
   * Due pending/failed actions and running ones whose lease expired, marked running; oldest first.
   * Several processes may claim at once: each action goes to one of them.
   */
  claimActions(limit: number, now: TimeInput = this.clock(), leaseMs?: number): Promise<ClaimedAction[]> {
    return this.tx((q) => this.actions.claim(q, limit, now, leaseMs));
  }

  completeAction(id: number, result?: unknown): Promise<boolean> {
    return this.guard((q) => this.actions.complete(q, id, result, toIso(this.clock())));
  }

  failAction(id: number, error: unknown, outcome: FailOutcome): Promise<boolean> {
    return this.guard((q) => this.actions.fail(q, id, error, outcome, toIso(this.clock())));
  }

  listActions(verdictId: number): Promise<ActionRecord[]> {
    return this.guard((q) => this.actions.listForVerdict(q, verdictId));
  }

  getAction(id: number): Promise<ActionRecord | undefined> {
    return this.guard((q) => this.actions.get(q, id));
  }

  /**
   * Enqueues a notice for a server's moderators, due at `notBefore` (default now), unless one with
   * the same key is already live or done for that server (across processes). Returns the new id, or
   * undefined when it already exists.
   */
  enqueueNotice(notice: NoticeInput, notBefore?: TimeInput): Promise<number | undefined> {
    const now = toIso(this.clock());
    return this.tx((q) => this.actions.enqueueNotice(q, notice, now, notBefore === undefined ? now : toIso(notBefore)));
  }

  /** A server's notices, oldest first. */
  listServerActions(platform: Platform, serverId: string): Promise<ActionRecord[]> {
    return this.guard((q) => this.actions.listForServer(q, platform, serverId));
  }

  // ---- reviews ----

  /** Newest in the queue first (an appeal puts an item back on top), with the verdict joined. */
  listReviews(serverId: string, options: ListReviewsOptions = {}): Promise<ReviewWithVerdict[]> {
    return this.guard(async (q) => {
      const out: ReviewWithVerdict[] = [];
      for (const item of await this.reviews.list(q, serverId, options)) {
        const verdict = await this.verdicts.get(q, item.verdictId);
        if (!verdict) throw new StoreError(`review ${item.id} has no verdict ${item.verdictId}`, 'not-found');
        out.push({ ...item, verdict });
      }
      return out;
    });
  }

  getReview(id: number): Promise<ReviewItem | undefined> {
    return this.guard((q) => this.reviews.get(q, id));
  }

  reviewForVerdict(verdictId: number): Promise<ReviewItem | undefined> {
    return this.guard((q) => this.reviews.forVerdict(q, verdictId));
  }

  /**
   * Records a moderator's decision: appends to the decision history and sets the item's status to this
   * (latest) decision. When the verdict has an alert (posted or still to be posted), a `refresh-alert`
   * action is enqueued in the same transaction, so the posted alert shows the decision whichever surface
   * it came from (the platform's buttons, the dashboard, the CLI).
   */
  decideReview(id: number, decision: ReviewDecision, moderatorId: string, source: DecisionSource, note?: string): Promise<ReviewItem> {
    const now = toIso(this.clock());
    return this.tx(async (q) => {
      const item = await this.reviews.decide(q, id, decision, moderatorId, source, note, now, this.backend === 'postgres');
      const alerted = (await this.actions.listForVerdict(q, item.verdictId)).some((a) => a.kind === 'alert' && a.status !== 'dead');
      if (alerted && item.lastDecision) await this.actions.enqueue(q, item.verdictId, [{ kind: 'refresh-alert', key: `refresh-alert:${item.lastDecision.id}` }], now);
      return item;
    });
  }

  /** The verdict's review item, created (pending) if it has none (e.g. a delete that fell back to a flag). */
  ensureReview(verdictId: number): Promise<ReviewItem> {
    return this.tx(async (q) => {
      const verdict = await this.verdicts.lockById(q, verdictId);
      if (!verdict) throw new StoreError(`no verdict with id ${verdictId}`, 'not-found');
      const id = await this.reviews.ensure(q, verdictId, verdict.server_id, false, toIso(this.clock()));
      const item = await this.reviews.get(q, id);
      if (!item) throw new StoreError(`review item ${id} vanished`, 'not-found');
      return item;
    });
  }

  /** Oldest first. */
  reviewHistory(id: number): Promise<ReviewDecisionRecord[]> {
    return this.guard((q) => this.reviews.history(q, id));
  }

  /** Only the message's author may appeal; the review item (created if missing) goes back to pending. */
  appeal(verdictId: number, authorId: string, text: string): Promise<ReviewItem> {
    return this.tx(async (q) => {
      const verdict = await this.verdicts.lockById(q, verdictId);
      if (!verdict) throw new StoreError(`no verdict with id ${verdictId}`, 'not-found');
      if (verdict.author_id !== authorId) throw new StoreError(`only the author of the message can appeal verdict ${verdictId}`, 'invalid');
      return this.reviews.appeal(q, verdictId, verdict.server_id, authorId, text, toIso(this.clock()));
    });
  }

  // ---- strikes ----

  /** Returns false when this verdict already gave a strike (replays do not strike twice). */
  addStrike(serverId: string, userId: string, verdictId: number | null, at: TimeInput = this.clock()): Promise<boolean> {
    return this.guard((q) => this.strikes.add(q, serverId, userId, verdictId, at));
  }

  /** Strikes at or after `since`, not counting those whose review was overturned. */
  countStrikes(serverId: string, userId: string, sinceIso: TimeInput): Promise<number> {
    return this.guard((q) => this.strikes.countSince(q, serverId, userId, sinceIso));
  }

  // ---- policies ----

  getPolicy(serverId: string): Promise<unknown> {
    return this.guard((q) => this.policies.get(q, serverId));
  }

  setPolicy(serverId: string, policy: unknown, actor: string, source: string): Promise<void> {
    return this.tx((q) => this.policies.set(q, serverId, policy, actor, source));
  }

  /** Changes a server's policy atomically (read, update, write and audit in one transaction); see PoliciesRepo.update. */
  updatePolicy<T>(serverId: string, update: (stored: unknown) => T, actor: string, source: string): Promise<T> {
    return this.tx((q) => this.policies.update(q, serverId, update, actor, source));
  }

  /**
   * Enqueues actions on a verdict outside its recording (e.g. the summary of held-back alerts), due at
   * `notBefore` (default now). Keys already live or done for the verdict are skipped. Returns new ids.
   */
  enqueueActions(verdictId: number, planned: readonly PlannedAction[], notBefore?: TimeInput): Promise<number[]> {
    const now = toIso(this.clock());
    return this.tx(async (q) => {
      // The verdict's row lock serialises this with its recording and with other processes' enqueues.
      await this.verdicts.lockById(q, verdictId);
      return this.actions.enqueue(q, verdictId, planned, now, notBefore === undefined ? now : toIso(notBefore));
    });
  }

  /** The alerts of a server held back in the batch that started at `batchStart` (ISO), oldest first. */
  heldBackAlerts(serverId: string, batchStart: string): Promise<{ verdictId: number; channelId: string; labels: Label[] }[]> {
    return this.guard((q) => this.actions.heldBack(q, serverId, batchStart));
  }

  /** Newest first. */
  listPolicyAudit(serverId: string, limit = 50): Promise<PolicyAuditEntry[]> {
    return this.guard((q) => this.policies.listAudit(q, serverId, limit));
  }

  // ---- platform app installations (Slack OAuth) ----

  /** Stores (or replaces, on re-install) an installation document, tokens included. */
  saveInstallation(key: InstallationKey, installation: unknown, installedBy?: string): Promise<void> {
    return this.guard((q) => this.installations.save(q, key, installation, installedBy));
  }

  getInstallation(key: InstallationKey): Promise<InstallationRow | undefined> {
    return this.guard((q) => this.installations.get(q, key));
  }

  deleteInstallation(key: InstallationKey): Promise<boolean> {
    return this.guard((q) => this.installations.delete(q, key));
  }

  // ---- stats, scans, retention ----

  stats(serverId: string | undefined, sinceIso: TimeInput): Promise<Stats> {
    return this.guard((q) => this.statsRepo.get(q, serverId, sinceIso));
  }

  // ---- the dashboard's charts (charts.ts): one server's, or all servers' when serverId is undefined ----

  /** Verdicts per hour or day bucket since `since`: all, flagged per label, per action, log-only. */
  timelineCounts(serverId: string | undefined, since: TimeInput, unit: BucketUnit): Promise<TimelineCounts> {
    return this.guard((q) => this.charts.timeline(q, serverId, since, unit));
  }

  /** Channels with flagged verdicts since `since`, most flagged first. */
  topChannels(serverId: string | undefined, since: TimeInput, limit = 10): Promise<ChannelCount[]> {
    return this.guard((q) => this.charts.topChannels(q, serverId, since, limit));
  }

  /** The explanation spans of the most recent `limit` flagged verdicts since `since`. */
  flaggedSpans(serverId: string | undefined, since: TimeInput, limit: number): Promise<FlaggedSpans[]> {
    return this.guard((q) => this.charts.flaggedSpans(q, serverId, since, limit));
  }

  /** Every server with verdicts or a policy: its verdicts and pending review items. */
  serverSummaries(): Promise<ServerSummary[]> {
    return this.guard((q) => this.charts.servers(q));
  }

  /** Per label, how moderators decided the review items (queued since `since`) the model flagged for it. */
  agreementByLabel(serverId: string | undefined, since: TimeInput = 0): Promise<AgreementRow[]> {
    return this.guard((q) => this.charts.agreementByLabel(q, serverId, since));
  }

  scanCheckpoint(scanId: string): Promise<ScanCheckpoint | undefined> {
    return this.guard((q) => this.scans.get(q, scanId));
  }

  setScanCheckpoint(scanId: string, file: string, line: number): Promise<void> {
    return this.guard((q) => this.scans.set(q, scanId, file, line));
  }

  /** Deletes everything stored about a server (verdicts with their actions and reviews, strikes, policy, audit). */
  purgeServer(serverId: string): Promise<ServerPurgeResult> {
    return this.tx((q) => this.retention.purgeServer(q, serverId));
  }

  prune(olderThanIso: TimeInput): Promise<PruneResult> {
    return this.tx((q) => this.retention.prune(q, olderThanIso));
  }

  // ---- model drift (src/monitoring) ----

  /** Upserts daily drift rows; a row that already alerted keeps its alertedAt. Returns the stored rows. */
  recordDrift(rows: DriftInput | readonly DriftInput[]): Promise<DriftRecord[]> {
    return this.tx((q) => this.drift.record(q, Array.isArray(rows) ? (rows as readonly DriftInput[]) : [rows as DriftInput]));
  }

  /** Oldest day first. Without serverId: the rows computed over all servers. */
  listDrift(options: ListDriftOptions): Promise<DriftRecord[]> {
    return this.guard((q) => this.drift.listRows(q, options));
  }

  /**
   * Alerts for a drift row in one transaction: marks it alerted and, for a server's own row, enqueues
   * a `notice` (key `drift:<id>`) for that server on each platform its verdicts came from. A crash
   * leaves both or neither; a row already alerted enqueues nothing (`marked` false).
   */
  alertDrift(id: number, text: string): Promise<{ marked: boolean; notices: number[] }> {
    const now = toIso(this.clock());
    return this.tx(async (q) => {
      if (!(await this.drift.setAlerted(q, id))) return { marked: false, notices: [] };
      const serverId = await this.drift.serverOf(q, id);
      const notices: number[] = [];
      if (!serverId) return { marked: true, notices }; // all servers together: the log line only
      // Where the server's moderators are: the platform of its verdicts (none left, e.g. pruned: the log line only).
      for (const platform of await this.drift.platformsOf(q, serverId)) {
        const notice = await this.actions.enqueueNotice(q, { platform, serverId, key: `drift:${id}`, text }, now);
        if (notice !== undefined) notices.push(notice);
      }
      return { marked: true, notices };
    });
  }

  /** Marks a UTC day as computed (even with too few messages for any metric). */
  recordDriftDay(day: string, messages: number, model: string): Promise<void> {
    return this.guard((q) => this.drift.recordDay(q, day, messages, model));
  }

  /** Days in [since, until] (YYYY-MM-DD) already computed. */
  driftDaysComputed(since: string, until: string): Promise<string[]> {
    return this.guard((q) => this.drift.computedDays(q, since, until));
  }

  /** UTC days (YYYY-MM-DD) with verdicts recorded in [from, to). */
  verdictDays(from: TimeInput, to: TimeInput): Promise<string[]> {
    return this.guard((q) => this.drift.daysWithVerdicts(q, toIso(from), toIso(to)));
  }

  /** What drift is computed from: the verdicts and image sources recorded on one UTC day. */
  driftSamples(day: string): Promise<{ messages: DriftMessageSample[]; images: DriftImageSample[] }> {
    return this.guard((q) => this.drift.samples(q, day));
  }

  // ---- feedback loop ----

  /** Decided review items with the texts the model scored, oldest first (training examples). */
  decidedReviews(options: DecidedReviewsOptions = {}): Promise<DecidedReview[]> {
    return this.guard((q) => this.feedback.list(q, options));
  }

  // ---- cursors of polled sources (Reddit listings) ----

  getCursor<T>(source: string): Promise<CursorRecord<T> | undefined> {
    return this.guard((q) => this.cursors.get<T>(q, source));
  }

  setCursor(source: string, value: unknown): Promise<void> {
    return this.guard((q) => this.cursors.set(q, source, value));
  }

  deleteCursor(source: string): Promise<boolean> {
    return this.guard((q) => this.cursors.delete(q, source));
  }
}
