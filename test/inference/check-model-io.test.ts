import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkModelIo, checkOutputDims, type DeclaredTensor } from '../../src/inference/check-model-io';
import { parseManifest } from '../../src/inference/parse-manifest';
import { readContractManifest } from './model-dir-fixture';

const manifest = parseManifest(readContractManifest('contract-vit-multitask'), 'contract-vit-multitask');
const INPUT: DeclaredTensor = { name: 'ecg', type: 'float32', shape: ['batch', 12, 5000] };
const OUTPUT: DeclaredTensor = { name: 'logits', type: 'float32', shape: ['batch', 12] };

function refusal(inputs: DeclaredTensor[], outputs: DeclaredTensor[]): string {
  try {
    checkModelIo(manifest, inputs, outputs);
  } catch (err: unknown) {
    return err instanceof Error ? `${(err as { code?: string }).code} ${(err as { field?: string }).field} | ${err.message}` : 'not an error';
  }
  return 'accepted';
}

test('accepts the contract model as declared, and a symbolic batch for -1', () => {
  assert.equal(refusal([INPUT], [OUTPUT]), 'accepted');
  assert.equal(refusal([{ ...INPUT, shape: [] }], [{ ...OUTPUT, shape: [] }]), 'accepted', 'undeclared shapes are left to the warm-up run');
});

test('refuses a wrong input name, dtype, rank, fixed batch, lead or sample count, naming the field', () => {
  assert.equal(refusal([{ ...INPUT, name: 'x' }], [OUTPUT]), `MODEL_IO_MISMATCH input.name | model contract-vit-multitask: input.name: the model's input is "x", not "ecg"`);
  assert.match(refusal([{ ...INPUT, type: 'float16' }], [OUTPUT]), /^MODEL_IO_MISMATCH input.dtype \| .*float16, not float32/);
  assert.match(refusal([{ ...INPUT, shape: ['batch', 60000] }], [OUTPUT]), /^MODEL_IO_MISMATCH input.shape \| .*rank 2/);
  assert.match(refusal([{ ...INPUT, shape: [1, 12, 5000] }], [OUTPUT]), /^MODEL_IO_MISMATCH input.shape\[0\] \| .*batch dimension is 1, the manifest says -1 \(dynamic\)/);
  assert.match(refusal([{ ...INPUT, shape: ['batch', 8, 5000] }], [OUTPUT]), /^MODEL_IO_MISMATCH input.shape\[1\] \| .*has 8 leads, the manifest says 12/);
  assert.match(refusal([{ ...INPUT, shape: ['batch', 12, 1000] }], [OUTPUT]), /^MODEL_IO_MISMATCH input.shape\[2\] \| .*has 1000 samples, the manifest says 5000/);
  assert.match(refusal([INPUT, { ...INPUT, name: 'mask' }], [OUTPUT]), /^MODEL_IO_MISMATCH input.name \| .*2 inputs \("ecg", "mask"\)/);
});

test('refuses a missing output tensor, a non-float output and an index outside the tensor', () => {
  assert.match(refusal([INPUT], [{ ...OUTPUT, name: 'probs' }]), /^MODEL_IO_MISMATCH outputs\[0\].tensor \| .*no output "logits" \(it has "probs"\)/);
  assert.match(refusal([INPUT], [{ ...OUTPUT, type: 'int64' }]), /^MODEL_IO_MISMATCH outputs\[0\].tensor \| .*int64/);
  assert.match(refusal([INPUT], [{ ...OUTPUT, shape: ['batch', 10] }]), /^MODEL_IO_MISMATCH outputs\[10\].index \| .*index 10 is outside output "logits" \(last dimension 10\)/);
});

test('the warm-up dims are checked the same way', () => {
  assert.doesNotThrow(() => checkOutputDims(manifest, { logits: [1, 12] }));
  assert.throws(() => checkOutputDims(manifest, { logits: [1, 11] }), /outputs\[11\].index: index 11 is outside output "logits" \(last dimension 11\)/);
  assert.throws(() => checkOutputDims(manifest, { logits: [1, 3, 12] }), /reads \(batch, K\) outputs/);
  assert.throws(() => checkOutputDims(manifest, {}), /returned no float32 output "logits"/);
});
