import { readFileSync } from 'node:fs';
import { detectFormat } from '../ecg/decode/detect-format';
import { GatewayError } from '../errors/gateway-error';
import { cliErrorLine, exitCodeFor } from './cli-error-line';
import type { CliIo } from './inspect.command';
import { hl7TextForWire, MllpSender, type AckReply } from './mllp-sender';
import { parseArgs } from './parse-args';
import { sendDicomFile, type SendDicomResult } from './send-dicom';

const DEFAULT_HOST = 'localhost';
export const DEFAULT_MLLP_PORT = 2575;
export const DEFAULT_DICOM_PORT = 11112;
/** C-STORE "out of resources": the gateway could not commit now; retrying may work (exit 1, not 2). */
const STATUS_OUT_OF_RESOURCES = 0xa700;

interface Target {
  host: string;
  port?: number;
}

/** `--to host[:port]`; the port defaults per protocol (MLLP 2575, DICOM 11112). */
function parseTarget(to: string | true | undefined): Target {
  if (to === undefined) return { host: DEFAULT_HOST };
  const m = typeof to === 'string' ? /^(\[[^\]]+\]|[^:]+)?(?::(\d{1,5}))?$/.exec(to) : null;
  const port = m?.[2] === undefined ? undefined : Number(m[2]);
  if (!m || (port !== undefined && (port < 1 || port > 65535))) {
    throw new GatewayError('CLI_USAGE', '--to takes host:port', { field: '--to' });
  }
  const host = (m[1] ?? DEFAULT_HOST).replace(/^\[|\]$/g, '');
  return port === undefined ? { host } : { host, port };
}

/** The line printed for one acknowledged file, and its exit code (AA/CA 0, content NAK 2, AR 207 1). */
function describeAck(file: string, ack: AckReply): { line: string; exit: number } {
  const accepted = ack.code === 'AA' || ack.code === 'CA';
  if (accepted) return { line: `${file} ${ack.code}`, exit: 0 };
  const detail = [ack.errorCondition, ack.errorLocation].filter((v) => v).join(' ');
  const line = `${file} ${ack.code || '(no MSA-1)'}${detail ? ` ${detail}` : ''}${ack.errorText ? `: ${ack.errorText}` : ''}`;
  return { line, exit: ack.errorCondition === '207' ? 1 : 2 };
}

/** The line printed for one C-STORE, and its exit code (stored 0, refused/failed 2, out of resources 1). */
function describeStore(file: string, r: SendDicomResult): { line: string; exit: number } {
  if (r.outcome === 'refused') return { line: `${file} refused: ${r.reason}`, exit: 2 };
  const line = `${file} ${r.statusHex}${r.errorComment ? `: ${r.errorComment}` : ''}`;
  if (r.outcome === 'stored') return { line, exit: 0 };
  return { line, exit: r.status === STATUS_OUT_OF_RESOURCES ? 1 : 2 };
}

/**
 * `send <file…> [--to host[:port]]`: pushes each file to a running gateway, by its detected
 * format — HL7 v2 over MLLP (node-hl7-client, one connection for all files; port 2575) printing
 * the ACK code (and ERR) per file, DICOM by C-STORE (one association per file; port 11112)
 * printing the status. Exit 0 only when every file was accepted.
 */
export async function sendCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positional, options } = parseArgs(argv, ['to']);
  if (positional.length === 0) throw new GatewayError('CLI_USAGE', 'send needs at least one file', { field: 'file' });
  const target = parseTarget(options['to']);
  let exit = 0;
  let mllp: MllpSender | undefined;
  try {
    for (const file of positional) {
      try {
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (err: unknown) {
          throw new GatewayError('FILE_UNREADABLE', 'cannot read file', { field: 'file', cause: err });
        }
        const format = detectFormat(bytes);
        let result: { line: string; exit: number };
        if (format === 'hl7v2') {
          mllp ??= await MllpSender.connect(target.host, target.port ?? DEFAULT_MLLP_PORT);
          result = describeAck(file, await mllp.send(hl7TextForWire(bytes)));
        } else if (format === 'dicom') {
          result = describeStore(file, await sendDicomFile(file, target.host, target.port ?? DEFAULT_DICOM_PORT));
        } else {
          throw new GatewayError('DECODE_FORMAT_UNKNOWN', `send takes HL7 v2 or DICOM files; this one is ${format ?? 'not recognised'}`, { field: 'file' });
        }
        io.out(result.line);
        exit = Math.max(exit, result.exit);
      } catch (err: unknown) {
        io.err(cliErrorLine(err, file));
        exit = Math.max(exit, exitCodeFor(err));
      }
    }
  } finally {
    await mllp?.close();
  }
  return exit;
}
