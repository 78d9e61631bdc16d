import { DecodeError } from '../decode-error';
import type { ChannelScale } from './channel-scale';
import type { Hl7Segment } from './hl7-segment';
import type { SampleBuffer } from './sample-buffer';
import { COMPONENT_END, FIELD_END, NOT_A_NUMBER, SampleScanner } from './sample-scanner';

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
  const text = obx.raw(5);
  const d = obx.encoding.delimiters;
  const n = channels.length;
  const scanner = new SampleScanner(text, d.component.charCodeAt(0), d.repetition.charCodeAt(0));
  const counts: number[] = [];
  let missing = 0;
  let block = 1;
  let count = 0;
  let baseline = channels[0]?.baseline ?? 0;
  let factor = channels[0]?.microvoltsPerUnit ?? 1;
  let target = out[0];
  for (;;) {
    const stop = scanner.next();
    if (stop === NOT_A_NUMBER) {
      if (endsMessage && scanner.inLastRepetition()) {
        throw new DecodeError('DECODE_TRUNCATED', obx.location(5, block), 'the message ends inside this NA channel block');
      }
      throw new DecodeError('DECODE_INVALID_VALUE', obx.location(5, block, count + 1), 'NA sample is not a number');
    }
    // A repetition delimiter right before the end of the field adds no channel block.
    if (stop === FIELD_END && count === 0 && scanner.missing && block > 1) break;
    if (target) target.push((scanner.value - baseline) * factor);
    if (scanner.missing) missing++;
    count++;
    if (stop === COMPONENT_END) continue;
    counts.push(count);
    if (block === 1) for (const b of out) if (b !== out[0]) b.reserve(count);
    if (stop === FIELD_END) break;
    block++;
    count = 0;
    target = out[block - 1];
    baseline = channels[block - 1]?.baseline ?? 0;
    factor = channels[block - 1]?.microvoltsPerUnit ?? 1;
  }

  if (counts.length !== n) {
    if (endsMessage && counts.length < n) {
      throw new DecodeError('DECODE_TRUNCATED', obx.location(5, counts.length), `the message ends after NA channel block ${counts.length} of ${n}`);
    }
    throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', obx.location(5), `NA data holds ${counts.length} channel blocks; CHN defines ${n} channels`);
  }
  const expected = counts[0]!;
  counts.forEach((c, i) => {
    if (c === expected) return;
    if (endsMessage && i === counts.length - 1 && c < expected) {
      throw new DecodeError('DECODE_TRUNCATED', obx.location(5, i + 1), `the message ends inside NA channel block ${i + 1}: ${c} of ${expected} samples`);
    }
    throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', obx.location(5, i + 1), `NA channel block ${i + 1} has ${c} samples; block 1 has ${expected}`);
  });
  return missing;
}
