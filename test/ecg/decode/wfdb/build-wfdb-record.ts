/** Format 16: each sample an int16, little endian (signal(5)). */
export function encode16(samples: readonly number[]): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  samples.forEach((v, i) => view.setInt16(i * 2, v, true));
  return out;
}

/**
 * Format 212 (signal(5)): samples in pairs, three bytes a pair. Byte 0 = low 8 bits of the first,
 * byte 1 = its high 4 bits (low nibble) and the second's high 4 bits (high nibble), byte 2 = low 8
 * bits of the second. An odd last sample takes two bytes.
 */
export function encode212(samples: readonly number[]): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < samples.length; i += 2) {
    const a = (samples[i] as number) & 0xfff;
    const b = i + 1 < samples.length ? (samples[i + 1] as number) & 0xfff : 0;
    out.push(a & 0xff, (a >> 8) | ((b >> 8) << 4));
    if (i + 1 < samples.length) out.push(b & 0xff);
  }
  return Uint8Array.from(out);
}

/** Frames of interleaved samples: [[s1, s2], [s1, s2] …] → s1 s2 s1 s2 … */
export function interleave(frames: readonly (readonly number[])[]): number[] {
  return frames.flat();
}

/** The 16-bit checksum header(5) writes: the sum of a signal's samples, as a signed short. */
export function checksum(samples: readonly number[]): number {
  return (samples.reduce((s, v) => (s + v) & 0xffff, 0) << 16) >> 16;
}

/** A companion reader over in-memory files that records what was asked for. */
export function companions(files: Readonly<Record<string, Uint8Array>>): { read: (name: string) => Uint8Array; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    read: (name: string) => {
      asked.push(name);
      const file = files[name];
      if (!file) throw new Error(`ENOENT: ${name}`);
      return file;
    },
  };
}

export function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
