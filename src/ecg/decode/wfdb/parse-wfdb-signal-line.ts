import { DecodeError } from '../decode-error';
import type { WfdbSignalSpec } from './wfdb-header';
import { parseWfdbDecimal, parseWfdbInteger } from './parse-wfdb-number';

// header(5): file format[xsamp][:skew][+offset] [adcgain[(baseline)][/units] [adcres [adczero
// [initval [checksum [blocksize [description]]]]]]]. Description is the rest of the line.
const FORMAT = /^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$/;
const GAIN = /^([^(/]+)(?:\(([^)]*)\))?(?:\/(.+))?$/;

/**
 * Parses one signal line. `field` names the line (`100.hea line 3`).
 * Throws DECODE_MALFORMED (missing format) and DECODE_INVALID_VALUE (a field that is not a number).
 */
export function parseWfdbSignalLine(lineText: string, line: number, field: string): WfdbSignalSpec {
  const tokens = lineText.trim().split(/\s+/);
  const [fileName, formatToken, gainToken, adcres, adczero, initval, checksum, blocksize] = tokens;
  if (fileName === undefined || formatToken === undefined) {
    throw new DecodeError('DECODE_MALFORMED', field, 'a signal line needs a file name and a format');
  }
  const f = FORMAT.exec(formatToken);
  if (!f) throw new DecodeError('DECODE_INVALID_VALUE', `${field} format`, 'format is not format[xsamp][:skew][+offset]');
  const adcZero = adczero === undefined ? 0 : parseWfdbInteger(adczero, `${field} adczero`, 'ADC zero');

  const spec: WfdbSignalSpec = {
    line,
    fileName,
    format: Number(f[1]),
    samplesPerFrame: f[2] === undefined ? 1 : Number(f[2]),
    skew: f[3] === undefined ? 0 : Number(f[3]),
    byteOffset: f[4] === undefined ? 0 : Number(f[4]),
    adcGain: 0,
    baseline: adcZero, // header(5): a missing baseline equals the ADC zero
    units: 'mV', // header(5): missing units are millivolts
    adcZero,
  };
  if (gainToken !== undefined) {
    const g = GAIN.exec(gainToken);
    if (!g?.[1]) throw new DecodeError('DECODE_INVALID_VALUE', `${field} adcgain`, 'ADC gain is not gain[(baseline)][/units]');
    spec.adcGain = parseWfdbDecimal(g[1], `${field} adcgain`, 'ADC gain');
    if (g[2] !== undefined) spec.baseline = parseWfdbInteger(g[2], `${field} baseline`, 'baseline');
    if (g[3] !== undefined) spec.units = g[3];
  }
  if (adcres !== undefined) spec.adcResolution = parseWfdbInteger(adcres, `${field} adcres`, 'ADC resolution');
  if (initval !== undefined) spec.initialValue = parseWfdbInteger(initval, `${field} initval`, 'initial value');
  if (checksum !== undefined) spec.checksum = parseWfdbInteger(checksum, `${field} checksum`, 'checksum');
  if (blocksize !== undefined) spec.blockSize = parseWfdbInteger(blocksize, `${field} blocksize`, 'block size');
  const description = /^\s*(?:\S+\s+){8}(.*\S)/.exec(lineText)?.[1];
  if (description !== undefined) spec.description = description;
  return spec;
}
