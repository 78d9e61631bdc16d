import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MllpSender } from '../../src/cli/mllp-sender';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { hl7Fixture, withControlId } from '../helpers/hl7-messages';
import { allMessages, getMessage, reachedDecoded, waitForPipeline } from '../helpers/messages-api';
import { fixture } from '../helpers/paths';

async function problem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body['code'], code);
  return body;
}

describe('/api/messages on a running gateway', () => {
  let gw: GatewayProcess;
  const good = withControlId(hl7Fixture(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7')), 'API-GOOD');
  const bad = hl7Fixture(fixture('hl7', 'ecg', 'bad', 'oru_missing_patient_id.hl7'));
  let t0: Date;

  before(async () => {
    gw = await startGateway();
    t0 = new Date();
    const mllp = await MllpSender.connect('127.0.0.1', gw.mllpPort);
    try {
      assert.equal((await mllp.send(good)).code, 'AA');
      assert.equal((await mllp.send(bad)).code, 'AE');
      for (let i = 0; i < 5; i++) assert.equal((await mllp.send(withControlId(good, `API-PAGE-${i}`))).code, 'AA');
    } finally {
      await mllp.close();
    }
    await waitForPipeline(gw.baseUrl, 60_000, gw.logs);
  });
  after(() => gw.stop());

  test('lists newest first, filters by state, protocol and time, and pages with a cursor', async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await fetch(`${gw.baseUrl}/api/messages?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { headers: gw.authHeaders() });
      assert.equal(res.status, 200);
      const page = (await res.json()) as { items: Array<{ id: string; sourceId: string; summary?: unknown }>; nextCursor?: string };
      assert.ok(page.items.every((m) => m.summary === undefined), 'the list carries no decoded summary');
      ids.push(...page.items.map((m) => m.sourceId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.deepEqual(ids, ['API-PAGE-4', 'API-PAGE-3', 'API-PAGE-2', 'API-PAGE-1', 'API-PAGE-0', 'BAD-0005', 'API-GOOD']);
    assert.equal(pages, 3);
    assert.deepEqual((await allMessages(gw.baseUrl, 'state=failed')).map((m) => m.sourceId), ['BAD-0005']);
    assert.equal((await allMessages(gw.baseUrl, 'state=failed&protocol=mllp')).length, 1);
    assert.equal((await allMessages(gw.baseUrl, 'protocol=mllp')).length, 7);
    assert.equal((await allMessages(gw.baseUrl, 'protocol=dimse')).length, 0);
    assert.equal((await allMessages(gw.baseUrl, `since=${new Date(Date.now() + 60_000).toISOString()}`)).length, 0);
    assert.equal((await allMessages(gw.baseUrl, `since=${new Date(t0.getTime() - 1000).toISOString()}&until=${new Date().toISOString()}`)).length, 7);
  });

  test('one message shows metadata, timeline and decoded summary; raw bytes only with ?raw=1', async () => {
    const row = (await allMessages(gw.baseUrl)).find((m) => m.sourceId === 'API-GOOD')!;
    const plain = await getMessage(gw.baseUrl, row.id);
    assert.equal(plain.raw, undefined);
    assert.ok(reachedDecoded(plain), `${plain.state} ${JSON.stringify(plain.lastError)}`);
    assert.equal((plain.summary as { sampleRateHz: number }).sampleRateHz, 500);
    assert.equal(JSON.stringify(plain.summary).includes('"first"'), false, 'no samples in the summary');
    const withRaw = await getMessage(gw.baseUrl, row.id, true);
    assert.equal(Buffer.from(withRaw.raw!, 'base64').toString('latin1'), good);
  });

  test('replay puts a failed message back through the pipeline and the timeline says so', async () => {
    const row = (await allMessages(gw.baseUrl, 'state=failed'))[0]!;
    const res = await fetch(`${gw.baseUrl}/api/messages/${row.id}/replay`, { method: 'POST', headers: gw.authHeaders() });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { state: string }).state, 'received');
    await waitFor(async () => (await getMessage(gw.baseUrl, row.id)).state === 'failed', 30_000, 'replayed message to be decoded again', gw.logs);
    const detail = await getMessage(gw.baseUrl, row.id);
    assert.deepEqual(detail.timeline?.map((e) => `${e.event}:${e.state}`), ['received:received', 'refused:failed', 'replay:received', 'decode:failed']);
    assert.equal(detail.lastError?.code, 'DECODE_REQUIRED_FIELD_MISSING');
    assert.equal(detail.lastError?.field, 'PID-3');
  });

  test('errors are application/problem+json: bad query 400, unknown id 404, replaying a message that did not fail 409', async () => {
    const bad = await problem(await fetch(`${gw.baseUrl}/api/messages?state=lost&limit=0`, { headers: gw.authHeaders() }), 400, 'API_BAD_REQUEST');
    assert.match(String(bad['field']), /state/);
    assert.match(String(bad['field']), /limit/);
    await problem(await fetch(`${gw.baseUrl}/api/messages?cursor=bm9wZQ`, { headers: gw.authHeaders() }), 400, 'API_BAD_REQUEST');
    await problem(await fetch(`${gw.baseUrl}/api/messages/not-an-id`, { headers: gw.authHeaders() }), 404, 'API_NOT_FOUND');
    await problem(await fetch(`${gw.baseUrl}/api/messages/00000000-0000-4000-8000-000000000000`, { headers: gw.authHeaders() }), 404, 'API_NOT_FOUND');
    await problem(await fetch(`${gw.baseUrl}/api/messages/00000000-0000-4000-8000-000000000000/replay`, { method: 'POST', headers: gw.authHeaders() }), 404, 'API_NOT_FOUND');
    // Decoded at ingest, then scored and delivered by later stages: never failed, so not replayable.
    const good = (await allMessages(gw.baseUrl)).find((m) => m.sourceId === 'API-PAGE-0' && m.state !== 'failed' && m.state !== 'dead')!;
    await problem(await fetch(`${gw.baseUrl}/api/messages/${good.id}/replay`, { method: 'POST', headers: gw.authHeaders() }), 409, 'MESSAGE_STATE_CONFLICT');
  });

  test('/health reports the store and the MLLP listener', async () => {
    const body = (await (await fetch(`${gw.baseUrl}/health`)).json()) as { checks: Record<string, { ok: boolean }> };
    assert.equal(body.checks['store']?.ok, true);
    assert.equal(body.checks['mllp']?.ok, true);
  });
});
