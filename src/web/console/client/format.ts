import { h } from './element';
import type { MessageItem, ResultGlance } from './types';

/** Local date and time to the second (the operator's own clock), ISO kept in the title. */
export function time(iso: string | undefined): HTMLTimeElement | string {
  if (!iso) return '–';
  const d = new Date(iso);
  return h('time', { datetime: iso, title: iso }, Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { hour12: false }));
}

export function stateBadge(state: string): HTMLSpanElement {
  return h('span', { class: `state state-${state}`, 'data-state': state }, state);
}

/** Who sent it: HL7 MSH-3/MSH-4, the DICOM calling AE title, else the address. */
export function sender(m: MessageItem): string {
  const p = m.peer;
  if (p.sendingApplication || p.sendingFacility) return [p.sendingApplication, p.sendingFacility].filter(Boolean).join(' / ');
  return p.callingAeTitle ?? p.address ?? '–';
}

/** One model's results in a few words: the highest stratum, or indeterminate with the reason. */
export function glanceBadge(g: ResultGlance): HTMLSpanElement {
  if (g.status === 'indeterminate') return h('span', { class: 'glance indeterminate', title: `${g.model}: indeterminate` }, `${g.model}: indeterminate${g.reason ? ` (${g.reason})` : ''}`);
  const high = g.high.length > 0 ? ` (${g.high.join(', ')})` : '';
  return h('span', { class: `glance stratum-${g.highest ?? 'none'}`, title: g.model }, `${g.model}: ${g.highest ? `${g.highest}${high}` : 'scored'}`);
}

export function errorLine(e: { code: string; field?: string; message: string } | undefined): HTMLElement | string {
  if (!e) return '';
  return h('span', { class: 'error-line' }, h('code', {}, e.code), e.field ? [' at ', h('code', {}, e.field)] : '', `: ${e.message}`);
}

/** A timeline event's detail as short key=value pairs (numbers, codes, statuses; never patient data). */
export function detailText(detail: Record<string, unknown> | undefined): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function percent(p: number | undefined): string {
  return p === undefined ? '–' : `${(p * 100).toFixed(1)} %`;
}
