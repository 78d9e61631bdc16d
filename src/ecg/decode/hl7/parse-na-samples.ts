import { DecodeError } from '../decode-error';
import type { ChannelScale } from './channel-scale';
import type { Hl7Segment } from './hl7-segment';
import type { SampleBuffer } from './sample-buffer';
import { scanNumericArray } from './scan-numeric-array';

/**
 * Appends the samples of one NA (numeric array) WAV OBX-5 to the channel buffers, in µV.
 * NA (v2.x ch. 2A, ch. 7.15.4): channel blocks; one channel's successive samples separated by
 * the component delimiter, channels separated by the repetition delimiter. When data is split
 * over several WAV OBX, each holds every channel for the next stretch of time.
 * `endsMessage`: the bytes stop inside this field, so a short last block is truncation.
 * Returns the number of missing (empty) samples, stored as NaN.
 * Throws DECODE_INVALID_VALUE (`OBX[n]-5[channel].sample`), DECODE_WAVEFORM_INCONSISTENT and
 * DECODE_TRUNCATED (`OBX[n]-5[channel]`).
 */
export function parseNaSamples(obx: Hl7Segment, channels: readonly ChannelScale[], out: readonly SampleBuffer[], endsMessage: boolean): number {
  const d = obx.encoding.delimiters;
  const n = channels.length;
  const { values, repetitionEnds, missing } = scanNumericArray(obx.bytes(5), d.component.charCodeAt(0), d.repetition.charCodeAt(0), (block, sample, last) => {
    if (endsMessage && last) throw new DecodeError('DECODE_TRUNCATED', obx.location(5, block), 'the message ends inside this NA channel block');
    throw new DecodeError('DECODE_INVALID_VALUE', obx.location(5, block, sample), 'NA sample is not a number');
  });
  const blocks = repetitionEnds.length;
  if (blocks !== n) {
    if (endsMessage && blocks < n) {
      throw new DecodeError('DECODE_TRUNCATED', obx.location(5, blocks), `the message ends after NA channel block ${blocks} of ${n}`);
    }
    throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', obx.location(5), `NA data holds ${blocks} channel blocks; CHN defines ${n} channels`);
  }
  const expected = repetitionEnds[0]!;
  for (let i = 1; i < blocks; i++) {
    const got = repetitionEnds[i]! - repetitionEnds[i - 1]!;
    if (got === expected) continue;
    if (endsMessage && i === blocks - 1 && got < expected) {
      throw new DecodeError('DECODE_TRUNCATED', obx.location(5, i + 1), `the message ends inside NA channel block ${i + 1}: ${got} of ${expected} samples`);
    }
    throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', obx.location(5, i + 1), `NA channel block ${i + 1} has ${got} samples; block 1 has ${expected}`);
  }
  channels.forEach((c, ch) => out[ch]!.appendScaled(values, ch * expected, 1, expected, c.baseline, c.microvoltsPerUnit));
  return missing;
}
