import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error';
import { INGEST_PROTOCOLS, MESSAGE_STATES, type MessageFilter } from '../store/message';

const isoDate = z
  .string()
  .datetime({ offset: true })
  .transform((v) => new Date(v));

/** GET /api/messages query: every parameter optional, unknown ones refused. */
export const listMessagesQuery = z
  .object({
    state: z.enum(MESSAGE_STATES).optional(),
    protocol: z.enum(INGEST_PROTOCOLS).optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

/** GET /api/messages/:id query. */
export const getMessageQuery = z
  .object({ raw: z.enum(['0', '1', 'true', 'false']).optional() })
  .strict();

/** A message id as the store issues them (UUID); anything else cannot exist. */
export const messageId = z.string().uuid();

/** Parses with zod; failures become API_BAD_REQUEST naming every bad parameter. */
export function parseQuery<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as z.output<T>;
  const fields = parsed.error.issues.map((i) => (i.path.length ? i.path.join('.') : ((i as { keys?: string[] }).keys ?? []).join(',')));
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
  throw new GatewayError('API_BAD_REQUEST', detail, { field: fields.join(',') });
}

export function toMessageFilter(q: z.output<typeof listMessagesQuery>): MessageFilter {
  const filter: MessageFilter = { limit: q.limit };
  if (q.state !== undefined) filter.state = q.state;
  if (q.protocol !== undefined) filter.protocol = q.protocol;
  if (q.since !== undefined) filter.since = q.since;
  if (q.until !== undefined) filter.until = q.until;
  if (q.cursor !== undefined) filter.cursor = q.cursor;
  return filter;
}
