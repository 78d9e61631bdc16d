import pino, { type Logger } from 'pino';

/**
 * Paths that may hold patient data if someone logs a record or a resource by mistake.
 * The rule is not to log them at all (style.md, Logging); redact is the safety net.
 */
export const REDACT_PATHS = [
  'patient', '*.patient', 'record', '*.record', 'resource', '*.resource', 'raw', '*.raw',
  'name', '*.name', 'family', '*.family', 'given', '*.given', 'birthDate', '*.birthDate',
  'patientId', '*.patientId', 'accessionNumber', '*.accessionNumber', 'leads', '*.leads',
];

export function createRootLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: 'ecg-gateway' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
