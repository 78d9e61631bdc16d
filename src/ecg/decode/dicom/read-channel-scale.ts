import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import type { DicomDataset } from './dicom-dataset';
import { fieldOf, TAG } from './dicom-tags';
import { asciiOf, itemsOf, textOf, uint16Of, type TextDecode } from './dicom-values';
import { readDecimal } from './read-decimal';
import { voltageUnit } from './sensitivity-units';

/** How one channel's raw samples become µV: `µV = raw × scale + offset`. */
export interface ChannelScale {
  scale: number;
  offset: number;
  bitsStored: number;
}

/**
 * PS3.3 C.10.9.1.4.2: value = raw × Channel Sensitivity × Sensitivity Correction Factor + Channel
 * Baseline, all in the Channel Sensitivity Units (003A,0211); the baseline is in those units too
 * (not added to raw before scaling, as pydicom ≤ 2.3 did). Then to µV. Correction factor defaults
 * to 1, baseline to 0. `number` is the 1-based channel, used in field names.
 * Throws DECODE_REQUIRED_FIELD_MISSING, DECODE_INVALID_VALUE.
 */
export function readChannelScale(
  channel: DicomDataset,
  number: number,
  bitsAllocated: number,
  decode: TextDecode,
  warnings: DecodeWarning[],
): ChannelScale {
  // Field names are built only on the error and warning paths: this runs for every channel.
  const sensitivity = readDecimal(channel, TAG.ChannelSensitivity, number, warnings);
  if (sensitivity === undefined) {
    throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', fieldOf(TAG.ChannelSensitivity, number), 'an ECG channel needs a Channel Sensitivity to be scaled to µV');
  }
  if (sensitivity === 0) throw new DecodeError('DECODE_INVALID_VALUE', fieldOf(TAG.ChannelSensitivity, number), 'the Channel Sensitivity must not be zero');

  const units = itemsOf(channel, TAG.ChannelSensitivityUnitsSequence)[0];
  if (!units) {
    throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', fieldOf(TAG.ChannelSensitivityUnitsSequence, number), 'required when Channel Sensitivity is present (PS3.3 Table C.10-9)');
  }
  const unit = voltageUnit(asciiOf(units, TAG.CodeValue), textOf(units, TAG.CodeMeaning, decode));
  if (!unit) {
    throw new DecodeError('DECODE_INVALID_VALUE', fieldOf(TAG.ChannelSensitivityUnitsSequence, number), 'an ECG channel must be in a unit of electrical potential (uV, mV, V)');
  }
  if (unit.byMeaning) {
    warnings.push({ code: 'SENSITIVITY_UNIT_BY_MEANING', field: fieldOf(TAG.ChannelSensitivityUnitsSequence, number), message: 'the unit code is not UCUM; recognised from its Code Meaning' });
  }

  const correction = readDecimal(channel, TAG.ChannelSensitivityCorrectionFactor, number, warnings) ?? 1;
  if (correction === 0) {
    throw new DecodeError('DECODE_INVALID_VALUE', fieldOf(TAG.ChannelSensitivityCorrectionFactor, number), 'the Channel Sensitivity Correction Factor must not be zero');
  }
  const baseline = readDecimal(channel, TAG.ChannelBaseline, number, warnings) ?? 0;

  let bitsStored = uint16Of(channel, TAG.WaveformBitsStored);
  if (bitsStored === undefined) {
    warnings.push({ code: 'BITS_STORED_MISSING', field: fieldOf(TAG.WaveformBitsStored, number), message: 'Waveform Bits Stored is missing; all allocated bits used' });
    bitsStored = bitsAllocated;
  } else if (bitsStored === 0 || bitsStored > bitsAllocated) {
    throw new DecodeError('DECODE_INVALID_VALUE', fieldOf(TAG.WaveformBitsStored, number), `Waveform Bits Stored must be 1 to ${bitsAllocated} (Waveform Bits Allocated)`);
  }

  const status = asciiOf(channel, TAG.ChannelStatus);
  if (status !== undefined && status.split('\\').some((s) => s.trim().toUpperCase() !== 'OK')) {
    warnings.push({ code: 'CHANNEL_STATUS', field: fieldOf(TAG.ChannelStatus, number), message: `channel status is ${status.replace(/\\/g, ', ')}` });
  }

  const toMicrovolts = unit.toMicrovolts;
  return { scale: sensitivity * correction * toMicrovolts, offset: baseline * toMicrovolts, bitsStored };
}
