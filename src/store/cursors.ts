// Cursors of polled sources (a subreddit's new comments, its new posts...): where a poller had got
// to, saved after the verdicts up to that point were recorded, so a restart resumes with no gap.
// The value is the poller's own JSON (an id, a timestamp, a paging token).
import { parseJson, toJson, type StoreContext } from './context.js';

export interface CursorRecord<T = unknown> {
  source: string;
  value: T;
  updatedAt: string;
}

export class CursorsRepo {
  private readonly select;
  private readonly upsert;
  private readonly remove;

  constructor(private readonly ctx: StoreContext) {
    const { db } = ctx;
    this.select = db.prepare<[string], { source: string; value_json: string; updated_at: string }>('SELECT * FROM cursors WHERE source = ?');
    this.upsert = db.prepare<[string, string, string], void>(
      `INSERT INTO cursors (source, value_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string], void>('DELETE FROM cursors WHERE source = ?');
  }

  get<T>(source: string): CursorRecord<T> | undefined {
    const r = this.select.get(source);
    return r ? { source: r.source, value: parseJson<T>(r.value_json), updatedAt: r.updated_at } : undefined;
  }

  set(source: string, value: unknown): void {
    this.upsert.run(source, toJson(value), this.ctx.now());
  }

  delete(source: string): boolean {
    return this.remove.run(source).changes > 0;
  }
}
