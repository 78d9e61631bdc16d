import pino, { type Logger } from 'pino';

/**
 * Paths that may hold patient data if someone logs a record or a resource by mistake.
 * The rule is not to log them at all (style.md, Logging); redact is the safety net.
 */
export const REDACT_PATHS = [
  'patient', '*.patient', 'record', '*.record', 'resource', '*.resource', 'raw', '*.raw',
  'name', '*.name', 'family', '*.family', 'given', '*.given', 'birthDate', '*.birthDate',
  'patientId', '*.patientId', 'accessionNumber', '*.accessionNumber', 'leads', '*.leads',
  // A stored message's decoded summary carries its identifiers.
  'summary', '*.summary',
];

/**
 * The one root logger: JSON lines on stdout by default. Written synchronously: an operator
 * reading why the gateway stopped must find the last lines (the async default loses what is
 * buffered when Nest re-raises SIGTERM after its shutdown hooks); a line costs microseconds.
 */
export function createRootLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: 'ecg-gateway' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return pino(options, destination ? (destination as pino.DestinationStream) : pino.destination({ dest: 1, sync: true }));
}
