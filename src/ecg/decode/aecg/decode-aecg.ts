import { assembleRecord } from '../../assemble-record';
import { parseDicomOrHl7DateTime } from '../../parse-datetime';
import type { DecodeWarning, EcgRecord, OrderIdentifiers } from '../../record';
import { decodeXmlText } from './decode-xml-text';
import { findRhythmSeries, RHYTHM_SERIES_FIELD } from './find-rhythm-series';
import { parseAecgXml } from './parse-aecg-xml';
import { readAecgDevice } from './read-aecg-device';
import { readAecgMeasurements } from './read-aecg-measurements';
import { readAecgPatient } from './read-aecg-patient';
import { readRhythmWaveform } from './read-rhythm-waveform';
import { attr, child, descend, type XmlElement } from './xml-element';

// HL7 v3 II: the root alone identifies; with an extension, root scopes it (written as EI root^extension).
function documentId(root: XmlElement): string | undefined {
  const id = child(root, 'id');
  const oid = attr(id, 'root');
  const extension = attr(id, 'extension');
  if (oid === undefined) return extension;
  return extension === undefined ? oid : `${oid}^${extension}`;
}

// First sample time: the series' effectiveTime/low, else the document's low or center, else the
// TIME_ABSOLUTE head (all HL7 v3 TS).
function acquisitionTime(root: XmlElement, series: XmlElement, head: string | undefined): string | undefined {
  const candidates = [
    descend(series, 'effectiveTime', 'low'),
    descend(root, 'effectiveTime', 'low'),
    descend(root, 'effectiveTime', 'center'),
  ];
  for (const el of candidates) {
    const time = parseDicomOrHl7DateTime(attr(el, 'value'));
    if (time !== undefined) return time;
  }
  return head;
}

/**
 * Decodes an HL7 aECG (urn:hl7-org:v3 AnnotatedECG) document: the RHYTHM series' leads in µV,
 * the trial subject, the document id, the device and its global measurements.
 * Throws DecodeError: DECODE_MALFORMED, DECODE_FORMAT_UNKNOWN, DECODE_NO_WAVEFORM,
 * DECODE_WAVEFORM_INCONSISTENT, DECODE_REQUIRED_FIELD_MISSING, DECODE_INVALID_VALUE, DECODE_UNSUPPORTED_ENCODING.
 */
export function decodeAecg(bytes: Uint8Array): EcgRecord {
  const warnings: DecodeWarning[] = [];
  const root = parseAecgXml(decodeXmlText(bytes, warnings), warnings);
  const series = findRhythmSeries(root, warnings);
  const waveform = readRhythmWaveform(series, warnings);

  const order: OrderIdentifiers = {};
  const id = documentId(root);
  if (id !== undefined) order.documentId = id;
  const time = acquisitionTime(root, series, waveform.startTime);

  return assembleRecord(
    {
      format: 'aecg',
      sampleRateHz: waveform.sampleRateHz,
      leads: waveform.leads,
      ...(time === undefined ? {} : { acquisitionTime: time }),
      patient: readAecgPatient(root),
      order,
      measurements: readAecgMeasurements(series, warnings),
      source: { format: 'aecg', ...readAecgDevice(series) },
      warnings,
    },
    `${RHYTHM_SERIES_FIELD}/component/sequenceSet`,
  );
}
