import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { REPO_ROOT } from '../helpers/paths';

test('every output of every bundled and contract model has its coding in mappings/model-outputs.json', () => {
  const outputs = loadFhirMappings()['model-outputs'].outputs;
  const manifests = ['models', 'test-models']
    .map((d) => join(REPO_ROOT, d))
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d).map((m) => join(d, m, 'manifest.json')))
    .filter((f) => existsSync(f));
  assert.ok(manifests.length > 0);
  for (const file of manifests) {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { id: string; outputs: Array<{ key: string; coding: string }> };
    for (const o of manifest.outputs) assert.ok(outputs[o.coding], `${manifest.id} output ${o.key}: coding "${o.coding}" is not in mappings/model-outputs.json`);
  }
});
