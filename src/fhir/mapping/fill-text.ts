/** Fills `{name}` placeholders of a text from mappings/fhir-vocabulary.json; unknown names stay as they are. */
export function fillText(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
