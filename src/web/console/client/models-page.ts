import { api } from './api';
import { h, mount } from './element';
import { percent } from './format';
import type { PageContext } from './page';
import { notValidatedBanner } from './results-view';

interface Performance {
  metric: string;
  value: number;
  ci95?: [number, number];
  dataset: string;
  source?: string;
}
interface OutputSummary {
  key: string;
  kind: string;
  meaning: string;
  coding: string;
  performance: Performance[];
  strata?: { sensitivityThreshold: { value: number; sensitivity: number }; specificityThreshold: { value: number; specificity: number } };
  unit?: string;
  classes?: Array<{ index: number; label: string }>;
}
interface ModelSummary {
  id: string;
  name: string;
  version: string;
  sha256: string;
  purpose: string;
  intendedUse: string;
  clinicallyValidated: boolean;
  description?: string;
  license: string;
  input: { leads: string[]; sampleRateHz: number; durationS: number; units: string };
  outputs: OutputSummary[];
}
interface Catalogue {
  modelDir: string;
  models: ModelSummary[];
  refused: Array<{ id: string; code: string; field: string; message: string }>;
}

function strata(o: OutputSummary): string {
  if (o.strata) return `low < ${o.strata.sensitivityThreshold.value} (sens ${percent(o.strata.sensitivityThreshold.sensitivity)}) · high ≥ ${o.strata.specificityThreshold.value} (spec ${percent(o.strata.specificityThreshold.specificity)})`;
  if (o.unit) return `value in ${o.unit}`;
  if (o.classes) return o.classes.map((c) => c.label).join(' / ');
  return '–';
}

function performance(o: OutputSummary): string {
  return o.performance.map((p) => `${p.metric} ${p.value.toFixed(3)}${p.ci95 ? ` [${p.ci95[0].toFixed(3)}–${p.ci95[1].toFixed(3)}]` : ''} (${p.dataset})`).join('; ') || '–';
}

function modelCard(m: ModelSummary): HTMLElement {
  return h(
    'section',
    { class: 'model', 'data-model': m.id, 'data-validated': String(m.clinicallyValidated) },
    h('h3', {}, m.name),
    h('p', { class: 'muted' }, `${m.id} v${m.version} · ${m.purpose} · ${m.clinicallyValidated ? 'clinically validated' : 'not clinically validated'}`),
    m.clinicallyValidated ? null : notValidatedBanner(m.intendedUse),
    h('p', { class: 'sha' }, 'sha256 ', h('code', {}, m.sha256)),
    m.description ? h('p', {}, m.description) : null,
    h('p', { class: 'muted' }, `Input: ${m.input.leads.join(' ')} · ${m.input.sampleRateHz} Hz · ${m.input.durationS} s · ${m.input.units}. License: ${m.license}`),
    h(
      'table',
      { class: 'list outputs' },
      h('thead', {}, h('tr', {}, ['Output', 'Meaning', 'Kind', 'Thresholds', 'Published performance'].map((t) => h('th', {}, t)))),
      h('tbody', {}, m.outputs.map((o) => h('tr', { 'data-output': o.key }, h('td', {}, h('code', {}, o.key)), h('td', {}, o.meaning), h('td', {}, o.kind), h('td', {}, strata(o)), h('td', { class: 'muted' }, performance(o))))),
    ),
  );
}

/** Loaded models with their manifests, and model folders refused at start with why. */
export function renderModels(ctx: PageContext): void {
  mount(ctx.root, h('h2', {}, 'Models'), h('p', { class: 'muted' }, 'Loading…'));
  ctx.poll(0, async () => {
    const c = await api<Catalogue>('/api/models');
    mount(
      ctx.root,
      h('h2', {}, 'Models'),
      h('p', { class: 'muted' }, `MODEL_DIR ${c.modelDir}: ${c.models.length} loaded, ${c.refused.length} refused`),
      h('div', { id: 'models' }, c.models.map(modelCard)),
      h('h2', {}, 'Refused models'),
      c.refused.length
        ? h('table', { id: 'refused', class: 'list' }, h('tbody', {}, c.refused.map((r) => h('tr', { 'data-model': r.id }, h('td', {}, h('code', {}, r.id)), h('td', {}, h('code', {}, r.code)), h('td', {}, h('code', {}, r.field)), h('td', {}, r.message)))))
        : h('p', { class: 'muted', id: 'refused' }, 'None.'),
    );
  });
}
