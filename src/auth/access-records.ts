/** What an operator sees of an API token: never its hash. */
export interface ApiTokenInfo {
  name: string;
  createdAt: Date;
  revokedAt?: Date;
}

/** A console session; only the sha256 of its id is stored. */
export interface SessionRecord {
  sessionHash: string;
  principal: string;
  createdAt: Date;
  expiresAt: Date;
}

/** The audit trail's vocabulary (README "Authentication"); append, never rename. */
export const AUDIT_ACTIONS = [
  'session.login',
  'session.login-failed',
  'session.logout',
  'message.open',
  'message.raw',
  'message.replay',
  'token.create',
  'token.revoke',
  'fhir.read',
  'message.waveform',
  'fhir.write',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface NewAuditEvent {
  at: Date;
  principal: string;
  action: AuditAction;
  messageId?: string;
  detail?: Readonly<Record<string, unknown>>;
}

export interface AuditEvent {
  at: string;
  principal: string;
  action: string;
  messageId?: string;
  detail?: Record<string, unknown>;
}

export interface AuditFilter {
  messageId?: string;
  limit: number;
  cursor?: string;
}

export interface AuditPage {
  items: AuditEvent[];
  nextCursor?: string;
}
