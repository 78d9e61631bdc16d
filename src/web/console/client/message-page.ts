import ecgCodes from '../../../../mappings/ecg-codes.json';
import { api, ApiError, describeError } from './api';
import { ecgDrawing } from './ecg-drawing';
import { h, mount } from './element';
import { detailText, errorLine, sender, stateBadge, time } from './format';
import type { PageContext } from './page';
import { modelResultView } from './results-view';
import type { AuditEntry, Delivery, MessageDetail, MessageItem, Waveform } from './types';

const SETTLED = new Set(['delivered', 'failed', 'dead']);
const DELIVERY_WORDS: Readonly<Record<string, string>> = { delivered: 'Delivered', retrying: 'Retrying', dead: 'Gave up' };

/** A location the EHR returned (`Observation/1/_history/1` or absolute) as a link into it. */
function fhirHref(location: string, target: string | undefined): string {
  if (/^https?:\/\//.test(location)) return location;
  const base = target === undefined || target === 'embedded' ? `${window.location.origin}/fhir` : target.replace(/\/$/, '');
  return `${base}/${location.replace(/\/_history\/[^/]+$/, '')}`;
}

function replayButton(m: MessageDetail, ctx: PageContext, after: () => void): HTMLElement | null {
  if (m.state !== 'failed' && m.state !== 'dead') return null;
  const button = h('button', { id: 'replay', class: 'replay', 'data-id': m.id, onclick: () => {
    button.disabled = true;
    api(`/api/messages/${m.id}/replay`, { method: 'POST' }).then(after).catch(ctx.fail);
  } }, 'Replay');
  return button;
}

/** Names and units from mappings/ecg-codes.json (bundled at build time), keyed by LOINC code as the summary is. */
const MEASUREMENT_NAMES: Readonly<Record<string, { display: string; unit: string }>> = ecgCodes.measurements;

function measurementRow(code: string, value: number): HTMLTableRowElement {
  const known = MEASUREMENT_NAMES[code];
  return h('tr', { 'data-code': code }, h('th', {}, known?.display ?? code), h('td', {}, `${value} ${known?.unit ?? ''}`, ' ', h('code', { class: 'muted' }, `LOINC ${code}`)));
}

function summaryView(m: MessageDetail): HTMLElement {
  const s = m.summary;
  if (!s) return h('p', { class: 'muted' }, 'Not decoded.');
  const leads = Object.keys(s.leads ?? {}).map((l) => ((s.derivedLeads ?? []).includes(l) ? `${l}*` : l));
  const rows: Array<[string, unknown]> = [
    ['Format', `${s.format ?? '–'}${s.source?.['encoding'] ? ` (${s.source['encoding']})` : ''}`],
    ['Leads', `${leads.join(' ')}${(s.derivedLeads ?? []).length ? '   (* derived)' : ''}`],
    ['Sample rate', `${s.sampleRateHz ?? '–'} Hz`],
    ['Duration', `${s.durationS ?? '–'} s (${s.samplesPerLead ?? '–'} samples per lead)`],
    ['Acquired', s.acquisitionTime ?? '–'],
    ['Patient', [s.patient?.['id'], s.patient?.['issuer'] ? `(${s.patient['issuer']})` : '', s.patient?.['family'], s.patient?.['given'], s.patient?.['birthDate'], s.patient?.['sex']].filter(Boolean).join(' ')],
    ['Order', Object.entries(s.order ?? {}).map(([k, v]) => `${k} ${v}`).join(' · ')],
    ['Device', [s.source?.['manufacturer'], s.source?.['deviceModel'], s.source?.['softwareVersion']].filter(Boolean).join(' ') || '–'],
  ];
  const measurements = Object.entries(s.measurements ?? {});
  return h(
    'div',
    { id: 'summary' },
    h('table', { class: 'kv' }, rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, String(v || '–'))))),
    h('h4', {}, 'Device measurements'),
    measurements.length ? h('table', { class: 'kv', id: 'measurements' }, measurements.map(([code, v]) => measurementRow(code, v))) : h('p', { class: 'muted' }, 'None sent.'),
    (s.warnings ?? []).length ? h('ul', { class: 'warnings' }, (s.warnings ?? []).map((w) => h('li', {}, errorLine(w)))) : null,
  );
}

function timelineView(m: MessageDetail): HTMLElement {
  return h(
    'table',
    { id: 'timeline', class: 'list' },
    h('thead', {}, h('tr', {}, ['At', 'Event', 'State', 'Detail'].map((t) => h('th', {}, t)))),
    h('tbody', {}, m.timeline.map((e) => h('tr', { 'data-event': e.event, 'data-state': e.state }, h('td', {}, time(e.at)), h('td', {}, e.event), h('td', {}, stateBadge(e.state)), h('td', { class: 'detail' }, detailText(e.detail))))),
  );
}

function deliveryView(d: Delivery | undefined, current: string | undefined): HTMLElement {
  if (!d) return h('p', { class: 'muted', id: 'fhir' }, 'Nothing delivered yet.');
  // The target recorded at delivery wins: FHIR_BASE_URL may have changed since.
  const target = d.target ?? current;
  return h(
    'div',
    { id: 'fhir' },
    h('p', { 'data-delivery': d.state }, `${DELIVERY_WORDS[d.state] ?? d.state} after ${d.attempts} attempt(s) to ${target === undefined || target === 'embedded' ? "the gateway's embedded /fhir" : target}`, d.nextAttemptAt ? ['; next attempt ', time(d.nextAttemptAt)] : ''),
    d.locations?.length ? h('ul', { class: 'fhir-links' }, d.locations.map((l) => h('li', {}, h('a', { href: fhirHref(l, target), target: '_blank', rel: 'noopener' }, l)))) : null,
    d.operationOutcome ? h('pre', { class: 'outcome' }, JSON.stringify(d.operationOutcome, null, 2)) : null,
  );
}

async function auditView(id: string): Promise<HTMLElement> {
  try {
    const page = await api<{ items: AuditEntry[] }>(`/api/audit?messageId=${id}&limit=50`);
    if (!page.items.length) return h('p', { class: 'muted', id: 'audit' }, 'No entries.');
    return h('table', { id: 'audit', class: 'list' }, h('tbody', {}, page.items.map((a) => h('tr', { 'data-action': a.action }, h('td', {}, time(a.at)), h('td', {}, a.principal), h('td', {}, a.action), h('td', { class: 'muted' }, a.detail === undefined ? '' : JSON.stringify(a.detail))))));
  } catch (err: unknown) {
    return h('p', { class: 'muted', id: 'audit' }, `Audit trail unavailable: ${describeError(err)}`);
  }
}

async function waveformView(id: string, width: number): Promise<HTMLElement | SVGSVGElement> {
  try {
    const w = await api<Waveform>(`/api/messages/${id}/waveform`);
    const note = `${w.durationS.toFixed(1)} s at ${w.sampleRateHz} Hz${w.sourceSampleRateHz !== w.sampleRateHz ? ` (resampled from ${w.sourceSampleRateHz} Hz)` : ''}${w.truncated ? ', first 10 s shown' : ''}`;
    return h('figure', { class: 'ecg-figure' }, ecgDrawing(w, width), h('figcaption', { class: 'muted' }, note));
  } catch (err: unknown) {
    if (err instanceof ApiError) return h('p', { class: 'muted', id: 'ecg-missing' }, `No drawing: ${describeError(err)}`);
    throw err;
  }
}

/** The message's updatedAt as the list reports it (since ≤ receivedAt < until). */
async function listedUpdate(id: string, receivedAt: string): Promise<string | undefined> {
  const until = new Date(new Date(receivedAt).getTime() + 1).toISOString();
  const page = await api<{ items: MessageItem[] }>(`/api/messages?since=${encodeURIComponent(receivedAt)}&until=${encodeURIComponent(until)}&limit=500`);
  return page.items.find((m) => m.id === id)?.updatedAt;
}

/** One message: what happened to it (timeline, errors, delivery), what it holds, the ECG drawn, the models' verdicts. */
export function renderMessage(ctx: PageContext, id: string): void {
  const head = h('div', { id: 'message' });
  const live = h('div');
  const drawing = h('div', { class: 'ecg-wrap' }, h('p', { class: 'muted' }, 'Loading the ECG…'));
  mount(ctx.root, h('p', {}, h('a', { href: '#/messages' }, '← Messages')), head, drawing, live);
  let drawn = false;
  let target: string | undefined;
  let lastUpdate = '';
  let receivedAt = '';
  let missing = false;
  ctx.poll(2000, async () => {
    if (missing) return;
    // Each GET of a message is an audited "open": after the first, the page watches the message's
    // updatedAt through the (unaudited) list, narrowed to its receive instant, and reads the
    // message again only when it changed, so watching a retrying message does not flood the trail.
    if (receivedAt && (await listedUpdate(id, receivedAt)) === lastUpdate) return;
    let m: MessageDetail;
    try {
      m = await api<MessageDetail>(`/api/messages/${id}`);
    } catch (err: unknown) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      missing = true;
      mount(head, h('h2', { id: 'not-found' }, 'No such message'), h('p', { class: 'muted' }, describeError(err)));
      mount(drawing);
      return;
    }
    receivedAt = m.receivedAt;
    if (m.updatedAt === lastUpdate) return;
    lastUpdate = m.updatedAt;
    target ??= await api<{ checks: Record<string, { detail?: { target?: string } }> }>('/health').then((x) => x.checks['fhir']?.detail?.target, () => undefined);
    mount(head, h('h2', {}, m.sourceId ?? m.id, ' ', stateBadge(m.state)), h('p', { class: 'muted' }, `${m.protocol} from ${sender(m)} · received `, time(m.receivedAt), ` · ${m.sizeBytes} bytes · sha256 ${m.sha256.slice(0, 16)}…`, m.repeats ? ` · ${m.repeats} repeat(s)` : ''), m.lastError ? h('p', { class: 'last-error' }, 'Last error: ', errorLine(m.lastError)) : null, replayButton(m, ctx, () => undefined));
    const scores = m.results?.scores ?? [];
    mount(
      live,
      h('h3', {}, 'Model results'),
      h('div', { id: 'results' }, scores.length ? scores.map(modelResultView) : h('p', { class: 'muted' }, SETTLED.has(m.state) && m.state !== 'delivered' ? 'Not scored.' : 'Not scored yet.')),
      h('h3', {}, 'FHIR resources written'),
      deliveryView(m.results?.delivery, target),
      h('h3', {}, 'Timeline'),
      timelineView(m),
      h('h3', {}, 'Decoded summary'),
      summaryView(m),
      h('h3', {}, 'Audit trail'),
      await auditView(id),
    );
    if (!drawn && m.summary) {
      drawn = true;
      mount(drawing, await waveformView(id, drawing.clientWidth || 1000));
    } else if (!drawn && SETTLED.has(m.state)) mount(drawing, h('p', { class: 'muted', id: 'ecg-missing' }, 'No drawing: the message did not decode.'));
  });
}
