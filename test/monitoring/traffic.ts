// Made-up chat traffic for the drift tests: the same generator gives the "training" reference texts
// and in-distribution traffic (different seeds); options shift it (more insults, longer messages).
import { makeRng } from '../../src/util/rng.js';

const INSULTS = ['idiot', 'moron', 'loser', 'stupid', 'dumb', 'pathetic', 'trash', 'clown', 'shut up'];
const FRIENDLY = ['thanks', 'great', 'lovely', 'friend', 'awesome', 'welcome', 'nice', 'happy', 'gg'];
const FILLER = ['the', 'game', 'today', 'was', 'really', 'and', 'you', 'are', 'so', 'this', 'team', 'match', 'who', 'is', 'playing', 'tonight', 'map', 'lol'];

export interface TrafficOptions {
  /** Share of messages with insults. */
  toxicShare?: number;
  /** Words per message: min + up to spread more. */
  minWords?: number;
  spread?: number;
}

export function chatMessages(n: number, seed: number, options: TrafficOptions = {}): string[] {
  const rng = makeRng(seed);
  const { toxicShare = 0.15, minWords = 2, spread = 14 } = options;
  const pick = (xs: string[]): string => xs[Math.floor(rng() * xs.length)] as string;
  return Array.from({ length: n }, () => {
    const toxic = rng() < toxicShare;
    const words = Array.from({ length: minWords + Math.floor(rng() * rng() * spread) }, () => pick(FILLER));
    const k = 1 + Math.floor(rng() * 2);
    for (let i = 0; i < k; i++) words.splice(Math.floor(rng() * words.length), 0, pick(toxic ? INSULTS : rng() < 0.5 ? FRIENDLY : FILLER));
    return words.join(' ');
  });
}
