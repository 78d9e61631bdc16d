import { DecodeError } from '../decode-error';
import { attr, type XmlElement } from './xml-element';

// UCUM codes as aECG writers use them (FDA aECG IG: "uV", "mV", "s", "ms"); µ spelled three ways.
const TO_MICROVOLT: Readonly<Record<string, number>> = {
  V: 1e6, mV: 1e3, uV: 1, 'µV': 1, 'μV': 1, nV: 1e-3,
};
const TO_SECOND: Readonly<Record<string, number>> = { s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6 };

export type QuantityKind = 'voltage' | 'time';

/** A number attribute, or undefined when absent; throws DECODE_INVALID_VALUE when not a finite number. */
export function numberAttr(el: XmlElement | undefined, name: string, field: string): number | undefined {
  const raw = attr(el, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new DecodeError('DECODE_INVALID_VALUE', `${field}/@${name}`, `${name} is not a number`);
  return value;
}

/**
 * Reads an HL7 v3 PQ (`value` + UCUM `unit`) as µV (voltage) or seconds (time); undefined when absent.
 * Throws DECODE_REQUIRED_FIELD_MISSING (value without unit), DECODE_INVALID_VALUE, DECODE_UNSUPPORTED_ENCODING (unit).
 */
export function readQuantity(el: XmlElement | undefined, kind: QuantityKind, field: string): number | undefined {
  const value = numberAttr(el, 'value', field);
  if (value === undefined) return undefined;
  const unit = attr(el, 'unit');
  if (unit === undefined) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', `${field}/@unit`, `a ${kind} needs a unit`);
  const factor = (kind === 'voltage' ? TO_MICROVOLT : TO_SECOND)[unit];
  if (factor === undefined) {
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', `${field}/@unit`, `unit ${unit} is not a ${kind} unit this decoder knows`);
  }
  return value * factor;
}
