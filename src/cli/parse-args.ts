import { GatewayError } from '../errors/gateway-error';

export interface ParsedArgs {
  positional: string[];
  options: Record<string, string | true>;
}

/** Minimal `--name value` / `--flag` parser; the known options and whether they take a value come from the command. */
export function parseArgs(argv: readonly string[], valued: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new GatewayError('CLI_USAGE', `--${name} needs a value`, { field: `--${name}` });
      options[name] = value;
    } else if (flags.includes(name)) {
      options[name] = true;
    } else {
      throw new GatewayError('CLI_USAGE', `unknown option --${name}`, { field: `--${name}` });
    }
  }
  return { positional, options };
}
