#!/usr/bin/env python3
"""Generates the two contract-test ONNX models and their manifests in test-models/.

They have the exact input/output contracts of the two model kinds the gateway must run
(issue #5) and random weights from a fixed seed: their outputs mean nothing. They live outside
models/ so they are never installed as a clinical or reference model.

    /usr/bin/python3 scripts/generate-contract-models.py   # Debian python3-onnx, python3-numpy

Re-running it rewrites byte-identical files (fixed seeds, no timestamps).
"""
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test-models')
OPSET = 17
LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']
COMMON = {
    'schemaVersion': 1,
    'purpose': 'contract-test',
    'intendedUse': 'testing the gateway model runtime only; random weights, outputs are meaningless',
    'clinicallyValidated': False,
    'license': 'UNLICENSED (generated test artefact)',
    'citation': [],
}


def init(rng, name, shape, scale):
    return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)


def const(name, values, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(values, dtype=dtype), name)


def save(model_id, graph, manifest):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', OPSET)], producer_name='ecg-gateway contract models')
    model.ir_version = 8
    onnx.checker.check_model(model)
    folder = os.path.join(ROOT, model_id)
    os.makedirs(folder, exist_ok=True)
    data = model.SerializeToString()
    with open(os.path.join(folder, 'model.onnx'), 'wb') as f:
        f.write(data)
    manifest = {**COMMON, 'id': model_id, **manifest, 'sha256': hashlib.sha256(data).hexdigest()}
    order = ['schemaVersion', 'id', 'name', 'version', 'sha256', 'purpose', 'intendedUse', 'clinicallyValidated',
             'description', 'license', 'citation', 'metadata', 'input', 'outputs']
    with open(os.path.join(folder, 'manifest.json'), 'w') as f:
        json.dump({k: manifest[k] for k in order if k in manifest}, f, indent=2)
        f.write('\n')
    print(f'{model_id}: {len(data)} bytes, sha256 {manifest["sha256"]}')


def vit_multitask():
    """ViT-kind: (N, 12, 5000) mV → patch tokens (12 leads × 50 patches of 0.2 s) → one
    self-attention block + MLP → mean pool → 12 logits (sigmoid in the manifest)."""
    rng = np.random.default_rng(20240501)
    d, tokens, patch = 32, 12 * 50, 100
    inits = [
        const('tok_shape', [0, tokens, patch], np.int64),
        init(rng, 'w_embed', (patch, d), 1.0 / np.sqrt(patch) * 4.0),  # mV inputs are small
        init(rng, 'b_embed', (d,), 0.1),
        init(rng, 'pos', (tokens, d), 0.5),
        const('ln1_g', np.ones(d)), const('ln1_b', np.zeros(d)),
        init(rng, 'wq', (d, d), 1 / np.sqrt(d)), init(rng, 'wk', (d, d), 1 / np.sqrt(d)),
        init(rng, 'wv', (d, d), 1 / np.sqrt(d)), init(rng, 'wo', (d, d), 1 / np.sqrt(d)),
        const('attn_scale', [1 / np.sqrt(d)]),
        const('ln2_g', np.ones(d)), const('ln2_b', np.zeros(d)),
        init(rng, 'w1', (d, 2 * d), 1 / np.sqrt(d)), init(rng, 'b1', (2 * d,), 0.1),
        init(rng, 'w2', (2 * d, d), 1 / np.sqrt(2 * d)),
        const('ln3_g', np.ones(d)), const('ln3_b', np.zeros(d)),
        init(rng, 'w_head', (d, 12), 1 / np.sqrt(d)), init(rng, 'b_head', (12,), 0.2),
    ]
    n = helper.make_node
    nodes = [
        n('Reshape', ['ecg', 'tok_shape'], ['patches']),
        n('MatMul', ['patches', 'w_embed'], ['emb0']),
        n('Add', ['emb0', 'b_embed'], ['emb1']),
        n('Add', ['emb1', 'pos'], ['x0']),
        n('LayerNormalization', ['x0', 'ln1_g', 'ln1_b'], ['h1'], axis=-1),
        n('MatMul', ['h1', 'wq'], ['q']), n('MatMul', ['h1', 'wk'], ['k']), n('MatMul', ['h1', 'wv'], ['v']),
        n('Transpose', ['k'], ['kt'], perm=[0, 2, 1]),
        n('MatMul', ['q', 'kt'], ['s0']),
        n('Mul', ['s0', 'attn_scale'], ['s1']),
        n('Softmax', ['s1'], ['att'], axis=-1),
        n('MatMul', ['att', 'v'], ['ctx']),
        n('MatMul', ['ctx', 'wo'], ['proj']),
        n('Add', ['x0', 'proj'], ['x1']),
        n('LayerNormalization', ['x1', 'ln2_g', 'ln2_b'], ['h2'], axis=-1),
        n('MatMul', ['h2', 'w1'], ['m0']), n('Add', ['m0', 'b1'], ['m1']), n('Relu', ['m1'], ['m2']),
        n('MatMul', ['m2', 'w2'], ['m3']),
        n('Add', ['x1', 'm3'], ['x2']),
        n('ReduceMean', ['x2'], ['pooled'], axes=[1], keepdims=0),
        n('LayerNormalization', ['pooled', 'ln3_g', 'ln3_b'], ['h3'], axis=-1),
        n('MatMul', ['h3', 'w_head'], ['l0']),
        n('Add', ['l0', 'b_head'], ['logits']),
    ]
    graph = helper.make_graph(
        nodes, 'contract_vit_multitask',
        [helper.make_tensor_value_info('ecg', TensorProto.FLOAT, ['batch', 12, 5000])],
        [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['batch', 12])],
        inits,
    )
    tasks = [
        ('mfr_lt_2', 'P(myocardial flow reserve < 2)'),
        ('lvef_lt_35', 'P(LVEF < 35 %)'),
        ('lvef_lt_40', 'P(LVEF < 40 %)'),
        ('lvef_lt_50', 'P(LVEF < 50 %)'),
        ('af', 'P(atrial fibrillation)'),
        ('lvh', 'P(left ventricular hypertrophy)'),
        ('hcm', 'P(hypertrophic cardiomyopathy)'),
        ('amyloid', 'P(cardiac amyloidosis)'),
        ('aortic_stenosis', 'P(moderate or severe aortic stenosis)'),
        ('mitral_regurgitation', 'P(moderate or severe mitral regurgitation)'),
        ('pulmonary_hypertension', 'P(pulmonary hypertension)'),
        ('male_sex', 'P(male sex)'),
    ]
    outputs = []
    for i, (key, meaning) in enumerate(tasks):
        o = {'key': key, 'tensor': 'logits', 'index': i, 'meaning': meaning, 'kind': 'probability',
             'activation': 'sigmoid', 'coding': 'model-output/' + key.replace('_', '-')}
        if key == 'mfr_lt_2':
            o['calibration'] = {'type': 'isotonic', 'x': [0, 0.2, 0.5, 0.8, 1], 'y': [0, 0.1, 0.45, 0.85, 1]}
            o['strata'] = {'sensitivityThreshold': {'value': 0.3, 'sensitivity': 0.9},
                           'specificityThreshold': {'value': 0.7, 'specificity': 0.9}}
        if key == 'lvef_lt_35':
            o['calibration'] = {'type': 'platt', 'a': 1.1, 'b': -0.2}
            o['strata'] = {'sensitivityThreshold': {'value': 0.25, 'sensitivity': 0.9},
                           'specificityThreshold': {'value': 0.6, 'specificity': 0.9}}
        outputs.append(o)
    save('contract-vit-multitask', graph, {
        'name': 'Contract test: ViT-kind multitask ECG model',
        'version': '1.0.0',
        'description': 'Vision-transformer-shaped graph (patch tokens, one attention block) with random fixed-seed '
                       'weights and the I/O contract of a 12-lead × 10 s × 500 Hz multitask foundation model.',
        'metadata': {'generator': 'scripts/generate-contract-models.py', 'seed': 20240501,
                     'note': 'strata thresholds and calibrations are placeholders that exercise the runtime'},
        'input': {
            'name': 'ecg', 'dtype': 'float32', 'layout': 'NCL', 'shape': [-1, 12, 5000], 'leads': LEADS,
            'sampleRateHz': 500, 'durationS': 10,
            'cropPad': {'crop': 'center', 'pad': 'zero', 'minDurationS': 8},
            'units': 'mV',
            'filters': [{'type': 'highpass', 'cutoffHz': 0.5, 'order': 2}, {'type': 'lowpass', 'cutoffHz': 100, 'order': 4}],
            'normalization': {'type': 'none'},
        },
        'outputs': outputs,
    })


def ecgfounder_cad():
    """ECGFounder-kind: (N, 12, 5000) z-scored, lead order I … V6 → three strided 1-D
    convolutions → global average pool → 4 sigmoid vessel probabilities."""
    rng = np.random.default_rng(20240502)
    inits = [
        init(rng, 'c1_w', (16, 12, 15), 1 / np.sqrt(12 * 15) * 2), init(rng, 'c1_b', (16,), 0.05),
        init(rng, 'c2_w', (32, 16, 9), 1 / np.sqrt(16 * 9) * 2), init(rng, 'c2_b', (32,), 0.05),
        init(rng, 'c3_w', (32, 32, 9), 1 / np.sqrt(32 * 9) * 2), init(rng, 'c3_b', (32,), 0.05),
        init(rng, 'fc_w', (4, 32), 1 / np.sqrt(32) * 0.5), init(rng, 'fc_b', (4,), 0.1),
    ]
    n = helper.make_node
    nodes = [
        n('Conv', ['signal', 'c1_w', 'c1_b'], ['a1'], kernel_shape=[15], strides=[5], pads=[7, 7]),
        n('Relu', ['a1'], ['r1']),
        n('Conv', ['r1', 'c2_w', 'c2_b'], ['a2'], kernel_shape=[9], strides=[4], pads=[4, 4]),
        n('Relu', ['a2'], ['r2']),
        n('Conv', ['r2', 'c3_w', 'c3_b'], ['a3'], kernel_shape=[9], strides=[4], pads=[4, 4]),
        n('Relu', ['a3'], ['r3']),
        n('GlobalAveragePool', ['r3'], ['gap']),
        n('Flatten', ['gap'], ['feat'], axis=1),
        n('Gemm', ['feat', 'fc_w', 'fc_b'], ['z'], transB=1),
        n('Sigmoid', ['z'], ['vessel_probabilities']),
    ]
    graph = helper.make_graph(
        nodes, 'contract_ecgfounder_cad',
        [helper.make_tensor_value_info('signal', TensorProto.FLOAT, ['batch', 12, 5000])],
        [helper.make_tensor_value_info('vessel_probabilities', TensorProto.FLOAT, ['batch', 4])],
        inits,
    )
    # Placeholder thresholds, set around this random network's outputs on the fixtures so that
    # all three strata occur in tests; they were not chosen on any data.
    vessels = [('rca', 'RCA', 0.7, 0.78), ('lm', 'LM', 0.5, 0.54), ('lad', 'LAD', 0.3, 0.4), ('lcx', 'LCx', 0.6, 0.7)]
    outputs = [{
        'key': f'stenosis_{key}', 'tensor': 'vessel_probabilities', 'index': i,
        'meaning': f'P(significant stenosis of the {name})', 'kind': 'probability', 'activation': 'none',
        'strata': {'sensitivityThreshold': {'value': lo, 'sensitivity': 0.9},
                   'specificityThreshold': {'value': hi, 'specificity': 0.9}},
        'coding': f'model-output/stenosis-{key}',
    } for i, (key, name, lo, hi) in enumerate(vessels)]
    save('contract-ecgfounder-cad', graph, {
        'name': 'Contract test: ECGFounder-kind coronary stenosis model',
        'version': '1.0.0',
        'description': '1-D CNN with random fixed-seed weights and the I/O contract of a fine-tuned ECGFounder model: '
                       '(12, 5000) in lead order I, II, III, aVR, aVL, aVF, V1-V6, filtered and z-scored per lead, '
                       'four vessel probabilities with sensitivity/specificity strata.',
        'metadata': {'generator': 'scripts/generate-contract-models.py', 'seed': 20240502,
                     'note': 'strata thresholds are placeholders that exercise the runtime'},
        'input': {
            'name': 'signal', 'dtype': 'float32', 'layout': 'NCL', 'shape': [-1, 12, 5000], 'leads': LEADS,
            'sampleRateHz': 500, 'durationS': 10,
            'cropPad': {'crop': 'start', 'pad': 'zero'},
            'units': 'mV',
            'filters': [
                {'type': 'highpass', 'cutoffHz': 0.67, 'order': 2},
                {'type': 'lowpass', 'cutoffHz': 40, 'order': 4},
                {'type': 'notch', 'frequencyHz': 50, 'qualityFactor': 30},
            ],
            'normalization': {'type': 'zscore-per-lead', 'epsilon': 1e-6},
        },
        'outputs': outputs,
    })


if __name__ == '__main__':
    vit_multitask()
    ecgfounder_cad()
