import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { fieldOf, TAG } from './dicom-tags';
import type { ChannelClassifier, MultiplexGroup } from './read-multiplex-groups';

// PS3.3 C.10.9.1.8 Multiplex Group Label: carts write "RHYTHM" for the raw 10 s recording and
// "MEDIAN BEAT" / "REPRESENTATIVE BEAT" for derived beats.
const RHYTHM_LABEL = /\bRHYTHM\b/i;

/**
 * Chooses the one multiplex group to decode; groups are separate signals and are never
 * concatenated (PS3.3 C.10.9.1). By label "RHYTHM" wherever it sits in the sequence; without
 * such a label, among groups with ECG channels, ORIGINAL ones first, then the most
 * samples × ECG channels (a tie keeps the earlier group). Throws DECODE_NO_WAVEFORM.
 */
export function selectMultiplexGroup(groups: readonly MultiplexGroup[], channelsOf: ChannelClassifier, warnings: DecodeWarning[]): MultiplexGroup {
  const ecgChannels = (g: MultiplexGroup): number => channelsOf(g).filter((c) => c.class.kind === 'lead').length;
  const labelled = groups.filter((g) => g.label !== undefined && RHYTHM_LABEL.test(g.label));
  const rhythm = labelled.find((g) => ecgChannels(g) > 0) ?? labelled[0];
  if (rhythm) return rhythm;

  const withLeads = groups.filter((g) => ecgChannels(g) > 0);
  if (withLeads.length === 0) {
    throw new DecodeError('DECODE_NO_WAVEFORM', fieldOf(TAG.WaveformSequence), 'no multiplex group has an ECG lead channel');
  }
  const originals = withLeads.filter((g) => g.originality === 'ORIGINAL');
  const pool = originals.length > 0 ? originals : withLeads;
  const size = (g: MultiplexGroup): number => (g.sampleCount ?? 0) * ecgChannels(g);
  let best = pool[0] as MultiplexGroup;
  for (const g of pool) if (size(g) > size(best)) best = g;
  if (groups.length > 1) {
    warnings.push({
      code: 'MULTIPLEX_GROUP_UNLABELLED',
      field: fieldOf(TAG.MultiplexGroupLabel),
      message: `no group is labelled RHYTHM; chose group ${best.number} of ${groups.length} by originality and size`,
    });
  }
  return best;
}
