import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { configSchema } from '../../src/config/config.schema';

// A "small" test of the deployment files: they parse, they name only variables the gateway knows,
// and ports/probes/secrets agree with the config defaults. It does not validate Kubernetes schemas.

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'deploy', 'k8s'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('deploy/k8s not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

type Doc = Record<string, any>;
const root = repoRoot();
const k8sDir = join(root, 'deploy', 'k8s');
const yamlFiles = readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f)).sort();

function docsOf(file: string): Doc[] {
  const parsed = parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8'));
  return parsed.map((d) => {
    assert.deepEqual(d.errors, [], `${file}: YAML errors`);
    return d.toJS() as Doc;
  }).filter((d) => d !== null);
}

const allDocs = yamlFiles.flatMap((f) => docsOf(f).map((doc) => ({ file: f, doc })));
const byKind = (kind: string): Doc[] => allDocs.filter((d) => d.doc.kind === kind).map((d) => d.doc);
function one(kind: string): Doc {
  const [doc] = byKind(kind);
  assert.ok(doc, `a ${kind} is defined`);
  return doc;
}
const schemaKeys = new Set(Object.keys(configSchema.shape));
const defaults = configSchema.parse({});

test('every file under deploy/k8s parses, and each document has apiVersion, kind and a name', () => {
  assert.ok(yamlFiles.length >= 5, 'manifests present');
  for (const { file, doc } of allDocs) {
    assert.equal(typeof doc.apiVersion, 'string', `${file}: apiVersion`);
    assert.equal(typeof doc.kind, 'string', `${file}: kind`);
    if (doc.kind !== 'Kustomization') assert.equal(typeof doc.metadata?.name, 'string', `${file}: metadata.name`);
  }
});

test('kustomization lists only files that exist', () => {
  const kust = one('Kustomization');
  for (const r of kust.resources as string[]) assert.ok(existsSync(join(k8sDir, r)), `resource ${r} exists`);
});

const deployment = one('Deployment');
const container = deployment.spec.template.spec.containers[0];

test('the Deployment runs 3 replicas as non-root with a read-only root filesystem and resources', () => {
  assert.equal(deployment.spec.replicas, 3);
  assert.equal(deployment.spec.template.spec.securityContext.runAsNonRoot, true);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  for (const k of ['requests', 'limits']) {
    assert.ok(container.resources[k].cpu, `${k}.cpu`);
    assert.ok(container.resources[k].memory, `${k}.memory`);
  }
  const mounts = new Set((container.volumeMounts as Doc[]).map((m) => m.mountPath));
  for (const p of ['/tmp', '/data', '/models']) assert.ok(mounts.has(p), `mount ${p}`);
});

test('every env variable set (env and the referenced ConfigMap) is a key of configSchema', () => {
  const names: string[] = (container.env ?? []).map((e: Doc) => e.name);
  for (const ref of container.envFrom ?? []) {
    const cm = byKind('ConfigMap').find((c) => c.metadata.name === ref.configMapRef?.name);
    assert.ok(cm, `ConfigMap ${ref.configMapRef?.name} defined`);
    names.push(...Object.keys(cm.data));
  }
  assert.ok(names.length > 0);
  for (const n of names) assert.ok(schemaKeys.has(n), `${n} is not in configSchema`);
  // The ConfigMap's values pass the schema too.
  const cm = one('ConfigMap');
  assert.doesNotThrow(() => configSchema.parse(cm.data));
});

test('DATABASE_URL and ADMIN_TOKEN come from a Secret, never a literal', () => {
  for (const name of ['DATABASE_URL', 'ADMIN_TOKEN']) {
    const env = (container.env as Doc[]).find((e) => e.name === name);
    assert.ok(env?.valueFrom?.secretKeyRef?.name && env.valueFrom.secretKeyRef.key, `${name} from a secretKeyRef`);
    assert.equal(env.value, undefined);
    for (const cm of byKind('ConfigMap')) assert.equal(cm.data[name], undefined);
  }
});

test('container ports match the config defaults and the Services target them', () => {
  const ports = Object.fromEntries((container.ports as Doc[]).map((p) => [p.name, p.containerPort]));
  assert.deepEqual(ports, { http: defaults.HTTP_PORT, mllp: defaults.MLLP_PORT, dicom: defaults.DICOM_PORT });
  const targets = byKind('Service').flatMap((s) => (s.spec.ports as Doc[]).map((p) => p.targetPort));
  assert.deepEqual([...new Set(targets)].sort(), ['dicom', 'http', 'mllp']);
  const np = one('NetworkPolicy');
  const inPorts = np.spec.ingress.flatMap((r: Doc) => r.ports.map((p: Doc) => p.port)).sort((a: number, b: number) => a - b);
  assert.deepEqual(inPorts, [defaults.MLLP_PORT, defaults.HTTP_PORT, defaults.DICOM_PORT].sort((a, b) => a - b));
});

test('readiness, liveness and startup probes hit /health, liveness more patient than readiness', () => {
  for (const p of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    assert.equal(container[p]?.httpGet?.path, '/health', p);
  }
  const patience = (p: Doc) => p.periodSeconds * p.failureThreshold;
  assert.ok(patience(container.livenessProbe) > patience(container.readinessProbe));
});

test('a PodDisruptionBudget selects the Deployment pods', () => {
  const pdb = one('PodDisruptionBudget');
  assert.deepEqual(pdb.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
});

test('the Dockerfile runtime stage is non-root, exposes the three ports, checks /health and serves', () => {
  const text = readFileSync(join(root, 'deploy', 'Dockerfile'), 'utf8');
  const stages = text.split(/^FROM /m).slice(1);
  assert.ok(stages.length >= 2, 'multi-stage');
  const runtime = stages[stages.length - 1] ?? '';
  const user = /^USER\s+(\S+)/m.exec(runtime);
  assert.ok(user && user[1] !== 'root' && user[1] !== '0', 'non-root USER');
  const expose = (/^EXPOSE\s+(.+)$/m.exec(runtime)?.[1] ?? '').trim().split(/\s+/).map(Number).sort((a, b) => a - b);
  assert.deepEqual(expose, [defaults.MLLP_PORT, defaults.HTTP_PORT, defaults.DICOM_PORT].sort((a, b) => a - b));
  assert.match(runtime, /^HEALTHCHECK[\s\S]*\/health/m);
  assert.match(runtime, /^CMD \["node", ?"dist\/cli\/main\.js", ?"serve"\]/m);
  for (const env of runtime.matchAll(/^\s+([A-Z_]+)=/gm)) {
    const name = env[1] ?? '';
    if (name !== 'NODE_ENV') assert.ok(schemaKeys.has(name), `Dockerfile ENV ${name} in configSchema`);
  }
  assert.ok(existsSync(join(root, '.dockerignore')));
  // The build stage has what `npm run build` reads: the console bundler script and the code tables.
  const build = stages[0] ?? '';
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(build, /RUN npm run build/);
  for (const script of pkg.scripts['build']?.match(/scripts\/[\w.-]+/g) ?? []) assert.match(build, /^COPY scripts /m, `build stage copies ${script}`);
  for (const dir of ['src', 'mappings']) assert.match(build, new RegExp(`^COPY ${dir} `, 'm'), `build stage copies ${dir}/`);
});
