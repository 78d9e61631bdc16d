/** The shapes of the /api answers the console reads (see /docs/openapi.json). */
// Shared with the server (pure files, no imports), so the console cannot drift from them.
import { INGEST_PROTOCOLS, MESSAGE_STATES } from '../../../store/message';
import type { ResultGlance } from '../../result-glance';

export type { ResultGlance };
export { MESSAGE_STATES };
export const PROTOCOLS = INGEST_PROTOCOLS;

export interface ErrorInfo {
  code: string;
  field?: string;
  message: string;
}

export interface MessageItem {
  id: string;
  protocol: string;
  peer: { address?: string; callingAeTitle?: string; sendingApplication?: string; sendingFacility?: string };
  sourceId?: string;
  state: string;
  attempts: number;
  lastError?: ErrorInfo;
  repeats: number;
  versionOf?: string;
  receivedAt: string;
  updatedAt: string;
  sizeBytes: number;
  sha256: string;
  glance?: ResultGlance[];
}

export interface TimelineEvent {
  at: string;
  state: string;
  event: string;
  detail?: Record<string, unknown>;
}

export interface Reason {
  code: string;
  message: string;
  lead?: string;
}

export interface OutputResult {
  key: string;
  kind: 'probability' | 'regression' | 'class';
  meaning: string;
  coding: string;
  status: 'scored' | 'indeterminate';
  probability?: number;
  stratum?: 'low' | 'intermediate' | 'high';
  thresholds?: { sensitivityThreshold: { value: number; sensitivity: number }; specificityThreshold: { value: number; specificity: number } };
  value?: number;
  unit?: string;
  label?: string;
  reason?: Reason;
}

export interface ModelResult {
  model: { id: string; name: string; version: string; sha256: string; purpose: string; clinicallyValidated: boolean; intendedUse: string };
  status: 'scored' | 'indeterminate';
  reason?: Reason;
  outputs: OutputResult[];
}

export interface Delivery {
  state: string;
  /** Where it was delivered: the EHR base URL or `embedded` (older rows lack it). */
  target?: string;
  attempts: number;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  locations?: string[];
  operationOutcome?: unknown;
}

export interface MessageDetail extends MessageItem {
  summary?: {
    format?: string;
    sampleRateHz?: number;
    samplesPerLead?: number;
    durationS?: number;
    leads?: Record<string, unknown>;
    derivedLeads?: string[];
    acquisitionTime?: string;
    patient?: Record<string, string>;
    order?: Record<string, string>;
    measurements?: Record<string, number>;
    source?: Record<string, string>;
    warnings?: ErrorInfo[];
  };
  results?: { scores?: ModelResult[]; delivery?: Delivery };
  timeline: TimelineEvent[];
}

export interface Waveform {
  sampleRateHz: number;
  sourceSampleRateHz: number;
  samplesPerLead: number;
  durationS: number;
  truncated: boolean;
  derivedLeads: string[];
  leads: Record<string, number[]>;
}

export interface AuditEntry {
  at: string;
  principal: string;
  action: string;
  messageId?: string;
  detail?: unknown;
}
