import { decodeEcg } from '../ecg/decode/decode-ecg';
import { loadConfig } from '../config/load-config';
import { GatewayError } from '../errors/gateway-error';
import { ModelRegistry } from '../inference/model-registry';
import { registryOptions } from '../inference/registry-options';
import { ScoringService } from '../inference/scoring-service';
import { forEachFile } from './for-each-file';
import type { CliIo } from './inspect.command';
import { parseArgs } from './parse-args';
import { readEcgFile } from './read-ecg-file';

/**
 * `score <file…> [--model id[,id…]] [--model-dir dir]`: decodes each file, runs the models of
 * MODEL_DIR (or --model-dir) and prints one JSON line per file: the record's rate, leads and
 * derived leads, then per model its identity and each output's probability/value, stratum and
 * thresholds, or the indeterminate reason. A refused model is a `warning` line on stderr; a bad
 * file is one `error` line and exit 2 (as `inspect`); an unknown --model is exit 2.
 */
export async function scoreCommand(argv: readonly string[], io: CliIo, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const { positional, options } = parseArgs(argv, ['model', 'model-dir']);
  if (positional.length === 0) throw new GatewayError('CLI_USAGE', 'score needs at least one file', { field: 'file' });
  const modelOption = options['model'];
  const modelDirOption = options['model-dir'];
  const wanted = typeof modelOption === 'string' ? modelOption.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined;
  const config = loadConfig(env);
  const registry = await ModelRegistry.load(registryOptions(config, typeof modelDirOption === 'string' ? modelDirOption : undefined));
  try {
    for (const r of registry.refused) io.err(`warning ${r.code} ${r.field}: ${r.message}`);
    if (registry.models.length === 0) {
      throw new GatewayError('MODEL_NOT_FOUND', `no usable model in ${registry.modelDir}`, { field: '--model-dir' });
    }
    const service = new ScoringService(registry);
    service.models(wanted); // an unknown or refused --model stops here, before any file
    return await forEachFile(positional, io, async (file) => {
      const record = decodeEcg(readEcgFile(file));
      const results = await service.score(record, wanted);
      io.out(JSON.stringify({ file, format: record.format, sampleRateHz: record.sampleRateHz, durationS: record.samplesPerLead / record.sampleRateHz, leads: Object.keys(record.leads), derivedLeads: record.derivedLeads, results }));
    });
  } finally {
    await registry.close();
  }
}
