import { cliErrorLine, exitCodeFor } from './cli-error-line';
import { inspectCommand, type CliIo } from './inspect.command';
import { sendCommand } from './send.command';

const USAGE = `usage: ecg-gateway <command> [options]
  serve                         start the gateway (what npm start runs)
  inspect <file…> [--samples N] decode files and print each EcgRecord summary as JSON
  score <file…> [--model id] [--model-dir dir]
                                run the models on each file; print values, strata or indeterminate reasons as JSON
  bundle <file…> [--model id] [--model-dir dir] [--patient-reference conditional-reference|conditional-create] [--recorded-at ISO] [--pretty]
                                decode, score and map offline; print each FHIR R4 transaction Bundle as JSON
  send <file…> [--to host:port] push files to a running gateway (HL7 over MLLP, DICOM by C-STORE); prints each ACK or status
  token create <name> | token list | token revoke <name>
                                API tokens of /api and the console (in DATA_DIR or DATABASE_URL); create prints the token once`;

type Command = (argv: readonly string[], io: CliIo) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  inspect: inspectCommand,
  // loaded on use: it brings onnxruntime's native library
  score: async (argv, io) => (await import('./score.command')).scoreCommand(argv, io, process.env),
  bundle: async (argv, io) => (await import('./bundle.command')).bundleCommand(argv, io, process.env),
  send: sendCommand,
  token: async (argv, io) => (await import('./token.command')).tokenCommand(argv, io, process.env),
  serve: async () => {
    const { serve } = await import('../main');
    await serve();
    return 0;
  },
};

/** Runs one CLI command; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`error CLI_USAGE command: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
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
