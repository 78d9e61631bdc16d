import type { LeadName } from './lead-name';

/** Where an ECG came from, as detected from content (never from a file name). */
export type EcgFormat = 'dicom' | 'hl7v2' | 'aecg' | 'wfdb' | 'scp-ecg' | 'ge-muse' | 'philips-xml';

/** How it reached the gateway. */
export type SourceProtocol = 'mllp' | 'dimse' | 'stow-rs' | 'file';

export interface PatientIdentity {
  id?: string;
  /** Assigning authority (PID-3.4) or Issuer of Patient ID (0010,0021). */
  issuer?: string;
  family?: string;
  given?: string;
  /** ISO date, YYYY-MM-DD (or YYYY-MM / YYYY when the source is less precise). */
  birthDate?: string;
  /** Administrative sex as sent: M, F, O, U (HL7 0001 / DICOM CS). */
  sex?: string;
}

export interface OrderIdentifiers {
  accessionNumber?: string;
  placerOrderNumber?: string;
  fillerOrderNumber?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  sopClassUid?: string;
  /** HL7 MSH-10. */
  messageControlId?: string;
  /** The source document's own id (HL7 aECG AnnotatedECG/id): `root^extension`, or `root` alone. */
  documentId?: string;
}

/** A measurement the device (cart, ECG management system) reported, keyed by LOINC code. */
export interface DeviceMeasurement {
  value: number;
  /** UCUM unit: ms, deg, /min. */
  unit: string;
  /** The code the source used (MDC "2:15872", an HL7 OBX-3 …), for traceability. */
  sourceCode?: string;
}

export interface EcgSource {
  format: EcgFormat;
  protocol?: SourceProtocol;
  /** MSH-3 / MSH-4 for HL7; calling AE title for DIMSE. */
  sendingApplication?: string;
  sendingFacility?: string;
  callingAeTitle?: string;
  manufacturer?: string;
  deviceModel?: string;
  deviceSerial?: string;
  softwareVersion?: string;
  /** The DICOM transfer syntax or HL7 version the bytes used. */
  encoding?: string;
  /** For HL7 messages that wrap another format in OBX ED: the inner format. */
  wrappedFormat?: EcgFormat;
}

/** A non-fatal oddity the decoder accepted: code + field, never patient values. */
export interface DecodeWarning {
  code: string;
  field: string;
  message: string;
}

/**
 * The canonical ECG every decoder produces and everything downstream consumes.
 * Leads are microvolts, all with the same length and sampling rate, in standard order first.
 */
export interface EcgRecord {
  format: EcgFormat;
  sampleRateHz: number;
  samplesPerLead: number;
  /** Keyed by LeadName: standard names (I … V6) first, then any others the source carries. */
  leads: Readonly<Record<string, Float32Array>>;
  /** Leads the gateway computed (III, aVR, aVL, aVF from I and II) rather than received. */
  derivedLeads: LeadName[];
  /** ISO 8601 date-time of the first sample, with offset when the source gives one. */
  acquisitionTime?: string;
  patient: PatientIdentity;
  order: OrderIdentifiers;
  measurements: Readonly<Record<string, DeviceMeasurement>>;
  source: EcgSource;
  warnings: DecodeWarning[];
}
