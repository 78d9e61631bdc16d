import { Module } from '@nestjs/common';
import { DecodePoolModule } from '../../pipeline/decode-pool.module';
import { Hl7IngestService } from './hl7-ingest.service';
import { MllpListener } from './mllp-listener';

/** HL7 v2 over MLLP into the store (needs the global StoreModule, WebModule and ConfigModule). */
@Module({ imports: [DecodePoolModule], providers: [Hl7IngestService, MllpListener] })
export class Hl7IngestModule {}
