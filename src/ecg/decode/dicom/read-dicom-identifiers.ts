import { parseDate } from '../../parse-datetime';
import type { DecodeWarning, EcgSource, OrderIdentifiers, PatientIdentity } from '../../record';
import type { DicomDataset } from './dicom-dataset';
import { fieldOf, TAG } from './dicom-tags';
import { asciiOf, itemsOf, textOf, type TextDecode } from './dicom-values';
import { readUid } from './read-uid';

export interface DicomIdentifiers {
  patient: PatientIdentity;
  order: OrderIdentifiers;
  source: EcgSource;
}

/** Sets `key` only when there is a value (exactOptionalPropertyTypes: no explicit undefined). */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

// PS3.5 §6.2.1: PN is up to three component groups (alphabetic=ideographic=phonetic) of
// family^given^middle^prefix^suffix. The first non-empty group is used.
function putName(patient: PatientIdentity, pn: string | undefined): void {
  if (pn === undefined) return;
  const group = pn.split('=').find((g) => g.replace(/\^/g, '').trim() !== '');
  if (group === undefined) return;
  const [family, given, middle] = group.split('^').map((c) => c.trim());
  put(patient, 'family', family || undefined);
  put(patient, 'given', [given, middle].filter((c) => c !== undefined && c !== '').join(' ') || undefined);
}

/**
 * Patient (C.7.1.1), order and instance identifiers (General Study/Series, SOP Common, Request
 * Attributes) and equipment (C.7.5.1). Malformed UIDs and dates give warnings, never errors.
 */
export function readDicomIdentifiers(ds: DicomDataset, decode: TextDecode, transferSyntaxUid: string, warnings: DecodeWarning[]): DicomIdentifiers {
  const patient: PatientIdentity = {};
  put(patient, 'id', textOf(ds, TAG.PatientID, decode));
  put(patient, 'issuer', textOf(ds, TAG.IssuerOfPatientID, decode));
  putName(patient, textOf(ds, TAG.PatientName, decode));
  const birth = asciiOf(ds, TAG.PatientBirthDate);
  const birthDate = parseDate(birth);
  if (birth !== undefined && birthDate === undefined) {
    warnings.push({ code: 'DATE_MALFORMED', field: fieldOf(TAG.PatientBirthDate), message: 'not a DICOM DA value (YYYYMMDD); ignored' });
  }
  put(patient, 'birthDate', birthDate);
  put(patient, 'sex', asciiOf(ds, TAG.PatientSex)?.toUpperCase());

  const request = itemsOf(ds, TAG.RequestAttributesSequence)[0];
  const order: OrderIdentifiers = {};
  put(order, 'accessionNumber', textOf(ds, TAG.AccessionNumber, decode) ?? (request && textOf(request, TAG.AccessionNumber, decode)));
  put(order, 'placerOrderNumber', textOf(ds, TAG.PlacerOrderNumberImagingServiceRequest, decode));
  put(order, 'fillerOrderNumber', textOf(ds, TAG.FillerOrderNumberImagingServiceRequest, decode));
  put(order, 'studyInstanceUid', readUid(ds, TAG.StudyInstanceUID, warnings));
  put(order, 'seriesInstanceUid', readUid(ds, TAG.SeriesInstanceUID, warnings));
  put(order, 'sopInstanceUid', readUid(ds, TAG.SOPInstanceUID, warnings));
  put(order, 'sopClassUid', readUid(ds, TAG.SOPClassUID, warnings));

  const source: EcgSource = { format: 'dicom', encoding: transferSyntaxUid };
  put(source, 'manufacturer', textOf(ds, TAG.Manufacturer, decode));
  put(source, 'deviceModel', textOf(ds, TAG.ManufacturerModelName, decode));
  put(source, 'deviceSerial', textOf(ds, TAG.DeviceSerialNumber, decode));
  put(source, 'softwareVersion', textOf(ds, TAG.SoftwareVersions, decode)?.replace(/\\/g, ' '));
  return { patient, order, source };
}
