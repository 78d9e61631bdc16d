/**
 * The DICOM attributes the waveform decoder reads, as numeric tags (group << 16 | element),
 * with their PS3.6 keywords so errors and warnings can name a field the way DICOM does:
 * `ChannelSensitivity (003A,0210)`.
 */
export const TAG = {
  // PS3.10 §7.1 File Meta Information (always Explicit VR Little Endian)
  MediaStorageSOPClassUID: 0x00020002,
  TransferSyntaxUID: 0x00020010,

  // SOP Common, General Study/Series, Waveform Identification, General Equipment (PS3.3 C.12.1, C.7, C.10.8)
  SpecificCharacterSet: 0x00080005,
  SOPClassUID: 0x00080016,
  SOPInstanceUID: 0x00080018,
  AcquisitionDate: 0x00080022,
  ContentDate: 0x00080023,
  AcquisitionDateTime: 0x0008002a,
  AcquisitionTime: 0x00080032,
  ContentTime: 0x00080033,
  AccessionNumber: 0x00080050,
  Manufacturer: 0x00080070,
  TimezoneOffsetFromUTC: 0x00080201,
  ManufacturerModelName: 0x00081090,
  StudyInstanceUID: 0x0020000d,
  SeriesInstanceUID: 0x0020000e,
  DeviceSerialNumber: 0x00181000,
  SoftwareVersions: 0x00181020,

  // Patient module (PS3.3 C.7.1.1)
  PatientName: 0x00100010,
  PatientID: 0x00100020,
  IssuerOfPatientID: 0x00100021,
  PatientBirthDate: 0x00100030,
  PatientSex: 0x00100040,

  // Request attributes and orders (PS3.3 C.4.x; not in the ECG IODs, read when present)
  RequestAttributesSequence: 0x00400275,
  PlacerOrderNumberImagingServiceRequest: 0x00402016,
  FillerOrderNumberImagingServiceRequest: 0x00402017,

  // Code Sequence Macro (PS3.3 Table 8.8-1)
  CodeValue: 0x00080100,
  CodingSchemeDesignator: 0x00080102,
  CodeMeaning: 0x00080104,

  // Waveform module (PS3.3 C.10.9, Table C.10-9)
  WaveformSequence: 0x54000100,
  MultiplexGroupTimeOffset: 0x00181068,
  WaveformOriginality: 0x003a0004,
  NumberOfWaveformChannels: 0x003a0005,
  NumberOfWaveformSamples: 0x003a0010,
  SamplingFrequency: 0x003a001a,
  MultiplexGroupLabel: 0x003a0020,
  ChannelDefinitionSequence: 0x003a0200,
  ChannelLabel: 0x003a0203,
  ChannelStatus: 0x003a0205,
  ChannelSourceSequence: 0x003a0208,
  ChannelSensitivity: 0x003a0210,
  ChannelSensitivityUnitsSequence: 0x003a0211,
  ChannelSensitivityCorrectionFactor: 0x003a0212,
  ChannelBaseline: 0x003a0213,
  WaveformBitsStored: 0x003a021a,
  WaveformBitsAllocated: 0x54001004,
  WaveformSampleInterpretation: 0x54001006,
  WaveformPaddingValue: 0x5400100a,
  WaveformData: 0x54001010,

  // Waveform Annotation module (PS3.3 C.10.10, Table C.10-11)
  WaveformAnnotationSequence: 0x0040b020,
  ConceptNameCodeSequence: 0x0040a043,
  MeasurementUnitsCodeSequence: 0x004008ea,
  NumericValue: 0x0040a30a,
  ReferencedWaveformChannels: 0x0040a0b0,

  // PS3.5 §7.5: item and delimitation tags
  Item: 0xfffee000,
  ItemDelimitationItem: 0xfffee00d,
  SequenceDelimitationItem: 0xfffee0dd,

  // Encapsulated pixel data may have an undefined length without being a sequence (PS3.5 A.4)
  PixelData: 0x7fe00010,
} as const;

export type TagName = keyof typeof TAG;

const NAME_BY_TAG: ReadonlyMap<number, string> = new Map(Object.entries(TAG).map(([name, tag]) => [tag, name]));

/** `(GGGG,EEEE)` in upper-case hex, as PS3.6 writes tags. */
export function tagNotation(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

/**
 * A field in DICOM notation for errors and warnings: `WaveformSequence (5400,0100)`, and with a
 * 1-based item number of the enclosing sequence (the channel, the annotation) `ChannelSensitivity (003A,0210)[3]`.
 */
export function fieldOf(tag: number, item?: number): string {
  const name = NAME_BY_TAG.get(tag);
  const base = name === undefined ? tagNotation(tag) : `${name} ${tagNotation(tag)}`;
  return item === undefined ? base : `${base}[${item}]`;
}

/**
 * Sequences the decoder descends into. Implicit VR carries no VR (PS3.5 §7.1.3), so dicom-parser is
 * told these are SQ; any other value it reads as a sequence when it starts with an Item.
 */
export const IMPLICIT_VR_SEQUENCES: ReadonlySet<number> = new Set([
  TAG.WaveformSequence,
  TAG.ChannelDefinitionSequence,
  TAG.ChannelSourceSequence,
  TAG.ChannelSensitivityUnitsSequence,
  TAG.WaveformAnnotationSequence,
  TAG.ConceptNameCodeSequence,
  TAG.MeasurementUnitsCodeSequence,
  TAG.RequestAttributesSequence,
]);
