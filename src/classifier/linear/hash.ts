// The bit mixer shared by the n-gram and context hashes (one module, so neither imports the other).

/** Murmur3's finaliser: spreads a 32-bit hash's bits. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
