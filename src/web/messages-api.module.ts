import { Module } from '@nestjs/common';
import { InferenceModule } from '../inference/inference.module';
import { MessageQueryService } from './message-query.service';
import { MessagesController } from './messages.controller';
import { ModelsController } from './models.controller';
import { QueueController } from './queue.controller';
import { ReplayMessageService } from './replay-message.service';
import { WaveformController } from './waveform.controller';
import { WaveformService } from './waveform.service';

/**
 * GET /api/messages, GET /api/messages/:id, POST /api/messages/:id/replay; for the console also
 * GET /api/messages/:id/waveform, GET /api/models (InferenceModule's registry, the same instance
 * the pipeline scores with) and GET /api/queue.
 */
@Module({
  imports: [InferenceModule],
  controllers: [MessagesController, WaveformController, ModelsController, QueueController],
  providers: [MessageQueryService, ReplayMessageService, WaveformService],
})
export class MessagesApiModule {}
