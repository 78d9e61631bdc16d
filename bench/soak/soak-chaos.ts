import type { FhirServerProcess } from '../../test/helpers/fhir-server-process';
import type { ReplicaSet } from './replica-set';

export interface KillEvent {
  /** Seconds since the soak's first send. */
  atS: number;
  killedPid: number;
  newPid: number;
  /** How long the replacement took to answer /health. */
  restartS: number;
}

export interface KillLoop {
  events: KillEvent[];
  /** Replacements that did not come up (the slot stays empty; the run fails). */
  restartFailures: string[];
  /** No kill starts after this; resolves once a restart in progress is done. */
  stop: () => Promise<void>;
}

/**
 * Every random [minS, maxS] seconds: SIGKILL a random replica and start its replacement with the
 * same env (new ports), until stopped or maxKills (0 = no limit). One kill at a time; at least one
 * replica is always left alive so that the senders have somewhere to go.
 */
export function startKillLoop(replicas: ReplicaSet, o: { minS: number; maxS: number; maxKills: number; t0: number }, random: () => number, log: (line: string) => void): KillLoop {
  const events: KillEvent[] = [];
  const restartFailures: string[] = [];
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped && (o.maxKills === 0 || events.length < o.maxKills)) {
      const waitMs = 1000 * (o.minS + random() * (o.maxS - o.minS));
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, waitMs);
      });
      if (stopped) break;
      const started = Date.now();
      // A failed start must not end the loop as an unhandled rejection (the cleanup would not run).
      const kill = await replicas.killAndRestart(random).catch((err: unknown) => {
        restartFailures.push(err instanceof Error ? err.message.split('\n')[0]! : String(err));
        log(`a replacement replica did not start: ${restartFailures[restartFailures.length - 1]}`);
        return undefined;
      });
      if (!kill) continue;
      const event = { atS: (started - o.t0) / 1000, ...kill, restartS: (Date.now() - started) / 1000 };
      events.push(event);
      log(`kill ${events.length}: pid ${kill.killedPid} at ${event.atS.toFixed(1)} s, replacement pid ${kill.newPid} up after ${event.restartS.toFixed(1)} s`);
    }
  })();
  return {
    events,
    restartFailures,
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

export interface OutageRecord {
  /** Seconds since the soak's first send. */
  startS: number;
  /** How long connections were refused, measured. */
  lengthS: number;
  /** A request to the server during the outage got a connection error (it was really down). */
  refusedVerified: boolean;
}

/** After atS seconds, the FHIR server refuses connections for lengthS seconds, then comes back on the same port with its data. */
export async function fhirOutage(fhir: FhirServerProcess, atS: number, lengthS: number, t0: number, log: (line: string) => void): Promise<OutageRecord> {
  await new Promise((r) => setTimeout(r, Math.max(0, t0 + atS * 1000 - Date.now())));
  await fhir.refuseConnections();
  const down = Date.now();
  log(`FHIR server down at ${((down - t0) / 1000).toFixed(1)} s for ${lengthS} s`);
  const refusedVerified = await fetch(`${fhir.baseUrl}/metadata`).then(
    () => false,
    () => true,
  );
  await new Promise((r) => setTimeout(r, lengthS * 1000));
  await fhir.acceptConnections();
  const lengthMeasured = (Date.now() - down) / 1000;
  log(`FHIR server back after ${lengthMeasured.toFixed(1)} s`);
  return { startS: (down - t0) / 1000, lengthS: lengthMeasured, refusedVerified };
}
