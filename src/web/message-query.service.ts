import { Injectable } from '@nestjs/common';
import { GatewayError } from '../errors/gateway-error';
import type { MessageFilter, MessageRow, TimelineEvent } from '../store/message';
import { MessageStore } from '../store/message-store.port';
import { resultGlance, type ResultGlance } from './result-glance';

/**
 * A list item: metadata only — the decoded summary (identifiers) and full results stay on the
 * detail view; `glance` is each model's status and highest stratum for the console's list.
 */
export type MessageListItem = Omit<MessageRow, 'summary' | 'results'> & { glance: ResultGlance[] };

export interface MessageDetail extends MessageRow {
  timeline: TimelineEvent[];
  /** Base64 of the bytes as received, only when asked for. */
  raw?: string;
}

/** Browsing the inbox: list with filters and paging, one message with its timeline. */
@Injectable()
export class MessageQueryService {
  constructor(private readonly store: MessageStore) {}

  async list(filter: MessageFilter): Promise<{ items: MessageListItem[]; nextCursor?: string }> {
    const page = await this.store.list(filter);
    const items = page.items.map(({ summary: _s, results, ...item }) => ({ ...item, glance: resultGlance(results) }));
    return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
  }

  /** Throws API_NOT_FOUND for an unknown id. */
  async get(id: string, withRaw: boolean): Promise<MessageDetail> {
    const row = await this.store.get(id);
    if (!row) throw new GatewayError('API_NOT_FOUND', 'no message with this id', { field: 'id' });
    const detail: MessageDetail = { ...row, timeline: await this.store.timeline(id) };
    if (withRaw) {
      const raw = await this.store.getRaw(id);
      if (raw) detail.raw = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
    }
    return detail;
  }
}
