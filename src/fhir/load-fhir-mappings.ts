import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GatewayError } from '../errors/gateway-error';
import { FHIR_MAPPING_FILES, parseFhirMappings, type FhirMappings } from './mapping/fhir-mappings';

/** The repository's `mappings/` folder, found upwards from the compiled file (dist/, build/, build-*). */
export function defaultMappingsDir(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'mappings', 'ecg-codes.json')) && existsSync(join(dir, 'package.json'))) return join(dir, 'mappings');
    const up = dirname(dir);
    if (up === dir) throw new GatewayError('CONFIG_INVALID', 'cannot find the mappings/ folder above the gateway code', { field: 'mappings' });
    dir = up;
  }
}

/**
 * Reads and validates every code table of the FHIR mapping. Throws CONFIG_INVALID listing each
 * bad file and field, so a broken table stops startup instead of the first ECG.
 */
export function loadFhirMappings(dir: string = defaultMappingsDir()): FhirMappings {
  const files: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of FHIR_MAPPING_FILES) {
    const path = join(dir, `${name}.json`);
    try {
      files[name] = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    } catch (err: unknown) {
      problems.push(`mappings/${name}.json: ${err instanceof Error ? err.message : 'unreadable'}`);
    }
  }
  if (problems.length === 0) {
    const parsed = parseFhirMappings(files);
    if (parsed.ok) return parsed.mappings;
    problems.push(...parsed.problems);
  }
  throw new GatewayError('CONFIG_INVALID', `invalid FHIR mappings: ${problems.join('; ')}`, { field: 'mappings' });
}
