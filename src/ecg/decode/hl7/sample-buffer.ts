/** A growable Float32Array for one channel's µV samples, filled across several WAV segments. */
export class SampleBuffer {
  private data: Float32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float32Array(capacity);
  }

  /**
   * Appends `count` raw values taken from `values` at `offset`, `offset + stride`, …, converted
   * to µV: (raw − baseline) × factor (HL7 CCP baseline is in raw units).
   */
  appendScaled(values: Float64Array, offset: number, stride: number, count: number, baseline: number, factor: number): void {
    const need = this.length + count;
    if (need > this.data.length) {
      const grown = new Float32Array(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    const data = this.data;
    let o = this.length;
    for (let i = 0, k = offset; i < count; i++, k += stride) data[o++] = (values[k]! - baseline) * factor;
    this.length = o;
  }

  /** The samples, trimmed to length (no copy when the buffer is exactly full). */
  toArray(): Float32Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}
