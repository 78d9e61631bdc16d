/** The sample formats this decoder reads (signal(5)); others are refused by name. */
export const SUPPORTED_FORMATS = [16, 212] as const;
export type SupportedFormat = (typeof SUPPORTED_FORMATS)[number];

/** signal(5): the value a sample takes when the ADC had no valid reading. */
export const INVALID_SAMPLE: Readonly<Record<SupportedFormat, number>> = { 16: -32768, 212: -2048 };

export function isSupportedFormat(format: number): format is SupportedFormat {
  return (SUPPORTED_FORMATS as readonly number[]).includes(format);
}

/** How many whole samples `byteLength` bytes hold in this format. */
export function samplesIn(format: SupportedFormat, byteLength: number): number {
  // 212 packs two samples in three bytes; a trailing byte pair holds one more sample.
  return format === 16 ? Math.floor(byteLength / 2) : Math.floor(byteLength / 3) * 2 + (byteLength % 3 === 2 ? 1 : 0);
}

/**
 * Unpacks the first `count` samples of a signal file, in file order (all signals interleaved).
 * Format 16: two's-complement int16, little endian. Format 212: each pair of 12-bit samples in
 * three bytes; the first is byte 0 plus the low nibble of byte 1, the second byte 2 plus its high nibble.
 * The caller checks the bytes hold `count` samples.
 */
export function unpackWfdbSamples(bytes: Uint8Array, format: SupportedFormat, count: number): Int16Array {
  const out = new Int16Array(count);
  if (format === 16) {
    for (let i = 0, b = 0; i < count; i++, b += 2) out[i] = ((bytes[b] as number) | ((bytes[b + 1] as number) << 8)) << 16 >> 16;
    return out;
  }
  for (let i = 0, b = 0; i < count; i += 2, b += 3) {
    const middle = bytes[b + 1] as number;
    out[i] = ((bytes[b] as number) | ((middle & 0x0f) << 8)) << 20 >> 20;
    if (i + 1 < count) out[i + 1] = ((bytes[b + 2] as number) | ((middle & 0xf0) << 4)) << 20 >> 20;
  }
  return out;
}
