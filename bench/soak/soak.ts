import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { startFhirServer, type FhirServerProcess } from '../../test/helpers/fhir-server-process';
import { REPO_ROOT } from '../../test/helpers/paths';
import { createSchema, dropSchema, uniqueSchemaName, urlWithSchema } from '../../test/store/postgres-test-schema';
import { ReplicaSet } from './replica-set';
import { seededRandom } from '../../src/evaluation/seeded-random';
import { fhirOutage, startKillLoop, type OutageRecord } from './soak-chaos';
import { deadLetters, FINAL_STATES, identifierCounts, pooled, storeRowsPerId, storeStates, timelineEvidence } from './soak-count';
import { DicomEcgs, Hl7Ecgs, type SoakEcg } from './soak-ecgs';
import { parseSoakArgs, type SoakOptions } from './soak-options';
import { report, verdict, type SoakResult } from './soak-report';
import { runSenders, type SendRecord } from './soak-senders';

/**
 * The soak/chaos run of issue 9: N gateway replicas on one PostgreSQL schema deliver to an external
 * FHIR server process while senders (MLLP and C-STORE) resend until ACKed, a random replica is
 * SIGKILLed and restarted every few seconds, and the FHIR server refuses connections for a while.
 * Loopback only; every phase is bounded and the whole run ends by --deadline. Exit 0 only when
 * every acknowledged ECG is in the EHR exactly once (see verdict()).
 */

/** Time kept back from the deadline for counting, the table and the cleanup (counting 2,000 ECGs' resources takes over a minute on 2 busy cores; less in a short run). */
const reserveMs = (deadlineS: number) => Math.min(150_000, (deadlineS * 1000) / 6);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const log = (t0: number) => (line: string) => process.stderr.write(`[soak ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

function gatewayEnv(o: SoakOptions, databaseUrl: string, fhirBaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    FHIR_BASE_URL: fhirBaseUrl,
    // The two small contract models: the soak is about the queue, not about model time.
    MODEL_DIR: join(REPO_ROOT, 'test-models'),
    PIPELINE_LEASE_MS: String(o.leaseMs),
    // The config requires 5 × FHIR_TIMEOUT_MS < PIPELINE_LEASE_MS (the claim is the lock).
    FHIR_TIMEOUT_MS: String(Math.floor(o.leaseMs / 5) - 100),
    PIPELINE_POLL_MS: '50',
    DELIVERY_BACKOFF_BASE_MS: String(o.backoffBaseMs),
    DELIVERY_BACKOFF_MAX_MS: String(o.backoffMaxMs),
    FHIR_SOURCE_TIMEZONE: 'UTC',
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: randomBytes(24).toString('base64url'),
  };
}

function makeEcgs(o: SoakOptions, hl7: Hl7Ecgs, dicom: DicomEcgs): SoakEcg[] {
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const nDicom = Math.round(o.count * o.dicomShare);
  const ecgs: SoakEcg[] = [];
  for (let i = 0; i < o.count; i++) {
    // Interleaved so that both protocols run through the whole soak.
    const isDicom = nDicom > 0 && Math.floor(((i + 1) * nDicom) / o.count) > Math.floor((i * nDicom) / o.count);
    ecgs.push(isDicom ? dicom.make() : hl7.make(`SOAK-${tag}-${i + 1}`));
  }
  return ecgs;
}

async function main(argv: readonly string[]): Promise<number> {
  const o = parseSoakArgs(argv);
  const started = Date.now();
  const deadlineAt = started + o.deadlineS * 1000;
  const reserve = reserveMs(o.deadlineS);
  let say = log(started);
  const schema = uniqueSchemaName();
  const scratch = mkdtempSync(join(tmpdir(), 'ecggw-soak-'));
  const dicom = new DicomEcgs(join(scratch, 'dicom'));
  const hl7 = new Hl7Ecgs();
  const random = seededRandom(o.seed);
  let fhir: FhirServerProcess | undefined;
  let replicas: ReplicaSet | undefined;
  let db: Client | undefined;
  // A last resort if a phase hangs past its bound: kill every child now, then exit non-zero.
  const watchdog = setTimeout(() => {
    process.stderr.write('soak: hard deadline (deadline + 2 min): killing every process it started\n');
    replicas?.killAllNow();
    fhir?.child.kill('SIGKILL');
    process.exit(3);
  }, o.deadlineS * 1000 + 120_000);
  watchdog.unref();

  try {
    say(`options ${JSON.stringify(o)}; schema ${schema}`);
    await createSchema(schema);
    fhir = await startFhirServer();
    replicas = new ReplicaSet(gatewayEnv(o, urlWithSchema(schema), fhir.baseUrl), o.replicas);
    await replicas.start();
    db = new Client({ connectionString: urlWithSchema(schema) });
    await db.connect();
    say(`${o.replicas} replicas up (pids ${replicas.live().map((g) => g.child.pid).join(', ')}), FHIR server on ${fhir.port}`);

    const ecgs = makeEcgs(o, hl7, dicom);
    const t0 = Date.now();
    say = log(t0);
    // Sending leaves as much again to the drain.
    const stopAt = Math.min(t0 + o.durationS * 1000, deadlineAt - 2 * reserve);
    const kills = startKillLoop(replicas, { minS: o.killMinS, maxS: o.killMaxS, maxKills: o.maxKills, t0 }, random, say);
    // Caught here: a rejection left pending until the await below would crash the run before its cleanup.
    const outage: Promise<OutageRecord | undefined> =
      o.outageS > 0
        ? fhirOutage(fhir, o.outageAtS, o.outageS, t0, say).catch((err: unknown) => {
            say(`FHIR outage failed: ${err instanceof Error ? err.message : String(err)}`);
            return { startS: -1, lengthS: 0, refusedVerified: false };
          })
        : Promise.resolve(undefined);
    const live = replicas.live.bind(replicas);
    let records: readonly SendRecord[] = [];
    const progress = setInterval(() => say(`acknowledged ${records.filter((r) => r.acked).length}/${ecgs.length}, live replicas ${live().length}`), 10_000);
    const sending = runSenders(ecgs, { hl7, dicom, hl7Senders: o.hl7Senders, dicomSenders: o.dicomSenders, maxSendAttempts: o.maxSendAttempts, stopAt, live }, (r) => (records = r));
    records = await sending;
    clearInterval(progress);
    const acked = records.filter((r) => r.acked);
    const lastAck = Math.max(t0, ...acked.map((r) => r.ackedAt ?? 0));
    say(`sending done: ${acked.length}/${ecgs.length} acknowledged; kills go on for ${o.graceS} s`);
    await sleep(Math.max(0, Math.min(o.graceS * 1000, deadlineAt - reserve - Date.now())));
    await kills.stop();
    const outageRecord = await outage;

    // Drain: every acknowledged ECG delivered or dead (bounded by --drain and the deadline).
    const ackedIds = acked.map((r) => r.ecg.id);
    const drainUntil = Math.min(Date.now() + o.drainS * 1000, deadlineAt - reserve);
    let states = await storeStates(db, ackedIds);
    let lastLog = 0;
    while (!ackedIds.every((id) => FINAL_STATES.has(states.get(id) ?? '')) && Date.now() < drainUntil) {
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        say(`draining: ${ackedIds.filter((id) => FINAL_STATES.has(states.get(id) ?? '')).length}/${ackedIds.length} final`);
      }
      await sleep(1000);
      states = await storeStates(db, ackedIds);
    }
    const drained = ackedIds.every((id) => FINAL_STATES.has(states.get(id) ?? ''));
    const drainedAt = Date.now();
    say(drained ? 'drained' : 'NOT drained in time; counting what is there');

    // Count in the EHR, by identifier: the ECG Observation of every acknowledged ECG…
    const systems = loadFhirMappings()['identifier-systems'];
    const server = fhir;
    const ecgCounts = await pooled(acked, 8, (r) => server.countByIdentifier('Observation', systems.ecg, r.ecg.ecgKey));
    // …and any identifier on more than one Observation or RiskAssessment (a duplicated result).
    const obs = await identifierCounts(server, 'Observation');
    const ras = await identifierCounts(server, 'RiskAssessment');
    const duplicateResult = [...obs.counts, ...ras.counts].filter(([, n]) => n > 1).map(([k]) => k);
    const rowsPerId = await storeRowsPerId(db, ackedIds);

    const lostIds = acked.filter((r, i) => ecgCounts[i] === 0 && states.get(r.ecg.id) !== 'dead').map((r) => r.ecg.id);
    const duplicatedIds = acked.filter((_, i) => (ecgCounts[i] ?? 0) > 1).map((r) => r.ecg.id);
    const stateCount = (s: string) => ackedIds.filter((id) => states.get(id) === s).length;
    const result: Omit<SoakResult, 'failures'> = {
      options: { ...o },
      toSend: { hl7: ecgs.filter((e) => e.kind === 'hl7').length, dicom: ecgs.filter((e) => e.kind === 'dicom').length },
      sent: records.filter((r) => r.attempts > 0).length,
      sendsWithRetries: records.reduce((a, r) => a + r.attempts, 0),
      acknowledged: acked.length,
      notAcknowledged: records.length - acked.length,
      store: {
        delivered: stateCount('delivered'),
        dead: stateCount('dead'),
        failed: stateCount('failed'),
        inPipeline: ackedIds.filter((id) => states.has(id) && !FINAL_STATES.has(states.get(id)!)).length,
        absent: ackedIds.filter((id) => !states.has(id)).length,
        idsWithMoreThanOneRow: [...rowsPerId.values()].filter((n) => n > 1).length,
      },
      fhir: {
        ecgObservationsFound: ecgCounts.filter((n) => n > 0).length,
        duplicateEcgIdentifiers: duplicatedIds.length,
        duplicateResultIdentifiers: duplicateResult.length,
        observations: obs.resources,
        riskAssessments: ras.resources,
      },
      evidence: await timelineEvidence(db),
      dead: (await deadLetters(db, ackedIds)).map((d) => ({ ...d, inFhir: (ecgCounts[ackedIds.indexOf(d.id)] ?? 0) > 0 })),
      lost: lostIds.length,
      lostIds,
      duplicatedIds,
      replicas: o.replicas,
      kills: kills.events.length,
      restartFailures: kills.restartFailures,
      meanRestartS: kills.events.reduce((a, e) => a + e.restartS, 0) / (kills.events.length || 1),
      outage: outageRecord,
      sendingS: (lastAck - t0) / 1000,
      drained,
      timeToDrainS: (drainedAt - lastAck) / 1000,
      totalS: (Date.now() - started) / 1000,
      deadlineHit: Date.now() > deadlineAt,
      messages: records.map((r) => ({ id: r.ecg.id, kind: r.ecg.kind, sends: r.attempts, acked: r.acked, state: states.get(r.ecg.id) ?? '', inFhir: r.acked ? (ecgCounts[ackedIds.indexOf(r.ecg.id)] ?? 0) : -1 })),
    };
    const failures = verdict(result);
    const written = report({ ...result, failures }, resolve(REPO_ROOT, o.outDir));
    say(`table written to ${written.join(', ')}`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await replicas?.stopAll();
    await fhir?.stop();
    await db?.end().catch(() => undefined);
    await dropSchema(schema).catch((err: unknown) => say(`could not drop schema ${schema}: ${err instanceof Error ? err.message : String(err)}`));
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
