import { cliErrorLine, exitCodeFor } from './cli-error-line';
import type { CliIo } from './inspect.command';

/**
 * Runs `handle` on each file in turn. A file that fails prints one error line and does not stop
 * the others; the result is the worst exit code (0 when every file succeeded).
 */
export async function forEachFile(files: readonly string[], io: CliIo, handle: (file: string) => void | Promise<void>): Promise<number> {
  let exit = 0;
  for (const file of files) {
    try {
      await handle(file);
    } catch (err: unknown) {
      io.err(cliErrorLine(err, file));
      exit = Math.max(exit, exitCodeFor(err));
    }
  }
  return exit;
}
