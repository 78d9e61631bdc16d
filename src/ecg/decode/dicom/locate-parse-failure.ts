import * as dicomParser from 'dicom-parser';
import { dicomParserRuntime, implicitVr } from './dicom-parser-runtime';

/** The element dicom-parser stopped in (its key, `x54001010`), and whether the data ends inside it. */
export interface ParseFailure {
  key: string;
  truncated: boolean;
}

type ReadElement = (stream: dicomParser.ByteStream, untilTag?: string) => dicomParser.Element;

// PS3.5 §7.1.1: a length of FFFFFFFFH is undefined (sequences, items).
const UNDEFINED_LENGTH = 0xffffffff;
const ITEM_DELIMITATION = 'xfffee00d';
const SEQUENCE_DELIMITATION = 'xfffee0dd';
const ITEM = 'xfffee000';
// PS3.5 §7.5: group FFFE holds items and delimiters, not attributes.
const ITEM_GROUP = 'xfffe';
// Bounds the re-reading below on hostile nesting; real waveform objects nest 4 deep.
const MAX_DEPTH = 32;

const readExplicit: ReadElement = (stream, untilTag) => dicomParser.readDicomElementExplicit(stream, [], untilTag);
const readImplicit: ReadElement = (stream, untilTag) => dicomParserRuntime.readDicomElementImplicit(stream, untilTag, implicitVr);

function lastPastEndIn(element: dicomParser.Element, size: number): dicomParser.Element | undefined {
  let inner: dicomParser.Element | undefined;
  if (element.items) {
    for (const item of element.items) if (item.dataSet) inner = lastElementPastEnd(item.dataSet, size) ?? inner;
  }
  return inner ?? (element.dataOffset + element.length > size ? element : undefined);
}

/**
 * The innermost, last element of a data set dicom-parser read whose value runs past `size` bytes:
 * dicom-parser skips a value by its declared length without checking it against the data. Runs
 * on every decode (a plain loop: waveform objects hold over a thousand elements).
 */
export function lastElementPastEnd(dataSet: dicomParser.DataSet, size: number): dicomParser.Element | undefined {
  const { elements } = dataSet;
  let found: dicomParser.Element | undefined;
  for (const key in elements) {
    const element = elements[key];
    if (element !== undefined && !key.startsWith(ITEM_GROUP)) found = lastPastEndIn(element, size) ?? found;
  }
  return found;
}

function lastElementOf(dataSet: dicomParser.DataSet | undefined): dicomParser.Element | undefined {
  let last: dicomParser.Element | undefined;
  for (const element of Object.values(dataSet?.elements ?? {})) if (element.tag !== ITEM_DELIMITATION) last = element;
  return last;
}

/**
 * The innermost sequence still open where the data ends (a warning from dicom-parser says one is):
 * on the chain of last elements, the deepest sequence that reaches the end of the data. A closed
 * undefined-length sequence is followed by its 8-byte Sequence Delimitation Item (PS3.5 §7.5.2).
 */
export function lastOpenSequence(dataSet: dicomParser.DataSet): dicomParser.Element | undefined {
  const size = dataSet.byteArray.length;
  let open: dicomParser.Element | undefined;
  let element = lastElementOf(dataSet);
  for (let depth = 0; element && depth < MAX_DEPTH; depth++) {
    if (element.items && element.dataOffset + element.length > size - 8) open = element;
    element = lastElementOf(element.items?.at(-1)?.dataSet);
  }
  return open;
}

/** Whether the element whose header was just read holds items (PS3.5 §7.5), as dicom-parser decides it. */
function holdsItems(header: dicomParser.Element, stream: dicomParser.ByteStream, explicitVr: boolean): boolean {
  if (header.vr === 'SQ' || (header.vr === 'UN' && header.length === UNDEFINED_LENGTH)) return true;
  if (explicitVr || header.vr !== undefined || stream.position + 4 > stream.byteArray.length) return false;
  const next = dicomParser.readTag(stream);
  stream.seek(-4);
  return next === ITEM || next === SEQUENCE_DELIMITATION;
}

/** Reads elements up to `end` (or an Item Delimitation); the first that dicom-parser cannot read whole is opened. */
function readElements(stream: dicomParser.ByteStream, end: number, explicitVr: boolean, depth: number): ParseFailure | undefined {
  const size = stream.byteArray.length;
  const read = explicitVr ? readExplicit : readImplicit;
  while (stream.position < end) {
    const at = stream.position;
    let element: dicomParser.Element;
    try {
      element = read(stream);
    } catch {
      stream.position = at;
      return openElement(stream, explicitVr, depth);
    }
    const past = lastPastEndIn(element, size);
    if (past) return { key: past.tag, truncated: true };
    if (stream.position > end) return { key: element.tag, truncated: false }; // runs past the end of its item
    if (element.tag === ITEM_DELIMITATION) return undefined;
  }
  return undefined;
}

/** Reads the header of the element dicom-parser could not read whole, then its items as far as the data goes. */
function openElement(stream: dicomParser.ByteStream, explicitVr: boolean, depth: number): ParseFailure | undefined {
  const size = stream.byteArray.length;
  let tag: string;
  try {
    tag = dicomParser.readTag(stream);
    stream.seek(-4);
  } catch {
    return undefined; // not even a tag left: the enclosing element is named
  }
  if (tag.startsWith(ITEM_GROUP)) return undefined; // an item or delimiter: the enclosing sequence is named
  let header: dicomParser.Element;
  try {
    // untilTag: dicom-parser returns the element's header without reading its value.
    header = (explicitVr ? readExplicit : readImplicit)(stream, tag);
  } catch {
    return { key: tag, truncated: true }; // reading a header fails only past the end of the data
  }
  const undefinedLength = header.length === UNDEFINED_LENGTH;
  const declaredEnd = undefinedLength ? size : header.dataOffset + header.length;
  if (depth >= MAX_DEPTH || !holdsItems(header, stream, explicitVr)) return { key: header.tag, truncated: declaredEnd > size };
  // PS3.5 §6.2.2: a UN value of undefined length holds a sequence in Implicit VR.
  const itemsExplicit = explicitVr && header.vr !== 'UN';
  const end = Math.min(declaredEnd, size);
  while (stream.position < end) {
    if (stream.position + 8 > size) return { key: header.tag, truncated: true };
    let item: ReturnType<typeof dicomParser.readSequenceItem>;
    try {
      item = dicomParser.readSequenceItem(stream);
    } catch {
      return { key: header.tag, truncated: false }; // not an Item where one belongs
    }
    const itemEnd = item.length === UNDEFINED_LENGTH ? size : Math.min(item.dataOffset + item.length, size);
    const inner = readElements(stream, itemEnd, itemsExplicit, depth + 1);
    if (inner) return inner;
    if (item.length !== UNDEFINED_LENGTH) stream.position = itemEnd;
  }
  return { key: header.tag, truncated: declaredEnd > size || (undefinedLength && stream.position >= size) };
}

/**
 * Says which element a failed dicom-parser call stopped in. dicom-parser reads a sequence whole or
 * throws and drops it (parseDicom's partial data set holds only the complete top-level elements),
 * so a data set cut inside a defined-length sequence names no element. It is read again from `start`
 * one element at a time with dicom-parser's own element and item readers, and the element that fails
 * is opened: its items are read as far as the data goes, down to the element the data ends in.
 */
export function locateParseFailure(dataSet: dicomParser.DataSet, start: number, explicitVr: boolean): ParseFailure | undefined {
  const bytes = dataSet.byteArray;
  if (start >= bytes.length) return undefined;
  const stream = new dicomParser.ByteStream(dataSet.byteArrayParser, bytes, start);
  return readElements(stream, bytes.length, explicitVr, 0);
}
