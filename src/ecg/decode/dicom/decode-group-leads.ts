import type { LeadName } from '../../lead-name';
import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { decodeChannelSamples, rawSamples, type ChannelDecode, type SampleInterpretation, type SampleLayout } from './decode-channel-samples';
import { fieldOf, TAG } from './dicom-tags';
import { asciiOf, bytesOf, uint16Of, type TextDecode } from './dicom-values';
import { readChannelScale } from './read-channel-scale';
import { readDecimal } from './read-decimal';
import type { ChannelInfo, MultiplexGroup } from './read-multiplex-groups';

export interface GroupLeads {
  sampleRateHz: number;
  leads: Map<LeadName, Float32Array>;
  /** Multiplex Group Time Offset (0018,1068): ms from the Acquisition DateTime to the first sample. */
  timeOffsetMs: number | undefined;
}

// PS3.3 C.10.9.1.5: the element size each interpretation needs.
const BITS_BY_INTERPRETATION: Readonly<Record<SampleInterpretation, 8 | 16>> = { SS: 16, US: 16, SB: 8, UB: 8 };

function isInterpretation(s: string): s is SampleInterpretation {
  return s in BITS_BY_INTERPRETATION;
}

function readLayout(group: MultiplexGroup, channelDefinitions: number, littleEndian: boolean, dataVr: string): SampleLayout {
  const g = group.number;
  const channelCount = group.channelCount;
  if (channelCount === undefined || channelCount === 0) {
    throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', fieldOf(TAG.NumberOfWaveformChannels, g), 'a multiplex group needs its number of channels');
  }
  if (channelCount !== channelDefinitions) {
    throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', fieldOf(TAG.ChannelDefinitionSequence, g), `${channelDefinitions} channel definitions for ${channelCount} channels`);
  }
  const sampleCount = group.sampleCount;
  if (sampleCount === undefined || sampleCount === 0) {
    throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', fieldOf(TAG.NumberOfWaveformSamples, g), 'a multiplex group needs its number of samples');
  }
  const bitsAllocated = uint16Of(group.item, TAG.WaveformBitsAllocated);
  if (bitsAllocated === undefined) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', fieldOf(TAG.WaveformBitsAllocated, g), 'required (PS3.3 Table C.10-9)');
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', fieldOf(TAG.WaveformBitsAllocated, g), `${bitsAllocated}-bit samples are not supported (8 and 16 are)`);
  }
  const interpretationField = (): string => fieldOf(TAG.WaveformSampleInterpretation, g);
  const interpretation = asciiOf(group.item, TAG.WaveformSampleInterpretation);
  if (interpretation === undefined) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', interpretationField(), 'required (PS3.3 Table C.10-9)');
  if (!isInterpretation(interpretation)) {
    // MB/AB (µ-law/A-law) are audio encodings, outside every ECG IOD; no scaling to µV is defined for them.
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', interpretationField(), 'only SS, US, SB and UB samples are supported');
  }
  if (BITS_BY_INTERPRETATION[interpretation] !== bitsAllocated) {
    throw new DecodeError('DECODE_INVALID_VALUE', interpretationField(), `${interpretation} needs ${BITS_BY_INTERPRETATION[interpretation]}-bit samples, Waveform Bits Allocated is ${bitsAllocated}`);
  }
  return { interpretation, bitsAllocated, channelCount, sampleCount, littleEndian, swapBytePairs: !littleEndian && bitsAllocated === 8 && dataVr === 'OW' };
}

/**
 * Decodes the ECG channels of one multiplex group into µV leads (PS3.3 C.10.9). Other channels
 * are skipped with a NON_ECG_CHANNEL_SKIPPED warning; a second channel of the same lead is
 * skipped with DUPLICATE_LEAD. Throws DECODE_REQUIRED_FIELD_MISSING, DECODE_INVALID_VALUE,
 * DECODE_UNSUPPORTED_ENCODING, DECODE_WAVEFORM_INCONSISTENT.
 */
export function decodeGroupLeads(
  group: MultiplexGroup,
  groupChannels: readonly ChannelInfo[],
  littleEndian: boolean,
  decode: TextDecode,
  warnings: DecodeWarning[],
): GroupLeads {
  const g = group.number;
  const sampleRateHz = readDecimal(group.item, TAG.SamplingFrequency, g, warnings);
  if (sampleRateHz === undefined) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', fieldOf(TAG.SamplingFrequency, g), 'required (PS3.3 Table C.10-9)');
  if (!(sampleRateHz > 0)) throw new DecodeError('DECODE_INVALID_VALUE', fieldOf(TAG.SamplingFrequency, g), 'the sampling frequency must be a positive number of Hz');

  const dataElement = group.item.get(TAG.WaveformData);
  const data = bytesOf(group.item, TAG.WaveformData);
  if (!dataElement || !data) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', fieldOf(TAG.WaveformData, g), 'the multiplex group has no Waveform Data');
  const layout = readLayout(group, groupChannels.length, littleEndian, dataElement.vr);
  const needed = layout.channelCount * layout.sampleCount * (layout.bitsAllocated / 8);
  if (data.length < needed) {
    throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', fieldOf(TAG.WaveformData, g), `holds ${data.length} bytes; ${layout.channelCount} channels × ${layout.sampleCount} samples need ${needed}`);
  }
  if (data.length > needed + 1) {
    warnings.push({ code: 'WAVEFORM_DATA_LONGER', field: fieldOf(TAG.WaveformData, g), message: `holds ${data.length - needed} bytes more than channels × samples need; ignored` });
  }

  let padding: number | undefined;
  const paddingBytes = bytesOf(group.item, TAG.WaveformPaddingValue);
  if (paddingBytes && paddingBytes.length >= layout.bitsAllocated / 8) {
    padding = rawSamples(paddingBytes, layout, 1)[0];
    const signed = layout.interpretation === 'SS' || layout.interpretation === 'SB';
    if (signed && padding === 0) {
      // 0 is the encoded zero of a signed signal: as a padding value it would erase real 0 µV samples.
      warnings.push({ code: 'PADDING_VALUE_IGNORED', field: fieldOf(TAG.WaveformPaddingValue, g), message: 'a padding value of 0 in signed samples cannot mark absent input; ignored' });
      padding = undefined;
    }
  }

  const names: LeadName[] = [];
  const channels: ChannelDecode[] = [];
  const seen = new Set<LeadName>();
  for (const channel of groupChannels) {
    if (channel.class.kind !== 'lead') {
      warnings.push({ code: 'NON_ECG_CHANNEL_SKIPPED', field: fieldOf(TAG.ChannelSourceSequence, channel.number), message: channel.class.reason });
      continue;
    }
    if (seen.has(channel.class.lead)) {
      warnings.push({ code: 'DUPLICATE_LEAD', field: fieldOf(TAG.ChannelSourceSequence, channel.number), message: `lead ${channel.class.lead} appears twice in the group; the first channel is kept` });
      continue;
    }
    seen.add(channel.class.lead);
    names.push(channel.class.lead);
    channels.push({ position: channel.number - 1, ...readChannelScale(channel.item, channel.number, layout.bitsAllocated, decode, warnings) });
  }

  const { signals, paddedSamples } = decodeChannelSamples(data, layout, channels, padding);
  if (paddedSamples > 0) {
    warnings.push({ code: 'PADDING_SAMPLES', field: fieldOf(TAG.WaveformPaddingValue, g), message: `${paddedSamples} samples equal the padding value (absent input) and are set to 0 µV` });
  }
  const leads = new Map<LeadName, Float32Array>();
  names.forEach((name, i) => leads.set(name, signals[i] as Float32Array));
  const timeOffsetMs = readDecimal(group.item, TAG.MultiplexGroupTimeOffset, g, warnings, 'warn');
  return { sampleRateHz, leads, timeOffsetMs };
}
