/** A lead sequence for a hand-built aECG: digits as written, origin/scale as value + unit. */
export interface LeadSpec {
  code: string;
  digits: string;
  scale?: string;
  scaleUnit?: string;
  origin?: string | null;
  originUnit?: string;
}

export interface AecgSpec {
  seriesCode?: string;
  /** Another series written before the main one (e.g. a REPRESENTATIVE_BEAT series first). */
  seriesBefore?: string;
  increment?: string;
  incrementUnit?: string;
  timeCode?: string;
  timeType?: string;
  leads: LeadSpec[];
  annotations?: string;
  declaration?: string;
  rootOpen?: string;
}

function leadXml(lead: LeadSpec): string {
  const origin = lead.origin === null ? '' : `<origin value="${lead.origin ?? '0'}" unit="${lead.originUnit ?? 'uV'}"/>`;
  return `<component><sequence><code code="${lead.code}" codeSystem="2.16.840.1.113883.6.24"/>
    <value xsi:type="SLIST_PQ">${origin}<scale value="${lead.scale ?? '2.5'}" unit="${lead.scaleUnit ?? 'uV'}"/>
    <digits>${lead.digits}</digits></value></sequence></component>`;
}

export function seriesXml(spec: AecgSpec): string {
  const time = `<component><sequence><code code="${spec.timeCode ?? 'TIME_ABSOLUTE'}" codeSystem="2.16.840.1.113883.5.4"/>
    <value xsi:type="${spec.timeType ?? 'GLIST_TS'}"><head value="20240102030405.000"/>
    <increment value="${spec.increment ?? '0.002'}" unit="${spec.incrementUnit ?? 's'}"/></value></sequence></component>`;
  return `<component><series><code code="${spec.seriesCode ?? 'RHYTHM'}" codeSystem="2.16.840.1.113883.5.4"/>
    <component><sequenceSet>${time}${spec.leads.map(leadXml).join('')}</sequenceSet></component>
    ${spec.annotations ?? ''}</series></component>`;
}

/** A minimal, schema-shaped AnnotatedECG document: one series, one sequenceSet. */
export function buildAecgXml(spec: AecgSpec): string {
  const open =
    spec.rootOpen ?? '<AnnotatedECG xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">';
  return `${spec.declaration ?? ''}${open}<id root="1.2.3.4" extension="DOC-1"/>
    ${spec.seriesBefore ?? ''}${seriesXml(spec)}</AnnotatedECG>`;
}

export function bytes(xml: string): Uint8Array {
  return new TextEncoder().encode(xml);
}
