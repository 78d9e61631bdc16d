import type { LeadName } from './lead-name';

/**
 * Einthoven/Goldberger: III = II − I, aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2.
 * Adds whichever of III, aVR, aVL, aVF are missing when I and II are present; returns the names added.
 */
export function deriveLimbLeads(leads: Map<LeadName, Float32Array>): LeadName[] {
  const i = leads.get('I');
  const ii = leads.get('II');
  if (!i || !ii || i.length !== ii.length) return [];
  const formulas: Array<[LeadName, (a: number, b: number) => number]> = [
    ['III', (a, b) => b - a],
    ['aVR', (a, b) => (0 - a - b) / 2], // written so that 0 stays +0
    ['aVL', (a, b) => a - b / 2],
    ['aVF', (a, b) => b - a / 2],
  ];
  const added: LeadName[] = [];
  for (const [name, f] of formulas) {
    if (leads.has(name)) continue;
    const out = new Float32Array(i.length);
    for (let k = 0; k < i.length; k++) out[k] = f(i[k] as number, ii[k] as number);
    leads.set(name, out);
    added.push(name);
  }
  return added;
}
