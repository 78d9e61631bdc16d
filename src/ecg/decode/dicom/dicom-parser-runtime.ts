import * as dicomParser from 'dicom-parser';
import { IMPLICIT_VR_SEQUENCES } from './dicom-tags';

/** Answers a VR for a tag read in Implicit VR, or undefined to let dicom-parser tell a sequence by its first Item. */
export type VrCallback = (tag: string) => string | undefined;

/** A File Meta Information group as dicom-parser's readPart10Header returns it: where the data set starts is `position`. */
export type MetaDataSet = dicomParser.DataSet & { position: number };

/**
 * The parts of dicom-parser 1.8.21 that its index.d.ts types wrongly or not at all. The runtime
 * (dist/dicomParser.js) exports the DataSet class (typed as an interface only), takes a vrCallback
 * that answers undefined for "unknown" (typed as returning string) and an options object without
 * `untilTag` (typed as required), and returns the meta group with its end in `position` (untyped).
 */
interface DicomParserRuntime {
  DataSet: new (parser: dicomParser.ByteArrayParser, bytes: dicomParser.ByteArray, elements: Record<string, dicomParser.Element>) => dicomParser.DataSet;
  parseDicomDataSetImplicit(dataSet: dicomParser.DataSet, stream: dicomParser.ByteStream, maxPosition: number, options: { vrCallback: VrCallback }): void;
  readDicomElementImplicit(stream: dicomParser.ByteStream, untilTag: string | undefined, vrCallback: VrCallback): dicomParser.Element;
  readPart10Header(bytes: dicomParser.ByteArray): MetaDataSet;
}

export const dicomParserRuntime = dicomParser as unknown as DicomParserRuntime;

// The keys of the tags the decoder asks for, built once: a cache, not state that changes results.
const KEYS = new Map<number, string>();

/** dicom-parser's key for a tag: `x` and eight lower-case hex digits (`x54001010`). */
export function tagKey(tag: number): string {
  let key = KEYS.get(tag);
  if (key === undefined) {
    key = `x${(tag >>> 0).toString(16).padStart(8, '0')}`;
    KEYS.set(tag, key);
  }
  return key;
}

/** The numeric tag of a dicom-parser key. */
export function tagOfKey(key: string): number {
  return Number.parseInt(key.slice(1), 16);
}

const SEQUENCE_KEYS: ReadonlySet<string> = new Set(Array.from(IMPLICIT_VR_SEQUENCES, tagKey));

/**
 * PS3.5 §7.1.3: Implicit VR carries no VR. The sequences the decoder descends into are named;
 * any other tag dicom-parser reads as a sequence when its value starts with an Item (PS3.5 §7.5).
 */
export const implicitVr: VrCallback = (tag) => (SEQUENCE_KEYS.has(tag) ? 'SQ' : undefined);
