import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from '../../src/evaluation/parse-csv';
import { parseScpCodes } from '../../src/evaluation/parse-scp-codes';
import { diagnosticClasses, ptbxlLabels } from '../../src/evaluation/ptbxl-labels';

// Hand-built rows in PTB-XL's column layout (no dataset in CI); codes from scp_statements.csv.
const STATEMENTS = parseCsv(
  [
    ',description,diagnostic,form,rhythm,diagnostic_class,diagnostic_subclass',
    'NORM,normal ECG,1.0,,,NORM,NORM',
    'IMI,"inferior myocardial infarction",1.0,,,MI,IMI',
    'LVH,left ventricular hypertrophy,1.0,,,HYP,LVH',
    'NDT,"non-diagnostic T abnormalities",1.0,1.0,,STTC,STTC',
    'AFIB,atrial fibrillation,,,1.0,,',
    'SR,sinus rhythm,,,1.0,,',
    'LVOLT,low QRS voltages,,1.0,,,',
  ].join('\r\n'),
);

test('parseCsv keeps commas and doubled quotes inside quoted fields and keys the empty header as ""', () => {
  const rows = parseCsv('a,"b, c",d\n1,"{\'X\': 1.0, \'Y\': 0.0}","say ""hi"""\n');
  assert.deepEqual(rows, [{ a: '1', 'b, c': "{'X': 1.0, 'Y': 0.0}", d: 'say "hi"' }]);
  assert.equal(STATEMENTS[0]![''], 'NORM');
  assert.throws(() => parseCsv('a\n"open'), /line 2/);
});

test('parseScpCodes reads Python dict literals: quotes, spacing, trailing comma, nan', () => {
  assert.deepEqual([...parseScpCodes("{'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}")], [['NORM', 100], ['LVOLT', 0], ['SR', 0]]);
  assert.deepEqual([...parseScpCodes('{ "IMI":15 ,"NST_": 1e2, }')], [['IMI', 15], ['NST_', 100]]);
  assert.equal(parseScpCodes('{}').size, 0);
  assert.ok(Number.isNaN(parseScpCodes("{'X': nan}").get('X')));
  assert.throws(() => parseScpCodes("{'NORM' 100}"), RangeError);
  assert.throws(() => parseScpCodes("['NORM']"), RangeError);
});

test('labels follow train/data.py: superclass at any likelihood, AFIB as a key, sex 0 = male, age capped at 90', () => {
  const diag = diagnosticClasses(STATEMENTS);
  assert.deepEqual([...diag.keys()].sort(), ['IMI', 'LVH', 'NDT', 'NORM']);
  const a = ptbxlLabels({ sex: '0', age: '95.0', scp_codes: "{'IMI': 0.0, 'LVH': 50.0, 'AFIB': 0.0, 'LVOLT': 0.0}" }, diag);
  assert.deepEqual(a, { sex_male: 1, age_years: 90, norm: 0, mi: 1, sttc: 0, cd: 0, hyp: 1, afib: 1 });
  const b = ptbxlLabels({ sex: '1', age: '', scp_codes: "{'NORM': 100.0, 'SR': 0.0}" }, diag);
  assert.equal(b.sex_male, 0);
  assert.ok(Number.isNaN(b.age_years));
  assert.deepEqual([b.norm, b.mi, b.afib], [1, 0, 0]);
  assert.throws(() => ptbxlLabels({ sex: '', age: '50', scp_codes: '{}' }, diag), /sex/);
});
