import type { LeadName } from '../../lead-name';
import { parseDicomOrHl7DateTime } from '../../parse-datetime';
import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import type { ClassifiedObservation } from './classify-observation';
import type { Hl7Segment } from './hl7-segment';
import { parseChannelDefinitions, type ChannelDefinition } from './parse-channel-definitions';
import { parseMaSamples } from './parse-ma-samples';
import { parseNaSamples } from './parse-na-samples';
import type { Observation } from './read-oru-structure';
import { SampleBuffer } from './sample-buffer';

export type TypedObservation = Observation & ClassifiedObservation;

/** The leads of one waveform battery, in µV. */
export interface WaveformBattery {
  leads: Map<LeadName, Float32Array>;
  sampleRateHz: number;
  /** TIM OBX-5: time of the first sample (ISO 8601). */
  firstSampleTime?: string;
  /** Location of the first WAV OBX-5, for errors about the assembled leads. */
  dataField: string;
  /** The OBR the battery reports under. */
  obr: Hl7Segment;
}

/**
 * Reads the first waveform battery (v2.3 §7.17: TIM, CHN, WAV observations sharing an OBX-4
 * sub-ID, with a TIM before the first WAV). WAV data split over several OBX is joined in order;
 * WAV after a second TIM (a time gap) and other batteries are left out with a warning.
 * Returns undefined when the message has no WAV observation.
 * Throws DECODE_REQUIRED_FIELD_MISSING (no CHN), DECODE_INVALID_VALUE, DECODE_WAVEFORM_INCONSISTENT,
 * DECODE_TRUNCATED (see parse-channel-definitions, parse-na-samples, parse-ma-samples).
 */
export function readWaveformBattery(
  observations: readonly TypedObservation[],
  endsMessage: (obx: Hl7Segment) => boolean,
  warnings: DecodeWarning[],
): WaveformBattery | undefined {
  const batteries = new Map<string, TypedObservation[]>();
  for (const o of observations) {
    if (o.kind !== 'TIM' && o.kind !== 'CHN' && o.kind !== 'WAV') continue;
    const list = batteries.get(o.subId) ?? [];
    list.push(o);
    batteries.set(o.subId, list);
  }
  const withData = [...batteries.values()].filter((b) => b.some((o) => o.kind === 'WAV'));
  const battery = withData[0];
  if (!battery) return undefined;
  for (const other of withData.slice(1)) {
    warnings.push({ code: 'HL7_BATTERY_IGNORED', field: other[0]!.obx.location(4), message: 'only the first waveform battery (OBX-4 sub-ID) is decoded' });
  }

  const firstWav = battery.find((o) => o.kind === 'WAV')!;
  const chn = battery.filter((o) => o.kind === 'CHN');
  if (chn.length === 0) {
    throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', firstWav.obx.location(4), 'the waveform battery (OBX-4 sub-ID) has WAV data but no CHN channel definitions');
  }
  const { wavs, firstSampleTime } = readTimeline(battery, warnings);

  const defs = chn.flatMap((o) => parseChannelDefinitions(o.obx, warnings));
  if (defs.length === 0) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', chn[0]!.obx.location(5), 'the CHN observation defines no channels');
  const sampleRateHz = checkChannels(defs);
  const valueType = firstWav.valueType;
  const buffers = defs.map(() => new SampleBuffer());
  let missing = 0;
  for (const wav of wavs) {
    if (wav.valueType !== valueType) {
      throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', wav.obx.location(2), `WAV observations mix ${valueType} and ${wav.valueType} layouts`);
    }
    if (wav.obx.raw(5) === '') {
      warnings.push({ code: 'HL7_WAV_EMPTY', field: wav.obx.location(5), message: 'WAV observation without data skipped' });
      continue;
    }
    const parse = valueType === 'NA' ? parseNaSamples : parseMaSamples;
    missing += parse(wav.obx, defs, buffers, endsMessage(wav.obx));
  }
  if (missing > 0) {
    warnings.push({ code: 'HL7_MISSING_SAMPLES', field: firstWav.obx.location(5), message: `${missing} samples are missing (adjacent delimiters) and are NaN` });
  }

  const leads = new Map<LeadName, Float32Array>();
  defs.forEach((def, i) => leads.set(def.lead, buffers[i]!.toArray()));
  const out: WaveformBattery = { leads, sampleRateHz, dataField: firstWav.obx.location(5), obr: firstWav.obr };
  if (firstSampleTime !== undefined) out.firstSampleTime = firstSampleTime;
  return out;
}

function readTimeline(battery: readonly TypedObservation[], warnings: DecodeWarning[]): { wavs: TypedObservation[]; firstSampleTime?: string } {
  const wavs: TypedObservation[] = [];
  let firstSampleTime: string | undefined;
  let timSeen = false;
  for (const o of battery) {
    if (o.kind === 'TIM') {
      if (wavs.length > 0) {
        // §7.16.1: a TIM after data starts a new stretch of time; one EcgRecord holds one.
        warnings.push({ code: 'HL7_WAVEFORM_GAP', field: o.obx.location(5), message: 'WAV data after a second TIM (a time gap) is not decoded' });
        break;
      }
      if (timSeen) continue;
      timSeen = true;
      firstSampleTime = parseDicomOrHl7DateTime(o.obx.get(5));
      if (firstSampleTime === undefined) warnings.push({ code: 'HL7_TIM_INVALID', field: o.obx.location(5), message: 'TIM value is not a TS date-time' });
    } else if (o.kind === 'WAV') {
      if (!timSeen) {
        warnings.push({ code: 'HL7_TIM_MISSING', field: o.obx.location(4), message: 'no TIM observation before the first WAV; OBR-7 gives the time' });
        timSeen = true;
      }
      wavs.push(o);
    }
  }
  return firstSampleTime === undefined ? { wavs } : { wavs, firstSampleTime };
}

function checkChannels(defs: readonly ChannelDefinition[]): number {
  const rate = defs[0]!.samplingFrequency;
  const seen = new Set<LeadName>();
  for (const def of defs) {
    if (def.samplingFrequency !== rate) {
      throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', `${def.location}.5`, 'channels with different sampling frequencies cannot form one ECG');
    }
    if (seen.has(def.lead)) throw new DecodeError('DECODE_INVALID_VALUE', `${def.location}.1`, `lead ${def.lead.slice(0, 12)} is defined by two channels`);
    seen.add(def.lead);
  }
  return rate;
}
