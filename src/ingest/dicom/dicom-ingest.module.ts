import { Module } from '@nestjs/common';
import { DecodePoolModule } from '../../pipeline/decode-pool.module';
import { DimseListenerService } from './dimse-listener.service';
import { StoreDicomInstanceService } from './store-dicom-instance.service';

/** DIMSE listener (C-ECHO, C-STORE) and the validate-then-commit use case STOW-RS shares. */
@Module({
  imports: [DecodePoolModule],
  providers: [StoreDicomInstanceService, DimseListenerService],
  exports: [StoreDicomInstanceService],
})
export class DicomIngestModule {}
