/**
 * The value of one cookie from a Cookie header (RFC 6265 §4.2.1: `name=value` pairs joined by
 * `; `). Hand-written rather than a dependency: the gateway reads only its own base64url
 * session cookie, so no decoding or quoting rules are needed beyond stripping DQUOTEs.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}
