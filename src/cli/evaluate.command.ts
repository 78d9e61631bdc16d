import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config';
import { decodeEcg } from '../ecg/decode/decode-ecg';
import { GatewayError } from '../errors/gateway-error';
import { evaluateOutputs, type EvaluatedRecord } from '../evaluation/evaluate-outputs';
import { formatEvaluation, type PublishedStrata } from '../evaluation/format-evaluation';
import { parseCsv } from '../evaluation/parse-csv';
import { diagnosticClasses, ptbxlLabels } from '../evaluation/ptbxl-labels';
import { ModelRegistry } from '../inference/model-registry';
import { registryOptions } from '../inference/registry-options';
import { ScoringService } from '../inference/scoring-service';
import { cliErrorLine } from './cli-error-line';
import type { CliIo } from './inspect.command';
import { parseArgs } from './parse-args';
import { readEcgFile } from './read-ecg-file';

const USAGE = 'evaluate --model id --data dir [--model-dir dir] [--folds 10] [--bootstrap 1000] [--seed 1] [--limit N] [--json]';

/** Records decoded ahead of the batcher: enough to fill several batches, few enough to keep memory flat. */
const IN_FLIGHT = 128;

interface Options {
  model: string;
  data: string;
  modelDir: string | undefined;
  folds: Set<number>;
  resamples: number;
  seed: number;
  limit: number;
  json: boolean;
}

function wholeNumber(raw: string | true | undefined, name: string, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw === true || !Number.isInteger(n) || n < min) throw new GatewayError('CLI_USAGE', `--${name} takes a whole number of at least ${min}`, { field: `--${name}` });
  return n;
}

function parseOptions(argv: readonly string[]): Options {
  const { positional, options } = parseArgs(argv, ['model', 'data', 'model-dir', 'folds', 'bootstrap', 'seed', 'limit'], ['json']);
  if (positional.length > 0) throw new GatewayError('CLI_USAGE', `unexpected argument "${positional[0]}"; usage: ${USAGE}`, { field: 'argument' });
  const model = options['model'];
  const data = options['data'];
  if (typeof model !== 'string' || model === '') throw new GatewayError('CLI_USAGE', `--model is required; usage: ${USAGE}`, { field: '--model' });
  if (typeof data !== 'string' || data === '') throw new GatewayError('CLI_USAGE', `--data is required; usage: ${USAGE}`, { field: '--data' });
  const foldsRaw = options['folds'] ?? '10';
  const folds = new Set(String(foldsRaw).split(',').map((s) => Number(s.trim())));
  if (foldsRaw === true || [...folds].some((f) => !Number.isInteger(f) || f < 1)) throw new GatewayError('CLI_USAGE', '--folds takes fold numbers separated by commas', { field: '--folds' });
  const modelDir = options['model-dir'];
  return {
    model,
    data,
    modelDir: typeof modelDir === 'string' ? modelDir : undefined,
    folds,
    resamples: wholeNumber(options['bootstrap'], 'bootstrap', 1000, 1),
    seed: wholeNumber(options['seed'], 'seed', 1, 0),
    limit: wholeNumber(options['limit'], 'limit', Number.MAX_SAFE_INTEGER, 1),
    json: options['json'] === true,
  };
}

function readCsv(dir: string, name: string): Array<Record<string, string>> {
  const path = join(dir, name);
  if (!existsSync(path)) throw new GatewayError('FILE_UNREADABLE', `${name} not found in the --data folder`, { field: '--data' });
  try {
    return parseCsv(readFileSync(path, 'utf8'));
  } catch (err: unknown) {
    if (!(err instanceof RangeError)) throw err;
    throw new GatewayError('FILE_UNREADABLE', `${name}: ${err.message}`, { field: '--data', cause: err });
  }
}

/** The fold-10 stratum counts the manifest's metadata publishes (the reference model's export writes them). */
function publishedStrata(metadata: Readonly<Record<string, unknown>> | undefined): PublishedStrata {
  const out: Record<string, { low: number; intermediate: number; high: number }> = {};
  const thresholds = metadata?.['thresholds'];
  if (typeof thresholds !== 'object' || thresholds === null) return out;
  for (const [key, t] of Object.entries(thresholds)) {
    const s: unknown = typeof t === 'object' && t !== null ? (t as Record<string, unknown>)['fold10_strata'] : undefined;
    if (typeof s !== 'object' || s === null) continue;
    const { low, intermediate, high } = s as Record<string, unknown>;
    if (typeof low === 'number' && typeof intermediate === 'number' && typeof high === 'number') out[key] = { low, intermediate, high };
  }
  return out;
}

/**
 * `evaluate --model id --data dir`: every record of the chosen PTB-XL folds found on disk is
 * decoded (decodeEcg, as `score` reads files), scored through the registry's preprocessing,
 * quality gate and micro-batched inference, and compared with its labels (the training code's
 * rule). Prints per output AUROC or MAE with a bootstrap 95% CI beside the manifest's figure,
 * and the stratum counts. Progress goes to stderr. Bad arguments are exit 2 with one line.
 */
export async function evaluateCommand(argv: readonly string[], io: CliIo, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const o = parseOptions(argv);
  if (!existsSync(o.data) || !statSync(o.data).isDirectory()) throw new GatewayError('FILE_UNREADABLE', 'the --data folder does not exist', { field: '--data' });
  const database = readCsv(o.data, 'ptbxl_database.csv');
  const diagnostic = diagnosticClasses(readCsv(o.data, 'scp_statements.csv'));
  const rows = database
    .filter((r) => o.folds.has(Number(r['strat_fold'])) && existsSync(join(o.data, `${r['filename_lr'] ?? ''}.hea`)))
    .slice(0, o.limit);
  if (rows.length === 0) throw new GatewayError('FILE_UNREADABLE', `no record of fold ${[...o.folds].join(',')} found under the --data folder`, { field: '--data' });

  const registry = await ModelRegistry.load(registryOptions(loadConfig(env), o.modelDir));
  try {
    const service = new ScoringService(registry);
    const [model] = service.models([o.model]); // MODEL_NOT_FOUND (exit 2) before any record
    const manifest = model!.manifest;
    const started = performance.now();
    const evaluated: EvaluatedRecord[] = [];
    let failed = 0;
    for (let start = 0; start < rows.length; start += IN_FLIGHT) {
      const chunk = rows.slice(start, start + IN_FLIGHT);
      const pending = chunk.map(async (row) => {
        const rel = row['filename_lr'] ?? '';
        try {
          const labels = ptbxlLabels(row, diagnostic);
          const record = decodeEcg(readEcgFile(join(o.data, `${rel}.hea`)));
          const [result] = await service.score(record, [o.model]);
          return { result: result!, labels };
        } catch (err: unknown) {
          io.err(cliErrorLine(err, rel));
          failed++;
          return undefined;
        }
      });
      for (const r of await Promise.all(pending)) if (r) evaluated.push(r);
      const done = Math.min(start + IN_FLIGHT, rows.length);
      const s = (performance.now() - started) / 1000;
      io.err(`progress ${done}/${rows.length} records, ${s.toFixed(1)} s, ${(done / s).toFixed(0)} records/s`);
    }
    const results = evaluateOutputs(manifest.outputs, evaluated, { resamples: o.resamples, seed: o.seed });
    const indeterminateReasons: Record<string, number> = {};
    for (const e of evaluated) if (e.result.status === 'indeterminate') indeterminateReasons[e.result.reason.code] = (indeterminateReasons[e.result.reason.code] ?? 0) + 1;
    const indeterminate = Object.values(indeterminateReasons).reduce((a, b) => a + b, 0);
    const heading = {
      id: manifest.id,
      version: manifest.version,
      sha256: manifest.sha256,
      dataset: `PTB-XL fold ${[...o.folds].join(',')} (${o.data})`,
      records: rows.length,
      scored: evaluated.length - indeterminate,
      indeterminate,
      resamples: o.resamples,
      seed: o.seed,
      indeterminateReasons,
    };
    const strata = publishedStrata(manifest.metadata);
    if (o.json) io.out(JSON.stringify({ ...heading, failed, outputs: results.map((r) => ({ ...r, publishedStrata: strata[r.key] })) }));
    else io.out(formatEvaluation(heading, results, strata));
    if (failed > 0) io.err(`warning ${failed} records could not be decoded or scored (lines above); they are left out`);
    return 0;
  } finally {
    await registry.close();
  }
}
