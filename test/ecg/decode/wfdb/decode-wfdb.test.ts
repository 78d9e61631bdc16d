import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { decodeEcg } from '../../../../src/ecg/decode/decode-ecg';
import { DecodeError } from '../../../../src/ecg/decode/decode-error';
import { decodeWfdb } from '../../../../src/ecg/decode/wfdb/decode-wfdb';
import { parseWfdbHeader } from '../../../../src/ecg/decode/wfdb/parse-wfdb-header';
import { STANDARD_LEADS } from '../../../../src/ecg/lead-name';
import { normaliseLeadName } from '../../../../src/ecg/normalise-lead-name';
import { readEcgFile } from '../../../../src/cli/read-ecg-file';
import type { ErrorCode } from '../../../../src/errors/error-codes';
import { fixture } from '../../../helpers/paths';
import { checksum, companions, encode16, encode212, interleave, text } from './build-wfdb-record';

function fixtureHeaders(): string[] {
  const root = fixture('wfdb');
  return readdirSync(root)
    .sort()
    .flatMap((dir) => readdirSync(join(root, dir)).filter((n) => n.endsWith('.hea')).sort().map((n) => join(root, dir, n)));
}

function decodeFile(headerPath: string) {
  const dir = dirname(headerPath);
  return decodeWfdb(readFileSync(headerPath), (name) => readFileSync(join(dir, name)));
}

function decodeFixture(...parts: string[]) {
  return decodeFile(fixture('wfdb', ...parts));
}

function assertDecodeError(fn: () => unknown, code: ErrorCode, field?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DecodeError, `expected DecodeError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (field !== undefined) assert.equal(err.field, field);
    return true;
  });
}

const headers = fixtureHeaders();
test('finds every WFDB fixture header', () => assert.equal(headers.length, 3));

for (const path of headers) {
  test(`decodes ${basename(path)}: checksums verified, each first sample is the header initval in µV`, () => {
    const header = parseWfdbHeader(readFileSync(path, 'latin1'));
    const record = decodeFile(path);
    assert.equal(record.format, 'wfdb');
    assert.equal(record.sampleRateHz, header.samplingFrequency);
    assert.equal(record.samplesPerLead, header.samplesPerSignal);
    assert.deepEqual(record.warnings, [], 'no checksum or initval mismatch, no invalid sample');
    for (const signal of header.signals) {
      const lead = record.leads[normaliseLeadName(signal.description ?? '')];
      assert.ok(lead, `lead ${signal.description}`);
      assert.ok(signal.initialValue !== undefined && signal.adcGain > 0);
      // header(5): physical = (raw − baseline) / gain, in mV here.
      const expected = ((signal.initialValue - signal.baseline) / signal.adcGain) * 1000;
      assert.ok(Math.abs((lead[0] as number) - expected) < 1e-3, `${signal.description}: ${lead[0]} vs ${expected}`);
    }
  });
}

test('decodes LUDB: 12 leads × 5000 at 500 Hz, each with its own gain and baseline', () => {
  const record = decodeFixture('ludb-ecg', 'ludb-ecg.hea');
  assert.deepEqual(Object.keys(record.leads), [...STANDARD_LEADS]);
  assert.equal(record.samplesPerLead, 5000);
  assert.deepEqual(record.derivedLeads, []);
  assert.ok(Math.abs((record.leads['I']?.[0] as number) - ((-120 - 6) / 1716) * 1000) < 1e-3); // 1716(6)/mV, initval -120
  assert.ok(Math.abs((record.leads['aVF']?.[0] as number) - ((85 + 1) / 698) * 1000) < 1e-3); // 698(-1)/mV, initval 85
  assert.deepEqual(record.patient, { sex: 'F' }); // "#<sex>: F"; the diagnoses are not read
});

test('decodes PTB s0010_re from two signal files: 12 standard leads then vx, vy, vz', () => {
  const dir = fixture('wfdb', 'ptb-s0010_re');
  const reader = companions({ 's0010_re.dat': readFileSync(join(dir, 's0010_re.dat')), 's0010_re.xyz': readFileSync(join(dir, 's0010_re.xyz')) });
  const record = decodeWfdb(readFileSync(join(dir, 's0010_re.hea')), reader.read);
  assert.deepEqual(reader.asked, ['s0010_re.dat', 's0010_re.xyz']);
  assert.deepEqual(Object.keys(record.leads), [...STANDARD_LEADS, 'vx', 'vy', 'vz']);
  assert.equal(record.sampleRateHz, 1000);
  assert.equal(record.samplesPerLead, 38400);
  assert.equal(record.leads['I']?.[0], -244.5); // -489 / 2000 mV
  assert.equal(record.leads['vz']?.[0], -9); // -18 / 2000 mV, first sample of the .xyz file
  assert.deepEqual(record.patient, { sex: 'F' }); // "# sex: female"
  assert.equal(record.source.encoding, 'WFDB format 16');
});

test('decodes MIT-BIH 100 in format 212 from its irregular header: MLII and V5, nothing derived', () => {
  const record = decodeFixture('mitdb-100', '100.hea');
  assert.equal(record.sampleRateHz, 360);
  assert.equal(record.samplesPerLead, 650000);
  assert.deepEqual(Object.keys(record.leads).sort(), ['MLII', 'V5']);
  assert.deepEqual(record.derivedLeads, []);
  // adczero 1024 is the baseline: (995 − 1024) / 200 mV and (1011 − 1024) / 200 mV.
  assert.equal(record.leads['MLII']?.[0], -145);
  assert.equal(record.leads['V5']?.[0], -65);
  assert.equal(record.source.encoding, 'WFDB format 212');
  assert.deepEqual(record.patient, {}, 'the positional "69 M" comment is not read');
  assert.deepEqual(record.order, { documentId: '100' });
});

test('reads a hand-built record with CRLF, blank lines and comments anywhere', () => {
  const frames = [[10, -3], [20, 5], [-200, 105], [0, 0]];
  const header = `# made by hand\r\n\r\nrec 2 250 4 10:20:30 05/06/2021\r\n# between\r\nrec.dat 16 200 16 0 10 ${checksum([10, 20, -200, 0])} 0 lead I\r\n\r\nrec.dat 16 100(5)/uV 16 0 -3 ${checksum([-3, 5, 105, 0])} 0 II\n#sex: m\n`;
  const record = decodeWfdb(text(header), companions({ 'rec.dat': encode16(interleave(frames)) }).read);
  assert.deepEqual(Array.from(record.leads['I'] ?? []), [50, 100, -1000, 0]);
  assert.deepEqual(Array.from(record.leads['II'] ?? []), [-0.08, 0, 1, -0.05].map((v) => Math.fround(v)));
  assert.deepEqual(record.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
  assert.equal(record.acquisitionTime, '2021-06-05T10:20:30');
  assert.deepEqual(record.patient, { sex: 'M' });
  assert.deepEqual(record.warnings, []);
});

test('warns on a checksum mismatch instead of refusing the record', () => {
  const header = 'rec 1 500 3\nrec.dat 16 200 16 0 1 999 0 V1\n';
  const record = decodeWfdb(text(header), companions({ 'rec.dat': encode16([1, 2, 3]) }).read);
  assert.deepEqual(record.warnings.map((w) => [w.code, w.field]), [['WFDB_CHECKSUM_MISMATCH', 'rec.hea line 2 checksum']]);
  assert.equal(record.samplesPerLead, 3);
});

test('accepts a checksum written unsigned, as PTB-XL does', () => {
  const header = `rec 1 500 2\nrec.dat 16 200 16 0 -1 ${65536 - 3} 0 V1\n`; // -1 + -2 = -3
  assert.deepEqual(decodeWfdb(text(header), companions({ 'rec.dat': encode16([-1, -2]) }).read).warnings, []);
});

test('warns when the first sample is not the header initval', () => {
  const record = decodeWfdb(text('rec 1 500 2\nrec.dat 16 200 16 0 7\n'), companions({ 'rec.dat': encode16([1, 2]) }).read);
  assert.deepEqual(record.warnings.map((w) => w.code), ['WFDB_INITIAL_VALUE_MISMATCH']);
});

test('refuses an unsupported format, naming the signal line', () => {
  const header = 'rec 2 500 2\nrec.dat 16 200 16 0 0 0 0 I\nrec.dat 80 200 8 0 0 0 0 II\n';
  assertDecodeError(() => decodeWfdb(text(header), companions({ 'rec.dat': new Uint8Array(8) }).read), 'DECODE_UNSUPPORTED_ENCODING', 'rec.hea line 3 format');
});

test('refuses two formats in one signal file', () => {
  const header = 'rec 2 500 2\nrec.dat 16 200 16 0 0 0 0 I\nrec.dat 212 200 12 0 0 0 0 II\n';
  assertDecodeError(() => decodeWfdb(text(header), companions({ 'rec.dat': new Uint8Array(8) }).read), 'DECODE_MALFORMED', 'rec.hea line 3 format');
});

test('refuses a multi-segment record', () => {
  const header = 'multi/2 2 360 1000\nseg1 500\nseg2 500\n';
  assertDecodeError(() => decodeWfdb(text(header), companions({}).read), 'DECODE_UNSUPPORTED_ENCODING', 'multi.hea line 1');
});

test('names the signal file that cannot be read (in-memory reader)', () => {
  const header = 'rec 1 500 2\nrec.dat 16 200 16 0 0 0 0 I\n';
  assertDecodeError(() => decodeWfdb(text(header), companions({}).read), 'FILE_UNREADABLE', 'rec.hea line 2 (rec.dat)');
});

test('reports a missing signal file beside a header read by the CLI file reader', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wfdb-missing-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'rec.hea'), 'rec 1 500 2\nrec.dat 16 200 16 0 0 0 0 I\n');
  assertDecodeError(() => decodeEcg(readEcgFile(join(dir, 'rec.hea'))), 'FILE_UNREADABLE', 'rec.hea line 2 (rec.dat)');
});

test('refuses a signal file shorter than nsamp (DECODE_TRUNCATED)', () => {
  const header = 'rec 2 500 4\nrec.dat 16 200 16 0 0 0 0 I\nrec.dat 16 200 16 0 0 0 0 II\n';
  assertDecodeError(() => decodeWfdb(text(header), companions({ 'rec.dat': encode16([1, 2, 3, 4, 5, 6, 7]) }).read), 'DECODE_TRUNCATED', 'rec.hea line 2 (rec.dat)');
});

test('takes the length from the signal file when nsamp is missing, after a byte offset', () => {
  const header = 'rec 2 500\nrec.dat 16+4 200 16 0 0 0 0 I\nrec.dat 16 200 16 0 0 0 0 II\n';
  const bytes = new Uint8Array([0xde, 0xad, 0xbe, 0xef, ...encode16(interleave([[200, 400], [-200, 0], [2, 4]])), 0x01]);
  const record = decodeWfdb(text(header), companions({ 'rec.dat': bytes }).read);
  assert.equal(record.samplesPerLead, 3);
  assert.deepEqual(Array.from(record.leads['I'] ?? []), [1000, -1000, 10]);
});

test('unpacks format 212 pairs, negative values and an odd last sample', () => {
  const mlii = [0, 1, -1, 2047, -2047];
  const v5 = [-2, 100, -100, 5, 1024];
  const header = `rec 2 360 5\nrec.dat 212 200 12 0 0 ${checksum(mlii)} 0 MLII\nrec.dat 212 200 12 0 -2 ${checksum(v5)} 0 V5\n`;
  const record = decodeWfdb(text(header), companions({ 'rec.dat': encode212(interleave(mlii.map((v, i) => [v, v5[i] as number]))) }).read);
  assert.deepEqual(Array.from(record.leads['MLII'] ?? []), mlii.map((v) => v * 5));
  assert.deepEqual(Array.from(record.leads['V5'] ?? []), v5.map((v) => v * 5));
  assert.deepEqual(record.warnings, []);

  const odd = decodeWfdb(text('rec 1 360 3\nrec.dat 212 200 12 0 -5 0 0 V5\n'), companions({ 'rec.dat': encode212([-5, 6, -7]) }).read);
  assert.deepEqual(Array.from(odd.leads['V5'] ?? []), [-25, 30, -35]);
});

test('turns invalid samples (-32768 in 16, -2048 in 212) into NaN with a warning', () => {
  const r16 = decodeWfdb(text(`rec 1 500 3\nrec.dat 16 200 16 0 0 ${checksum([0, -32768, 200])} 0 V1\n`), companions({ 'rec.dat': encode16([0, -32768, 200]) }).read);
  assert.ok(Number.isNaN(r16.leads['V1']?.[1]));
  assert.equal(r16.leads['V1']?.[2], 1000);
  assert.deepEqual(r16.warnings.map((w) => [w.code, w.field]), [['WFDB_INVALID_SAMPLES', 'rec.hea line 2']]);

  const r212 = decodeWfdb(text(`rec 1 500 2\nrec.dat 212 200 12 0 -2048 ${checksum([-2048, 3])} 0 V1\n`), companions({ 'rec.dat': encode212([-2048, 3]) }).read);
  assert.ok(Number.isNaN(r212.leads['V1']?.[0]));
  assert.deepEqual(r212.warnings.map((w) => w.code), ['WFDB_INVALID_SAMPLES']);
});

test('assumes 200 per mV with a warning when the gain is 0 or missing', () => {
  const zero = decodeWfdb(text('rec 1 500 1\nrec.dat 16 0 16 0 400 400 0 V1\n'), companions({ 'rec.dat': encode16([400]) }).read);
  assert.equal(zero.leads['V1']?.[0], 2000);
  assert.deepEqual(zero.warnings.map((w) => [w.code, w.field]), [['WFDB_GAIN_UNCALIBRATED', 'rec.hea line 2 adcgain']]);
  const missing = decodeWfdb(text('rec 1 500 1\nrec.dat 16\n'), companions({ 'rec.dat': encode16([400]) }).read);
  assert.equal(missing.leads['signal 2']?.[0], 2000, 'no description: named after its header line');
});

test('skips a signal whose units are not a voltage, with a warning', () => {
  const header = 'rec 2 125 2\nrec.dat 16 200/mV 16 0 200 600 0 II\nrec.dat 16 10/mmHg 16 0 1000 2200 0 ABP\n';
  const record = decodeWfdb(text(header), companions({ 'rec.dat': encode16([200, 1000, 400, 1200]) }).read);
  assert.deepEqual(Object.keys(record.leads), ['II']);
  assert.deepEqual(Array.from(record.leads['II'] ?? []), [1000, 2000]);
  assert.deepEqual(record.warnings.map((w) => [w.code, w.field]), [['WFDB_SIGNAL_SKIPPED', 'rec.hea line 3 units']]);
});

test('reads two samples per frame as twice the frame rate', () => {
  const header = 'rec 1 250 2\nrec.dat 16x2 1000/mV 16 0 0 0 0 V2\n';
  const record = decodeWfdb(text(header), companions({ 'rec.dat': encode16([1, 2, 3, 4]) }).read);
  assert.equal(record.sampleRateHz, 500);
  assert.deepEqual(Array.from(record.leads['V2'] ?? []), [1, 2, 3, 4]);
});

test('keeps samples as stored when a skew is given, with a warning', () => {
  const record = decodeWfdb(text('rec 1 500 2\nrec.dat 16:3 200 16 0 2 6 0 V3\n'), companions({ 'rec.dat': encode16([2, 4]) }).read);
  assert.deepEqual(Array.from(record.leads['V3'] ?? []), [10, 20]);
  assert.deepEqual(record.warnings.map((w) => [w.code, w.field]), [['WFDB_SKEW_IGNORED', 'rec.hea line 2 format']]);
});

test('refuses signals with different samples per frame', () => {
  const header = 'rec 2 250 2\nrec.dat 16x2 200 16 0 0 0 0 I\nrec.dat 16 200 16 0 0 0 0 II\n';
  assertDecodeError(() => decodeWfdb(text(header), companions({ 'rec.dat': new Uint8Array(12) }).read), 'DECODE_UNSUPPORTED_ENCODING', 'rec.hea line 3 format');
});

test('refuses two signals that name the same lead', () => {
  const header = 'rec 2 250 1\nrec.dat 16 200 16 0 0 0 0 V1\nrec.dat 16 200 16 0 0 0 0 v1\n';
  assertDecodeError(() => decodeWfdb(text(header), companions({ 'rec.dat': new Uint8Array(4) }).read), 'DECODE_WAVEFORM_INCONSISTENT', 'rec.hea line 3 description');
});

test('refuses a header with fewer signal lines than it declares', () => {
  assertDecodeError(() => decodeWfdb(text('rec 2 250 4\nrec.dat 16 200 16 0 0 0 0 I\n'), companions({}).read), 'DECODE_MALFORMED', 'rec.hea line 1');
});
