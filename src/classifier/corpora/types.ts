import type { Span } from '../labels.js';

/** Gold value for one label: 1 = present, 0 = absent, null = the corpus says nothing about it. */
export type Gold = 0 | 1 | null;

/** One labelled text, mapped onto the six labels. `labels` follows the order of LABELS. */
export interface Example {
  id: string;
  corpus: string;
  text: string;
  labels: Gold[];
  split: 'train' | 'val';
  /** Training weight (corpora that are noisier or off-domain count less). */
  weight: number;
  /** Character ranges annotated as toxic, when the corpus has them. */
  spans?: Span[];
}

export interface CorpusLoader {
  /** Folder name under the datasets directory, e.g. `olid` or `multilingual/germeval2018`. */
  name: string;
  /** What the corpus's labels become (for the model card). */
  mapping: string;
  load(dir: string): Example[];
}
