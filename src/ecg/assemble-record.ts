import { DecodeError } from './decode/decode-error';
import { deriveLimbLeads } from './derive-limb-leads';
import { STANDARD_LEADS, type LeadName } from './lead-name';
import type { EcgRecord } from './record';

export type RecordParts = Omit<EcgRecord, 'leads' | 'derivedLeads' | 'samplesPerLead'> & {
  leads: Map<LeadName, Float32Array>;
};

/**
 * The last step of every decoder: checks the leads agree in length and rate, derives missing
 * limb leads from I and II, and orders leads standard-first.
 * Throws DECODE_NO_WAVEFORM, DECODE_INVALID_VALUE, DECODE_WAVEFORM_INCONSISTENT.
 */
export function assembleRecord(parts: RecordParts, waveformField: string): EcgRecord {
  const { leads, ...rest } = parts;
  if (leads.size === 0) throw new DecodeError('DECODE_NO_WAVEFORM', waveformField, 'no ECG leads found');
  if (!Number.isFinite(parts.sampleRateHz) || parts.sampleRateHz <= 0) {
    throw new DecodeError('DECODE_INVALID_VALUE', waveformField, 'sampling frequency must be a positive number');
  }
  let samples: number | undefined;
  for (const [name, data] of leads) {
    if (samples === undefined) samples = data.length;
    else if (data.length !== samples) {
      throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', waveformField, `lead ${name} has ${data.length} samples, expected ${samples}`);
    }
  }
  if (!samples) throw new DecodeError('DECODE_NO_WAVEFORM', waveformField, 'leads hold no samples');

  const derivedLeads = deriveLimbLeads(leads);
  const ordered: Record<string, Float32Array> = {};
  for (const name of STANDARD_LEADS) {
    const data = leads.get(name);
    if (data) ordered[name] = data;
  }
  for (const [name, data] of leads) if (!(name in ordered)) ordered[name] = data;

  return { ...rest, leads: ordered, derivedLeads, samplesPerLead: samples };
}
