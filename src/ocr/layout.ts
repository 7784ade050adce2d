// Reading order for detected text boxes: a recursive XY-cut. A region is split into columns when a
// wide vertical gutter runs through all of it with text on both sides (tweet screenshots, side by
// side panels), else into horizontal bands wherever a horizontal gap crosses it (a meme's top and
// bottom captions, lines of a paragraph); a region that cannot be split is one line, read left to
// right. Each output line keeps the confidence of its boxes (weighted by characters).
import type { Box } from './paddle/infer.js';

export interface PlacedText {
  text: string;
  confidence: number;
  box: Box;
}

export interface OrderedLine {
  text: string;
  confidence: number;
}

/** A gutter must be this many text heights wide to make columns (much wider than a word space). */
const GUTTER_HEIGHTS = 2;
/** Each column must span this share of its region's height and hold several boxes (a side note is not a column). */
const COLUMN_SHARE = 0.3;

export function readingOrder(items: readonly PlacedText[]): OrderedLine[] {
  if (!items.length) return [];
  const heights = items.map((i) => i.box.y1 - i.box.y0).sort((a, b) => a - b);
  const textHeight = heights[Math.floor(heights.length / 2)] as number;
  const out: OrderedLine[] = [];
  cut([...items], textHeight, out);
  return out;
}

/** Groups of items separated by gaps along one axis (in order), where the gap is at least `minGap`. */
function split(items: PlacedText[], axis: 'x' | 'y', minGap: number): PlacedText[][] {
  const lo = axis === 'x' ? (i: PlacedText) => i.box.x0 : (i: PlacedText) => i.box.y0;
  const hi = axis === 'x' ? (i: PlacedText) => i.box.x1 : (i: PlacedText) => i.box.y1;
  const sorted = [...items].sort((a, b) => lo(a) - lo(b));
  const groups: PlacedText[][] = [];
  let reach = -Infinity;
  for (const item of sorted) {
    // Boxes grown by the detector overlap their neighbours a little: a gap is measured with a small tolerance.
    if (!groups.length || lo(item) - reach >= minGap) groups.push([item]);
    else groups[groups.length - 1]?.push(item);
    reach = Math.max(reach, hi(item));
  }
  return groups;
}

function extent(items: PlacedText[]): { y0: number; y1: number } {
  return { y0: Math.min(...items.map((i) => i.box.y0)), y1: Math.max(...items.map((i) => i.box.y1)) };
}

function cut(items: PlacedText[], textHeight: number, out: OrderedLine[]): void {
  if (items.length > 1) {
    const region = extent(items);
    const columns = split(items, 'x', GUTTER_HEIGHTS * textHeight);
    const tall = (g: PlacedText[]): boolean => {
      const e = extent(g);
      return g.length > 1 && e.y1 - e.y0 >= COLUMN_SHARE * (region.y1 - region.y0);
    };
    if (columns.length > 1 && columns.every(tall)) {
      for (const column of columns) cut(column, textHeight, out);
      return;
    }
    // Bands: any horizontal gap (boxes overlapping by less than a fifth of a text height count as apart).
    const bands = split(items, 'y', -0.2 * textHeight);
    if (bands.length > 1) {
      for (const band of bands) cut(band, textHeight, out);
      return;
    }
  }
  // Boxes chained together by small overlaps: rows by vertical centre, each read left to right.
  const rows: PlacedText[][] = [];
  const centre = (i: PlacedText): number => (i.box.y0 + i.box.y1) / 2;
  for (const item of [...items].sort((a, b) => centre(a) - centre(b))) {
    const row = rows[rows.length - 1];
    const first = row?.[0];
    if (row && first && centre(item) >= first.box.y0 && centre(item) <= first.box.y1) row.push(item);
    else rows.push([item]);
  }
  for (const row of rows) {
    const line = row.sort((a, b) => a.box.x0 - b.box.x0);
    const chars = line.reduce((n, i) => n + i.text.length, 0);
    out.push({
      text: line.map((i) => i.text).join(' '),
      confidence: chars ? line.reduce((s, i) => s + i.confidence * i.text.length, 0) / chars : 0,
    });
  }
}
