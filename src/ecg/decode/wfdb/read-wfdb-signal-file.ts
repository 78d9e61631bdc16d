import { DecodeError } from '../decode-error';
import { samplesIn, unpackWfdbSamples, type SupportedFormat } from './unpack-wfdb-samples';
import type { WfdbSignalSpec } from './wfdb-header';

export interface WfdbSignalFile {
  fileName: string;
  format: SupportedFormat;
  /** The file's signals, in header order: the order they are interleaved in. */
  signals: WfdbSignalSpec[];
}

export interface WfdbFileSamples {
  frames: number;
  /** Raw ADC values per signal of the file, `frames × samplesPerFrame` each. */
  raw: Int16Array[];
}

/**
 * Splits a signal file into its signals' raw samples. signal(5): a frame holds `samplesPerFrame`
 * consecutive samples of each signal, in header order; frames follow one another from `byteOffset`.
 * `framesWanted` is the header's nsamp; without it the file's length decides.
 * Throws DECODE_TRUNCATED when the file is shorter than the header says.
 */
export function readWfdbSignalFile(bytes: Uint8Array, file: WfdbSignalFile, framesWanted: number | undefined, field: string): WfdbFileSamples {
  const offset = file.signals[0]?.byteOffset ?? 0;
  const frameSize = file.signals.reduce((n, s) => n + s.samplesPerFrame, 0);
  const body = bytes.subarray(Math.min(offset, bytes.length));
  const framesHeld = frameSize === 0 ? 0 : Math.floor(samplesIn(file.format, body.length) / frameSize);
  const frames = framesWanted ?? framesHeld;
  if (frames > framesHeld) {
    throw new DecodeError('DECODE_TRUNCATED', field, `signal file holds ${framesHeld} samples per signal, the header says ${frames}`);
  }
  const stream = unpackWfdbSamples(body, file.format, frames * frameSize);
  let first = 0; // where this signal's samples start within a frame
  const raw = file.signals.map((s) => {
    const spf = s.samplesPerFrame;
    const out = new Int16Array(frames * spf);
    for (let f = 0, from = first; f < frames; f++, from += frameSize) {
      for (let k = 0; k < spf; k++) out[f * spf + k] = stream[from + k] as number;
    }
    first += spf;
    return out;
  });
  return { frames, raw };
}
