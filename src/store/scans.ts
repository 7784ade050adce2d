// Checkpoints for resumable batch scans: where (file, line) a scan had got to when it last saved.
import type { Q, StoreContext } from './context.js';
import type { ScanCheckpoint } from './types.js';

export class ScansRepo {
  constructor(private readonly ctx: StoreContext) {}

  async get(q: Q, scanId: string): Promise<ScanCheckpoint | undefined> {
    const r = await q.selectFrom('scan_checkpoints').selectAll().where('scan_id', '=', scanId).executeTakeFirst();
    return r ? { scanId: r.scan_id, file: r.file, line: r.line, updatedAt: r.updated_at } : undefined;
  }

  async set(q: Q, scanId: string, file: string, line: number): Promise<void> {
    await q
      .insertInto('scan_checkpoints')
      .values({ scan_id: scanId, file, line: Math.floor(line), updated_at: this.ctx.now() })
      .onConflict((oc) => oc.column('scan_id').doUpdateSet((eb) => ({ file: eb.ref('excluded.file'), line: eb.ref('excluded.line'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }
}
