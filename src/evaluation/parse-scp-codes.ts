/**
 * PTB-XL's `scp_codes` column: a Python dict literal, `{'NORM': 100.0, 'SR': 0.0}` (statement →
 * likelihood %). Keys in single or double quotes (backslash escapes honoured), values any
 * number literal (`nan` accepted, as Python's repr writes it). Throws RangeError naming the
 * offset of the first thing that is not part of such a dict.
 */
export function parseScpCodes(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new RangeError(`scp_codes: expected ${what} at offset ${i}`);
  };
  ws();
  if (text[i] !== '{') fail("'{'");
  i++;
  ws();
  if (text[i] === '}') return out;
  for (;;) {
    ws();
    const q = text[i];
    if (q !== "'" && q !== '"') fail('a quoted key');
    i++;
    let key = '';
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\') i++;
      key += text[i] ?? '';
      i++;
    }
    if (i >= text.length) fail('the closing quote of a key');
    i++;
    ws();
    if (text[i] !== ':') fail("':'");
    i++;
    ws();
    const m = /^[+-]?(?:nan|inf|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/i.exec(text.slice(i));
    if (!m) fail('a number');
    const literal = m![0];
    i += literal.length;
    const lower = literal.toLowerCase().replace(/^\+/, '');
    out.set(key, lower === 'nan' || lower === '-nan' ? Number.NaN : lower.endsWith('inf') ? (lower.startsWith('-') ? -Infinity : Infinity) : Number(literal));
    ws();
    if (text[i] === ',') {
      i++;
      ws();
      if (text[i] === '}') break; // trailing comma, as Python allows
      continue;
    }
    if (text[i] === '}') break;
    fail("',' or '}'");
  }
  i++;
  ws();
  if (i !== text.length) fail('the end of the dict');
  return out;
}
