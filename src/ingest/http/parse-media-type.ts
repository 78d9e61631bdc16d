import { GatewayError } from '../../errors/gateway-error';
import type { ErrorCode } from '../../errors/error-codes';

export interface MediaType {
  /** `type/subtype`, lower-cased. */
  essence: string;
  /** Parameter names lower-cased; values as sent (quoted-strings unquoted). */
  params: ReadonlyMap<string, string>;
}

// RFC 9110 §5.6.2 token and §5.6.4 quoted-string.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const QUOTED = /^"((?:[^"\\\r\n]|\\[\t\x20-\x7e\x80-\xff])*)"/;

/**
 * Parses a Content-Type value (RFC 9110 §8.3.1: `type/subtype *( OWS ";" OWS name=value )`).
 * Throws `code` (field Content-Type) when the syntax is broken or a parameter repeats.
 */
export function parseMediaType(value: string, code: ErrorCode, field = 'Content-Type'): MediaType {
  const fail = (why: string): never => {
    throw new GatewayError(code, `${field} is not a valid media type: ${why}`, { field });
  };
  let rest = value.trim();
  const type = TOKEN.exec(rest)?.[0] ?? fail('no type');
  rest = rest.slice(type.length);
  if (!rest.startsWith('/')) fail('no "/" after the type');
  rest = rest.slice(1);
  const subtype = TOKEN.exec(rest)?.[0] ?? fail('no subtype');
  rest = rest.slice(subtype.length);
  const params = new Map<string, string>();
  for (;;) {
    rest = rest.replace(/^[ \t]*/, '');
    if (rest === '') break;
    if (!rest.startsWith(';')) fail('parameters must be separated by ";"');
    rest = rest.slice(1).replace(/^[ \t]*/, '');
    if (rest === '') break;
    const name = TOKEN.exec(rest)?.[0] ?? fail('bad parameter name');
    rest = rest.slice(name.length);
    if (!rest.startsWith('=')) fail(`parameter ${name} has no value`);
    rest = rest.slice(1);
    let v: string;
    const quoted = QUOTED.exec(rest);
    if (quoted) {
      v = quoted[1]!.replace(/\\(.)/g, '$1');
      rest = rest.slice(quoted[0].length);
    } else {
      v = TOKEN.exec(rest)?.[0] ?? fail(`parameter ${name} has a bad value`);
      rest = rest.slice(v.length);
    }
    const key = name.toLowerCase();
    if (params.has(key)) fail(`parameter ${key} repeats`);
    params.set(key, v);
  }
  return { essence: `${type}/${subtype}`.toLowerCase(), params };
}
