import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchHeader, formatTable } from '../bench-header';

export interface SoakResult {
  options: Record<string, unknown>;
  toSend: { hl7: number; dicom: number };
  sent: number;
  sendsWithRetries: number;
  acknowledged: number;
  notAcknowledged: number;
  store: { delivered: number; dead: number; failed: number; inPipeline: number; absent: number; idsWithMoreThanOneRow: number };
  fhir: { ecgObservationsFound: number; duplicateEcgIdentifiers: number; duplicateResultIdentifiers: number; observations: number; riskAssessments: number };
  /** From the store's timelines: the chaos really hit the work. */
  evidence: { deliveryAttempts: number; failedDeliveryAttempts: number; leaseTakeovers: number };
  /** Dead-lettered ECGs: attempts, last error code, and whether the EHR has them anyway (an attempt that timed out had committed). */
  dead: Array<{ id: string; attempts: number; code: string; inFhir: boolean }>;
  lost: number;
  lostIds: string[];
  duplicatedIds: string[];
  replicas: number;
  kills: number;
  restartFailures: string[];
  meanRestartS: number;
  outage: { startS: number; lengthS: number; refusedVerified: boolean } | undefined;
  sendingS: number;
  drained: boolean;
  /** Last ACK → every acknowledged ECG delivered or dead. */
  timeToDrainS: number;
  totalS: number;
  deadlineHit: boolean;
  failures: string[];
  /** Per message id (synthetic ids, no patient data): sends, ACK, final store state, ECG Observations in the EHR (-1: not acknowledged, not counted). JSON only. */
  messages: Array<{ id: string; kind: string; sends: number; acked: boolean; state: string; inFhir: number }>;
}

/** Why the run fails (empty = passed): what the issue asks to hold, plus what would make the numbers meaningless. */
export function verdict(r: Omit<SoakResult, 'failures'>): string[] {
  const why: string[] = [];
  if (r.lost > 0) why.push(`${r.lost} acknowledged ECG(s) missing in the EHR`);
  if (r.fhir.duplicateEcgIdentifiers > 0 || r.fhir.duplicateResultIdentifiers > 0) why.push('duplicates in the EHR');
  if (r.notAcknowledged > 0) why.push(`${r.notAcknowledged} ECG(s) never acknowledged`);
  if (!r.drained) why.push('did not drain in time');
  if (r.deadlineHit) why.push('global deadline reached');
  if (r.restartFailures.length > 0) why.push(`${r.restartFailures.length} replacement replica(s) did not start`);
  if (r.outage && !r.outage.refusedVerified) why.push('the FHIR outage did not refuse connections');
  return why;
}

function deadNote(dead: SoakResult['dead']): string {
  if (dead.length === 0) return '';
  const codes = [...new Set(dead.map((d) => d.code))].join(', ');
  return `; ${codes}; ${dead.filter((d) => d.inFhir).length} of them in the EHR anyway`;
}

export function tableRows(r: SoakResult): Array<Record<string, string | number>> {
  const row = (measure: string, value: string | number, note = '') => ({ measure, value, note });
  return [
    row('ECGs to send', r.toSend.hl7 + r.toSend.dicom, `${r.toSend.hl7} HL7 over MLLP, ${r.toSend.dicom} DICOM C-STORE`),
    row('sent', r.sent, `${r.sendsWithRetries} sends with the resends`),
    row('acknowledged', r.acknowledged, 'MLLP AA / C-STORE success'),
    row('not acknowledged', r.notAcknowledged, 'senders gave up'),
    row('delivered (store)', r.store.delivered, ''),
    row('dead-lettered (store)', r.store.dead, `${r.store.failed} failed decode/score${deadNote(r.dead)}`),
    row('still in the pipeline', r.store.inPipeline, `${r.store.absent} acknowledged but not in the store`),
    row('in the FHIR server', r.fhir.ecgObservationsFound, 'ECG Observation found by identifier'),
    row('duplicates', r.fhir.duplicateEcgIdentifiers + r.fhir.duplicateResultIdentifiers, `ECG ${r.fhir.duplicateEcgIdentifiers}, any result identifier ${r.fhir.duplicateResultIdentifiers} (${r.fhir.observations} Observations, ${r.fhir.riskAssessments} RiskAssessments)`),
    row('lost', r.lost, 'acknowledged, not in FHIR, not dead'),
    row('replicas', r.replicas, 'PostgreSQL, one shared schema'),
    row('kills (SIGKILL + restart)', r.kills, `mean restart to /health ${r.meanRestartS.toFixed(1)} s`),
    row('EHR delivery attempts', r.evidence.deliveryAttempts, `${r.evidence.failedDeliveryAttempts} failed and retried; ${r.evidence.leaseTakeovers} claims taken over after a lease expired`),
    row('FHIR outage (s)', r.outage ? Number(r.outage.lengthS.toFixed(1)) : 0, r.outage ? `from ${r.outage.startS.toFixed(1)} s, connections refused: ${r.outage.refusedVerified ? 'yes' : 'NO'}` : 'none'),
    row('sending (s)', Number(r.sendingS.toFixed(1)), 'first send → last ACK'),
    row('time to drain (s)', Number(r.timeToDrainS.toFixed(1)), r.drained ? 'last ACK → every acknowledged ECG delivered or dead' : 'NOT drained'),
    row('total (s)', Number(r.totalS.toFixed(1)), r.deadlineHit ? 'deadline reached' : ''),
    row('result', r.failures.length === 0 ? 'PASS' : 'FAIL', r.failures.join('; ')),
  ];
}

export const TITLE = 'soak: replicas on PostgreSQL under SIGKILL and an EHR outage, senders resending until ACKed';

/** Prints the table and writes it as JSON and markdown under outDir; returns the paths written. */
export function report(r: SoakResult, outDir: string): string[] {
  const rows = tableRows(r);
  console.log(benchHeader());
  console.log(formatTable(TITLE, rows));
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = join(outDir, `soak-${stamp}.json`);
  const md = join(outDir, `soak-${stamp}.md`);
  writeFileSync(json, `${JSON.stringify({ header: benchHeader(), ...r }, null, 2)}\n`);
  writeFileSync(
    md,
    [`# ${TITLE}`, '', benchHeader(), '', '| measure | value | note |', '|---|---|---|', ...rows.map((x) => `| ${x.measure} | ${x.value} | ${x.note} |`), ''].join('\n'),
  );
  return [json, md];
}
