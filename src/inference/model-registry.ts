import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from '../ecg/quality/quality-thresholds';
import type { ErrorCode } from '../errors/error-codes';
import { GatewayError, toGatewayError } from '../errors/gateway-error';
import { checkModelIo } from './check-model-io';
import { createLoadedModel, type LoadedModel } from './loaded-model';
import { parseManifest } from './parse-manifest';
import { openOnnxSession, type OnnxSession } from './onnx-session';

export interface RegistryOptions {
  modelDir: string;
  /** INFERENCE_THREADS. */
  intraOpThreads: number;
  /** INFERENCE_MAX_BATCH / INFERENCE_MAX_WAIT_MS. */
  maxBatch: number;
  maxWaitMs: number;
  qualityThresholds?: QualityThresholds;
}

/** A model folder that failed a check at start, kept with its reason for the console and /health. */
export interface RefusedModel {
  id: string;
  code: ErrorCode;
  field: string;
  /** One line: `model <id>: <field>: <rule>`. */
  message: string;
}

/** The minimal logging the registry needs (pino's Logger satisfies it). */
export type RegistryLogger = Pick<Logger, 'info' | 'warn'>;

/**
 * Every model in MODEL_DIR, loaded and checked at start (docs/model-manifest.md, "At start"):
 * manifest, sha256, session input/output names, dtypes and shapes, warm-up. A model that fails
 * is refused with one line naming the model and the field; the others load regardless.
 */
export class ModelRegistry {
  private constructor(
    readonly modelDir: string,
    readonly models: readonly LoadedModel[],
    readonly refused: readonly RefusedModel[],
  ) {}

  static async load(options: RegistryOptions, logger?: RegistryLogger): Promise<ModelRegistry> {
    const log = logger ?? { info: () => undefined, warn: () => undefined };
    const dir = options.modelDir;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      log.warn({ module: 'inference', modelDir: dir }, 'MODEL_DIR does not exist; no model is loaded');
      return new ModelRegistry(dir, [], []);
    }
    const folders = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    const models: LoadedModel[] = [];
    const refused: RefusedModel[] = [];
    for (const id of folders) {
      const started = performance.now();
      try {
        const model = await loadOne(join(dir, id), id, options);
        models.push(model);
        const m = model.manifest;
        log.info({ module: 'inference', modelId: id, version: m.version, sha256: m.sha256, purpose: m.purpose, clinicallyValidated: m.clinicallyValidated, maxBatch: model.maxBatch, loadMs: Math.round(performance.now() - started) }, 'model loaded');
        if (m.purpose === 'contract-test') log.warn({ module: 'inference', modelId: id }, 'contract-test model loaded: random weights, its outputs are meaningless');
      } catch (err: unknown) {
        const e = toGatewayError(err);
        const message = e.message.startsWith(`model ${id}:`) ? e.message : `model ${id}: ${e.field ?? '-'}: ${e.message}`;
        refused.push({ id, code: e.code, field: e.field ?? '-', message });
        log.warn({ module: 'inference', modelId: id, errorCode: e.code, errorField: e.field }, message);
      }
    }
    return new ModelRegistry(dir, models, refused);
  }

  get(id: string): LoadedModel | undefined {
    return this.models.find((m) => m.manifest.id === id);
  }

  async close(): Promise<void> {
    await Promise.all(this.models.map((m) => m.release()));
  }
}

function readJson(path: string, id: string): unknown {
  if (!existsSync(path)) throw new GatewayError('MODEL_MANIFEST_INVALID', `model ${id}: manifest.json: missing`, { field: 'manifest.json' });
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err: unknown) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new GatewayError('MODEL_MANIFEST_INVALID', `model ${id}: manifest.json: not valid JSON (${err.message})`, { field: 'manifest.json', cause: err });
  }
}

async function loadOne(folder: string, id: string, options: RegistryOptions): Promise<LoadedModel> {
  const manifest = parseManifest(readJson(join(folder, 'manifest.json'), id), id);
  const onnxPath = join(folder, 'model.onnx');
  if (!existsSync(onnxPath)) throw new GatewayError('MODEL_LOAD_FAILED', `model ${id}: model.onnx: missing`, { field: 'model.onnx' });
  const bytes = readFileSync(onnxPath);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== manifest.sha256) {
    throw new GatewayError('MODEL_CHECKSUM_MISMATCH', `model ${id}: sha256: model.onnx has sha256 ${actual}, the manifest says ${manifest.sha256}`, { field: 'sha256' });
  }
  const session: OnnxSession = await openOnnxSession(id, bytes, { intraOpThreads: options.intraOpThreads });
  try {
    checkModelIo(manifest, session.inputs, session.outputs);
    return await createLoadedModel(manifest, session, { maxBatch: options.maxBatch, maxWaitMs: options.maxWaitMs }, options.qualityThresholds ?? DEFAULT_QUALITY_THRESHOLDS);
  } catch (err: unknown) {
    await session.release();
    throw err;
  }
}
