import { createHash } from 'node:crypto';
import { decodeEcg } from '../ecg/decode/decode-ecg';
import { loadConfig } from '../config/load-config';
import { GatewayError } from '../errors/gateway-error';
import { gatewayVersion } from '../fhir/gateway-version';
import { loadFhirMappings } from '../fhir/load-fhir-mappings';
import { buildEcgBundle } from '../fhir/mapping/build-ecg-bundle';
import { isKnownTimeZone } from '../fhir/mapping/fhir-datetime';
import type { PatientReferenceMode } from '../fhir/mapping/mapping-input';
import { ecgKeyFor } from '../fhir/mapping/resource-ids';
import { ModelRegistry } from '../inference/model-registry';
import { registryOptions } from '../inference/registry-options';
import { ScoringService } from '../inference/scoring-service';
import { forEachFile } from './for-each-file';
import type { CliIo } from './inspect.command';
import { parseArgs } from './parse-args';
import { readEcgFile } from './read-ecg-file';

/**
 * `bundle <file…> [--model id[,id…]] [--model-dir dir] [--patient-reference conditional-reference|conditional-create]
 * [--recorded-at ISO] [--pretty]`: decodes each file, scores it with the models of MODEL_DIR, maps
 * it offline and prints the FHIR R4 transaction Bundle the gateway would deliver — one JSON line
 * per file (indented with --pretty). Mapping warnings and refused models go to stderr; a bad
 * file is one `error` line and exit 2.
 */
export async function bundleCommand(argv: readonly string[], io: CliIo, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const { positional, options } = parseArgs(argv, ['model', 'model-dir', 'patient-reference', 'recorded-at'], ['pretty']);
  if (positional.length === 0) throw new GatewayError('CLI_USAGE', 'bundle needs at least one file', { field: 'file' });
  const config = loadConfig(env);
  const patientReference = patientReferenceOption(options['patient-reference'], config.FHIR_PATIENT_REFERENCE);
  const recordedAt = typeof options['recorded-at'] === 'string' ? instantOption(options['recorded-at']) : new Date().toISOString();
  const zone = config.FHIR_SOURCE_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isKnownTimeZone(zone)) throw new GatewayError('CONFIG_INVALID', `FHIR_SOURCE_TIMEZONE: unknown time zone "${zone}"`, { field: 'FHIR_SOURCE_TIMEZONE' });
  const wanted = typeof options['model'] === 'string' ? options['model'].split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined;
  const mappings = loadFhirMappings();
  const registry = await ModelRegistry.load(registryOptions(config, typeof options['model-dir'] === 'string' ? options['model-dir'] : undefined));
  try {
    for (const r of registry.refused) io.err(`warning ${r.code} ${r.field}: ${r.message}`);
    if (registry.models.length === 0) io.err(`warning MODEL_NOT_FOUND --model-dir: no usable model in ${registry.modelDir}; bundles hold the ECG only`);
    const service = new ScoringService(registry);
    if (wanted) service.models(wanted);
    return await forEachFile(positional, io, async (file) => {
      const input = readEcgFile(file);
      const record = decodeEcg(input);
      const models = registry.models.length > 0 || wanted ? await service.score(record, wanted) : [];
      const { bundle, warnings } = buildEcgBundle(
        {
          record,
          ecgKey: ecgKeyFor(record, { sha256: createHash('sha256').update(input.bytes).digest('hex') }),
          models,
          patientReference,
          sourceTimeZone: zone,
          gatewayVersion: gatewayVersion(),
          recordedAt,
        },
        mappings,
      );
      for (const w of warnings) io.err(`${file}: warning ${w.code} ${w.field}: ${w.message}`);
      io.out(options['pretty'] ? JSON.stringify(bundle, null, 2) : JSON.stringify(bundle));
    });
  } finally {
    await registry.close();
  }
}

function patientReferenceOption(value: string | true | undefined, fallback: PatientReferenceMode): PatientReferenceMode {
  if (value === undefined) return fallback;
  if (value === 'conditional-reference' || value === 'conditional-create') return value;
  throw new GatewayError('CLI_USAGE', '--patient-reference must be conditional-reference or conditional-create', { field: '--patient-reference' });
}

function instantOption(value: string): string {
  const t = Date.parse(value);
  if (!/T.*(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(t)) {
    throw new GatewayError('CLI_USAGE', '--recorded-at must be an ISO 8601 instant with a zone, e.g. 2024-03-05T10:00:00Z', { field: '--recorded-at' });
  }
  return new Date(t).toISOString();
}
