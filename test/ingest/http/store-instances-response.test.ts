import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storeInstancesResponse } from '../../../src/ingest/http/store-instances-response';

const ECG = '1.2.840.10008.5.1.4.1.1.9.1.1';

test('200 with every instance in Referenced SOP Sequence when all are stored', () => {
  const r = storeInstancesResponse([{ stored: true, sopClassUid: ECG, sopInstanceUid: '1.2.3' }]);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, {
    '00081199': { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: [ECG] }, '00081155': { vr: 'UI', Value: ['1.2.3'] } }] },
  });
});

test('202 when some are stored; failures carry the Failure Reason; unidentified ones go to Other Failures', () => {
  const r = storeInstancesResponse([
    { stored: true, sopClassUid: ECG, sopInstanceUid: '1.2.3' },
    { stored: false, sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '1.2.4', failureReason: 0x0122 },
    { stored: false, failureReason: 0xc000 },
  ]);
  assert.equal(r.status, 202);
  assert.deepEqual(r.body['00081198'], {
    vr: 'SQ',
    Value: [{ '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] }, '00081155': { vr: 'UI', Value: ['1.2.4'] }, '00081197': { vr: 'US', Value: [290] } }],
  });
  assert.deepEqual(r.body['0008119A'], { vr: 'SQ', Value: [{ '00081197': { vr: 'US', Value: [49152] } }] });
});

test('409 when none is stored; 503 when none is stored only because the store is out of resources', () => {
  assert.equal(storeInstancesResponse([{ stored: false, sopClassUid: ECG, sopInstanceUid: '1', failureReason: 0xa900 }]).status, 409);
  assert.equal(
    storeInstancesResponse([
      { stored: false, sopClassUid: ECG, sopInstanceUid: '1', failureReason: 0xa700 },
      { stored: false, sopClassUid: ECG, sopInstanceUid: '2', failureReason: 0xa700 },
    ]).status,
    503,
  );
  assert.equal(
    storeInstancesResponse([
      { stored: false, sopClassUid: ECG, sopInstanceUid: '1', failureReason: 0xa700 },
      { stored: false, failureReason: 0xc000 },
    ]).status,
    409,
  );
});
