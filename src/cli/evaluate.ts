import { cliErrorLine, exitCodeFor } from './cli-error-line';
import type { CliIo } from './inspect.command';

/**
 * Entry of `npm run evaluate` (node dist/cli/evaluate.js …): runs evaluate.command with the
 * process's arguments and environment and sets the exit code (2 bad input, 1 otherwise).
 */
export async function main(argv: readonly string[], io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }): Promise<number> {
  try {
    const { evaluateCommand } = await import('./evaluate.command');
    return await evaluateCommand(argv, io, process.env);
  } catch (err: unknown) {
    io.err(cliErrorLine(err));
    return exitCodeFor(err);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
