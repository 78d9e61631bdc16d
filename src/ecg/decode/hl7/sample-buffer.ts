/** A growable Float32Array for one channel's µV samples, filled across several WAV segments. */
export class SampleBuffer {
  private data: Float32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float32Array(capacity);
  }

  /** Makes room for `extra` more samples, so `push` never reallocates in the hot loop. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.data.length) return;
    const grown = new Float32Array(Math.max(need, this.data.length * 2));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }

  /** The samples, trimmed to length (no copy when the buffer is exactly full). */
  toArray(): Float32Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}
