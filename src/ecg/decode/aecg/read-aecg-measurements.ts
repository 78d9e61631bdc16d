import type { DecodeWarning, DeviceMeasurement } from '../../record';
import { AECG_MEASUREMENT_CODES, MEASUREMENT_UNIT_FACTORS } from './aecg-measurement-codes';
import { RHYTHM_SERIES_FIELD } from './find-rhythm-series';
import { attr, child, children, codeOf, type XmlElement } from './xml-element';

interface AnnotationSource {
  holder: XmlElement;
  field: string;
}

// Global measurements are the top-level annotations of an annotationSet. Those nested in an
// MDC_ECG_BEAT annotation describe one beat and are not the device's result.
function* topLevelAnnotations(source: AnnotationSource): Generator<{ annotation: XmlElement; field: string }> {
  for (const subjectOf of children(source.holder, 'subjectOf')) {
    for (const set of children(subjectOf, 'annotationSet')) {
      for (const component of children(set, 'component')) {
        const annotation = child(component, 'annotation');
        if (annotation) yield { annotation, field: `${source.field}/subjectOf/annotationSet/component/annotation[${codeOf(annotation) ?? ''}]` };
      }
    }
  }
}

function representativeBeats(series: XmlElement): AnnotationSource[] {
  return children(series, 'derivation')
    .map((derivation) => child(derivation, 'derivedSeries'))
    .filter((derived): derived is XmlElement => derived !== undefined && codeOf(derived) === 'REPRESENTATIVE_BEAT')
    .map((holder) => ({ holder, field: `${RHYTHM_SERIES_FIELD}/derivation/derivedSeries[REPRESENTATIVE_BEAT]` }));
}

/**
 * The device's global measurements (HR, PR, QRS, QT, QTc, P/QRS/T axes) from the RHYTHM series'
 * annotations, then its REPRESENTATIVE_BEAT's, keyed by LOINC; the first value of a code wins.
 * A value in an unknown unit, or 0 for an interval ("not measured"), is left out with a warning.
 */
export function readAecgMeasurements(series: XmlElement, warnings: DecodeWarning[]): Record<string, DeviceMeasurement> {
  const measurements: Record<string, DeviceMeasurement> = {};
  const sources = [{ holder: series, field: RHYTHM_SERIES_FIELD }, ...representativeBeats(series)];
  for (const source of sources) {
    for (const { annotation, field } of topLevelAnnotations(source)) {
      const code = codeOf(annotation);
      const known = code === undefined ? undefined : AECG_MEASUREMENT_CODES[code.toUpperCase()];
      if (!known || code === undefined || known.loinc in measurements) continue;
      const value = child(annotation, 'value');
      const number = Number(attr(value, 'value'));
      const unit = attr(value, 'unit') ?? '';
      const factor = MEASUREMENT_UNIT_FACTORS[known.unit][unit];
      if (factor === undefined || !Number.isFinite(number)) {
        warnings.push({ code: 'AECG_MEASUREMENT_SKIPPED', field: `${field}/value`, message: `no numeric value in a unit convertible to ${known.unit}` });
      } else if (known.positive && number <= 0) {
        warnings.push({ code: 'AECG_MEASUREMENT_SKIPPED', field: `${field}/value`, message: 'interval or rate of 0 or less means not measured' });
      } else {
        measurements[known.loinc] = { value: number * factor, unit: known.unit, sourceCode: code };
      }
    }
  }
  return measurements;
}
