import type { ZodIssue } from 'zod';
import { GatewayError } from '../errors/gateway-error';
import { manifestSchema, type ModelManifest } from './manifest.schema';

/** `['input', 'filters', 1, 'type']` → `input.filters[1].type`. */
export function formatIssuePath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(root)' : out;
}

function issueLine(issue: ZodIssue): string {
  return `${formatIssuePath(issue.path)}: ${issue.message}`;
}

/**
 * Validates a parsed manifest.json of the model in folder `folderId`.
 * Throws MODEL_MANIFEST_INVALID with one line `model <id>: <field>: <rule>` (every issue, `; `-joined).
 */
export function parseManifest(raw: unknown, folderId: string): ModelManifest {
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0];
    throw new GatewayError('MODEL_MANIFEST_INVALID', `model ${folderId}: ${issues.map(issueLine).join('; ')}`, {
      field: first ? formatIssuePath(first.path) : '(root)',
    });
  }
  if (parsed.data.id !== folderId) {
    throw new GatewayError('MODEL_MANIFEST_INVALID', `model ${folderId}: id: "${parsed.data.id}" does not match the folder name "${folderId}"`, { field: 'id' });
  }
  return parsed.data;
}
