// Compressed sparse rows of feature vectors, built incrementally in typed arrays (the training set
// has tens of millions of non-zeros: plain JS arrays would double the memory).
import type { SparseVector } from '../linear/features.js';

export interface SparseMatrix {
  rows: number;
  rowPtr: Int32Array;
  index: Int32Array;
  value: Float32Array;
}

export class MatrixBuilder {
  private index = new Int32Array(1 << 20);
  private value = new Float32Array(1 << 20);
  private readonly rowPtr: number[] = [0];
  private nnz = 0;

  add(v: SparseVector): void {
    while (this.nnz + v.length > this.index.length) {
      const index = new Int32Array(this.index.length * 2);
      index.set(this.index);
      this.index = index;
      const value = new Float32Array(this.value.length * 2);
      value.set(this.value);
      this.value = value;
    }
    this.index.set(v.index.subarray(0, v.length), this.nnz);
    this.value.set(v.value.subarray(0, v.length), this.nnz);
    this.nnz += v.length;
    this.rowPtr.push(this.nnz);
  }

  build(): SparseMatrix {
    return {
      rows: this.rowPtr.length - 1,
      rowPtr: Int32Array.from(this.rowPtr),
      index: this.index.slice(0, this.nnz),
      value: this.value.slice(0, this.nnz),
    };
  }
}
