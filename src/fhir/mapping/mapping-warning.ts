/** A non-fatal mapping oddity (a lead with no code, a measurement left out): code + field, never patient values. */
export interface MappingWarning {
  code: string;
  field: string;
  message: string;
}
