import { GatewayError } from '../../errors/gateway-error';

export interface MultipartPart {
  /** Header names lower-cased. */
  headers: ReadonlyMap<string, string>;
  /** A view into the request body (no copy). */
  body: Buffer;
}

// RFC 2046 §5.1.1: 1 to 70 bchars, not ending in a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

function malformed(why: string): never {
  throw new GatewayError('INGEST_MULTIPART_MALFORMED', `multipart body: ${why}`, { field: 'body' });
}

/**
 * Splits a buffered multipart body (RFC 2046 §5.1.1, as multipart/related uses it, RFC 2387)
 * into parts. Strict: the opening delimiter, each part's header block and the close delimiter
 * must be there; preamble and epilogue are ignored; header folding is refused.
 * Throws INGEST_MULTIPART_MALFORMED naming the broken rule.
 *
 * Written by hand because no maintained CommonJS parser for multipart/*related* fits: busboy
 * only accepts multipart/form-data, dicer is unmaintained, the newer parsers are ESM-only or
 * stream-to-disk. The body is already size-limited and buffered, so a split on Buffer.indexOf
 * is both simple and fast.
 */
export function parseMultipartRelated(body: Buffer, boundary: string): MultipartPart[] {
  if (!BOUNDARY.test(boundary)) malformed('boundary parameter is not 1-70 valid characters');
  const dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
  const delimiter = Buffer.concat([CRLF, dashBoundary]);

  // The first dash-boundary starts the body or follows a CRLF ending the preamble.
  let pos: number;
  if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) pos = dashBoundary.length;
  else {
    const at = body.indexOf(delimiter);
    if (at < 0) malformed('opening boundary not found');
    pos = at + delimiter.length;
  }

  const parts: MultipartPart[] = [];
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // close-delimiter: "--boundary--"
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++; // transport padding
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) malformed(`no CRLF after boundary (part ${parts.length + 1})`);
    pos += 2;

    let headerText = '';
    let bodyStart: number;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) bodyStart = pos + 2; // no headers
    else {
      const end = body.indexOf(HEADERS_END, pos);
      if (end < 0) malformed(`headers of part ${parts.length + 1} do not end`);
      headerText = body.toString('latin1', pos, end);
      bodyStart = end + HEADERS_END.length;
    }
    const next = body.indexOf(delimiter, bodyStart);
    if (next < 0) malformed(`part ${parts.length + 1} is not closed by a boundary`);

    const headers = new Map<string, string>();
    for (const line of headerText === '' ? [] : headerText.split('\r\n')) {
      const m = HEADER_LINE.exec(line);
      if (!m) malformed(`bad header line in part ${parts.length + 1}`);
      headers.set(m[1]!.toLowerCase(), m[2]!);
    }
    parts.push({ headers, body: body.subarray(bodyStart, next) });
    pos = next + delimiter.length;
  }
  return parts;
}
