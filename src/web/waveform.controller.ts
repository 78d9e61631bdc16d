import { Controller, Get, Param } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuditTrail } from '../auth/audit-trail.service';
import type { RequestPrincipal } from '../auth/authenticated-request';
import { Principal } from '../auth/principal.decorator';
import { GatewayError } from '../errors/gateway-error';
import { messageId } from './message-query.schema';
import { WaveformService, type Waveform, WAVEFORM_MAX_RATE_HZ, WAVEFORM_MAX_SECONDS } from './waveform.service';

/** GET /api/messages/:id/waveform: the decoded leads in µV for the console's 12-lead drawing. */
@ApiTags('messages')
@Controller('api/messages')
export class WaveformController {
  constructor(
    private readonly waveforms: WaveformService,
    private readonly audit: AuditTrail,
  ) {}

  @Get(':id/waveform')
  @ApiParam({ name: 'id', required: true, schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({
    description: `The message's leads decoded from its stored bytes, in µV (whole microvolts), with their sample rate; at most ${WAVEFORM_MAX_RATE_HZ} Hz (resampled down above) and the first ${WAVEFORM_MAX_SECONDS} s.`,
  })
  @ApiNotFoundResponse({ description: 'No message with this id, or no raw bytes kept (problem+json, API_NOT_FOUND).' })
  @ApiConflictResponse({ description: 'The stored bytes do not decode (problem+json, MESSAGE_STATE_CONFLICT; the decoder code in detail, its field in field).' })
  async waveform(@Param('id') id: string, @Principal() principal: RequestPrincipal): Promise<Waveform> {
    if (!messageId.safeParse(id).success) throw new GatewayError('API_NOT_FOUND', 'no message with this id', { field: 'id' });
    const waveform = await this.waveforms.waveform(id);
    // The leads are patient data like the raw bytes: no answer without its audit entry.
    await this.audit.record(principal.name, 'message.waveform', id);
    return waveform;
  }
}
