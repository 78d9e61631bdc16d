import { toGatewayError } from '../errors/gateway-error';

/** One readable stderr line: `error <CODE> <field>: <message>` — no stack, no patient data. */
export function cliErrorLine(err: unknown, file?: string): string {
  const e = toGatewayError(err);
  const where = file === undefined ? '' : `${file}: `;
  return `${where}error ${e.code} ${e.field ?? '-'}: ${e.message}`;
}

/** Exit 2 for bad input (the caller can fix the file), 1 for anything else. */
export function exitCodeFor(err: unknown): 1 | 2 {
  const kind = toGatewayError(err).kind;
  return kind === 'bad-input' || kind === 'unsupported' ? 2 : 1;
}
