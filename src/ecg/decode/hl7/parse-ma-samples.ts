import { DecodeError } from '../decode-error';
import type { ChannelScale } from './channel-scale';
import type { Hl7Segment } from './hl7-segment';
import type { SampleBuffer } from './sample-buffer';
import { scanNumericArray } from './scan-numeric-array';

/**
 * Appends the samples of one MA (multiplexed array) WAV OBX-5 to the channel buffers, in µV.
 * MA (v2.x ch. 2A, ch. 7.15.4): one time instant's values, one per channel, separated by the
 * component delimiter; instants separated by the repetition delimiter: `0^0^0~1^1^1`.
 * `endsMessage`: the bytes stop inside this field, so a short last instant is truncation.
 * Returns the number of missing (empty) samples, stored as NaN.
 * Throws DECODE_INVALID_VALUE (`OBX[n]-5[instant].channel`), DECODE_WAVEFORM_INCONSISTENT and
 * DECODE_TRUNCATED (`OBX[n]-5[instant]`).
 */
export function parseMaSamples(obx: Hl7Segment, channels: readonly ChannelScale[], out: readonly SampleBuffer[], endsMessage: boolean): number {
  const d = obx.encoding.delimiters;
  const n = channels.length;
  const { values, repetitionEnds, missing } = scanNumericArray(obx.bytes(5), d.component.charCodeAt(0), d.repetition.charCodeAt(0), (instant, channel, last) => {
    if (endsMessage && last) throw new DecodeError('DECODE_TRUNCATED', obx.location(5, instant), 'the message ends inside this MA instant');
    throw new DecodeError('DECODE_INVALID_VALUE', obx.location(5, instant, channel), 'MA sample is not a number');
  });
  const instants = repetitionEnds.length;
  for (let i = 0, start = 0; i < instants; start = repetitionEnds[i]!, i++) {
    const got = repetitionEnds[i]! - start;
    if (got === n) continue;
    if (endsMessage && i === instants - 1 && got < n) {
      throw new DecodeError('DECODE_TRUNCATED', obx.location(5, i + 1), `the message ends inside MA instant ${i + 1}: ${got} of ${n} channel values`);
    }
    throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', obx.location(5, i + 1), `MA instant ${i + 1} has ${got} values; CHN defines ${n} channels`);
  }
  channels.forEach((c, ch) => out[ch]!.appendScaled(values, ch, n, instants, c.baseline, c.microvoltsPerUnit));
  return missing;
}
