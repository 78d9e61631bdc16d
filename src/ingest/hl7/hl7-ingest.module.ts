import { Module } from '@nestjs/common';
import { Hl7IngestService } from './hl7-ingest.service';
import { MllpListener } from './mllp-listener';

/** HL7 v2 over MLLP into the store (needs the global StoreModule, WebModule and ConfigModule). */
@Module({ providers: [Hl7IngestService, MllpListener] })
export class Hl7IngestModule {}
