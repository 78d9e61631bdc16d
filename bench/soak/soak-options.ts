/** What one soak run does; every bound has a default so `npm run soak` alone is the full run. */
export interface SoakOptions {
  /** ECGs to send (distinct message ids). */
  count: number;
  /** Share of them sent as DICOM C-STORE; the rest go over MLLP. */
  dicomShare: number;
  hl7Senders: number;
  dicomSenders: number;
  replicas: number;
  /** Sending stops after this even if not every ECG was acknowledged. */
  durationS: number;
  /** The whole run (start to table) ends by then; over it, the table is printed and the exit is non-zero. */
  deadlineS: number;
  /** Random wait between two kills, uniform in [min, max]. */
  killMinS: number;
  killMaxS: number;
  /** 0 = no limit. */
  maxKills: number;
  /** Kills go on this long after the last ACK, then stop for the drain. */
  graceS: number;
  /** How long the FHIR server refuses connections (0 = no outage), and when it starts (s after the first send). */
  outageS: number;
  outageAtS: number;
  /** A killed replica's claims come back after this (PIPELINE_LEASE_MS); FHIR_TIMEOUT_MS follows (× 5 < lease). */
  leaseMs: number;
  /** The replicas' DELIVERY_BACKOFF_BASE_MS / DELIVERY_BACKOFF_MAX_MS. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long to wait for every acknowledged ECG to be delivered or dead. */
  drainS: number;
  /** Per message: sends of the same id before the sender gives up on it (it then counts as not acknowledged). */
  maxSendAttempts: number;
  /** Where the table goes as JSON and markdown. */
  outDir: string;
  seed: number;
}

export const DEFAULT_OPTIONS: SoakOptions = {
  count: 2000,
  dicomShare: 0.25,
  hl7Senders: 3,
  dicomSenders: 2,
  replicas: 3,
  durationS: 600,
  deadlineS: 900,
  killMinS: 3,
  killMaxS: 8,
  maxKills: 0,
  graceS: 10,
  outageS: 30,
  outageAtS: 15,
  leaseMs: 10_000,
  // Faster than the defaults (2 s, 10 min) so the drain is quick, yet with the equal-jitter backoff
  // of retry-policy.ts the default 12 attempts still span ≥ 42 s: more than the 30 s outage.
  backoffBaseMs: 1_000,
  backoffMaxMs: 10_000,
  drainS: 240,
  maxSendAttempts: 40,
  outDir: 'test-artifacts/soak',
  seed: Date.now() % 1_000_000,
};

const FLAGS: Record<string, keyof SoakOptions> = {
  '--count': 'count',
  '--dicom-share': 'dicomShare',
  '--hl7-senders': 'hl7Senders',
  '--dicom-senders': 'dicomSenders',
  '--replicas': 'replicas',
  '--duration': 'durationS',
  '--deadline': 'deadlineS',
  '--kill-min': 'killMinS',
  '--kill-max': 'killMaxS',
  '--max-kills': 'maxKills',
  '--grace': 'graceS',
  '--outage': 'outageS',
  '--outage-at': 'outageAtS',
  '--lease-ms': 'leaseMs',
  '--backoff-base-ms': 'backoffBaseMs',
  '--backoff-max-ms': 'backoffMaxMs',
  '--drain': 'drainS',
  '--max-send-attempts': 'maxSendAttempts',
  '--out': 'outDir',
  '--seed': 'seed',
};

export const USAGE = `usage: node build/bench/soak/soak.js [${Object.keys(FLAGS)
  .map((f) => `${f} N`)
  .join('] [')}]\n(durations in seconds; --dicom-share 0..1; --out a folder)`;

/** `--flag value` pairs; throws with the usage on an unknown flag or a value that is not a number where one is needed. */
export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i += 2) {
    const key = FLAGS[argv[i] ?? ''];
    const value = argv[i + 1];
    if (!key || value === undefined) throw new Error(`unknown or incomplete option ${argv[i] ?? ''}\n${USAGE}`);
    if (key === 'outDir') options.outDir = value;
    else {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${argv[i]} needs a number ≥ 0, got ${value}\n${USAGE}`);
      options[key] = n;
    }
  }
  if (options.replicas < 1 || options.count < 1) throw new Error(`--replicas and --count must be ≥ 1\n${USAGE}`);
  if (options.killMaxS < options.killMinS) throw new Error(`--kill-max must be ≥ --kill-min\n${USAGE}`);
  if (options.dicomShare > 1) throw new Error(`--dicom-share is a fraction in 0..1\n${USAGE}`);
  return options;
}
