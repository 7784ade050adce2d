// Custom ids of the bot's buttons and modals: `tg:<kind>:<id>`. They carry only ids; everything
// else is read from the store when clicked, so an old alert's buttons act on the current state.
export type ButtonKind = 'confirm' | 'overturn' | 'timeout' | 'appeal' | 'appeal-modal' | 'page';

export interface ParsedId {
  kind: ButtonKind;
  id: number;
  /** Set on the review list's buttons: the page to show again after the decision. */
  page?: number;
}

const KINDS: readonly ButtonKind[] = ['confirm', 'overturn', 'timeout', 'appeal', 'appeal-modal', 'page'];

/** confirm/overturn take a review id, timeout/appeal a verdict id, page a page number. */
export function customId(kind: ButtonKind, id: number, page?: number): string {
  return page === undefined ? `tg:${kind}:${id}` : `tg:${kind}:${id}:${page}`;
}

export function parseCustomId(raw: string): ParsedId | undefined {
  const m = /^tg:([a-z-]+):(\d+)(?::(\d+))?$/.exec(raw);
  if (!m) return undefined;
  const kind = KINDS.find((k) => k === m[1]);
  if (!kind) return undefined;
  return m[3] === undefined ? { kind, id: Number(m[2]) } : { kind, id: Number(m[2]), page: Number(m[3]) };
}
