import { Injectable } from '@nestjs/common';
import { decodeEcg } from '../ecg/decode/decode-ecg';
import { createResampler } from '../ecg/signal/resampler';
import { GatewayError, toGatewayError } from '../errors/gateway-error';
import { MessageStore } from '../store/message-store.port';

/** The console draws at most this rate: at 25 mm/s a 500 Hz sample is 0.05 mm, far below a screen pixel. */
export const WAVEFORM_MAX_RATE_HZ = 500;
/** A standard printout shows 10 s; longer records are cut to their first 10 s. */
export const WAVEFORM_MAX_SECONDS = 10;

export interface Waveform {
  messageId: string;
  units: 'uV';
  /** Rate of the samples returned. */
  sampleRateHz: number;
  /** Rate of the record as decoded; above WAVEFORM_MAX_RATE_HZ the samples are resampled down. */
  sourceSampleRateHz: number;
  samplesPerLead: number;
  durationS: number;
  /** The record was longer than WAVEFORM_MAX_SECONDS and was cut. */
  truncated: boolean;
  /** Leads the decoder derived (III, aVR, aVL, aVF from I and II). */
  derivedLeads: string[];
  /** µV, rounded to whole microvolts, keyed by lead name in the decoder's order. */
  leads: Record<string, number[]>;
}

/**
 * Decodes a message's stored raw bytes with the gateway's own decoders for the console's ECG
 * drawing. Runs on the request's thread: one ECG on an analyst's click (a few ms), not the
 * ingest path. Throws API_NOT_FOUND (no such message / no raw bytes) and MESSAGE_STATE_CONFLICT
 * (the bytes do not decode; the decoder's code, field and rule in the detail).
 */
@Injectable()
export class WaveformService {
  constructor(private readonly store: MessageStore) {}

  async waveform(id: string): Promise<Waveform> {
    const raw = (await this.store.get(id)) ? await this.store.getRaw(id) : undefined;
    if (!raw) throw new GatewayError('API_NOT_FOUND', 'no message with this id, or its raw bytes are not kept', { field: 'id' });
    let record;
    try {
      record = decodeEcg({ bytes: raw });
    } catch (err: unknown) {
      const e = toGatewayError(err);
      throw new GatewayError('MESSAGE_STATE_CONFLICT', `the stored message does not decode to a waveform: ${e.code}: ${e.message}`, { field: e.field ?? 'raw', cause: err });
    }
    const fromHz = record.sampleRateHz;
    const toHz = Math.min(fromHz, WAVEFORM_MAX_RATE_HZ);
    const sourceSamples = Math.min(record.samplesPerLead, Math.round(WAVEFORM_MAX_SECONDS * fromHz));
    const count = Math.floor((sourceSamples * toHz) / fromHz);
    const resampler = toHz < fromHz ? createResampler(fromHz, toHz) : undefined;
    const leads: Record<string, number[]> = {};
    for (const [name, data] of Object.entries(record.leads)) {
      const values = resampler ? resampler.resample(data, 0, count) : data.subarray(0, count);
      leads[name] = Array.from(values, (v) => Math.round(v));
    }
    return {
      messageId: id,
      units: 'uV',
      sampleRateHz: toHz,
      sourceSampleRateHz: fromHz,
      samplesPerLead: count,
      durationS: count / toHz,
      truncated: sourceSamples < record.samplesPerLead,
      derivedLeads: [...record.derivedLeads],
      leads,
    };
  }
}
