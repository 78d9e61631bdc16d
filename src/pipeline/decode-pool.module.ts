import { Module } from '@nestjs/common';
import { DecodePool } from './decode-pool';

/** One DecodePool per process, shared by the listeners' validation and the decode stage. */
@Module({ providers: [{ provide: DecodePool, useFactory: () => new DecodePool() }], exports: [DecodePool] })
export class DecodePoolModule {}
