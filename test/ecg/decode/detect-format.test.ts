import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { detectFormat } from '../../../src/ecg/decode/detect-format';
import type { EcgFormat } from '../../../src/ecg/record';
import { FIXTURES_DIR } from '../../helpers/paths';

// What each fixture is, decided by folder and file kind (SOURCES.md), never by the detector.
function expectedFormat(path: string): EcgFormat | undefined {
  const [folder, sub] = path.split('/');
  if (folder === 'dicom') return 'dicom'; // negative/ holds DICOM that is not an ECG: still DICOM
  if (folder === 'hl7') return path.endsWith('.hl7') ? 'hl7v2' : undefined; // expected.json is not a message
  if (folder === 'aecg') return 'aecg';
  // Only the header is a WFDB record; signal (.dat, .xyz) and annotation (.atr, .i …) files are
  // binary data that must not pass for anything.
  if (folder === 'wfdb') return path.endsWith('.hea') ? 'wfdb' : undefined;
  if (folder === 'other' && sub === 'scp-ecg') return 'scp-ecg';
  if (folder === 'other' && sub === 'ge-muse') return 'ge-muse';
  if (folder === 'other' && sub === 'philips-sierra') return 'philips-xml';
  return undefined; // SOURCES.md
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}

const files = walk(FIXTURES_DIR);

test('walks every fixture folder', () => {
  const folders = new Set(files.map((f) => relative(FIXTURES_DIR, f).split('/').slice(0, -1).join('/')));
  for (const folder of ['aecg', 'dicom', 'dicom/negative', 'hl7/ecg', 'hl7/ecg/bad', 'hl7/negative', 'other/ge-muse', 'other/philips-sierra', 'other/scp-ecg', 'wfdb/ludb-ecg', 'wfdb/mitdb-100', 'wfdb/ptb-s0010_re']) {
    assert.ok(folders.has(folder), folder);
  }
});

for (const file of files) {
  const path = relative(FIXTURES_DIR, file);
  const expected = expectedFormat(path);
  test(`detects ${path} as ${expected ?? 'nothing'} from its content`, () => {
    assert.equal(detectFormat(readFileSync(file)), expected);
  });
}

test('detects the UTF-16 Philips file by its BOM and the LAB-ORU with a UTF-8 BOM', () => {
  const philips = readFileSync(join(FIXTURES_DIR, 'other', 'philips-sierra', '2020-5-18_15-48-11.xml'));
  assert.deepEqual([philips[0], philips[1]], [0xff, 0xfe], 'the fixture really is UTF-16 LE with a BOM');
  assert.equal(detectFormat(philips), 'philips-xml');
  const lab = readFileSync(join(FIXTURES_DIR, 'hl7', 'negative', 'LAB-ORU-1.hl7'));
  assert.deepEqual([lab[0], lab[1], lab[2]], [0xef, 0xbb, 0xbf]);
  assert.equal(detectFormat(lab), 'hl7v2');
});

test('detects the non-compliant Healforce SCP by its section 0 pointer table, without "SCPECG"', () => {
  const healforce = readFileSync(join(FIXTURES_DIR, 'other', 'scp-ecg', 'healforce_62.SCP'));
  assert.notEqual(healforce.subarray(16, 22).toString('latin1'), 'SCPECG');
  assert.equal(detectFormat(healforce), 'scp-ecg');
});

test('detects DICOM without the 128-byte preamble and DICM prefix', () => {
  const dicom = readFileSync(join(FIXTURES_DIR, 'dicom', 'waveform_ecg.dcm'));
  assert.equal(detectFormat(dicom.subarray(132)), 'dicom');
});

test('does not take signal samples that start like a DICOM group for DICOM', () => {
  // int16 LE samples 8, 5, 10, 0 read as tag (0008,0005), length 10 — then no ascending tag follows.
  const samples = Int16Array.from([8, 5, 10, 0, -3, -4, 1, 2, 0, -7, 3, 3]);
  assert.equal(detectFormat(new Uint8Array(samples.buffer)), undefined);
  assert.equal(detectFormat(new Uint8Array(Int16Array.from([2, 0, 0, 0, 12, -12]).buffer)), undefined);
});

test('does not take an all-zero or a tiny binary file for SCP-ECG', () => {
  assert.equal(detectFormat(new Uint8Array(4096)), undefined);
  assert.equal(detectFormat(new Uint8Array(30)), undefined);
});

test('detects a PTB-XL style header, and not plain prose, as WFDB', () => {
  assert.equal(detectFormat(new TextEncoder().encode('00001_lr 12 100 1000\n00001_lr.dat 16 1000.0(0)/mV 16 0 -119 1508 0 I\n')), 'wfdb');
  assert.equal(detectFormat(new TextEncoder().encode('Dear team, please find the ECG attached.\n')), undefined);
});
