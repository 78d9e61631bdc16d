import { InferenceSession, Tensor } from 'onnxruntime-node';
import { GatewayError } from '../errors/gateway-error';

/**
 * The only file that imports onnxruntime (style.md): session creation, metadata and run.
 * Everything else sees plain names, dtypes, shapes and Float32Arrays.
 */

/** A model input or output as the ONNX graph declares it; symbolic dimensions are strings. */
export interface TensorInfo {
  name: string;
  /** onnxruntime's type name (`float32`, `int64` …), or `non-tensor`. */
  type: string;
  /** Empty when the graph does not declare the shape. */
  shape: ReadonlyArray<number | string>;
}

export interface OutputTensor {
  data: Float32Array;
  dims: readonly number[];
}

export interface OnnxSession {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Runs one float32 input; returns every graph output that is float32. Throws INFERENCE_FAILED. */
  run(inputName: string, data: Float32Array, dims: readonly number[]): Promise<Record<string, OutputTensor>>;
  release(): Promise<void>;
}

export interface SessionOptions {
  /** onnxruntime intra-op threads (INFERENCE_THREADS). */
  intraOpThreads: number;
}

function describe(meta: InferenceSession.ValueMetadata): TensorInfo {
  return meta.isTensor ? { name: meta.name, type: meta.type, shape: meta.shape } : { name: meta.name, type: 'non-tensor', shape: [] };
}

/**
 * Opens a CPU session on the model's bytes (the same bytes whose sha256 was checked).
 * Throws MODEL_LOAD_FAILED when onnxruntime cannot load the graph.
 */
export async function openOnnxSession(modelId: string, bytes: Uint8Array, options: SessionOptions): Promise<OnnxSession> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: options.intraOpThreads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    });
  } catch (err: unknown) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : 'unknown error';
    throw new GatewayError('MODEL_LOAD_FAILED', `model ${modelId}: model.onnx: onnxruntime cannot load it (${reason})`, { field: 'model.onnx', cause: err });
  }
  const inputs = session.inputMetadata.map(describe);
  const outputs = session.outputMetadata.map(describe);
  return {
    inputs,
    outputs,
    async run(inputName, data, dims) {
      let result: InferenceSession.ReturnType;
      try {
        result = await session.run({ [inputName]: new Tensor('float32', data, dims) });
      } catch (err: unknown) {
        // Names, dtypes and shapes only, never the data (style.md, transformers.js "don't copy").
        const reason = err instanceof Error ? err.message.split('\n')[0] : 'unknown error';
        throw new GatewayError('INFERENCE_FAILED', `model ${modelId}: run on ${inputName} [${dims.join(', ')}] failed (${reason})`, { field: 'model.onnx', cause: err });
      }
      const out: Record<string, OutputTensor> = {};
      for (const [name, value] of Object.entries(result)) {
        if (value.type === 'float32' && value.data instanceof Float32Array) out[name] = { data: value.data, dims: value.dims };
      }
      return out;
    },
    release: () => session.release(),
  };
}
