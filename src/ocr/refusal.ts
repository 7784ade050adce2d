/** An image that is not scanned, with the reason recorded and shown ("not scanned: <reason>"). */
export class ImageRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ImageRefused';
  }
}

/** 8388608 -> "8 MB", 10000 -> "9.8 KB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / 1024 / 1024).toFixed(1))} MB`;
  return `${Number((n / 1024).toFixed(1))} KB`;
}
