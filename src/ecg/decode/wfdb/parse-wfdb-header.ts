import { DecodeError } from '../decode-error';
import { parseWfdbDecimal, parseWfdbInteger } from './parse-wfdb-number';
import { parseWfdbSignalLine } from './parse-wfdb-signal-line';
import type { WfdbHeader, WfdbSegmentSpec } from './wfdb-header';

// header(5): name[/nseg] nsig [fs[/counterfreq[(basecounter)]] [nsamp [basetime [basedate]]]]
const RECORD_NAME = /^([A-Za-z0-9_.-]+)(?:\/(\d+))?$/;
const FREQUENCY = /^([^/]+)(?:\/([^(]+)(?:\(([^)]*)\))?)?$/;
const DEFAULT_FREQUENCY = 250; // WFDB DEFFREQ

interface HeaderLine {
  number: number;
  text: string;
}

function readRecordLine(line: HeaderLine, header: WfdbHeader): void {
  const [name, nsig, fs, nsamp, baseTime, baseDate] = line.text.split(/\s+/);
  const r = RECORD_NAME.exec(name ?? '');
  if (!r?.[1]) throw new DecodeError('DECODE_MALFORMED', `WFDB header line ${line.number}`, 'record line does not start with name[/nseg]');
  header.recordName = r[1];
  header.recordLine = line.number;
  const field = `${r[1]}.hea line ${line.number}`;
  if (r[2] !== undefined) header.numberOfSegments = Number(r[2]);
  if (nsig === undefined) throw new DecodeError('DECODE_MALFORMED', field, 'record line has no number of signals');
  header.signalCount = parseWfdbInteger(nsig, `${field} nsig`, 'number of signals');
  if (fs !== undefined) {
    const f = FREQUENCY.exec(fs);
    if (!f?.[1]) throw new DecodeError('DECODE_INVALID_VALUE', `${field} fs`, 'sampling frequency is not fs[/counterfreq[(basecounter)]]');
    header.samplingFrequency = parseWfdbDecimal(f[1], `${field} fs`, 'sampling frequency');
    if (f[2] !== undefined) header.counterFrequency = parseWfdbDecimal(f[2], `${field} counterfreq`, 'counter frequency');
    if (f[3] !== undefined) header.baseCounter = parseWfdbDecimal(f[3], `${field} basecounter`, 'base counter');
  }
  if (nsamp !== undefined) {
    const samples = parseWfdbInteger(nsamp, `${field} nsamp`, 'number of samples');
    if (samples > 0) header.samplesPerSignal = samples;
  }
  if (baseTime !== undefined) header.baseTime = baseTime;
  if (baseDate !== undefined) header.baseDate = baseDate;
}

function readSegmentLine(line: HeaderLine, field: string): WfdbSegmentSpec {
  const [recordName, samples] = line.text.split(/\s+/);
  if (recordName === undefined || samples === undefined) throw new DecodeError('DECODE_MALFORMED', field, 'a segment line needs a record name and a length');
  return { line: line.number, recordName, samples: parseWfdbInteger(samples, `${field} nsamp`, 'segment length') };
}

/**
 * Parses a WFDB header (header(5)): `#` comment lines anywhere, blank lines, LF or CRLF endings.
 * Pure: the training loader and `evaluate` read PTB-XL headers with it.
 * Throws DECODE_MALFORMED (no record line, signal lines missing or extra) and DECODE_INVALID_VALUE.
 */
export function parseWfdbHeader(text: string): WfdbHeader {
  const header: WfdbHeader = { recordName: '', recordLine: 0, signalCount: 0, samplingFrequency: DEFAULT_FREQUENCY, signals: [], segments: [], comments: [] };
  const lines: HeaderLine[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const t = raw.trim();
    if (t.startsWith('#')) header.comments.push(t.slice(1).trim());
    else if (t !== '') lines.push({ number: index + 1, text: t });
  });
  const [recordLine, ...rest] = lines;
  if (!recordLine) throw new DecodeError('DECODE_MALFORMED', 'WFDB header', 'no record line');
  readRecordLine(recordLine, header);
  const at = (line: HeaderLine): string => `${header.recordName}.hea line ${line.number}`;

  const expected = header.numberOfSegments ?? header.signalCount;
  const kind = header.numberOfSegments === undefined ? 'signal' : 'segment';
  if (rest.length !== expected) {
    throw new DecodeError('DECODE_MALFORMED', at(recordLine), `record line declares ${expected} ${kind}s, the header has ${rest.length} ${kind} lines`);
  }
  for (const line of rest) {
    if (header.numberOfSegments === undefined) header.signals.push(parseWfdbSignalLine(line.text, line.number, at(line)));
    else header.segments.push(readSegmentLine(line, at(line)));
  }
  return header;
}
