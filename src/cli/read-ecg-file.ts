import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EcgInput } from '../ecg/decode/decode-ecg';
import { GatewayError } from '../errors/gateway-error';

/** Reads an ECG file for the CLI, with a reader for companion files (WFDB .dat beside .hea). */
export function readEcgFile(path: string): EcgInput {
  if (!existsSync(path)) throw new GatewayError('FILE_UNREADABLE', 'no such file', { field: 'file' });
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err: unknown) {
    throw new GatewayError('FILE_UNREADABLE', 'cannot read file', { field: 'file', cause: err });
  }
  const dir = dirname(path);
  return {
    bytes,
    readCompanion: (name: string) => {
      if (name.includes('/') || name.includes('\\') || name.startsWith('..')) {
        throw new GatewayError('FILE_UNREADABLE', 'companion file outside the record folder', { field: 'WFDB signal file' });
      }
      const p = join(dir, name);
      if (!existsSync(p)) throw new GatewayError('FILE_UNREADABLE', `companion file ${name} not found`, { field: 'WFDB signal file' });
      return readFileSync(p);
    },
  };
}
