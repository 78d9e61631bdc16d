import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readHl7MessageHeader } from '../../../../src/ecg/decode/hl7/read-message-header';
import { fixture } from '../../../helpers/paths';
import { CHN_I_II, decode, MSH, oru, refuses, TIM } from './hl7-test-message';

const WAV = 'OBX|3|MA|ECG&WAV^Data^L|1|1^2~3^4||||||F';
const withHeader = (msh: string): Uint8Array => oru([TIM, CHN_I_II, WAV], { msh });

test('accepts ORU^R01 and ORU^W01 in every version from 2.3 to 2.8', () => {
  for (const version of ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2']) {
    assert.equal(decode(withHeader(MSH.replace('|2.5', `|${version}`))).source.encoding, version);
  }
  assert.equal(decode(withHeader(MSH.replace('ORU^R01^ORU_R01', 'ORU^W01'))).samplesPerLead, 2);
});

test('refuses other message types at MSH-9 and other trigger events at MSH-9.2', () => {
  refuses(() => decode(withHeader(MSH.replace('ORU^R01^ORU_R01', 'ADT^A01^ADT_A01'))), 'DECODE_UNSUPPORTED_MESSAGE_TYPE', 'MSH-9');
  refuses(() => decode(withHeader(MSH.replace('ORU^R01^ORU_R01', 'ORU^R30'))), 'DECODE_UNSUPPORTED_MESSAGE_TYPE', 'MSH-9.2');
  refuses(() => decode(withHeader(MSH.replace('ORU^R01^ORU_R01', ''))), 'DECODE_REQUIRED_FIELD_MISSING', 'MSH-9');
});

test('accepts processing IDs P, D and T and refuses others at MSH-11', () => {
  for (const id of ['P', 'D', 'T', 'P^A']) decode(withHeader(MSH.replace('|P|2.5', `|${id}|2.5`)));
  refuses(() => decode(withHeader(MSH.replace('|P|2.5', '|X|2.5'))), 'DECODE_UNSUPPORTED_PROCESSING_ID', 'MSH-11');
  refuses(() => decode(withHeader(MSH.replace('|P|2.5', '||2.5'))), 'DECODE_REQUIRED_FIELD_MISSING', 'MSH-11');
});

test('refuses versions outside 2.3–2.8 at MSH-12', () => {
  for (const version of ['2.2', '2.9', '9.9', '3.0']) {
    refuses(() => decode(withHeader(MSH.replace('|2.5', `|${version}`))), 'DECODE_UNSUPPORTED_VERSION', 'MSH-12');
  }
  refuses(() => decode(withHeader(MSH.replace('|2.5', '|'))), 'DECODE_REQUIRED_FIELD_MISSING', 'MSH-12');
});

test('checks MSH-9 before MSH-11 and MSH-12, and requires MSH-10', () => {
  refuses(() => decode(withHeader(MSH.replace('ORU^R01^ORU_R01', 'MDM^T02').replace('|P|2.5', '|X|9.9'))), 'DECODE_UNSUPPORTED_MESSAGE_TYPE', 'MSH-9');
  refuses(() => decode(withHeader(MSH.replace('|P|2.5', '|X|9.9'))), 'DECODE_UNSUPPORTED_PROCESSING_ID', 'MSH-11');
  refuses(() => decode(withHeader(MSH.replace('|MSG1|', '||'))), 'DECODE_REQUIRED_FIELD_MISSING', 'MSH-10');
});

test('reads the MSH fields a listener needs, also from a message the decoder refuses', () => {
  const adt = readHl7MessageHeader(readFileSync(fixture('hl7', 'negative', 'ADT-A01-01.hl7')));
  assert.equal(adt.messageCode, 'ADT');
  assert.equal(adt.triggerEvent, 'A01');
  assert.equal(adt.messageStructure, 'ADT_A01');
  assert.equal(adt.controlId, 'MSG00001');
  assert.equal(adt.version, '2.8');
  assert.equal(adt.sendingApplication, 'ADTApp');
  assert.equal(adt.sendingFacility, 'GHHSFacility');
  assert.equal(adt.raw.sendingFacility, 'GHHSFacility^2.16.840.1.122848.1.30^ISO');

  const ma = readHl7MessageHeader(readFileSync(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7')));
  assert.deepEqual(
    { code: ma.messageCode, trigger: ma.triggerEvent, id: ma.controlId, pid: ma.processingId, v: ma.version, app: ma.sendingApplication, to: ma.receivingApplication },
    { code: 'ORU', trigger: 'R01', id: 'ECG-MA-0001', pid: 'P', v: '2.5', app: 'ECGCART', to: 'ECGGW' },
  );
  assert.equal(ma.acceptAckType, '');

  const enhanced = readHl7MessageHeader(Buffer.from(`${MSH}|||AL|NE||UNICODE UTF-8\r`, 'latin1'));
  assert.deepEqual([enhanced.acceptAckType, enhanced.applicationAckType, enhanced.characterSet], ['AL', 'NE', 'UNICODE UTF-8']);
  assert.equal(readHl7MessageHeader(readFileSync(fixture('hl7', 'negative', 'LAB-ORU-1.hl7'))).processingId, 'T'); // BOM, LF
});
