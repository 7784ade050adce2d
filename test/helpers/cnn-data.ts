// Training rows for CNN unit tests: texts labelled on the first label (toxic) only, one corpus.
import { NUM_LABELS } from '../../src/classifier/labels.js';
import type { CnnShape } from '../../src/classifier/cnn/model.js';
import { tokenIds } from '../../src/classifier/cnn/tokens.js';
import type { CnnTrainData } from '../../src/classifier/cnn/train.js';

export function toxicOnlyRows(texts: readonly string[], y: readonly number[], shape: CnnShape): CnnTrainData {
  const gold = new Int8Array(texts.length * NUM_LABELS).fill(-1);
  y.forEach((v, r) => (gold[r * NUM_LABELS] = v));
  return {
    ids: texts.map((t) => tokenIds(t, shape.bits, shape.maxTokens)),
    gold,
    rowWeight: new Float32Array(texts.length).fill(1),
    classWeight: new Float64Array(NUM_LABELS * 2).fill(1),
    rowGroup: new Int32Array(texts.length),
    groups: 1,
  };
}
