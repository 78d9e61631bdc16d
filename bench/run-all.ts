import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { benchHeader, formatTable } from './bench-header';

type Row = Readonly<Record<string, string | number>>;

/** What every `bench/*.bench.ts` exports: `run()` (rows of one table) and optionally its `title`. */
interface BenchModule {
  run: () => readonly Row[] | Promise<readonly Row[]>;
  title?: string;
}

function isBenchModule(m: unknown): m is BenchModule {
  return typeof m === 'object' && m !== null && typeof (m as { run?: unknown }).run === 'function';
}

/**
 * `npm run bench [-- <name filter…>] [--json]`: runs each bench file's `run()` one after the
 * other (never in parallel: they would measure each other) and prints a table per file under one
 * header (Node version, CPU model, cores). `--json` prints one JSON document instead, for
 * comparing branches.
 */
async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const filters = argv.filter((a) => !a.startsWith('--'));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  const results: Array<{ bench: string; title: string; rows: readonly Row[]; error?: string }> = [];
  if (!json) console.log(benchHeader());
  let failed = 0;
  for (const file of files) {
    const name = basename(file, '.bench.js');
    const mod: unknown = await import(join(__dirname, file));
    if (!isBenchModule(mod)) {
      console.error(`${file}: exports no run(); skipped`);
      continue;
    }
    const title = mod.title ?? name;
    try {
      const rows = await mod.run();
      results.push({ bench: name, title, rows });
      if (!json) console.log(`\n${formatTable(title, rows)}`);
    } catch (err: unknown) {
      failed++;
      const error = err instanceof Error ? err.message : String(err);
      results.push({ bench: name, title, rows: [], error });
      if (!json) console.log(`\n${title}\nFAILED: ${error}`);
    }
  }
  if (json) console.log(JSON.stringify({ header: benchHeader(), results }, null, 2));
  return failed === 0 ? 0 : 1;
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
