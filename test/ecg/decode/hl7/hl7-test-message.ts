import assert from 'node:assert/strict';
import { DecodeError } from '../../../../src/ecg/decode/decode-error';
import { decodeHl7, type NestedDecoder } from '../../../../src/ecg/decode/hl7/decode-hl7';
import type { ErrorCode } from '../../../../src/errors/error-codes';
import type { EcgRecord } from '../../../../src/ecg/record';

/** Hand-built v2.5 header, patient and order for short test messages (synthetic values). */
export const MSH = 'MSH|^~\\&|CART|CARDIO|GW|HOSP|20240101120000||ORU^R01^ORU_R01|MSG1|P|2.5';
export const PID = 'PID|1||123456^^^HOSP^MR||DOE^JOHN||19600101|M';
export const OBR = 'OBR|1|PL1^CART|FL1^CARDIO|ECG12^Resting ECG^L|||20240101115900';
/** Channel definitions I and II: 5 µV per unit, baseline 0, 500 Hz. */
export const CHN_I_II = 'OBX|2|CD|ECG&CHN^Channels^L|1|1&I^I^5&uV^1&0&0^500~2&II^II||||||F';
export const TIM = 'OBX|1|TS|ECG&TIM^Start^L|1|20240101115930.500||||||F';

/** Joins segments with `terminator` (CR by default, as v2.x ch. 2 says) and returns Latin-1 bytes. */
export function hl7Bytes(segments: readonly string[], terminator = '\r'): Uint8Array {
  return Buffer.from(segments.join(terminator) + terminator, 'latin1');
}

/** An ORU^R01 with MSH, PID, OBR and the given OBX segments. */
export function oru(obx: readonly string[], parts: { msh?: string; pid?: string; obr?: string } = {}): Uint8Array {
  return hl7Bytes([parts.msh ?? MSH, parts.pid ?? PID, parts.obr ?? OBR, ...obx]);
}

/** For messages that carry no OBX ED: any call is a test failure. */
export const noNested: NestedDecoder = () => {
  throw new Error('the decoder asked for a nested object in a message without one');
};

export function decode(bytes: Uint8Array, nested: NestedDecoder = noNested): EcgRecord {
  return decodeHl7(bytes, nested);
}

/** The lead as a plain array, rounded to 1e-6 µV for exact comparisons. */
export function lead(record: EcgRecord, name: string): number[] {
  const data = record.leads[name];
  if (!data) throw new Error(`lead ${name} missing; have ${Object.keys(record.leads).join(', ')}`);
  return Array.from(data, (v) => (Number.isNaN(v) ? NaN : Math.round(v * 1e6) / 1e6));
}

/** Runs `fn`, asserts it throws a DecodeError with this code and field, and returns the error. */
export function refuses(fn: () => unknown, code: ErrorCode, field: string): DecodeError {
  let caught: unknown;
  try {
    fn();
  } catch (err: unknown) {
    caught = err;
  }
  if (!(caught instanceof DecodeError)) {
    assert.fail(`expected DecodeError ${code} at ${field}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : 'no error'}`);
  }
  assert.deepEqual({ code: caught.code, field: caught.field }, { code, field }, caught.message);
  return caught;
}
