// pako 2.2 ships no types (no @types/pako installed); only the call the DICOM decoder makes.
declare module 'pako' {
  /** RFC 1951 raw inflate; throws a string message on corrupt or incomplete input. */
  export function inflateRaw(data: Uint8Array): Uint8Array;
}
