import { h } from './element';
import { percent } from './format';
import type { ModelResult, OutputResult } from './types';

function thresholds(o: OutputResult): string {
  const t = o.thresholds;
  if (!t) return '–';
  return `low < ${t.sensitivityThreshold.value} (sens ${percent(t.sensitivityThreshold.sensitivity)}) · high ≥ ${t.specificityThreshold.value} (spec ${percent(t.specificityThreshold.specificity)})`;
}

function value(o: OutputResult): HTMLElement | string {
  if (o.status === 'indeterminate') return h('span', { class: 'indeterminate' }, `indeterminate: ${o.reason?.code ?? ''}${o.reason?.lead ? ` (lead ${o.reason.lead})` : ''}`);
  switch (o.kind) {
    case 'probability':
      return percent(o.probability);
    case 'regression':
      return `${o.value?.toFixed(1) ?? '–'} ${o.unit ?? ''}`;
    case 'class':
      return `${o.label ?? '–'} (${percent(o.probability)})`;
  }
}

/** The warning every result of a model that is not clinically validated carries. */
export function notValidatedBanner(intendedUse: string): HTMLElement {
  return h('p', { class: 'banner banner-not-validated', role: 'note' }, h('strong', {}, 'Not clinically validated.'), ` Intended use: ${intendedUse}. Not for clinical decisions.`);
}

/** One model's verdict: identity (id, version, sha256), the banner, and every output with stratum and thresholds. */
export function modelResultView(r: ModelResult): HTMLElement {
  const m = r.model;
  return h(
    'section',
    { class: 'model-result', 'data-model': m.id, 'data-status': r.status },
    h('h4', {}, m.name, ' ', h('span', { class: 'muted' }, `${m.id} v${m.version} · ${m.purpose}`)),
    h('p', { class: 'muted sha' }, 'sha256 ', h('code', {}, m.sha256)),
    m.clinicallyValidated ? null : notValidatedBanner(m.intendedUse),
    r.status === 'indeterminate' && r.reason
      ? h('p', { class: 'indeterminate-reason' }, h('strong', {}, 'Indeterminate: '), h('code', {}, r.reason.code), ` ${r.reason.message}${r.reason.lead ? ` (lead ${r.reason.lead})` : ''}`)
      : null,
    h(
      'table',
      { class: 'outputs' },
      h('thead', {}, h('tr', {}, ['Output', 'Meaning', 'Result', 'Stratum', 'Thresholds'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        r.outputs.map((o) =>
          h(
            'tr',
            { 'data-output': o.key, 'data-stratum': o.stratum ?? '' },
            h('td', {}, h('code', {}, o.key)),
            h('td', {}, o.meaning),
            h('td', {}, value(o)),
            h('td', {}, o.stratum ? h('span', { class: `stratum stratum-${o.stratum}` }, o.stratum) : '–'),
            h('td', { class: 'muted' }, thresholds(o)),
          ),
        ),
      ),
    ),
  );
}
