import { readFileSync } from 'node:fs';
import { decodeEcg } from '../../src/ecg/decode/decode-ecg';
import type { EcgRecord } from '../../src/ecg/record';
import { fixture } from '../helpers/paths';

/** Decodes a shared fixture (fixtures/…) with the gateway's own decoder. */
export function fixtureEcg(...parts: string[]): EcgRecord {
  return decodeEcg({ bytes: readFileSync(fixture(...parts)) });
}
