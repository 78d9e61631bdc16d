import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MllpFrameReader, type MllpEvent } from '../../../src/ingest/hl7/mllp-frame-reader';

const VT = '\x0b';
const END = '\x1c\r';
const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const framed = (s: string): string => `${VT}${s}${END}`;

function feed(reader: MllpFrameReader, ...chunks: string[]): MllpEvent[] {
  return chunks.flatMap((c) => reader.push(b(c)));
}
const frames = (events: MllpEvent[]): string[] => events.flatMap((e) => (e.kind === 'frame' ? [e.payload.toString('latin1')] : []));

test('reads one frame delivered in one chunk, without the block characters', () => {
  assert.deepEqual(frames(feed(new MllpFrameReader(1000), framed('MSH|a\rPID|1\r'))), ['MSH|a\rPID|1\r']);
});

test('reassembles a frame split byte by byte, including between FS and CR', () => {
  const text = framed('MSH|split\rOBX|1\r');
  const events = feed(new MllpFrameReader(1000), ...text.split(''));
  assert.deepEqual(frames(events), ['MSH|split\rOBX|1\r']);
  assert.equal(events.length, 1);
});

test('reads several frames from one chunk, in order', () => {
  assert.deepEqual(frames(feed(new MllpFrameReader(1000), framed('MSH|1') + framed('MSH|2') + framed('MSH|3'))), ['MSH|1', 'MSH|2', 'MSH|3']);
});

test('drops and reports junk before, between and after frames', () => {
  const events = feed(new MllpFrameReader(1000), `noise${framed('MSH|1')}\r\n??${framed('MSH|2')}tail`);
  assert.deepEqual(frames(events), ['MSH|1', 'MSH|2']);
  assert.deepEqual(events.filter((e) => e.kind === 'junk').map((e) => (e.kind === 'junk' ? e.bytes : 0)), [5, 4, 4]);
});

test('a new VT before FS CR abandons the truncated frame and starts the next', () => {
  const events = feed(new MllpFrameReader(1000), `${VT}MSH|cut off`, framed('MSH|whole'));
  assert.deepEqual(frames(events), ['MSH|whole']);
  assert.deepEqual(events[0], { kind: 'junk', bytes: 'MSH|cut off'.length + 1 });
});

test('an FS not followed by CR is content, not the end of the frame', () => {
  assert.deepEqual(frames(feed(new MllpFrameReader(1000), `${VT}MSH|a\x1cb`, `c${END}`)), ['MSH|a\x1cbc']);
  assert.deepEqual(frames(feed(new MllpFrameReader(1000), `${VT}MSH|a\x1c`, `b${END}`)), ['MSH|a\x1cb']);
});

test('a frame over the limit is skipped to its end and reported with its head and size; the next one is read', () => {
  const reader = new MllpFrameReader(100);
  const big = `MSH|big\r${'x'.repeat(500)}`;
  const events = feed(reader, VT, big.slice(0, 50), big.slice(50, 300), big.slice(300), END, framed('MSH|small'));
  assert.equal(events.length, 2);
  const [over, next] = events;
  assert.equal(over?.kind, 'oversize');
  if (over?.kind === 'oversize') {
    assert.equal(over.size, big.length);
    assert.ok(over.head.toString('latin1').startsWith('MSH|big\r'));
  }
  assert.deepEqual(next, { kind: 'frame', payload: b('MSH|small') });
  assert.equal(reader.pendingBytes(), 0);
});

test('exactly the limit is still a frame', () => {
  const body = 'M'.repeat(100);
  assert.deepEqual(frames(feed(new MllpFrameReader(100), framed(body))), [body]);
});
