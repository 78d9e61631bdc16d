import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGateway } from '../helpers/gateway-process';

test('the gateway starts on its embedded defaults and answers GET /health with 200', async (t) => {
  const gw = await startGateway();
  t.after(() => gw.stop());
  const res = await fetch(`${gw.baseUrl}/health`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string };
  assert.equal(body.status, 'ok');
});

test('an unknown path answers 404 as application/problem+json', async (t) => {
  const gw = await startGateway();
  t.after(() => gw.stop());
  const res = await fetch(`${gw.baseUrl}/no-such-thing`);
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
});
