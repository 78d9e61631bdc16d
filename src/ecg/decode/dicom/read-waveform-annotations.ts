import type { DecodeWarning, DeviceMeasurement } from '../../record';
import type { DicomDataset } from './dicom-dataset';
import { fieldOf, TAG } from './dicom-tags';
import { asciiOf, itemsOf, textOf, uint16Of, type TextDecode } from './dicom-values';
import { MEASUREMENT_BY_CODE, MEASUREMENT_BY_MEANING, UNIT_FACTORS, type MeasurementTarget } from './ecg-measurement-codes';
import { readDecimal } from './read-decimal';

// Referenced Waveform Channels (0040,A0B0) pairs (group, channel); channel 0 = the whole group.
function isGlobal(item: DicomDataset): boolean {
  const channel = uint16Of(item, TAG.ReferencedWaveformChannels, 1);
  return channel === undefined || channel === 0;
}

function targetOf(item: DicomDataset, decode: TextDecode): { target: MeasurementTarget; code: string | undefined } | undefined {
  const concept = itemsOf(item, TAG.ConceptNameCodeSequence)[0];
  if (!concept) return undefined;
  const code = asciiOf(concept, TAG.CodeValue);
  const scheme = asciiOf(concept, TAG.CodingSchemeDesignator)?.toUpperCase();
  const byCode = code === undefined ? undefined : MEASUREMENT_BY_CODE[`${scheme ?? ''}|${code}`];
  if (byCode) return { target: byCode, code };
  const meaning = textOf(concept, TAG.CodeMeaning, decode)?.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  const byMeaning = meaning === undefined ? undefined : MEASUREMENT_BY_MEANING[meaning];
  return byMeaning ? { target: byMeaning, code } : undefined;
}

/**
 * Device measurements from the Waveform Annotation Sequence (0040,B020; PS3.3 C.10.10): items with
 * a Numeric Value and a known concept, keyed by LOINC, in the LOINC unit (ms, deg, /min). A unit
 * that does not fit the concept (ECGToolkit writes axes in "ms") keeps the value in the concept's
 * unit with a MEASUREMENT_UNIT_MISMATCH warning. The first global value of a concept wins.
 */
export function readWaveformAnnotations(ds: DicomDataset, decode: TextDecode, warnings: DecodeWarning[]): Record<string, DeviceMeasurement> {
  const out: Record<string, DeviceMeasurement> = {};
  const fromChannel = new Set<string>();
  itemsOf(ds, TAG.WaveformAnnotationSequence).forEach((item, i) => {
    const n = i + 1;
    if (!item.get(TAG.NumericValue)) return; // text and fiducial-point annotations
    const found = targetOf(item, decode);
    if (!found) return;
    const { target, code } = found;
    const value = readDecimal(item, TAG.NumericValue, n, warnings, 'warn');
    if (value === undefined) return;

    const units = itemsOf(item, TAG.MeasurementUnitsCodeSequence)[0];
    const unit = units && asciiOf(units, TAG.CodeValue);
    let factor = unit === undefined ? undefined : UNIT_FACTORS[target.unit][unit];
    if (factor === undefined) {
      const was = unit === undefined ? 'no unit' : `unit "${unit}"`;
      warnings.push({ code: 'MEASUREMENT_UNIT_MISMATCH', field: fieldOf(TAG.MeasurementUnitsCodeSequence, n), message: `${was} for LOINC ${target.loinc}; the value is taken as ${target.unit}` });
      factor = 1;
    }

    const measurement: DeviceMeasurement = { value: value * factor, unit: target.unit };
    if (code !== undefined) measurement.sourceCode = code;
    const global = isGlobal(item);
    const existing = out[target.loinc];
    if (existing === undefined || (global && fromChannel.has(target.loinc))) {
      // A whole-group value replaces one measured on a single channel.
      out[target.loinc] = measurement;
      if (global) fromChannel.delete(target.loinc);
      else fromChannel.add(target.loinc);
    } else if (existing.value !== measurement.value) {
      warnings.push({ code: 'MEASUREMENT_DUPLICATE', field: fieldOf(TAG.NumericValue, n), message: `a second value for LOINC ${target.loinc}; the first is kept` });
    }
  });
  return out;
}
