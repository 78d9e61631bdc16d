import { DecodeError } from '../decode-error';
import type { ChannelScale } from './channel-scale';
import type { Hl7Segment } from './hl7-segment';
import type { SampleBuffer } from './sample-buffer';
import { COMPONENT_END, FIELD_END, NOT_A_NUMBER, SampleScanner } from './sample-scanner';

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
  const text = obx.raw(5);
  const d = obx.encoding.delimiters;
  const n = channels.length;
  let instants = 1;
  for (let at = text.indexOf(d.repetition); at >= 0; at = text.indexOf(d.repetition, at + 1)) instants++;
  for (const b of out) b.reserve(instants);
  const baseline = Float64Array.from(channels, (c) => c.baseline);
  const factor = Float64Array.from(channels, (c) => c.microvoltsPerUnit);

  const scanner = new SampleScanner(text, d.component.charCodeAt(0), d.repetition.charCodeAt(0));
  let missing = 0;
  let instant = 1;
  let ch = 0;
  for (;;) {
    const stop = scanner.next();
    if (stop === NOT_A_NUMBER) {
      if (endsMessage && scanner.inLastRepetition()) {
        throw new DecodeError('DECODE_TRUNCATED', obx.location(5, instant), 'the message ends inside this MA instant');
      }
      throw new DecodeError('DECODE_INVALID_VALUE', obx.location(5, instant, ch + 1), 'MA sample is not a number');
    }
    // A repetition delimiter right before the end of the field adds no instant.
    if (stop === FIELD_END && ch === 0 && scanner.missing && instant > 1) break;
    if (ch < n) out[ch]!.push((scanner.value - baseline[ch]!) * factor[ch]!);
    if (scanner.missing) missing++;
    ch++;
    if (stop === COMPONENT_END) continue;
    if (ch !== n) {
      if (endsMessage && stop === FIELD_END && ch < n) {
        throw new DecodeError('DECODE_TRUNCATED', obx.location(5, instant), `the message ends inside MA instant ${instant}: ${ch} of ${n} channel values`);
      }
      throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', obx.location(5, instant), `MA instant ${instant} has ${ch} values; CHN defines ${n} channels`);
    }
    if (stop === FIELD_END) break;
    ch = 0;
    instant++;
  }
  return missing;
}
