import type { LeadName } from '../../lead-name';
import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { RHYTHM_SERIES_FIELD } from './find-rhythm-series';
import { readSequenceSet, type SequenceSetWaveform } from './read-sequence-set';
import { child, children, type XmlElement } from './xml-element';

/**
 * Reads every sequenceSet of the RHYTHM series into one set of leads. Several sets are merged
 * when they share rate and start (leads split across sets); sets recorded one after the other
 * (different TIME_ABSOLUTE heads) are refused rather than laid side by side.
 * Throws DECODE_NO_WAVEFORM, DECODE_WAVEFORM_INCONSISTENT, DECODE_UNSUPPORTED_ENCODING and readSequenceSet's codes.
 */
export function readRhythmWaveform(series: XmlElement, warnings: DecodeWarning[]): SequenceSetWaveform {
  const sets = children(series, 'component')
    .map((component) => child(component, 'sequenceSet'))
    .filter((set): set is XmlElement => set !== undefined);
  const read = sets.map((set, index) => {
    const field = `${RHYTHM_SERIES_FIELD}/component/sequenceSet${sets.length > 1 ? `[${index + 1}]` : ''}`;
    return { field, waveform: readSequenceSet(set, field, warnings) };
  });
  const [first] = read;
  if (!first) throw new DecodeError('DECODE_NO_WAVEFORM', `${RHYTHM_SERIES_FIELD}/component/sequenceSet`, 'the RHYTHM series has no sequenceSet');

  const leads = new Map<LeadName, Float32Array>();
  for (const { field, waveform } of read) {
    if (waveform.sampleRateHz !== first.waveform.sampleRateHz) {
      throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', field, 'sequence sets of the RHYTHM series differ in sampling rate');
    }
    if (waveform.startTime !== first.waveform.startTime) {
      throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', field, 'sequence sets recorded at different times are not supported');
    }
    for (const [name, data] of waveform.leads) {
      if (leads.has(name)) throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', field, `lead ${name} appears in two sequence sets`);
      leads.set(name, data);
    }
  }
  return { ...first.waveform, leads };
}
