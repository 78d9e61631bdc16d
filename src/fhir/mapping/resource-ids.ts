import { createHash } from 'node:crypto';
import type { EcgRecord } from '../../ecg/record';
import type { FhirMappings } from './fhir-mappings';

/**
 * The one place where resource identifiers, conditional-create keys and bundle fullUrls are made.
 * Everything is derived from the ECG's own identity (SOP Instance UID, aECG document id, or
 * sender + MSH-10) plus model id, version and output, so a retry, a replay or a resent ECG maps
 * to the same identifiers and the server's conditional create finds what is already there.
 */

const UTF8 = new TextEncoder();

export interface ResourceKey {
  identifier: { system: string; value: string };
  /** The query after `?` for `Bundle.entry.request.ifNoneExist` (standards.md §5.3). */
  ifNoneExist: string;
  /** `urn:uuid:…`, stable for the same identifier (UUID v5 layout over SHA-1). */
  fullUrl: string;
}

/** A tag-keyed conditional create, for resources without `identifier` (R4 Provenance). */
export interface TagKey {
  tag: { system: string; code: string };
  ifNoneExist: string;
  fullUrl: string;
}

/**
 * Makes any text safe inside an identifier value: letters, digits and `. - : @` stay, everything
 * else becomes `_XX` per UTF-8 byte (so `/` can separate parts and no FHIR search escape
 * (`| , $ \`) or URL encoding is ever needed). Injective: `_` itself is encoded.
 */
export function safeIdPart(text: string): string {
  let out = '';
  for (const ch of text) {
    if (/^[A-Za-z0-9.\-:@]$/.test(ch)) out += ch;
    else for (const b of UTF8.encode(ch)) out += `_${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The identity of an ECG: `dicom:<SOP Instance UID>`, `aecg:<document id>`,
 * `hl7:<MSH-3>/<MSH-4>/<MSH-10>` or, for a source with none of these, `sha256:<raw bytes hash>`.
 * A new version of a message (same source identifiers, other bytes) gets its own identity
 * (`…/v-<sha256 prefix>`) so its results are written beside, not hidden behind, the first one's.
 */
export function ecgKeyFor(record: Pick<EcgRecord, 'order' | 'source'>, raw: { sha256: string; isNewVersion?: boolean }): string {
  const { order, source } = record;
  let key: string;
  if (order.sopInstanceUid) key = `dicom:${safeIdPart(order.sopInstanceUid)}`;
  else if (order.documentId) key = `aecg:${safeIdPart(order.documentId)}`;
  else if (order.messageControlId) {
    key = `hl7:${safeIdPart(source.sendingApplication ?? '')}/${safeIdPart(source.sendingFacility ?? '')}/${safeIdPart(order.messageControlId)}`;
  } else return `sha256:${raw.sha256}`;
  return raw.isNewVersion ? `${key}/v-${raw.sha256.slice(0, 16)}` : key;
}

/** FHIR search escaping (`\ | , $`, search.html#escaping) then URL encoding, for one token part. */
export function searchTokenPart(text: string): string {
  return encodeURIComponent(text.replace(/[\\|,$]/g, (c) => `\\${c}`));
}

/** `identifier=<system>|<value>` for a search or an `ifNoneExist`. */
export function identifierQuery(system: string, value: string): string {
  return `identifier=${searchTokenPart(system)}|${searchTokenPart(value)}`;
}

/** A deterministic `urn:uuid:` (RFC 4122 v5 layout, SHA-1 of the name). */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function identifierKey(system: string, value: string): ResourceKey {
  return { identifier: { system, value }, ifNoneExist: identifierQuery(system, value), fullUrl: stableUuid(`${system}|${value}`) };
}

function tagKey(system: string, code: string): TagKey {
  return {
    tag: { system, code },
    ifNoneExist: `_tag=${searchTokenPart(system)}|${searchTokenPart(code)}`,
    fullUrl: stableUuid(`tag:${system}|${code}`),
  };
}

export type IdentifierSystems = FhirMappings['identifier-systems'];

/** Every key of one ECG's bundle, from the identifier systems in `mappings/identifier-systems.json`. */
export function resourceKeys(systems: IdentifierSystems, ecgKey: string) {
  return {
    ecgObservation: (): ResourceKey => identifierKey(systems.ecg, ecgKey),
    measurement: (loinc: string): ResourceKey => identifierKey(systems.ecgMeasurement, `${ecgKey}/${safeIdPart(loinc)}`),
    output: (modelId: string, version: string, outputKey: string): ResourceKey =>
      identifierKey(systems.modelOutput, `${ecgKey}/${safeIdPart(modelId)}/${safeIdPart(version)}/${safeIdPart(outputKey)}`),
    /** The model Device is keyed by the sha256 of its ONNX file: the same bytes are the same device. */
    modelDevice: (sha256: string): ResourceKey => identifierKey(systems.modelSha256, sha256),
    modelIdentifier: (modelId: string, version: string) => ({ system: systems.model, value: `${safeIdPart(modelId)}/${safeIdPart(version)}` }),
    gatewayDevice: (gatewayVersion: string): ResourceKey => identifierKey(systems.gateway, `ecg-gateway/${safeIdPart(gatewayVersion)}`),
    /** One Provenance for the ECG's own resources, and one per model run. */
    provenance: (model?: { id: string; version: string }): TagKey =>
      tagKey(systems.provenance, model ? `${ecgKey}/${safeIdPart(model.id)}/${safeIdPart(model.version)}` : ecgKey),
  };
}
export type ResourceKeys = ReturnType<typeof resourceKeys>;

/** The Patient identifier system for an assigning authority / issuer (mappings/identifier-systems.json). */
export function patientIdentifierSystem(systems: IdentifierSystems, issuer: string | undefined): string {
  const p = systems.patient;
  if (issuer === undefined || issuer.trim() === '') return p.noIssuer;
  const mapped = p.byIssuer[issuer];
  if (mapped) return mapped;
  if (/^[0-2](\.(0|[1-9]\d*))+$/.test(issuer)) return `urn:oid:${issuer}`;
  return p.defaultTemplate.replace('{issuer}', encodeURIComponent(issuer));
}

/** The Patient key (identifier as sent, conditional-create query, fullUrl). */
export function patientKey(system: string, value: string): ResourceKey {
  return identifierKey(system, value);
}

/** A conditional reference (`Patient?identifier=…`), resolved by the server inside the transaction. */
export function conditionalPatientReference(system: string, value: string): string {
  return `Patient?${identifierQuery(system, value)}`;
}
