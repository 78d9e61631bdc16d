import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { child, children, codeOf, type XmlElement } from './xml-element';

export const RHYTHM_SERIES_FIELD = 'AnnotatedECG/component/series[RHYTHM]';

/**
 * The RHYTHM series, chosen by its code (ActCode RHYTHM), never by position: REPRESENTATIVE_BEAT
 * series are medians. Throws DECODE_NO_WAVEFORM when there is none.
 */
export function findRhythmSeries(root: XmlElement, warnings: DecodeWarning[]): XmlElement {
  const rhythm = children(root, 'component')
    .map((component) => child(component, 'series'))
    .filter((series): series is XmlElement => series !== undefined && codeOf(series) === 'RHYTHM');
  const [first] = rhythm;
  if (!first) throw new DecodeError('DECODE_NO_WAVEFORM', RHYTHM_SERIES_FIELD, 'no series with code RHYTHM');
  if (rhythm.length > 1) {
    warnings.push({ code: 'AECG_SERIES_IGNORED', field: RHYTHM_SERIES_FIELD, message: `${rhythm.length} RHYTHM series; the first is decoded` });
  }
  return first;
}
