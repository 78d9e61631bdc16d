import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import { decodeAecg } from '../../../../src/ecg/decode/aecg/decode-aecg';
import { DecodeError } from '../../../../src/ecg/decode/decode-error';
import { STANDARD_LEADS } from '../../../../src/ecg/lead-name';
import type { ErrorCode } from '../../../../src/errors/error-codes';
import { GOLDEN_ECG } from '../../../helpers/golden-ecg-values';
import { fixture, fixtureFiles } from '../../../helpers/paths';
import { buildAecgXml, bytes, seriesXml } from './build-aecg-xml';

const SERIES = 'AnnotatedECG/component/series[RHYTHM]';
const SET = `${SERIES}/component/sequenceSet`;

function decodeFixture(name: string) {
  return decodeAecg(readFileSync(fixture('aecg', name)));
}

function first(data: Float32Array | undefined, n = 8): number[] {
  assert.ok(data, 'lead present');
  return Array.from(data.subarray(0, n));
}

function assertDecodeError(fn: () => unknown, code: ErrorCode, field?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DecodeError, `expected DecodeError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (field !== undefined) assert.equal(err.field, field);
    return true;
  });
}

for (const file of fixtureFiles('aecg', (n) => n.endsWith('.xml'))) {
  test(`decodes every lead of ${basename(file)} to finite µV at one rate`, () => {
    const record = decodeAecg(readFileSync(file));
    assert.equal(record.format, 'aecg');
    assert.ok(record.sampleRateHz > 0);
    assert.ok(Object.keys(record.leads).length > 0);
    for (const [name, data] of Object.entries(record.leads)) {
      assert.equal(data.length, record.samplesPerLead, name);
      assert.ok(data.every(Number.isFinite), `${name} finite`);
    }
  });
}

test('decodes the HL7 example RHYTHM series: 12 leads × 5000 at 500 Hz, same µV as the HL7 v2 golden set', () => {
  const record = decodeFixture('hl7_example_aecg.xml');
  assert.equal(record.sampleRateHz, 500);
  assert.equal(record.samplesPerLead, 5000);
  assert.deepEqual(Object.keys(record.leads), [...STANDARD_LEADS]);
  assert.deepEqual(record.derivedLeads, [], 'III, aVR, aVL, aVF are stored, not derived');
  // The same recording as dicom/ecgtoolkit_Example.dcm; expected.json holds its first 8 µV per lead.
  const expected = GOLDEN_ECG['oru_r01_v25_ma_12lead.hl7']?.leads;
  assert.ok(expected);
  for (const lead of STANDARD_LEADS) assert.deepEqual(first(record.leads[lead]), expected[lead], lead);
});

test('reads the HL7 example subject, document id, time, device and global measurements', () => {
  const record = decodeFixture('hl7_example_aecg.xml');
  assert.deepEqual(record.patient, { id: 'SBJ-123', issuer: '2.16.840.1.113883.3.400', family: 'Clark', birthDate: '1953-05-08', sex: 'M' });
  assert.deepEqual(record.order, { documentId: '61d1a24f-b47e-41aa-ae95-f8ac302f4eeb' });
  assert.equal(record.acquisitionTime, '2002-11-22T09:10:00');
  assert.equal(record.source.deviceModel, 'ELI250');
  assert.equal(record.source.manufacturer, 'Mortara Instrument, Inc.');
  assert.equal(record.source.softwareVersion, '5.3');
  // Per-beat intervals nested in MDC_ECG_BEAT are not global; the REPRESENTATIVE_BEAT set's are.
  const values = Object.fromEntries(Object.entries(record.measurements).map(([k, m]) => [k, [m.value, m.unit]]));
  assert.deepEqual(values, {
    '8625-6': [148, 'ms'], '8633-0': [120, 'ms'], '8634-8': [420, 'ms'], '8636-3': [443, 'ms'],
    '8626-4': [44, 'deg'], '8632-2': [-61, 'deg'], '8638-9': [86, 'deg'],
  });
  assert.equal(record.measurements['8636-3']?.sourceCode, 'MDC_ECG_TIME_PD_QTc');
  assert.deepEqual(record.warnings, []);
});

test('decodes the Mindray export at 100 Hz with 5 µV digits despite vendor elements', () => {
  const record = decodeFixture('mindray_beneheart_r12_aecg.xml');
  assert.equal(record.sampleRateHz, 100);
  assert.equal(record.samplesPerLead, 1000);
  assert.deepEqual(Object.keys(record.leads), [...STANDARD_LEADS]);
  assert.deepEqual(first(record.leads['I'], 5), [-210, -200, -190, -205, -195]); // digits -42 -40 -38 -41 -39
  assert.deepEqual(first(record.leads['aVR'], 3), [-185, -175, -165]);
  assert.deepEqual(record.patient, { id: '25060897140', sex: 'U' });
  assert.equal(record.source.deviceSerial, 'FN-3A045256');
  assert.equal(record.acquisitionTime, '2025-09-23T10:35:50');
});

test('keeps the Mindray measurements, leaves out its QTc of 0 ms with a warning', () => {
  const record = decodeFixture('mindray_beneheart_r12_aecg.xml');
  const values = Object.fromEntries(Object.entries(record.measurements).map(([k, m]) => [k, m.value]));
  assert.deepEqual(values, { '8867-4': 57, '8625-6': 192, '8633-0': 88, '8634-8': 418, '8626-4': 60, '8632-2': 64, '8638-9': 11 });
  assert.equal(record.measurements['8867-4']?.unit, '/min');
  assert.deepEqual(record.warnings.map((w) => [w.code, w.field]), [
    ['AECG_MEASUREMENT_SKIPPED', `${SERIES}/subjectOf/annotationSet/component/annotation[MDC_ECG_TIME_PD_QTc]/value`],
  ]);
});

test('decodes minimum_aecg.xml: a comment before the root, one lead II of 13 samples, nothing derived', () => {
  const record = decodeFixture('minimum_aecg.xml');
  assert.equal(record.sampleRateHz, 500);
  assert.equal(record.samplesPerLead, 13);
  assert.deepEqual(Object.keys(record.leads), ['II']);
  assert.deepEqual(record.derivedLeads, []);
  assert.deepEqual(first(record.leads['II'], 13), [-5, -5, -5, -5, -7.5, -10, -7.5, -12.5, -12.5, -10, -15, -22.5, -22.5]);
  assert.deepEqual(record.patient, { id: 'SBJ-123', issuer: '2.16.840.1.113883.3.456' });
  assert.deepEqual(record.measurements, {});
});

test('chooses the RHYTHM series by code when a REPRESENTATIVE_BEAT series comes first', () => {
  const beat = seriesXml({ seriesCode: 'REPRESENTATIVE_BEAT', leads: [{ code: 'MDC_ECG_LEAD_II', digits: '9 9' }] });
  const record = decodeAecg(bytes(buildAecgXml({ seriesBefore: beat, leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1 2 3' }] })));
  assert.deepEqual(first(record.leads['II'], 3), [2.5, 5, 7.5]);
});

test('refuses a document without a RHYTHM series (DECODE_NO_WAVEFORM)', () => {
  const xml = buildAecgXml({ seriesCode: 'REPRESENTATIVE_BEAT', leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1 2' }] });
  assertDecodeError(() => decodeAecg(bytes(xml)), 'DECODE_NO_WAVEFORM', SERIES);
});

test('names the lead whose digit count differs (DECODE_WAVEFORM_INCONSISTENT)', () => {
  const xml = buildAecgXml({
    leads: [
      { code: 'MDC_ECG_LEAD_I', digits: '1 2 3' },
      { code: 'MDC_ECG_LEAD_V1', digits: '1 2' },
    ],
  });
  assertDecodeError(() => decodeAecg(bytes(xml)), 'DECODE_WAVEFORM_INCONSISTENT', `${SET}/component/sequence[MDC_ECG_LEAD_V1]/value/digits`);
});

test('refuses XML that is not well-formed (DECODE_MALFORMED)', () => {
  const xml = buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1 2' }] }).replace('</series>', '');
  assertDecodeError(() => decodeAecg(bytes(xml)), 'DECODE_MALFORMED');
  assertDecodeError(() => decodeAecg(bytes('<AnnotatedECG xmlns="urn:hl7-org:v3">')), 'DECODE_MALFORMED');
});

test('refuses a well-formed document whose root is not AnnotatedECG', () => {
  assertDecodeError(() => decodeAecg(bytes('<RestingECG><x/></RestingECG>')), 'DECODE_FORMAT_UNKNOWN', 'AnnotatedECG');
});

test('names a non-integer digit by its field and position, not its value', () => {
  const xml = buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1 2 3.5 4' }] });
  assert.throws(
    () => decodeAecg(bytes(xml)),
    (err: unknown) =>
      err instanceof DecodeError && err.code === 'DECODE_INVALID_VALUE' &&
      err.field === `${SET}/component/sequence[MDC_ECG_LEAD_II]/value/digits` && /digit 3\b/.test(err.message),
  );
});

test('converts origin and scale per sequence from mV and nV, and a millisecond increment', () => {
  const xml = buildAecgXml({
    increment: '4',
    incrementUnit: 'ms',
    leads: [
      { code: 'MDC_ECG_LEAD_I', digits: '0 1 -2', scale: '0.005', scaleUnit: 'mV', origin: '0.1', originUnit: 'mV' },
      { code: 'MDC_ECG_LEAD_V1', digits: '0 1 -2', scale: '500', scaleUnit: 'nV', origin: '-3', originUnit: 'uV' },
    ],
  });
  const record = decodeAecg(bytes(xml));
  assert.equal(record.sampleRateHz, 250);
  assert.deepEqual(first(record.leads['I'], 3), [100, 105, 90]);
  assert.deepEqual(first(record.leads['V1'], 3), [-3, -2.5, -4]);
});

test('reads digits split over lines with tabs, CRLF and a leading plus', () => {
  const xml = buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '\r\n\t 1  -2\r\n+3\n\t-40 ' }] });
  assert.deepEqual(first(decodeAecg(bytes(xml)).leads['II'], 4), [2.5, -5, 7.5, -100]);
});

test('derives III, aVR, aVL and aVF when only I and II are sent', () => {
  const xml = buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_I', digits: '4 0' }, { code: 'MDC_ECG_LEAD_II', digits: '8 2' }] });
  const record = decodeAecg(bytes(xml));
  assert.deepEqual(record.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
  assert.deepEqual(first(record.leads['III'], 2), [10, 5]);
  assert.deepEqual(first(record.leads['aVR'], 2), [-15, -2.5]);
});

test('keeps a lead outside the twelve under its MDC name without the prefix', () => {
  const xml = buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_V7', digits: '1' }, { code: 'MDC_ECG_LEAD_AVF', digits: '2' }] });
  assert.deepEqual(Object.keys(decodeAecg(bytes(xml)).leads), ['aVF', 'V7']);
});

test('reads a relative time axis (GLIST_PQ) and takes no acquisition time from it', () => {
  const xml = buildAecgXml({ timeCode: 'TIME_RELATIVE', timeType: 'GLIST_PQ', increment: '0.001', leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1 2' }] });
  const record = decodeAecg(bytes(xml));
  assert.equal(record.sampleRateHz, 1000);
  assert.equal(record.acquisitionTime, undefined);
});

test('takes the acquisition time from a TIME_ABSOLUTE head when no effectiveTime is given', () => {
  const record = decodeAecg(bytes(buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1 2' }] })));
  assert.equal(record.acquisitionTime, '2024-01-02T03:04:05.000');
  assert.deepEqual(record.order, { documentId: '1.2.3.4^DOC-1' });
});

test('refuses a unit it cannot convert, naming the attribute', () => {
  const xml = buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1', scaleUnit: 'mmHg' }] });
  assertDecodeError(() => decodeAecg(bytes(xml)), 'DECODE_UNSUPPORTED_ENCODING', `${SET}/component/sequence[MDC_ECG_LEAD_II]/value/scale/@unit`);
});

test('refuses a sequence set without a time sequence', () => {
  const xml = buildAecgXml({ timeCode: 'SOMETHING_ELSE', leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1' }] });
  assertDecodeError(() => decodeAecg(bytes(xml)), 'DECODE_REQUIRED_FIELD_MISSING', `${SET}/component/sequence[TIME_ABSOLUTE]`);
});

test('refuses a zero increment', () => {
  const xml = buildAecgXml({ increment: '0', leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1' }] });
  assertDecodeError(() => decodeAecg(bytes(xml)), 'DECODE_INVALID_VALUE', `${SET}/component/sequence[TIME_ABSOLUTE]/value/increment/@value`);
});

test('assumes origin 0 with a warning when a lead has none', () => {
  const record = decodeAecg(bytes(buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '2', origin: null }] })));
  assert.deepEqual(first(record.leads['II'], 1), [5]);
  assert.deepEqual(record.warnings.map((w) => w.code), ['AECG_ORIGIN_MISSING']);
});

test('reads a namespace prefix, and warns about a root outside urn:hl7-org:v3', () => {
  const prefixed = buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1 2' }] })
    .replace('<AnnotatedECG xmlns="urn:hl7-org:v3"', '<v3:AnnotatedECG xmlns:v3="urn:hl7-org:v3"')
    .replace(/<(\/?)(?!v3:|AnnotatedECG)([A-Za-z]+)/g, '<$1v3:$2')
    .replace('</AnnotatedECG>', '</v3:AnnotatedECG>');
  const record = decodeAecg(bytes(prefixed));
  assert.deepEqual(first(record.leads['II'], 2), [2.5, 5]);
  assert.deepEqual(record.warnings, []);

  const bare = buildAecgXml({ rootOpen: '<AnnotatedECG xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">', leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1' }] });
  assert.deepEqual(decodeAecg(bytes(bare)).warnings.map((w) => w.code), ['AECG_NAMESPACE']);
});

test('reads a Latin-1 document and a UTF-16 one with its BOM', () => {
  const name = '<componentOf><timepointEvent><componentOf><subjectAssignment><subject><trialSubject><id extension="P1"/><subjectDemographicPerson><name><given>Zoë</given><family>Müller</family></name></subjectDemographicPerson></trialSubject></subject></subjectAssignment></componentOf></timepointEvent></componentOf>';
  const xml = buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1' }] }).replace('<id root="1.2.3.4" extension="DOC-1"/>', `<id root="1.2.3.4"/>${name}`);
  const latin1 = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>${xml}`, 'latin1');
  assert.deepEqual(decodeAecg(latin1).patient, { id: 'P1', family: 'Müller', given: 'Zoë' });
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${xml}`, 'utf16le')]);
  assert.deepEqual(decodeAecg(utf16).patient, { id: 'P1', family: 'Müller', given: 'Zoë' });
});

test('reads bytes that are not UTF-8 as Latin-1 with a warning; refuses other declared encodings', () => {
  const xml = buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1' }] }).replace('<id ', '<!-- caf\u00e9 --><id ');
  const record = decodeAecg(Buffer.from(xml, 'latin1')); // no declaration, so UTF-8 is assumed; 0xE9 alone is not UTF-8
  assert.deepEqual(record.warnings.map((w) => w.code), ['AECG_NOT_UTF8']);
  assertDecodeError(() => decodeAecg(bytes(`<?xml version="1.0" encoding="Shift_JIS"?>${xml}`)), 'DECODE_UNSUPPORTED_ENCODING', 'XML declaration/@encoding');
});

test('merges leads split over sequence sets that start together; refuses sets recorded one after another', () => {
  const twoSets = (secondHead: string): string =>
    buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_I', digits: '1 2' }] }).replace(
      '</sequenceSet></component>',
      `</sequenceSet></component><component><sequenceSet>
        <component><sequence><code code="TIME_ABSOLUTE"/><value xsi:type="GLIST_TS"><head value="${secondHead}"/><increment value="0.002" unit="s"/></value></sequence></component>
        <component><sequence><code code="MDC_ECG_LEAD_II"/><value xsi:type="SLIST_PQ"><origin value="0" unit="uV"/><scale value="1" unit="uV"/><digits>3 4</digits></value></sequence></component>
        <component><sequence><code code="MDC_ECG_PACEMAKER_SPIKES"/><value xsi:type="SLIST_PQ"><origin value="0" unit="uV"/><scale value="1" unit="uV"/><digits>0 0</digits></value></sequence></component>
      </sequenceSet></component>`,
    );
  const record = decodeAecg(bytes(twoSets('20240102030405.000')));
  assert.deepEqual(first(record.leads['I'], 2), [2.5, 5]);
  assert.deepEqual(first(record.leads['II'], 2), [3, 4]);
  assert.deepEqual(record.warnings.map((w) => [w.code, w.field]), [['AECG_SEQUENCE_IGNORED', `${SET}[2]/component/sequence[MDC_ECG_PACEMAKER_SPIKES]`]]);
  assertDecodeError(() => decodeAecg(bytes(twoSets('20240102030415.000'))), 'DECODE_UNSUPPORTED_ENCODING', `${SET}[2]`);
});

test('leaves out a measurement in a unit it cannot convert, with a warning', () => {
  const annotations = `<subjectOf><annotationSet>
    <component><annotation><code code="MDC_ECG_TIME_PD_PR"/><value xsi:type="PQ" value="0.16" unit="s"/></annotation></component>
    <component><annotation><code code="MDC_ECG_TIME_PD_QRS"/><value xsi:type="PQ" value="9" unit="cs"/></annotation></component>
  </annotationSet></subjectOf>`;
  const record = decodeAecg(bytes(buildAecgXml({ leads: [{ code: 'MDC_ECG_LEAD_II', digits: '1' }], annotations })));
  assert.deepEqual(Object.fromEntries(Object.entries(record.measurements).map(([k, m]) => [k, m.value])), { '8625-6': 160 });
  assert.deepEqual(record.warnings.map((w) => [w.code, w.field]), [
    ['AECG_MEASUREMENT_SKIPPED', `${SERIES}/subjectOf/annotationSet/component/annotation[MDC_ECG_TIME_PD_QRS]/value`],
  ]);
});
