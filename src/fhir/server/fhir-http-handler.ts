import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '@medplum/core';
import type { FhirEngine } from './fhir-engine';

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Serves a FhirEngine over node:http (also used under Express/Nest, whose req/res extend these):
 * reads and parses the JSON body, passes `path` below `basePath`, writes application/fhir+json.
 */
export async function handleFhirHttp(engine: FhirEngine, basePath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return send(res, 400, badRequest('the request target is not a valid URL'));
  }
  const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || '/' : url.pathname;
  let body: unknown;
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const text = await readBody(req);
    if (text === undefined) return send(res, 413, badRequest('request body too large'));
    try {
      body = text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
    } catch (err: unknown) {
      if (!(err instanceof SyntaxError)) throw err;
      return send(res, 400, badRequest('request body is not JSON'));
    }
  }
  const prefer = String(req.headers['prefer'] ?? '');
  const response = await engine.handle({ method, path, query: url.search.slice(1), body, preferMinimal: /return=minimal/.test(prefer) });
  const headers = { ...response.headers };
  if (headers['location']) headers['location'] = `${basePath}/${headers['location']}`;
  send(res, response.status, response.body, headers);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
