// The six Jigsaw-compatible labels, in the order unitary/toxic-bert and Detoxify's `original` use.
export const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'] as const;
export type Label = (typeof LABELS)[number];
export const NUM_LABELS = LABELS.length;

/** One probability in [0, 1] per label. */
export type Scores = Record<Label, number>;

/** A half-open character range [start, end) into the original text. */
export type Span = [number, number];

export function scoresFromArray(values: ArrayLike<number>): Scores {
  const out = {} as Scores;
  LABELS.forEach((label, i) => {
    out[label] = values[i] ?? 0;
  });
  return out;
}

export function isLabel(name: string): name is Label {
  return (LABELS as readonly string[]).includes(name);
}
