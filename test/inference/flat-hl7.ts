/**
 * The same HL7 v2 ECG with every waveform sample set to 0 (a flat line), under another MSH-10:
 * OBX segments of value type MA/NA keep their structure, only the numbers change.
 */
export function flattenHl7Waveform(text: string, controlId: string): string {
  return text
    .split('\r')
    .map((seg) => {
      const f = seg.split('|');
      if (f[0] === 'MSH') f[9] = controlId;
      if (f[0] === 'OBX' && (f[2] === 'MA' || f[2] === 'NA') && f[5] !== undefined) f[5] = f[5].replace(/-?\d+(\.\d+)?/g, '0');
      return f.join('|');
    })
    .join('\r');
}
