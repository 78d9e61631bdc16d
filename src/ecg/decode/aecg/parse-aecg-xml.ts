import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { asElement, children, type XmlElement } from './xml-element';

const HL7_V3_NS = 'urn:hl7-org:v3';

// Left as raw text (the validator has still checked them): `digits`, which scanDigits reads
// strictly, and what is nested inside a top-level annotation (per-beat waves and intervals, ROIs),
// which no reader uses. Parsing those is most of the time a large aECG takes.
const SKIPPED = [
  '*.digits',
  'AnnotatedECG.component.series.subjectOf.annotationSet.component.annotation.component',
  'AnnotatedECG.component.series.derivation.derivedSeries.subjectOf.annotationSet.component.annotation.component',
];

// Local names only (the aECG schema has one namespace; xsi:type becomes @type), every element an
// array so that a repeated element never changes shape, and no number guessing: digits, ids and
// times stay strings until a reader parses them for what they are.
const parser = new XMLParser({
  stopNodes: SKIPPED,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  alwaysCreateTextNode: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (_name, _jPath, _isLeaf, isAttribute) => !isAttribute,
});

/** The root's start tag declares the HL7 v3 namespace for the prefix it uses. */
function declaresHl7Namespace(xml: string): boolean {
  const m = /<(?:([A-Za-z_][\w.-]*):)?AnnotatedECG\b([^>]*)>/.exec(xml);
  if (!m) return false;
  const prefix = m[1] === undefined ? 'xmlns' : `xmlns:${m[1]}`;
  return new RegExp(`\\b${prefix.replace(/[.-]/g, '\\$&')}\\s*=\\s*["']${HL7_V3_NS}["']`).test(m[2] ?? '');
}

/**
 * Checks well-formedness and parses an HL7 aECG document into its AnnotatedECG element.
 * Throws DECODE_MALFORMED (not well-formed XML) and DECODE_FORMAT_UNKNOWN (root is not AnnotatedECG).
 */
export function parseAecgXml(xml: string, warnings: DecodeWarning[]): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new DecodeError('DECODE_MALFORMED', `XML line ${valid.err.line}, column ${valid.err.col}`, `not well-formed XML: ${valid.err.msg}`);
  }
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err: unknown) {
    // The validator passed, so this is a DOCTYPE the parser refuses (external or parameter entities).
    throw new DecodeError('DECODE_MALFORMED', 'XML DOCTYPE', `XML the parser cannot read: ${err instanceof Error ? err.message : 'unknown error'}`, err);
  }
  const root = children(asElement(doc), 'AnnotatedECG')[0];
  if (!root) throw new DecodeError('DECODE_FORMAT_UNKNOWN', 'AnnotatedECG', 'root element is not an HL7 aECG AnnotatedECG');
  if (!declaresHl7Namespace(xml)) {
    warnings.push({ code: 'AECG_NAMESPACE', field: 'AnnotatedECG/@xmlns', message: `AnnotatedECG is not in the ${HL7_V3_NS} namespace` });
  }
  return root;
}
