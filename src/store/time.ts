// All timestamps are stored as UTC ISO 8601 with milliseconds ("2025-01-02T03:04:05.678Z") so that
// plain string comparison in SQL orders them correctly. Every input goes through toIso to keep it so.

export type TimeInput = Date | string | number;

export function toIso(t: TimeInput): string {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a valid time: ${String(t)}`);
  return d.toISOString();
}

export function addMs(iso: string, ms: number): string {
  return new Date(new Date(iso).getTime() + ms).toISOString();
}
