import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { MllpSender } from '../../src/cli/mllp-sender';
import { loadR4Definitions } from '../../src/fhir/server/r4-definitions';
import { validateRequestBody } from '../../src/fhir/server/validate-resources';
import { waitFor, type GatewayProcess } from './gateway-process';
import { hl7Fixture } from './hl7-messages';
import { allMessages, getMessage, type ApiMessage } from './messages-api';
import { REPO_ROOT } from './paths';
import { join } from 'node:path';

/** Shared steps of the FHIR end-to-end tests (test/e2e/fhir-*.test.ts). */

/** The two contract models (12 + 4 probability outputs), committed in test-models/. */
export const CONTRACT_MODEL_DIR = join(REPO_ROOT, 'test-models');

/** Gateway settings that make retries quick enough for a test. */
export const FAST_RETRY_ENV: Record<string, string> = {
  MODEL_DIR: CONTRACT_MODEL_DIR,
  PIPELINE_POLL_MS: '50',
  DELIVERY_BACKOFF_BASE_MS: '200',
  DELIVERY_BACKOFF_MAX_MS: '1000',
  FHIR_TIMEOUT_MS: '3000',
  FHIR_SOURCE_TIMEZONE: 'UTC',
};

/** Sends one HL7 text over MLLP with node-hl7-client; resolves with the ACK code. */
export async function sendHl7(gw: GatewayProcess, text: string): Promise<string> {
  const sender = await MllpSender.connect('127.0.0.1', gw.mllpPort);
  try {
    return (await sender.send(text)).code;
  } finally {
    await sender.close();
  }
}

export function hl7Text(path: string): string {
  return hl7Fixture(path);
}

/** STOW-RS of DICOM files; resolves with the HTTP status. */
export async function stow(gw: GatewayProcess, files: readonly string[]): Promise<number> {
  const boundary = `ecggw-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const f of files) chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1'), readFileSync(f), Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await fetch(`${gw.baseUrl}/dicomweb/studies`, {
    method: 'POST',
    headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`, accept: 'application/dicom+json' },
    body: Buffer.concat(chunks),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Waits until the newest message with this source id (MSH-10 / SOP Instance UID) matches `done`, and returns it. */
export async function waitForMessage(gw: GatewayProcess, sourceId: string, done: (m: ApiMessage) => boolean, what: string, timeoutMs = 90_000): Promise<ApiMessage> {
  let found: ApiMessage | undefined;
  await waitFor(
    async () => {
      const rows = (await allMessages(gw.baseUrl)).filter((m) => m.sourceId === sourceId);
      const newest = rows.sort((a, b) => receivedAt(b).localeCompare(receivedAt(a)))[0];
      if (!newest) return false;
      const detail = await getMessage(gw.baseUrl, newest.id);
      if (!done(detail)) return false;
      found = detail;
      return true;
    },
    timeoutMs,
    `${sourceId}: ${what}`,
    gw.logs,
  );
  return found!;
}

const receivedAt = (m: ApiMessage): string => String((m as ApiMessage & { receivedAt?: string }).receivedAt ?? '');

export const isDelivered = (m: ApiMessage): boolean => m.state === 'delivered';

export function deliveryAttempts(m: ApiMessage): Array<Record<string, unknown>> {
  return (m.timeline ?? []).filter((e) => e.event === 'delivery-attempt').map((e) => ({ state: e.state, ...e.detail }));
}

/** Every resource of a search (one page is enough for the tests' sizes). */
export function resourcesOf<T extends Resource>(bundle: Bundle): T[] {
  return (bundle.entry ?? []).map((e) => e.resource as T);
}

/** R4 issues of resources read back from a server (empty = all valid). */
export function r4Issues(resources: readonly Resource[]): string[] {
  loadR4Definitions();
  return resources.flatMap((r) => validateRequestBody(r).map((i) => `${r.resourceType}/${r.id ?? ''} ${i.expression?.[0] ?? ''}: ${i.details?.text ?? ''}`));
}
