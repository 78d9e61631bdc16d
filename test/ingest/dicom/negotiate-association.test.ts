import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCEPTED_ABSTRACT_SYNTAXES, TRANSFER_SYNTAX_PREFERENCE } from '../../../src/ingest/dicom/accepted-syntaxes';
import { negotiateAssociation, parseAllowedAeTitles, type AssociationPolicy } from '../../../src/ingest/dicom/negotiate-association';

const TWELVE_LEAD = '1.2.840.10008.5.1.4.1.1.9.1.1';
const HEMODYNAMIC = '1.2.840.10008.5.1.4.1.1.9.2.1';
const CT = '1.2.840.10008.5.1.4.1.1.2';
const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const DEFLATED = '1.2.840.10008.1.2.1.99';
const BIG_ENDIAN = '1.2.840.10008.1.2.2';
const JPEG = '1.2.840.10008.1.2.4.50';
const JPEG_2000 = '1.2.840.10008.1.2.4.90';

const policy: AssociationPolicy = {
  aeTitle: 'ECGGW',
  allowedCallingAeTitles: undefined,
  abstractSyntaxes: ACCEPTED_ABSTRACT_SYNTAXES,
  transferSyntaxPreference: TRANSFER_SYNTAX_PREFERENCE,
};

test('accepts the ECG classes and Verification in every syntax the decoder reads, preferring Explicit VR LE, Big Endian last', () => {
  const d = negotiateAssociation(
    {
      calledAeTitle: 'ECGGW           ',
      callingAeTitle: 'CART',
      contexts: [
        { id: 1, abstractSyntax: TWELVE_LEAD, transferSyntaxes: [IMPLICIT, DEFLATED, EXPLICIT] },
        { id: 3, abstractSyntax: HEMODYNAMIC, transferSyntaxes: [DEFLATED] },
        { id: 5, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
        { id: 7, abstractSyntax: '1.2.840.10008.5.1.4.1.1.9.1.2', transferSyntaxes: [BIG_ENDIAN, IMPLICIT] },
        { id: 9, abstractSyntax: '1.2.840.10008.5.1.4.1.1.9.1.3', transferSyntaxes: [BIG_ENDIAN] },
      ],
    },
    policy,
  );
  assert.ok(d.accept);
  assert.deepEqual(
    d.contexts.map((c) => [c.id, c.result, 'transferSyntax' in c ? c.transferSyntax : undefined]),
    [
      [1, 0, EXPLICIT],
      [3, 0, DEFLATED],
      [5, 0, IMPLICIT],
      [7, 0, IMPLICIT],
      [9, 0, BIG_ENDIAN],
    ],
  );
});

test('refuses a non-ECG SOP class with result 3 and a syntax the decoder cannot read with result 4', () => {
  const d = negotiateAssociation(
    {
      calledAeTitle: 'ECGGW',
      callingAeTitle: 'PACS',
      contexts: [
        { id: 1, abstractSyntax: CT, transferSyntaxes: [EXPLICIT] },
        { id: 3, abstractSyntax: TWELVE_LEAD, transferSyntaxes: [JPEG, JPEG_2000] },
      ],
    },
    policy,
  );
  assert.ok(d.accept, 'the association itself stands; only its contexts are refused (PS3.8 §9.3.3.2)');
  assert.deepEqual(d.contexts.map((c) => [c.id, c.result]), [
    [1, 3],
    [3, 4],
  ]);
});

test('rejects another called AE title with reason 7', () => {
  const d = negotiateAssociation({ calledAeTitle: 'ANY-SCP', callingAeTitle: 'CART', contexts: [] }, policy);
  assert.deepEqual(d.accept ? undefined : d.reason, 7);
});

test('rejects a calling AE title outside DICOM_ALLOWED_AE_TITLES with reason 3, accepts a listed one', () => {
  const allowList = { ...policy, allowedCallingAeTitles: parseAllowedAeTitles(' CART01 , MUSE ') };
  const refused = negotiateAssociation({ calledAeTitle: 'ECGGW', callingAeTitle: 'INTRUDER', contexts: [] }, allowList);
  assert.deepEqual(refused.accept ? undefined : refused.reason, 3);
  assert.equal(negotiateAssociation({ calledAeTitle: 'ECGGW', callingAeTitle: 'MUSE  ', contexts: [] }, allowList).accept, true);
});

test('parses the allow-list by commas, keeping inner spaces; empty means no list', () => {
  assert.deepEqual([...(parseAllowedAeTitles('A, B C ,,D') ?? [])], ['A', 'B C', 'D']);
  assert.equal(parseAllowedAeTitles(' , '), undefined);
  assert.equal(parseAllowedAeTitles(undefined), undefined);
});
