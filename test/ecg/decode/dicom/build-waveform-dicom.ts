/**
 * Test-only writer: builds small DICOM waveform objects with dcmjs, so each synthetic test states
 * the attributes it is about instead of hand-writing hundreds of bytes.
 */
import * as dicomParser from 'dicom-parser';

// dcmjs ships no types; only the calls used here.
interface DcmjsData {
  DicomMetaDictionary: { denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown> };
  DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(): ArrayBuffer };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { data: dcmjs } = require('dcmjs') as { data: DcmjsData };

export const TS = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  explicitBE: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
} as const;

export const SOP = {
  twelveLead: '1.2.840.10008.5.1.4.1.1.9.1.1',
  generalEcg: '1.2.840.10008.5.1.4.1.1.9.1.2',
  ambulatory: '1.2.840.10008.5.1.4.1.1.9.1.3',
  hemodynamic: '1.2.840.10008.5.1.4.1.1.9.2.1',
  ct: '1.2.840.10008.5.1.4.1.1.2',
} as const;

export interface ChannelSpec {
  /** Channel Source Sequence code: [value, scheme, meaning]; omitted → no Channel Source Sequence. */
  source?: [string, string, string];
  label?: string;
  /** DS strings as written; null leaves the attribute out. */
  sensitivity?: string | null;
  /** UCUM code and meaning of (003A,0211); null leaves the sequence out. */
  units?: [string, string] | null;
  correction?: string | null;
  baseline?: string | null;
  bitsStored?: number | null;
  status?: string;
}

export interface GroupSpec {
  label?: string;
  originality?: string;
  samplingFrequency?: string;
  timeOffset?: string;
  bitsAllocated?: 8 | 16;
  interpretation?: string;
  /** Raw padding value (in the interpretation's type). */
  padding?: number;
  channels: ChannelSpec[];
  /** Raw samples per channel (all the same length). */
  samples: number[][];
  /** Overrides Number of Waveform Channels (003A,0005). */
  declaredChannels?: number;
}

export interface AnnotationSpec {
  concept: [string, string, string];
  value: string;
  unit?: string;
  /** Referenced Waveform Channels pair (group, channel); default (1, 0). */
  channels?: [number, number];
}

export interface DicomSpec {
  transferSyntax?: string;
  sopClass?: string;
  groups: GroupSpec[];
  annotations?: AnnotationSpec[];
  /** Extra top-level attributes, dcmjs naturalized keywords. */
  attributes?: Record<string, unknown>;
}

function sampleBytes(group: GroupSpec, values: number[], littleEndian: boolean): ArrayBuffer {
  const bits = group.bitsAllocated ?? 16;
  const bytes = new Uint8Array(values.length * (bits / 8) + ((values.length * (bits / 8)) & 1));
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (bits === 8) view.setUint8(i, v & 0xff);
    else view.setUint16(i * 2, v & 0xffff, littleEndian);
  });
  return bytes.buffer;
}

function multiplex(samples: number[][]): number[] {
  const n = samples[0]?.length ?? 0;
  const out: number[] = [];
  for (let s = 0; s < n; s++) for (const ch of samples) out.push(ch[s] as number);
  return out;
}

function code([value, scheme, meaning]: [string, string, string]): Record<string, string> {
  return { CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning };
}

function channel(spec: ChannelSpec, bits: number): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (spec.source) c['ChannelSourceSequence'] = [code(spec.source)];
  if (spec.label !== undefined) c['ChannelLabel'] = spec.label;
  if (spec.status !== undefined) c['ChannelStatus'] = spec.status;
  if (spec.sensitivity !== null) c['ChannelSensitivity'] = spec.sensitivity ?? '1';
  if (spec.units !== null) {
    const [unit, meaning] = spec.units ?? ['uV', 'microvolt'];
    c['ChannelSensitivityUnitsSequence'] = [code([unit, 'UCUM', meaning])];
  }
  if (spec.correction !== null) c['ChannelSensitivityCorrectionFactor'] = spec.correction ?? '1';
  if (spec.baseline !== null) c['ChannelBaseline'] = spec.baseline ?? '0';
  if (spec.bitsStored !== null) c['WaveformBitsStored'] = spec.bitsStored ?? bits;
  return c;
}

/** Standard SCPECG lead codes, as carts write them. */
export function scpLead(lead: 'I' | 'II' | 'III' | 'aVR' | 'aVL' | 'aVF' | 'V1' | 'V2' | 'V3' | 'V4' | 'V5' | 'V6'): [string, string, string] {
  const n = { I: 1, II: 2, V1: 3, V2: 4, V3: 5, V4: 6, V5: 7, V6: 8, III: 61, aVR: 62, aVL: 63, aVF: 64 }[lead];
  return [`5.6.3-9-${n}`, 'SCPECG', `Lead ${lead}`];
}

/** Writes a Part 10 file: preamble, File Meta Information, data set in the chosen transfer syntax. */
export function buildWaveformDicom(spec: DicomSpec): Uint8Array {
  const transferSyntax = spec.transferSyntax ?? TS.explicitLE;
  const littleEndian = transferSyntax !== TS.explicitBE;
  const sopClass = spec.sopClass ?? SOP.twelveLead;
  const dataVr = (g: GroupSpec): string => ((g.bitsAllocated ?? 16) === 8 && transferSyntax !== TS.implicitLE ? 'OB' : 'OW');
  const dataset: Record<string, unknown> = {
    SOPClassUID: sopClass,
    SOPInstanceUID: '1.2.826.0.1.3680043.10.1.1',
    StudyInstanceUID: '1.2.826.0.1.3680043.10.1.2',
    SeriesInstanceUID: '1.2.826.0.1.3680043.10.1.3',
    Modality: 'ECG',
    PatientID: 'TEST-1',
    PatientName: 'Test^Synthetic',
    AcquisitionDateTime: '20240102030405',
    ...spec.attributes,
    WaveformSequence: spec.groups.map((g) => {
      const bits = g.bitsAllocated ?? 16;
      const item: Record<string, unknown> = {
        _vrMap: { WaveformData: dataVr(g), WaveformPaddingValue: dataVr(g) },
        WaveformOriginality: g.originality ?? 'ORIGINAL',
        NumberOfWaveformChannels: g.declaredChannels ?? g.channels.length,
        NumberOfWaveformSamples: g.samples[0]?.length ?? 0,
        SamplingFrequency: g.samplingFrequency ?? '500',
        ChannelDefinitionSequence: g.channels.map((c) => channel(c, bits)),
        WaveformBitsAllocated: bits,
        WaveformSampleInterpretation: g.interpretation ?? (bits === 8 ? 'SB' : 'SS'),
        WaveformData: [sampleBytes(g, multiplex(g.samples), littleEndian)],
      };
      if (g.label !== undefined) item['MultiplexGroupLabel'] = g.label;
      if (g.timeOffset !== undefined) item['MultiplexGroupTimeOffset'] = g.timeOffset;
      if (g.padding !== undefined) item['WaveformPaddingValue'] = [sampleBytes(g, [g.padding], littleEndian)];
      return item;
    }),
  };
  for (const key of Object.keys(dataset)) if (dataset[key] === undefined) delete dataset[key];
  if (spec.annotations) {
    dataset['WaveformAnnotationSequence'] = spec.annotations.map((a) => {
      const item: Record<string, unknown> = {
        ConceptNameCodeSequence: [code(a.concept)],
        NumericValue: a.value,
        ReferencedWaveformChannels: a.channels ?? [1, 0],
      };
      if (a.unit !== undefined) item['MeasurementUnitsCodeSequence'] = [code([a.unit, 'UCUM', a.unit])];
      return item;
    });
  }
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: '1.2.826.0.1.3680043.10.1.1',
    TransferSyntaxUID: transferSyntax,
    ImplementationClassUID: '1.2.826.0.1.3680043.10.1',
  };
  const dict = new dcmjs.DicomDict(dcmjs.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/** Replaces the first occurrence of an ASCII placeholder with other bytes of the same length. */
export function patchBytes(bytes: Uint8Array, placeholder: string, replacement: readonly number[]): Uint8Array {
  const needle = Array.from(placeholder, (c) => c.charCodeAt(0));
  if (needle.length !== replacement.length) throw new Error('placeholder and replacement differ in length');
  for (let i = 0; i + needle.length <= bytes.length; i++) {
    if (needle.every((b, j) => bytes[i + j] === b)) {
      const out = bytes.slice();
      out.set(replacement, i);
      return out;
    }
  }
  throw new Error(`placeholder ${placeholder} not found`);
}

export interface MetaChange {
  /** Leave out the 128-byte preamble and "DICM" (PS3.10 §7.1). */
  dropPreamble?: boolean;
  /** Write the meta group in Implicit VR, against PS3.10 §7.1. */
  implicitVr?: boolean;
  /** Replace Transfer Syntax UID (0002,0010), or leave it out (null). */
  transferSyntax?: string | null;
}

// PS3.5 §7.1.2: these VRs have 2 reserved bytes and a 4-byte length in Explicit VR.
const LONG_VRS: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** One meta element, Little Endian: tag (group, element), then VR and length (Explicit) or a 4-byte length (Implicit). */
function metaElement(tag: number, vr: string, value: Uint8Array, implicitVr: boolean): Uint8Array {
  const head = [(tag >>> 16) & 0xff, tag >>> 24, tag & 0xff, (tag >>> 8) & 0xff];
  if (implicitVr) head.push(...le32(value.length));
  else if (LONG_VRS.has(vr)) head.push(vr.charCodeAt(0), vr.charCodeAt(1), 0, 0, ...le32(value.length));
  else head.push(vr.charCodeAt(0), vr.charCodeAt(1), value.length & 0xff, value.length >>> 8);
  const out = new Uint8Array(head.length + value.length);
  out.set(head);
  out.set(value, head.length);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Rewrites the File Meta Information of a file built here, the data set bytes left as they are. */
export function rewriteMeta(bytes: Uint8Array, change: MetaChange): Uint8Array {
  const meta = dicomParser.readPart10Header(bytes) as dicomParser.DataSet & { position: number };
  const implicitVr = change.implicitVr ?? false;
  const elements: Uint8Array[] = [];
  for (const element of Object.values(meta.elements)) {
    if (element.tag === 'x00020000') continue; // the group length is written anew below
    let value = bytes.subarray(element.dataOffset, element.dataOffset + element.length);
    if (element.tag === 'x00020010' && change.transferSyntax !== undefined) {
      if (change.transferSyntax === null) continue;
      const uid = change.transferSyntax.length % 2 === 0 ? change.transferSyntax : `${change.transferSyntax}\0`;
      value = new Uint8Array(Array.from(uid, (c) => c.charCodeAt(0)));
    }
    elements.push(metaElement(Number.parseInt(element.tag.slice(1), 16), element.vr ?? 'UN', value, implicitVr));
  }
  const body = concat(elements);
  const groupLength = metaElement(0x00020000, 'UL', new Uint8Array(le32(body.length)), implicitVr);
  const preamble = change.dropPreamble ? [] : [new Uint8Array(128), new Uint8Array([0x44, 0x49, 0x43, 0x4d])];
  return concat([...preamble, groupLength, body, bytes.subarray(meta.position)]);
}
