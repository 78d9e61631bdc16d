import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/paths';

// The manifests as Kubernetes would receive them: rendered by kustomize (`kubectl kustomize`, no
// cluster needed), then each object validated against the Kubernetes OpenAPI schema shipped in
// kubernetes-models (its JSON schemas per apiVersion/kind, checked with ajv). No API server is
// reachable here, so admission (quotas, policies, defaulting) is not exercised.

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const noKubectl = kubectl.error ? 'kubectl is not installed (it renders the kustomization)' : false;

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** kubernetes-models lays out one module per group/version/kind: `apps/v1/Deployment`. */
function modelFor(apiVersion: string, kind: string): ModelClass {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  const mod = require(path) as Record<string, ModelClass>;
  const cls = mod[kind];
  assert.ok(cls, `kubernetes-models has ${apiVersion} ${kind}`);
  return cls;
}

test('deploy/k8s renders with kustomize and every object validates against the Kubernetes schema', { skip: noKubectl }, () => {
  const rendered = spawnSync('kubectl', ['kustomize', join(REPO_ROOT, 'deploy', 'k8s')], { encoding: 'utf8' });
  assert.equal(rendered.status, 0, `kubectl kustomize failed: ${rendered.stderr}`);
  const docs = parseAllDocuments(rendered.stdout).map((d) => {
    assert.deepEqual(d.errors, []);
    return d.toJS() as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
  });
  const kinds = docs.map((d) => d.kind).sort();
  for (const k of ['ConfigMap', 'Deployment', 'Namespace', 'NetworkPolicy', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service']) {
    assert.ok(kinds.includes(k), `rendered output has a ${k}`);
  }
  for (const doc of docs) {
    const Model = modelFor(doc.apiVersion, doc.kind);
    assert.doesNotThrow(() => new Model(doc).validate(), `${doc.kind}/${doc.metadata.name} is valid`);
    if (doc.kind !== 'Namespace') assert.equal(doc.metadata.namespace, 'ecg-gateway', `${doc.kind}/${doc.metadata.name} is namespaced by the kustomization`);
  }
});

test('the schema check is not vacuous: a broken Deployment is refused', { skip: noKubectl }, () => {
  const Deployment = modelFor('apps/v1', 'Deployment');
  const broken = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'gw', ports: [{ containerPort: 'http' }] }] } } } };
  assert.throws(() => new Deployment(broken).validate(), /containerPort/);
});
