import { GatewayError } from '../errors/gateway-error';
import type { ModelManifest } from './manifest.schema';

/** A graph input/output as declared: onnxruntime's type name and shape (symbolic dims are strings). */
export interface DeclaredTensor {
  name: string;
  type: string;
  shape: ReadonlyArray<number | string>;
}

function mismatch(id: string, field: string, message: string): GatewayError {
  return new GatewayError('MODEL_IO_MISMATCH', `model ${id}: ${field}: ${message}`, { field });
}

const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** The last dimension of an output per ECG, when the graph declares it as a number. */
function classesDim(t: DeclaredTensor): number | undefined {
  const last = t.shape[t.shape.length - 1];
  return typeof last === 'number' ? last : undefined;
}

/** Indices an output reads from its tensor's last dimension. */
export function outputIndices(o: ModelManifest['outputs'][number]): number[] {
  return o.kind === 'class' ? o.classes.map((c) => c.index) : [o.index];
}

/**
 * Checks the manifest against the session's real inputs and outputs (docs/model-manifest.md,
 * "At start", step 4). Throws MODEL_IO_MISMATCH naming the manifest field.
 */
export function checkModelIo(m: ModelManifest, inputs: readonly DeclaredTensor[], outputs: readonly DeclaredTensor[]): void {
  const id = m.id;
  if (inputs.length !== 1) throw mismatch(id, 'input.name', `the model has ${inputs.length} inputs (${list(inputs.map((i) => i.name))}); the gateway feeds exactly one`);
  const input = inputs[0]!;
  if (input.name !== m.input.name) throw mismatch(id, 'input.name', `the model's input is "${input.name}", not "${m.input.name}"`);
  if (input.type !== m.input.dtype) throw mismatch(id, 'input.dtype', `the model's input is ${input.type}, not ${m.input.dtype}`);
  if (input.shape.length > 0) {
    if (input.shape.length !== 3) throw mismatch(id, 'input.shape', `the model's input has rank ${input.shape.length} [${input.shape.join(', ')}], the manifest says 3`);
    const batch = input.shape[0];
    if (typeof batch === 'number' && batch !== m.input.shape[0]) {
      throw mismatch(id, 'input.shape[0]', `the model's batch dimension is ${batch}, the manifest says ${m.input.shape[0]}${m.input.shape[0] === -1 ? ' (dynamic)' : ''}`);
    }
    for (const d of [1, 2] as const) {
      const actual = input.shape[d];
      if (typeof actual === 'number' && actual !== m.input.shape[d]) {
        const what = (m.input.layout === 'NCL') === (d === 1) ? 'leads' : 'samples';
        throw mismatch(id, `input.shape[${d}]`, `the model's input has ${actual} ${what}, the manifest says ${m.input.shape[d]}`);
      }
    }
  }
  m.outputs.forEach((o, i) => {
    const t = outputs.find((x) => x.name === o.tensor);
    if (!t) throw mismatch(id, `outputs[${i}].tensor`, `the model has no output "${o.tensor}" (it has ${list(outputs.map((x) => x.name))})`);
    if (t.type !== 'float32') throw mismatch(id, `outputs[${i}].tensor`, `output "${o.tensor}" is ${t.type}; the gateway reads float32 outputs`);
    const k = classesDim(t);
    if (k === undefined) return; // symbolic: checked on the warm-up run
    const bad = outputIndices(o).find((x) => x >= k);
    if (bad !== undefined) throw mismatch(id, `outputs[${i}].${o.kind === 'class' ? 'classes' : 'index'}`, `index ${bad} is outside output "${o.tensor}" (last dimension ${k})`);
  });
}

/** The same index check against the dims a real run returned (per ECG: all but the batch dimension). */
export function checkOutputDims(m: ModelManifest, dims: Readonly<Record<string, readonly number[]>>): void {
  m.outputs.forEach((o, i) => {
    const d = dims[o.tensor];
    if (!d) throw mismatch(m.id, `outputs[${i}].tensor`, `the warm-up run returned no float32 output "${o.tensor}"`);
    const perEcg = d.slice(1);
    const last = perEcg[perEcg.length - 1] ?? 1;
    if (perEcg.slice(0, -1).some((x) => x !== 1)) throw mismatch(m.id, `outputs[${i}].tensor`, `output "${o.tensor}" is [${d.join(', ')}]; the gateway reads (batch, K) outputs`);
    const bad = outputIndices(o).find((x) => x >= last);
    if (bad !== undefined) throw mismatch(m.id, `outputs[${i}].${o.kind === 'class' ? 'classes' : 'index'}`, `index ${bad} is outside output "${o.tensor}" (last dimension ${last})`);
  });
}
