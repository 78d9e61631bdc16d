import type * as dicomParser from 'dicom-parser';
import { DecodeError } from '../decode-error';
import { tagOfKey } from './dicom-parser-runtime';
import { fieldOf } from './dicom-tags';
import { lastElementPastEnd, lastOpenSequence, locateParseFailure, type ParseFailure } from './locate-parse-failure';

/** What a dicom-parser call reads, so a failure can be placed. */
export interface ParseTarget {
  /** Named when no element can be: `DICOM data set`, `File Meta Information (PS3.10 §7.1)`. */
  field: string;
  explicitVr: boolean;
  /** Offset of the first element in the array dicom-parser reads (0 in an inflated data set). */
  start: number;
}

// dicom-parser 1.8.21's words for "the data ended" (ByteStream, the byte array parsers, parseDicomDataSet*).
const ENDS_EARLY = /past end|overr(?:un|ead)|maxP ?osition|greater than or equal/;
// Its warnings when an undefined-length sequence or item is still open at the end of the data (readSequenceItems*).
const OPEN_AT_END = /^eof encountered .*undefined length/;
const REASON_LENGTH = 160;

function isDataSet(value: unknown): value is dicomParser.DataSet {
  return typeof value === 'object' && value !== null && 'byteArray' in value && value.byteArray instanceof Uint8Array && 'elements' in value;
}

function reasonOf(exception: unknown): string {
  const reason = typeof exception === 'string' ? exception : exception instanceof Error ? exception.message : 'unknown failure';
  return reason.slice(0, REASON_LENGTH);
}

function truncated(key: string, size: number, cause?: unknown): DecodeError {
  return new DecodeError('DECODE_TRUNCATED', fieldOf(tagOfKey(key)), `the data ends at byte ${size}, inside this element`, cause);
}

/** The innermost sequence dicom-parser warned is still open at the end of the data, if it did. */
function openAtEnd(dataSet: dicomParser.DataSet): dicomParser.Element | undefined {
  return dataSet.warnings?.some((w) => OPEN_AT_END.test(w)) ? lastOpenSequence(dataSet) : undefined;
}

function locate(dataSet: dicomParser.DataSet, target: ParseTarget): ParseFailure | undefined {
  const found = lastElementPastEnd(dataSet, dataSet.byteArray.length) ?? openAtEnd(dataSet);
  if (found) return { key: found.tag, truncated: true };
  try {
    return locateParseFailure(dataSet, target.start, target.explicitVr);
  } catch {
    return undefined; // locating is best effort: the failure is still reported, without an element
  }
}

function toDecodeError(err: unknown, target: ParseTarget, partial: dicomParser.DataSet | undefined): DecodeError {
  if (err instanceof DecodeError) return err; // the inflater's, already ours
  // parseDicom throws { exception, dataSet } with what it read; everything else throws the bare exception.
  const wrapped = typeof err === 'object' && err !== null && 'exception' in err;
  const exception = wrapped ? err.exception : err;
  const dataSet = wrapped && 'dataSet' in err && isDataSet(err.dataSet) ? err.dataSet : partial;
  const reason = reasonOf(exception);
  const failure = dataSet === undefined ? undefined : locate(dataSet, target);
  if (failure?.truncated) return truncated(failure.key, dataSet?.byteArray.length ?? 0, exception);
  if (failure) return new DecodeError('DECODE_MALFORMED', fieldOf(tagOfKey(failure.key)), `dicom-parser cannot read this element (${reason})`, exception);
  if (ENDS_EARLY.test(reason)) return new DecodeError('DECODE_TRUNCATED', target.field, `the data ends before dicom-parser could read it (${reason})`, exception);
  return new DecodeError('DECODE_MALFORMED', target.field, `dicom-parser cannot read it (${reason})`, exception);
}

/**
 * Runs one dicom-parser call. Why this wrapper exists: dicom-parser 1.8.21 throws strings, Errors
 * (a TypeError or a stack overflow on some malformed input) and, from parseDicom, a plain
 * `{ exception, dataSet }`; and it returns normally when the data ends inside a value or an
 * undefined-length sequence, leaving only an element longer than the data or a warning. The house
 * rules (docs/style.md, Errors) are that the core throws only DecodeError and never lets a string
 * or plain object escape. So every dicom-parser call goes through here, the one place its failures
 * are translated, and leaves as the data set or as DECODE_TRUNCATED naming the element the data
 * ends in (`WaveformData (5400,1010)`), else DECODE_MALFORMED. `partial`: the data set being
 * filled, for callers that drive dicom-parser's data-set parsers themselves.
 */
export function callDicomParser<T extends dicomParser.DataSet>(target: ParseTarget, parse: () => T, partial?: dicomParser.DataSet): T {
  let dataSet: T;
  try {
    dataSet = parse();
  } catch (err: unknown) {
    throw toDecodeError(err, target, partial);
  }
  const size = dataSet.byteArray.length;
  const past = lastElementPastEnd(dataSet, size);
  if (past) throw truncated(past.tag, size);
  const open = openAtEnd(dataSet);
  if (open) throw new DecodeError('DECODE_TRUNCATED', fieldOf(tagOfKey(open.tag)), `the data ends at byte ${size}, before this sequence is closed`);
  return dataSet;
}
