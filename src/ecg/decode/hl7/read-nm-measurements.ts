import type { DecodeWarning, DeviceMeasurement } from '../../record';
import { parseHl7Number } from './parse-hl7-number';
import type { TypedObservation } from './read-waveform-battery';

// Table 0085 result statuses that say the value must not be used: deleted, wrong, cannot be obtained.
const UNUSABLE_STATUS: ReadonlySet<string> = new Set(['D', 'W', 'X']);

/**
 * Reads device measurements from NM observations coded in LOINC (OBX-3 coding system `LN`, or the
 * alternate identifier OBX-3.4 when OBX-3.6 is `LN`), keyed by LOINC code, unit from OBX-6.1
 * (UCUM: ms, deg, /min). Which codes matter (8867-4 heart rate, 8625-6 PR, 8633-0 QRS, 8634-8 QT,
 * 8636-3 QTc, 8626-4/8632-2/8638-9 axes …) is for the FHIR mapping to decide, not the decoder.
 * Unusable values are skipped with a warning; nothing here throws.
 */
export function readNmMeasurements(observations: readonly TypedObservation[], warnings: DecodeWarning[]): Record<string, DeviceMeasurement> {
  const out: Record<string, DeviceMeasurement> = {};
  for (const { obx, kind } of observations) {
    if (kind !== 'NM') continue;
    const code = loincCode(obx);
    if (code === undefined) {
      warnings.push({ code: 'HL7_MEASUREMENT_NOT_LOINC', field: obx.location(3), message: 'NM observation not coded in LOINC is not read' });
      continue;
    }
    const text = obx.get(5).trim();
    if (text === '') continue; // no result (yet): nothing to report
    if (UNUSABLE_STATUS.has(obx.get(11).trim().toUpperCase())) {
      warnings.push({ code: 'HL7_MEASUREMENT_UNUSABLE', field: obx.location(11), message: `LOINC ${code} has result status D, W or X and is not read` });
      continue;
    }
    const value = obx.repetitions(5).length > 1 ? undefined : parseHl7Number(text);
    if (value === undefined) {
      warnings.push({ code: 'HL7_MEASUREMENT_INVALID', field: obx.location(5), message: `LOINC ${code} value is not a single NM number` });
      continue;
    }
    const unit = obx.get(6).trim();
    if (unit === '') warnings.push({ code: 'HL7_MEASUREMENT_UNIT_MISSING', field: obx.location(6), message: `LOINC ${code} has no unit` });
    if (code in out) warnings.push({ code: 'HL7_MEASUREMENT_REPEATED', field: obx.location(3), message: `LOINC ${code} is reported twice; the later value is kept` });
    out[code] = { value, unit, sourceCode: code };
  }
  return out;
}

function loincCode(obx: TypedObservation['obx']): string | undefined {
  if (obx.get(3, 3).trim().toUpperCase() === 'LN') return obx.get(3, 1).trim() || undefined;
  if (obx.get(3, 6).trim().toUpperCase() === 'LN') return obx.get(3, 4).trim() || undefined;
  return undefined;
}
