/**
 * An element as `parseAecgXml` leaves it: child elements are always arrays (under their local
 * name), attributes are `@name` strings, text is `#text`. Outside input, so every read narrows.
 */
export interface XmlElement {
  readonly [key: string]: unknown;
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Narrows a parser result to an element, or undefined. */
export function asElement(value: unknown): XmlElement | undefined {
  return isElement(value) ? value : undefined;
}

/** All child elements with this local name, in document order. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  const value = el?.[name];
  return Array.isArray(value) ? value.filter(isElement) : [];
}

/** The first child element with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(el, name)[0];
}

/** Follows a path of local names, taking the first match at each step. */
export function descend(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let at = el;
  for (const name of names) at = child(at, name);
  return at;
}

/** An attribute value, trimmed; undefined when absent or empty. */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  const value = el?.[`@${name}`];
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}

/** The element's own text (trimmed by the parser); '' when it has none. */
export function text(el: XmlElement | undefined): string {
  const value = el?.['#text'];
  return typeof value === 'string' ? value : '';
}

/** The `code` attribute of the element's `code` child: how aECG names series, sequences, annotations. */
export function codeOf(el: XmlElement | undefined): string | undefined {
  return attr(child(el, 'code'), 'code');
}
