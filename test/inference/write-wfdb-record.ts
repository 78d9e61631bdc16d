import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcgRecord } from '../../src/ecg/record';

const WFDB_NAMES: Readonly<Record<string, string>> = { aVR: 'avr', aVL: 'avl', aVF: 'avf' };

/**
 * Writes an EcgRecord as a real WFDB record (format 16, 1 µV per unit, with checksums) in a new
 * temp folder and returns the header's path: test ECGs the CLI reads like any PhysioNet file.
 */
export function writeWfdbRecord(record: EcgRecord, name = 'rec'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-wfdb-'));
  const leads = Object.entries(record.leads);
  const n = record.samplesPerLead;
  const data = Buffer.alloc(n * leads.length * 2);
  const lines = [`${name} ${leads.length} ${record.sampleRateHz} ${n}`];
  leads.forEach(([lead, x], k) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.max(-32767, Math.min(32767, Math.round(x[i]!)));
      data.writeInt16LE(v, (i * leads.length + k) * 2);
      sum += v;
    }
    const checksum = ((sum % 65536) + 65536) % 65536;
    const signed = checksum >= 32768 ? checksum - 65536 : checksum;
    const first = Math.max(-32767, Math.min(32767, Math.round(x[0] ?? 0)));
    lines.push(`${name}.dat 16 1000(0)/mV 16 0 ${first} ${signed} 0 ${WFDB_NAMES[lead] ?? lead.toLowerCase()}`);
  });
  writeFileSync(join(dir, `${name}.dat`), data);
  writeFileSync(join(dir, `${name}.hea`), `${lines.join('\n')}\n`);
  return join(dir, `${name}.hea`);
}
