/** One sample line of the Prometheus text exposition format (0.0.4). */
export interface PromSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface PromExposition {
  /** Metric family name → its `# TYPE`. */
  types: ReadonlyMap<string, string>;
  samples: readonly PromSample[];
}

const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+-?\\d+)?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/** As Prometheus reads it (Go's strconv.ParseFloat: NaN and Inf in any case; prom-client writes "Nan"). */
function parseValue(text: string, line: number): number {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) return special[2]!.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`line ${line}: value "${text}" is not a number`);
  return value;
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const m = LABEL.exec(text);
    if (!m) throw new Error(`line ${line}: malformed labels {${text}}`);
    labels[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/** The family a sample belongs to: histogram/summary series carry _bucket, _sum, _count. */
function familyOf(name: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const type = types.get(base);
  return type === 'histogram' || type === 'summary' ? base : undefined;
}

/**
 * Parses the text format strictly: every line is HELP, TYPE, a sample or blank; every sample
 * belongs to a family declared by a `# TYPE` line before it; histogram buckets carry `le`.
 * Throws naming the line otherwise.
 */
export function parsePrometheusText(text: string): PromExposition {
  const types = new Map<string, string>();
  const samples: PromSample[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const type = new RegExp(`^# TYPE (${NAME}) (\\S+)$`).exec(raw);
      if (type) {
        if (!TYPES.has(type[2]!)) throw new Error(`line ${line}: unknown type ${type[2]!}`);
        if (types.has(type[1]!)) throw new Error(`line ${line}: second TYPE for ${type[1]!}`);
        types.set(type[1]!, type[2]!);
      } else if (!new RegExp(`^# HELP ${NAME} `).test(raw)) throw new Error(`line ${line}: malformed comment: ${raw}`);
      return;
    }
    const m = SAMPLE.exec(raw);
    if (!m) throw new Error(`line ${line}: malformed sample: ${raw}`);
    const sample = { name: m[1]!, labels: parseLabels(m[2] ?? '', line), value: parseValue(m[3]!, line) };
    const family = familyOf(sample.name, types);
    if (family === undefined) throw new Error(`line ${line}: ${sample.name} has no # TYPE line before it`);
    if (types.get(family) === 'histogram' && sample.name.endsWith('_bucket') && sample.labels['le'] === undefined) throw new Error(`line ${line}: bucket without le`);
    samples.push(sample);
  });
  return { types, samples };
}

/** Sum of the samples named `name` whose labels include every pair in `where` (0 when none). */
export function sumOf(exposition: PromExposition, name: string, where: Readonly<Record<string, string>> = {}): number {
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

/** GET <baseUrl>/metrics, parsed; fails unless 200 with the text format's content type. */
export async function scrapeMetrics(baseUrl: string): Promise<PromExposition> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (!/^text\/plain;.*version=0\.0\.4/.test(type)) throw new Error(`/metrics content type ${type}`);
  return parsePrometheusText(await res.text());
}
