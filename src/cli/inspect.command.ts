import { decodeEcg } from '../ecg/decode/decode-ecg';
import { summariseRecord } from '../ecg/summarise-record';
import { GatewayError } from '../errors/gateway-error';
import { forEachFile } from './for-each-file';
import { parseArgs } from './parse-args';
import { readEcgFile } from './read-ecg-file';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `inspect <file…> [--samples N]`: one JSON object per file; exit 2 if any file is refused. */
export function inspectCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positional, options } = parseArgs(argv, ['samples']);
  const samples = options['samples'] === undefined ? 0 : Number(options['samples']);
  if (!Number.isInteger(samples) || samples < 0) throw new GatewayError('CLI_USAGE', '--samples takes a whole number', { field: '--samples' });
  if (positional.length === 0) throw new GatewayError('CLI_USAGE', 'inspect needs at least one file', { field: 'file' });
  return forEachFile(positional, io, (file) => {
    const record = decodeEcg(readEcgFile(file));
    io.out(JSON.stringify({ file, ...summariseRecord(record, samples) }));
  });
}
