// Checkpoints for resumable batch scans: where (file, line) a scan had got to when it last saved.
import type { StoreContext } from './context.js';
import type { ScanCheckpoint } from './types.js';

export class ScansRepo {
  private readonly select;
  private readonly upsert;

  constructor(private readonly ctx: StoreContext) {
    const { db } = ctx;
    this.select = db.prepare<[string], { scan_id: string; file: string; line: number; updated_at: string }>('SELECT * FROM scan_checkpoints WHERE scan_id = ?');
    this.upsert = db.prepare<[string, string, number, string], void>(
      `INSERT INTO scan_checkpoints (scan_id, file, line, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (scan_id) DO UPDATE SET file = excluded.file, line = excluded.line, updated_at = excluded.updated_at`,
    );
  }

  get(scanId: string): ScanCheckpoint | undefined {
    const r = this.select.get(scanId);
    return r ? { scanId: r.scan_id, file: r.file, line: r.line, updatedAt: r.updated_at } : undefined;
  }

  set(scanId: string, file: string, line: number): void {
    this.upsert.run(scanId, file, Math.floor(line), this.ctx.now());
  }
}
