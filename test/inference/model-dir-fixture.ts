import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

export const CONTRACT_MODELS = ['contract-vit-multitask', 'contract-ecgfounder-cad'] as const;
export type ContractModel = (typeof CONTRACT_MODELS)[number];

export const TEST_MODELS_DIR = join(REPO_ROOT, 'test-models');

/** A manifest as plain JSON, for tests that break it on purpose. */
export type JsonManifest = Record<string, unknown> & { input: Record<string, unknown> & { filters: Array<Record<string, unknown>>; shape: number[] }; outputs: Array<Record<string, unknown>> };

export function readContractManifest(model: ContractModel): JsonManifest {
  return JSON.parse(readFileSync(join(TEST_MODELS_DIR, model, 'manifest.json'), 'utf8')) as JsonManifest;
}

export interface ModelEntry {
  /** Which contract model to copy. */
  from: ContractModel;
  /** Folder name (and manifest id) in the temp MODEL_DIR; defaults to `from`. */
  id?: string;
  /** Edits the manifest before it is written. */
  mutate?: (m: JsonManifest) => void;
  /** Replaces model.onnx with these bytes. */
  onnx?: Uint8Array;
}

/** A temporary MODEL_DIR holding copies of contract models, each possibly broken on purpose. */
export function makeModelDir(entries: readonly ModelEntry[]): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-models-'));
  for (const e of entries) {
    const id = e.id ?? e.from;
    const folder = join(dir, id);
    mkdirSync(folder);
    cpSync(join(TEST_MODELS_DIR, e.from, 'model.onnx'), join(folder, 'model.onnx'));
    if (e.onnx) writeFileSync(join(folder, 'model.onnx'), e.onnx);
    const m = readContractManifest(e.from);
    m['id'] = id;
    e.mutate?.(m);
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify(m, null, 2));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
