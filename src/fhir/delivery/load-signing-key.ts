import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, importJWK, importPKCS8, type JWK, type JSONWebKeySet, type KeyLike } from 'jose';
import { GatewayError } from '../../errors/gateway-error';
import type { SigningKey, SmartSigningAlg } from './smart-backend-auth';

export interface LoadedSigningKey {
  signingKey: SigningKey;
  /** The public half, to register with the EHR's authorization server. */
  publicJwks: JSONWebKeySet;
}

/**
 * Reads FHIR_PRIVATE_KEY_FILE: a JWKS (`{"keys":[…]}`, the first private RS/EC key is used), a
 * single private JWK, or a PKCS#8 PEM. The algorithm comes from FHIR_JWT_ALG, else the JWK's
 * `alg`, else the key type (RSA → RS384, EC P-384 → ES384); the kid from FHIR_KEY_ID, else the
 * JWK's `kid`, else its RFC 7638 thumbprint. Throws CONFIG_INVALID naming the problem.
 */
export async function loadSigningKey(path: string, options: { alg?: SmartSigningAlg; kid?: string } = {}): Promise<LoadedSigningKey> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err: unknown) {
    throw new GatewayError('CONFIG_INVALID', `FHIR_PRIVATE_KEY_FILE cannot be read: ${err instanceof Error ? err.message : 'unreadable'}`, { field: 'FHIR_PRIVATE_KEY_FILE', cause: err });
  }
  try {
    if (text.trimStart().startsWith('{')) {
      const parsed = JSON.parse(text) as { keys?: JWK[] } & JWK;
      const jwk = (parsed.keys ?? [parsed]).find((k) => typeof k.d === 'string' && (k.kty === 'RSA' || k.kty === 'EC'));
      if (!jwk) throw new Error('no private RSA or EC key in the JWK(S)');
      const alg = options.alg ?? (jwk.alg as SmartSigningAlg | undefined) ?? algFor(jwk);
      const key = await importJWK(jwk, alg);
      const pub = publicPart(jwk);
      const kid = options.kid ?? jwk.kid ?? (await calculateJwkThumbprint(pub));
      return { signingKey: { key, kid, alg }, publicJwks: { keys: [{ ...pub, kid, alg, use: 'sig' }] } };
    }
    // The PEM says its key type; the algorithm follows from it unless FHIR_JWT_ALG says otherwise.
    const probe = await importPKCS8(text, options.alg ?? 'RS384', { extractable: true });
    const alg = options.alg ?? algFor(await exportJWK(probe));
    const key: KeyLike = alg === (options.alg ?? 'RS384') ? probe : await importPKCS8(text, alg, { extractable: true });
    const pub = publicPart(await exportJWK(key));
    const kid = options.kid ?? (await calculateJwkThumbprint(pub));
    return { signingKey: { key, kid, alg }, publicJwks: { keys: [{ ...pub, kid, alg, use: 'sig' }] } };
  } catch (err: unknown) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError('CONFIG_INVALID', `FHIR_PRIVATE_KEY_FILE is not a usable RS384/ES384 private key: ${err instanceof Error ? err.message : 'invalid'}`, {
      field: 'FHIR_PRIVATE_KEY_FILE',
      cause: err,
    });
  }
}

function algFor(jwk: JWK): SmartSigningAlg {
  if (jwk.kty === 'RSA') return 'RS384';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  throw new Error(`key type ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ''} cannot sign RS384 or ES384`);
}

function publicPart(jwk: JWK): JWK {
  const { kty, n, e, crv, x, y } = jwk;
  const out: JWK = { kty: kty! };
  if (n !== undefined) out.n = n;
  if (e !== undefined) out.e = e;
  if (crv !== undefined) out.crv = crv;
  if (x !== undefined) out.x = x;
  if (y !== undefined) out.y = y;
  return out;
}
