import { apiAuthHeaders, waitFor } from './gateway-process';

export interface ApiMessage {
  id: string;
  state: string;
  protocol: string;
  sourceId?: string;
  repeats: number;
  versionOf?: string;
  sha256: string;
  lastError?: { code: string; field?: string; message: string };
  summary?: Record<string, unknown>;
  timeline?: Array<{ state: string; event: string; detail?: Record<string, unknown> }>;
  raw?: string;
}

/**
 * Every message the gateway lists (all pages), as an analyst would page through /api/messages.
 * These helpers authenticate with the admin token startGateway gave the gateway at `baseUrl`.
 */
export async function allMessages(baseUrl: string, query = ''): Promise<ApiMessage[]> {
  const items: ApiMessage[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams(query);
    q.set('limit', '500');
    if (cursor) q.set('cursor', cursor);
    const res = await fetch(`${baseUrl}/api/messages?${q.toString()}`, { headers: apiAuthHeaders(baseUrl) });
    if (res.status !== 200) throw new Error(`GET /api/messages: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { items: ApiMessage[]; nextCursor?: string };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export async function getMessage(baseUrl: string, id: string, raw = false): Promise<ApiMessage> {
  const res = await fetch(`${baseUrl}/api/messages/${id}${raw ? '?raw=1' : ''}`, { headers: apiAuthHeaders(baseUrl) });
  if (res.status !== 200) throw new Error(`GET /api/messages/${id}: ${res.status}`);
  return (await res.json()) as ApiMessage;
}

/**
 * True when the message went through decode successfully. Its state may already be past
 * `decoded` (score and deliver stages follow), so the timeline says it, not the state.
 */
export function reachedDecoded(message: ApiMessage): boolean {
  return (message.timeline ?? []).some((e) => e.event === 'decode' && e.state === 'decoded') && message.summary !== undefined;
}

/** Waits until no message is left in `received` (the pipeline has caught up). */
export async function waitForPipeline(baseUrl: string, timeoutMs = 60_000, logs?: () => string): Promise<void> {
  await waitFor(async () => (await allMessages(baseUrl, 'state=received')).length === 0, timeoutMs, 'the pipeline to drain received messages', logs);
}
