import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { checkRequiredBindings } from './required-bindings';

/**
 * R4 validation of a request body the way a server sees it: structure, cardinality, types,
 * invariants (@medplum/core validateResource) and required terminology bindings. In a
 * transaction, `urn:uuid:` references are first resolved to the type of the entry they name
 * (as the server will rewrite them), since a bare urn:uuid says nothing about its target type.
 * Returns the issues; empty means valid.
 */
export function validateRequestBody(body: Resource): OperationOutcomeIssue[] {
  const target = body.resourceType === 'Bundle' ? withTypedPlaceholders(body) : body;
  const issues: OperationOutcomeIssue[] = [];
  try {
    validateResource(target);
  } catch (err: unknown) {
    if (err instanceof OperationOutcomeError) issues.push(...(err.outcome.issue ?? []));
    else throw err;
  }
  issues.push(...checkRequiredBindings(target));
  return issues;
}

export function outcomeOf(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

function withTypedPlaceholders(bundle: Bundle): Bundle {
  const types = new Map<string, string>();
  (bundle.entry ?? []).forEach((e, i) => {
    if (e.fullUrl?.startsWith('urn:uuid:') && e.resource?.resourceType) types.set(e.fullUrl, `${e.resource.resourceType}/placeholder-${i}`);
  });
  if (types.size === 0) return bundle;
  return JSON.parse(JSON.stringify(bundle), (key, value: unknown) => (key === 'reference' && typeof value === 'string' && types.has(value) ? types.get(value) : value)) as Bundle;
}
