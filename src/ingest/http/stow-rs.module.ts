import { Module } from '@nestjs/common';
import { DicomIngestModule } from '../dicom/dicom-ingest.module';
import { StowRsController } from './stow-rs.controller';
import { StowRsService } from './stow-rs.service';

/** STOW-RS over HTTP, sharing the DICOM validate-then-commit use case with the DIMSE listener. */
@Module({
  imports: [DicomIngestModule],
  controllers: [StowRsController],
  providers: [StowRsService],
})
export class StowRsModule {}
