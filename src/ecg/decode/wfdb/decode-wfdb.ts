import { assembleRecord } from '../../assemble-record';
import type { LeadName } from '../../lead-name';
import { normaliseLeadName } from '../../normalise-lead-name';
import type { DecodeWarning, EcgRecord } from '../../record';
import { DecodeError } from '../decode-error';
import { isGatewayError } from '../../../errors/gateway-error';
import { checksumMatches } from './wfdb-checksum';
import { groupWfdbSignalFiles } from './group-wfdb-signal-files';
import { parseWfdbHeader } from './parse-wfdb-header';
import { readWfdbPatient } from './read-wfdb-patient';
import { readWfdbSignalFile, type WfdbSignalFile } from './read-wfdb-signal-file';
import { INVALID_SAMPLE } from './unpack-wfdb-samples';
import { wfdbBaseDateTime } from './wfdb-base-time';
import type { WfdbHeader, WfdbSignalSpec } from './wfdb-header';
import { microvoltsPerUnit, wfdbToMicrovolts } from './wfdb-to-microvolts';

function readCompanionFile(readCompanion: (name: string) => Uint8Array, file: WfdbSignalFile, field: string): Uint8Array {
  try {
    return readCompanion(file.fileName);
  } catch (err: unknown) {
    const code = isGatewayError(err) ? err.code : 'FILE_UNREADABLE';
    throw new DecodeError(code, field, `signal file ${file.fileName} cannot be read`, err);
  }
}

// One rate per record: every signal must have the same samples per frame (xsamp).
function sampleRate(header: WfdbHeader): number {
  const [first, ...rest] = header.signals;
  const spf = first?.samplesPerFrame ?? 1;
  const odd = rest.find((s) => s.samplesPerFrame !== spf);
  if (odd) {
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', `${header.recordName}.hea line ${odd.line} format`, 'signals with different samples per frame (multi-rate records) are not supported');
  }
  return header.samplingFrequency * spf;
}

function checkRawSignal(raw: Int16Array, signal: WfdbSignalSpec, field: string, warnings: DecodeWarning[]): void {
  if (signal.checksum !== undefined && !checksumMatches(raw, signal.checksum)) {
    warnings.push({ code: 'WFDB_CHECKSUM_MISMATCH', field: `${field} checksum`, message: 'the samples do not add up to the header checksum' });
  }
  if (signal.initialValue !== undefined && raw.length > 0 && raw[0] !== signal.initialValue) {
    warnings.push({ code: 'WFDB_INITIAL_VALUE_MISMATCH', field: `${field} initval`, message: 'the first sample differs from the header initial value' });
  }
  if (signal.skew !== 0) {
    warnings.push({ code: 'WFDB_SKEW_IGNORED', field: `${field} format`, message: 'skew is not applied; samples are aligned as stored' });
  }
}

/**
 * Decodes a WFDB record (header(5), signal(5)) from its header and the signal files beside it:
 * formats 16 and 212, several signal files, per-signal gain, baseline and units, to µV.
 * Throws DecodeError: DECODE_MALFORMED, DECODE_INVALID_VALUE, DECODE_UNSUPPORTED_ENCODING
 * (other formats, multi-segment, multi-rate), DECODE_TRUNCATED, DECODE_NO_WAVEFORM,
 * DECODE_WAVEFORM_INCONSISTENT, and the companion reader's code (FILE_UNREADABLE) for a missing file.
 */
export function decodeWfdb(header: Uint8Array, readCompanion: (name: string) => Uint8Array): EcgRecord {
  const parsed = parseWfdbHeader(new TextDecoder('latin1').decode(header));
  const at = (line: number): string => `${parsed.recordName}.hea line ${line}`;
  if (parsed.numberOfSegments !== undefined) {
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', at(parsed.recordLine), 'multi-segment WFDB records are not supported');
  }
  const sampleRateHz = sampleRate(parsed);
  const warnings: DecodeWarning[] = [];
  const leads = new Map<LeadName, Float32Array>();
  const files = groupWfdbSignalFiles(parsed);

  for (const file of files) {
    const fileField = `${at(file.signals[0]?.line ?? parsed.recordLine)} (${file.fileName})`;
    const bytes = readCompanionFile(readCompanion, file, fileField);
    const { raw } = readWfdbSignalFile(bytes, file, parsed.samplesPerSignal, fileField);
    file.signals.forEach((signal, j) => {
      const field = at(signal.line);
      const samples = raw[j] as Int16Array;
      checkRawSignal(samples, signal, field, warnings);
      const perUnit = microvoltsPerUnit(signal.units);
      if (perUnit === undefined) {
        warnings.push({ code: 'WFDB_SIGNAL_SKIPPED', field: `${field} units`, message: `units ${signal.units} are not a voltage; not an ECG lead` });
        return;
      }
      const name = normaliseLeadName(signal.description ?? `signal ${signal.line}`);
      if (leads.has(name)) throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', `${field} description`, `lead ${name} appears twice`);
      leads.set(name, wfdbToMicrovolts(samples, signal, perUnit, INVALID_SAMPLE[file.format], field, warnings));
    });
  }

  const acquisitionTime = wfdbBaseDateTime(parsed.baseTime, parsed.baseDate);
  return assembleRecord(
    {
      format: 'wfdb',
      sampleRateHz,
      leads,
      ...(acquisitionTime === undefined ? {} : { acquisitionTime }),
      patient: readWfdbPatient(parsed.comments),
      order: { documentId: parsed.recordName },
      measurements: {},
      source: { format: 'wfdb', encoding: `WFDB format ${[...new Set(files.map((f) => f.format))].join('+')}` },
      warnings,
    },
    `${parsed.recordName}.hea`,
  );
}
