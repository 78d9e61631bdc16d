import { DecodeError } from '../decode-error';
import type { WfdbSignalFile } from './read-wfdb-signal-file';
import { isSupportedFormat, SUPPORTED_FORMATS } from './unpack-wfdb-samples';
import type { WfdbHeader } from './wfdb-header';

/**
 * Groups a header's signals by signal file, in order of first mention (a record may spread its
 * signals over several files, e.g. PTB's .dat and .xyz). signal(5): one format per file.
 * Throws DECODE_UNSUPPORTED_ENCODING (a format other than 16 or 212) and DECODE_MALFORMED.
 */
export function groupWfdbSignalFiles(header: WfdbHeader): WfdbSignalFile[] {
  const files = new Map<string, WfdbSignalFile>();
  for (const signal of header.signals) {
    const field = `${header.recordName}.hea line ${signal.line}`;
    if (!isSupportedFormat(signal.format)) {
      throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', `${field} format`, `WFDB format ${signal.format} is not supported (${SUPPORTED_FORMATS.join(', ')})`);
    }
    const file = files.get(signal.fileName);
    if (!file) files.set(signal.fileName, { fileName: signal.fileName, format: signal.format, signals: [signal] });
    else if (file.format !== signal.format) {
      throw new DecodeError('DECODE_MALFORMED', `${field} format`, `signals of ${signal.fileName} are in different formats`);
    } else file.signals.push(signal);
  }
  return [...files.values()];
}
