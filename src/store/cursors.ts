// Cursors of polled sources (a subreddit's new comments, its new posts...): where a poller had got
// to, saved after the verdicts up to that point were recorded, so a restart resumes with no gap.
// The value is the poller's own JSON (an id, a timestamp, a paging token).
import { affected, parseJson, toJson, type Q, type StoreContext } from './context.js';

export interface CursorRecord<T = unknown> {
  source: string;
  value: T;
  updatedAt: string;
}

export class CursorsRepo {
  constructor(private readonly ctx: StoreContext) {}

  async get<T>(q: Q, source: string): Promise<CursorRecord<T> | undefined> {
    const r = await q.selectFrom('cursors').selectAll().where('source', '=', source).executeTakeFirst();
    return r ? { source: r.source, value: parseJson<T>(r.value_json), updatedAt: r.updated_at } : undefined;
  }

  async set(q: Q, source: string, value: unknown): Promise<void> {
    await q
      .insertInto('cursors')
      .values({ source, value_json: toJson(value), updated_at: this.ctx.now() })
      .onConflict((oc) => oc.column('source').doUpdateSet((eb) => ({ value_json: eb.ref('excluded.value_json'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }

  async delete(q: Q, source: string): Promise<boolean> {
    return affected(await q.deleteFrom('cursors').where('source', '=', source).executeTakeFirst()) > 0;
  }
}
