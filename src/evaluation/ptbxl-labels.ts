import { parseScpCodes } from './parse-scp-codes';

/** The reference model's tasks, named as its manifest's output keys. */
export const PTBXL_TASKS = ['sex_male', 'age_years', 'norm', 'mi', 'sttc', 'cd', 'hyp', 'afib'] as const;
export type PtbxlTask = (typeof PTBXL_TASKS)[number];

const SUPERCLASSES: ReadonlyArray<[PtbxlTask, string]> = [['norm', 'NORM'], ['mi', 'MI'], ['sttc', 'STTC'], ['cd', 'CD'], ['hyp', 'HYP']];
export const AGE_CAP_YEARS = 90;

/** statement code → diagnostic_class, for the rows of scp_statements.csv with diagnostic == 1. */
export function diagnosticClasses(statements: ReadonlyArray<Readonly<Record<string, string>>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const r of statements) {
    const d = r['diagnostic'] ?? '';
    if (d !== '' && Number(d) === 1) map.set(r[''] ?? '', r['diagnostic_class'] ?? '');
  }
  return map;
}

/**
 * Labels of one ptbxl_database.csv row, by the rule of models/ecg-vit-reference/train/data.py
 * (`labels_for`, stated in MODEL_CARD.md and the manifest's labelRule):
 * - sex_male: 1 when sex is 0 (PTB-XL: 0 = male), else 0;
 * - age_years: min(age, 90), NaN when the age is missing;
 * - norm/mi/sttc/cd/hyp: 1 when any scp_codes key with diagnostic == 1 maps to that
 *   diagnostic_class, at any likelihood (0 included);
 * - afib: 1 when AFIB is a key of scp_codes, at any likelihood.
 * Throws RangeError when scp_codes is not a dict literal or sex is not a number.
 */
export function ptbxlLabels(row: Readonly<Record<string, string>>, diagnostic: ReadonlyMap<string, string>): Record<PtbxlTask, number> {
  const codes = parseScpCodes(row['scp_codes'] ?? '');
  const sex = Number(row['sex'] ?? '');
  if ((row['sex'] ?? '') === '' || !Number.isFinite(sex)) throw new RangeError('ptbxl_database.csv: sex is not a number');
  const ageText = (row['age'] ?? '').trim();
  const age = ageText === '' || ageText.toLowerCase() === 'nan' ? Number.NaN : Number(ageText);
  const classes = new Set<string>();
  for (const code of codes.keys()) {
    const c = diagnostic.get(code);
    if (c !== undefined) classes.add(c);
  }
  const labels = { sex_male: Math.trunc(sex) === 0 ? 1 : 0, age_years: Number.isNaN(age) ? Number.NaN : Math.min(age, AGE_CAP_YEARS), afib: codes.has('AFIB') ? 1 : 0 } as Record<PtbxlTask, number>;
  for (const [task, sc] of SUPERCLASSES) labels[task] = classes.has(sc) ? 1 : 0;
  return labels;
}
