import { z } from 'zod';
import type { AuditFilter } from './access-records';

/** GET /api/audit query: every parameter optional, unknown ones refused. */
export const listAuditQuery = z
  .object({
    messageId: z.string().uuid().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

export function toAuditFilter(q: z.output<typeof listAuditQuery>): AuditFilter {
  const filter: AuditFilter = { limit: q.limit };
  if (q.messageId !== undefined) filter.messageId = q.messageId;
  if (q.cursor !== undefined) filter.cursor = q.cursor;
  return filter;
}
