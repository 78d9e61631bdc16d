import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ECG_WAVEFORM_SOP_CLASSES, isEcgWaveformSopClass } from '../../../../src/ecg/decode/dicom/ecg-sop-classes';
import { isReadableTransferSyntax, READABLE_TRANSFER_SYNTAXES } from '../../../../src/ecg/decode/dicom/transfer-syntaxes';

test('accepts the 12-lead, General, Ambulatory ECG and Hemodynamic waveform classes only', () => {
  assert.deepEqual(Object.values(ECG_WAVEFORM_SOP_CLASSES).sort(), [
    '1.2.840.10008.5.1.4.1.1.9.1.1',
    '1.2.840.10008.5.1.4.1.1.9.1.2',
    '1.2.840.10008.5.1.4.1.1.9.1.3',
    '1.2.840.10008.5.1.4.1.1.9.2.1',
  ]);
  assert.equal(isEcgWaveformSopClass('1.2.840.10008.5.1.4.1.1.9.1.1\0'), true); // UI padding
  assert.equal(isEcgWaveformSopClass('1.2.840.10008.5.1.4.1.1.2'), false); // CT Image Storage
  assert.equal(isEcgWaveformSopClass('1.2.840.10008.5.1.4.1.1.104.1'), false); // Encapsulated PDF
  assert.equal(isEcgWaveformSopClass('1.2.840.10008.5.1.4.1.1.9.4.1'), false); // Basic Voice Audio
});

test('reads the native transfer syntaxes, not the compressed ones', () => {
  assert.deepEqual(Object.values(READABLE_TRANSFER_SYNTAXES).sort(), ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2']);
  assert.equal(isReadableTransferSyntax('1.2.840.10008.1.2.4.50'), false);
});
