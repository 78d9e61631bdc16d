import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { registeredApiRoutes } from '../helpers/registered-routes';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const PARAMETER_PLACES = new Set(['query', 'header', 'path', 'cookie']);

interface Parameter {
  name?: unknown;
  in?: unknown;
  required?: unknown;
  schema?: unknown;
}
interface Operation {
  operationId?: unknown;
  parameters?: Parameter[];
  responses?: Record<string, { description?: unknown }>;
}
interface OpenApi {
  openapi?: unknown;
  info?: { title?: unknown; version?: unknown };
  paths?: Record<string, Record<string, Operation>>;
}

/** Express `:id` → OpenAPI `{id}`. */
const toTemplate = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('/docs: the OpenAPI document of a running gateway', () => {
  let gw: GatewayProcess;
  let doc: OpenApi;

  before(async () => {
    gw = await startGateway();
    const res = await fetch(`${gw.baseUrl}/docs/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    doc = (await res.json()) as OpenApi;
  });
  after(() => gw.stop());

  test('is a structurally valid OpenAPI 3 document', () => {
    assert.match(String(doc.openapi), /^3\.\d+\.\d+$/);
    assert.ok(typeof doc.info?.title === 'string' && doc.info.title !== '');
    assert.ok(typeof doc.info.version === 'string' && doc.info.version !== '');
    assert.ok(doc.paths && Object.keys(doc.paths).length > 0);
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      assert.ok(path.startsWith('/'), path);
      for (const [method, op] of Object.entries(item)) {
        assert.ok(METHODS.has(method), `${path}: ${method}`);
        assert.equal(typeof op.operationId, 'string');
        assert.ok(!operationIds.has(String(op.operationId)), `operationId ${String(op.operationId)} is unique`);
        operationIds.add(String(op.operationId));
        const responses = Object.entries(op.responses ?? {});
        assert.ok(responses.length > 0, `${method} ${path} has responses`);
        for (const [status, r] of responses) {
          assert.match(status, /^([1-5]\d\d|[1-5]XX|default)$/);
          assert.equal(typeof r.description, 'string');
        }
        for (const p of op.parameters ?? []) {
          assert.ok(typeof p.name === 'string' && PARAMETER_PLACES.has(String(p.in)) && typeof p.schema === 'object', `${method} ${path}: parameter ${JSON.stringify(p)}`);
          if (p.in === 'path') assert.equal(p.required, true, `${method} ${path}: path parameter ${String(p.name)} is required`);
        }
        // Every {name} in the template is declared as a path parameter.
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          assert.ok(op.parameters?.some((p) => p.in === 'path' && p.name === name), `${method} ${path}: {${name}} declared`);
        }
      }
    }
  });

  test('passes an OpenAPI 3 schema validator (@apidevtools/swagger-parser), and a broken copy does not', async () => {
    // validate() dereferences in place: give it copies.
    await SwaggerParser.validate(structuredClone(doc) as never);
    const broken = structuredClone(doc) as { paths: Record<string, Record<string, { responses?: unknown }>> };
    const first = Object.values(broken.paths)[0]!;
    Object.values(first)[0]!.responses = { '200': {} };
    await assert.rejects(SwaggerParser.validate(broken as never), /description/);
  });

  test('covers every /api route the gateway registered, and no /api route it did not', () => {
    const api = registeredApiRoutes(gw.logs()).map((r) => ({ ...r, method: r.method.toLowerCase() }));
    assert.ok(api.length > 0, 'the gateway logged its /api routes');
    for (const r of api) assert.ok(doc.paths?.[toTemplate(r.path)]?.[r.method], `${r.method.toUpperCase()} ${r.path} is documented`);
    const documented = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => Object.keys(item).map((method) => ({ method, path })));
    for (const d of documented.filter((x) => x.path.startsWith('/api'))) {
      assert.ok(api.some((r) => toTemplate(r.path) === d.path && r.method === d.method), `${d.method} ${d.path} is registered`);
    }
  });

  test('documents the /api/messages query parameters from the schema that validates them', () => {
    const list = doc.paths?.['/api/messages']?.['get'];
    assert.deepEqual(list?.parameters?.map((p) => p.name), ['state', 'protocol', 'since', 'until', 'limit', 'cursor']);
    assert.ok(list?.parameters?.every((p) => p.in === 'query' && p.required === false));
  });

  test('GET /docs serves a page whose assets all come from the gateway itself (no CDN)', async () => {
    const res = await fetch(`${gw.baseUrl}/docs`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.length > 0);
    for (const asset of assets) {
      assert.ok(!/^(https?:)?\/\//.test(asset), `${asset} is local`);
      const url = new URL(asset, `${gw.baseUrl}/docs`);
      assert.equal((await fetch(url)).status, 200, `${url.pathname} is served`);
    }
  });
});
