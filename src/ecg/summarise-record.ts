import type { EcgRecord } from './record';

export interface RecordSummary {
  format: string;
  sampleRateHz: number;
  samplesPerLead: number;
  durationS: number;
  leads: Record<string, { first?: number[] }>;
  derivedLeads: string[];
  acquisitionTime?: string;
  patient: EcgRecord['patient'];
  order: EcgRecord['order'];
  measurements: Record<string, number>;
  source: EcgRecord['source'];
  warnings: EcgRecord['warnings'];
}

/** The JSON shape `inspect` prints and the API shows: no samples unless `firstSamples` > 0. */
export function summariseRecord(record: EcgRecord, firstSamples = 0): RecordSummary {
  const leads: Record<string, { first?: number[] }> = {};
  for (const [name, data] of Object.entries(record.leads)) {
    leads[name] = firstSamples > 0 ? { first: Array.from(data.subarray(0, firstSamples), (v) => Math.round(v * 1e6) / 1e6) } : {};
  }
  const measurements: Record<string, number> = {};
  for (const [code, m] of Object.entries(record.measurements)) measurements[code] = m.value;
  const summary: RecordSummary = {
    format: record.format,
    sampleRateHz: record.sampleRateHz,
    samplesPerLead: record.samplesPerLead,
    durationS: record.samplesPerLead / record.sampleRateHz,
    leads,
    derivedLeads: [...record.derivedLeads],
    patient: record.patient,
    order: record.order,
    measurements,
    source: record.source,
    warnings: record.warnings,
  };
  if (record.acquisitionTime !== undefined) summary.acquisitionTime = record.acquisitionTime;
  return summary;
}
