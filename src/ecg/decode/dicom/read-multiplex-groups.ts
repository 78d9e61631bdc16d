import { DecodeError } from '../decode-error';
import { channelToLead, type ChannelClass } from './channel-to-lead';
import type { DicomDataset } from './dicom-dataset';
import { fieldOf, TAG } from './dicom-tags';
import { asciiOf, itemsOf, textOf, uint16Of, uint32Of, type TextDecode } from './dicom-values';

export interface ChannelInfo {
  /** 1-based position in the multiplex (Channel Definition Sequence order = data order, PS3.3 C.10.9.1.4). */
  number: number;
  item: DicomDataset;
  class: ChannelClass;
}

/** One item of the Waveform Sequence (5400,0100): a multiplex group's header, samples untouched. */
export interface MultiplexGroup {
  /** 1-based item number, as Referenced Waveform Channels (0040,A0B0) counts groups. */
  number: number;
  item: DicomDataset;
  label: string | undefined;
  originality: string | undefined;
  /** Number of Waveform Channels (003A,0005) and Samples (003A,0010), as declared. */
  channelCount: number | undefined;
  sampleCount: number | undefined;
  channelItems: readonly DicomDataset[];
}

/** Classifies a group's channels; `ecgChannels` in the selection calls it only for the groups it weighs. */
export type ChannelClassifier = (group: MultiplexGroup) => readonly ChannelInfo[];

/**
 * Reads every multiplex group's header without touching samples, so the rhythm group can be
 * chosen before decoding. Throws DECODE_NO_WAVEFORM when there is no group.
 */
export function readMultiplexGroups(ds: DicomDataset, decode: TextDecode): MultiplexGroup[] {
  const items = itemsOf(ds, TAG.WaveformSequence);
  if (items.length === 0) {
    throw new DecodeError('DECODE_NO_WAVEFORM', fieldOf(TAG.WaveformSequence), 'the Waveform Sequence is missing or has no multiplex group');
  }
  return items.map((item, i) => ({
    number: i + 1,
    item,
    label: textOf(item, TAG.MultiplexGroupLabel, decode),
    originality: asciiOf(item, TAG.WaveformOriginality)?.toUpperCase(),
    channelCount: uint16Of(item, TAG.NumberOfWaveformChannels),
    sampleCount: uint32Of(item, TAG.NumberOfWaveformSamples),
    channelItems: itemsOf(item, TAG.ChannelDefinitionSequence),
  }));
}

/** A classifier that reads each group's channels once (see channelToLead for the rules). */
export function channelClassifier(decode: TextDecode, keepUnrecognisedVoltage: boolean): ChannelClassifier {
  const done = new Map<MultiplexGroup, readonly ChannelInfo[]>();
  return (group) => {
    let channels = done.get(group);
    if (channels === undefined) {
      channels = group.channelItems.map((item, c) => ({ number: c + 1, item, class: channelToLead(item, decode, keepUnrecognisedVoltage) }));
      done.set(group, channels);
    }
    return channels;
  };
}
