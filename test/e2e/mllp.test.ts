import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MllpSender, type AckReply } from '../../src/cli/mllp-sender';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { ackFields, hl7Fixture, rawMllpPeer, withControlId, withMshFields } from '../helpers/hl7-messages';
import { allMessages, getMessage, reachedDecoded, waitForPipeline, type ApiMessage } from '../helpers/messages-api';
import { fixture, fixtureFiles } from '../helpers/paths';

const GOOD = fixtureFiles('hl7/ecg', (n) => n.endsWith('.hl7'));
const BAD = [...fixtureFiles('hl7/ecg/bad'), ...fixtureFiles('hl7/negative')];
/** MSH-9/11/12 not acceptable: AR (standards.md §4.4); every other refusal is bad content: AE. */
const REJECTED = new Set(['oru_unsupported_version.hl7', 'ADT-A01-01.hl7', 'MDM-T02-01.hl7']);
const expectedAck = (name: string): string => (REJECTED.has(name) ? 'AR' : 'AE');
/** oru_na_nonnumeric.hl7 put its "abc" into OBX-3.2; what it meant — a non-numeric NA sample — is sent too. */
const NA_NONNUMERIC = 'oru_na_nonnumeric.hl7';
const MISPLACED_ABC = '93000&WAV^abc^Waveform data^L|1|-2^';
const MA_12LEAD = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const VT = '\x0b';
const END = '\x1c\r';

async function sendAll(port: number, texts: readonly string[]): Promise<AckReply[]> {
  const sender = await MllpSender.connect('127.0.0.1', port);
  try {
    const acks: AckReply[] = [];
    for (const text of texts) acks.push(await sender.send(text));
    return acks;
  } finally {
    await sender.close();
  }
}

const controlIdOf = (text: string): string => text.slice(0, text.indexOf('\r')).split('|')[9] ?? '';

describe('HL7 v2 over MLLP into the inbox (real gateway, node-hl7-client)', () => {
  let gw: GatewayProcess;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.stop());

  test('every HL7 ECG fixture gets AA and reaches decoded with its summary', async () => {
    const texts = GOOD.map(hl7Fixture);
    const acks = await sendAll(gw.mllpPort, texts);
    acks.forEach((ack, i) => {
      assert.equal(ack.code, 'AA', `${basename(GOOD[i]!)}: ${ack.errorText ?? ''}`);
      assert.equal(ack.ackedControlId, controlIdOf(texts[i]!));
    });
    await waitForPipeline(gw.baseUrl, 60_000, gw.logs);
    const listed = await allMessages(gw.baseUrl, 'protocol=mllp');
    for (const text of texts) {
      const row = listed.find((m) => m.sourceId === controlIdOf(text));
      assert.ok(row, `listed: ${controlIdOf(text)}`);
      const detail = await getMessage(gw.baseUrl, row.id);
      assert.ok(reachedDecoded(detail), `${row.sourceId}: ${detail.state} ${JSON.stringify(detail.lastError)}`);
      assert.equal(Object.keys((detail.summary?.['leads'] ?? {}) as object).length, 12);
      assert.equal(detail.raw, undefined, 'raw bytes only when asked');
      assert.deepEqual(detail.timeline?.slice(0, 2).map((e) => e.event), ['received', 'decode']);
    }
  });

  test('every bad and negative HL7 file gets AE or AR with an ERR naming the problem, and is kept as failed', async () => {
    const texts = BAD.map(hl7Fixture);
    const acks = await sendAll(gw.mllpPort, texts);
    const listed = await allMessages(gw.baseUrl, 'state=failed');
    acks.forEach((ack, i) => {
      const name = basename(BAD[i]!);
      assert.equal(ack.code, expectedAck(name), `${name}: got ${ack.code}`);
      assert.match(ack.errorCondition ?? '', /^(10\d|20\d)$/, `${name}: ERR-3`);
      assert.ok((ack.errorText ?? '').length > 10, `${name}: ERR-8 names the problem`);
      assert.equal(ack.ackedControlId, controlIdOf(texts[i]!));
      const row = listed.find((m) => m.sourceId === controlIdOf(texts[i]!));
      assert.ok(row?.lastError?.code, `${name} is listed as failed with its reason`);
    });
    const meant = hl7Fixture(fixture('hl7', 'ecg', 'bad', NA_NONNUMERIC))
      .replace(MISPLACED_ABC, '93000&WAV^Waveform data^L|1|-2^abc^')
      .replace('|BAD-0003|', '|BAD-0003-AS-MEANT|');
    const [nonNumeric] = await sendAll(gw.mllpPort, [meant]);
    assert.deepEqual([nonNumeric?.code, nonNumeric?.errorCondition, nonNumeric?.errorLocation], ['AE', '102', 'OBX^3^5']);
    // The gateway keeps serving.
    assert.equal((await fetch(`${gw.baseUrl}/health`)).status, 200);
    const [ack] = await sendAll(gw.mllpPort, [withControlId(hl7Fixture(MA_12LEAD), 'AFTER-BAD-1')]);
    assert.equal(ack?.code, 'AA');
  });

  test('re-sending the same files is acknowledged the same way and creates no second decode', async () => {
    await waitForPipeline(gw.baseUrl, 60_000, gw.logs);
    const before = await allMessages(gw.baseUrl);
    const acks = await sendAll(gw.mllpPort, [...GOOD, ...BAD].map(hl7Fixture));
    acks.forEach((ack, i) => {
      const name = basename([...GOOD, ...BAD][i]!);
      assert.equal(ack.code, i < GOOD.length ? 'AA' : expectedAck(name), name);
    });
    await waitForPipeline(gw.baseUrl, 60_000, gw.logs);
    const afterResend = await allMessages(gw.baseUrl);
    assert.equal(afterResend.length, before.length, 'no new rows');
    for (const path of GOOD) {
      const row = afterResend.find((m) => m.sourceId === controlIdOf(hl7Fixture(path)))!;
      assert.equal(row.repeats, 1);
      const timeline = (await getMessage(gw.baseUrl, row.id)).timeline ?? [];
      assert.equal(timeline.filter((e) => e.event === 'decode').length, 1, `${basename(path)} decoded once`);
      assert.equal(timeline.filter((e) => e.event === 'repeat').length, 1);
    }
  });

  test('other bytes under an MSH-10 already seen are kept as a new version, flagged, and decoded', async () => {
    const first = withControlId(hl7Fixture(MA_12LEAD), 'VERSIONED-1');
    const second = first.replace('|F\r', '|C\r'); // OBX-11 final → corrected, same MSH-10
    assert.notEqual(first, second);
    const acks = await sendAll(gw.mllpPort, [first, second]);
    assert.deepEqual(acks.map((a) => a.code), ['AA', 'AA']);
    await waitForPipeline(gw.baseUrl, 60_000, gw.logs);
    const rows = (await allMessages(gw.baseUrl)).filter((m) => m.sourceId === 'VERSIONED-1');
    assert.equal(rows.length, 2);
    const [newer, older] = rows as [ApiMessage, ApiMessage];
    assert.equal(newer.versionOf, older.id);
    assert.ok(reachedDecoded(await getMessage(gw.baseUrl, newer.id)));
    assert.ok(reachedDecoded(await getMessage(gw.baseUrl, older.id)));
  });

  test('enhanced mode (MSH-15/16) answers CA, and MSH-15 NE asks for no ACK at all', async () => {
    const base = hl7Fixture(MA_12LEAD);
    const peer = await rawMllpPeer(gw.mllpPort);
    try {
      await peer.write(`${VT}${withMshFields(base, { 10: 'ENH-NE', 15: 'NE', 16: 'NE' })}\r${END}`);
      await peer.write(`${VT}${withMshFields(base, { 10: 'ENH-AL', 15: 'AL', 16: 'NE' })}\r${END}`);
      const [reply] = await peer.replies(1);
      assert.deepEqual([ackFields(reply!).code, ackFields(reply!).controlId], ['CA', 'ENH-AL']);
    } finally {
      peer.end();
    }
    await waitForPipeline(gw.baseUrl, 60_000, gw.logs);
    const rows = (await allMessages(gw.baseUrl)).filter((m) => m.sourceId?.startsWith('ENH-'));
    assert.equal(rows.length, 2, 'both committed, the NE one silently');
    for (const r of rows) assert.ok(reachedDecoded(await getMessage(gw.baseUrl, r.id)));
  });

  test('50 concurrent MLLP connections sending at once: every message acknowledged and present once', async () => {
    const base = hl7Fixture(MA_12LEAD);
    const senders = await Promise.all(Array.from({ length: 50 }, () => MllpSender.connect('127.0.0.1', gw.mllpPort)));
    try {
      const acks = await Promise.all(senders.map((s, i) => s.send(withControlId(base, `CONC-${i}`), 120_000)));
      assert.deepEqual(new Set(acks.map((a) => a.code)), new Set(['AA']));
      assert.deepEqual(acks.map((a) => a.ackedControlId), senders.map((_, i) => `CONC-${i}`));
    } finally {
      await Promise.all(senders.map((s) => s.close()));
    }
    const rows = (await allMessages(gw.baseUrl)).filter((m) => m.sourceId?.startsWith('CONC-'));
    assert.equal(rows.length, 50);
    assert.equal(new Set(rows.map((r) => r.sourceId)).size, 50);
  });

  test('the logs of all this traffic hold none of the fixtures’ patient identifiers', () => {
    const logs = gw.logs();
    assert.ok(logs.includes('"messageId"'), 'the run was logged');
    // PID-3, PID-5, PID-7 of the ECG fixtures and of the negative ones.
    for (const phi of ['SBJ-123', 'Clark', '19530508', 'EVERYWOMAN', '555-44-4444', 'DUCK', '10006579', 'PROSOLV^SAMPLE', '987654321']) {
      assert.ok(!logs.includes(phi), `logs contain ${phi}`);
    }
  });
});

describe('MLLP framing, limits and bad peers (real gateway, raw TCP peer)', () => {
  let gw: GatewayProcess;
  before(async () => {
    gw = await startGateway({ env: { MLLP_MAX_MESSAGE_BYTES: '300000', MLLP_IDLE_TIMEOUT_MS: '1500' } });
  });
  after(() => gw.stop());

  test('junk between frames, a frame split over chunks and two frames in one chunk are all read', async () => {
    const a = withControlId(hl7Fixture(MA_12LEAD), 'FRAME-A');
    const b = withControlId(hl7Fixture(MA_12LEAD), 'FRAME-B');
    const c = withControlId(hl7Fixture(MA_12LEAD), 'FRAME-C');
    const peer = await rawMllpPeer(gw.mllpPort);
    try {
      await peer.write('\r\nnoise before any frame');
      const fa = `${VT}${a}\r${END}`;
      await peer.write(fa.slice(0, 1000));
      await peer.write(fa.slice(1000, fa.length - 1)); // ends between FS and CR
      await peer.write(`${fa.slice(-1)}junk between${VT}${b}\r${END}${VT}${c}\r${END}`);
      const replies = await peer.replies(3);
      assert.deepEqual(replies.map((r) => [ackFields(r).code, ackFields(r).controlId]), [['AA', 'FRAME-A'], ['AA', 'FRAME-B'], ['AA', 'FRAME-C']]);
    } finally {
      peer.end();
    }
  });

  test('a frame that is not HL7 gets AR with ERR-3 100, and the connection goes on', async () => {
    const peer = await rawMllpPeer(gw.mllpPort);
    try {
      await peer.write(`${VT}\x00\x01GET / HTTP/1.1\r\n\r\n${END}`);
      await peer.write(`${VT}${withControlId(hl7Fixture(MA_12LEAD), 'AFTER-GARBAGE')}\r${END}`);
      const [garbage, next] = await peer.replies(2);
      assert.deepEqual([ackFields(garbage!).code, ackFields(garbage!).condition, ackFields(garbage!).controlId], ['AR', '100', '']);
      assert.deepEqual([ackFields(next!).code, ackFields(next!).controlId], ['AA', 'AFTER-GARBAGE']);
    } finally {
      peer.end();
    }
  });

  test('a message over MLLP_MAX_MESSAGE_BYTES gets AE 104 naming its MSH-10; the next one on the connection is accepted', async () => {
    const big = hl7Fixture(fixture('hl7', 'ecg', 'oru_r01_v25_ed_aecg.hl7')); // ~670 kB > 300 kB
    const peer = await rawMllpPeer(gw.mllpPort);
    try {
      await peer.write(`${VT}${big}\r${END}`);
      await peer.write(`${VT}${withControlId(hl7Fixture(MA_12LEAD), 'AFTER-BIG')}\r${END}`);
      const [refused, next] = await peer.replies(2);
      const f = ackFields(refused!);
      assert.deepEqual([f.code, f.condition, f.controlId], ['AE', '104', 'ECG-ED-XML-0001']);
      assert.match(f.text, /exceeds MLLP_MAX_MESSAGE_BYTES/);
      assert.deepEqual([ackFields(next!).code, ackFields(next!).controlId], ['AA', 'AFTER-BIG']);
    } finally {
      peer.end();
    }
    assert.equal((await allMessages(gw.baseUrl)).filter((m) => m.sourceId === 'ECG-ED-XML-0001').length, 0, 'never committed');
  });

  test('a peer that vanishes mid-frame does not hurt the listener', async () => {
    const peer = await rawMllpPeer(gw.mllpPort);
    await peer.write(`${VT}${hl7Fixture(MA_12LEAD).slice(0, 50_000)}`);
    peer.end();
    await peer.closed;
    const [ack] = await sendAll(gw.mllpPort, [withControlId(hl7Fixture(MA_12LEAD), 'AFTER-VANISH')]);
    assert.equal(ack?.code, 'AA');
    assert.equal((await fetch(`${gw.baseUrl}/health`)).status, 200);
  });

  test('an idle connection is closed after MLLP_IDLE_TIMEOUT_MS', async () => {
    const peer = await rawMllpPeer(gw.mllpPort);
    await peer.closed; // the gateway ends it; the test's own timeout would fail it otherwise
    await waitFor(async () => gw.logs().includes('mllp connection idle, closing'), 5_000, 'idle close log', gw.logs);
  });
});
