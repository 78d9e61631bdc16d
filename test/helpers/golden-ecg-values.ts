import { readFileSync } from 'node:fs';
import { fixture } from './paths';

/** One entry of ../shared/fixtures/hl7/ecg/expected.json: what a decoder must produce for that message. */
export interface GoldenEcg {
  sampleRateHz?: number;
  samplesPerLead?: number;
  /** The first 8 samples of each lead, µV. */
  leads?: Record<string, number[]>;
  patient?: Record<string, string>;
  measurements?: Record<string, number>;
  controlId?: string;
  note?: string;
}

/** The golden values, keyed by HL7 fixture file name. */
export const GOLDEN_ECG: Readonly<Record<string, GoldenEcg>> = JSON.parse(
  readFileSync(fixture('hl7', 'ecg', 'expected.json'), 'utf8'),
) as Record<string, GoldenEcg>;
