/** One signal line of a WFDB header (header(5)), with the spec's defaults filled in where they are fixed. */
export interface WfdbSignalSpec {
  /** 1-based line of the header text, for error fields. */
  line: number;
  fileName: string;
  format: number;
  /** `format x n`: samples of this signal per frame (default 1). */
  samplesPerFrame: number;
  /** `format :n` (default 0). */
  skew: number;
  /** `format +n`: bytes before the first sample in the file (default 0). */
  byteOffset: number;
  /** ADC units per physical unit as written; 0 when missing or 0 ("uncalibrated"). */
  adcGain: number;
  /** ADC value of physical zero; defaults to adcZero. */
  baseline: number;
  /** Physical units; "mV" when missing. */
  units: string;
  adcResolution?: number;
  /** Default 0. */
  adcZero: number;
  initialValue?: number;
  checksum?: number;
  blockSize?: number;
  /** The rest of the line: usually the lead name. */
  description?: string;
}

export interface WfdbSegmentSpec {
  line: number;
  recordName: string;
  samples: number;
}

export interface WfdbHeader {
  recordName: string;
  /** 1-based line of the record line. */
  recordLine: number;
  /** Set for a multi-segment record (`name/nseg`); its segments are in `segments`, not `signals`. */
  numberOfSegments?: number;
  signalCount: number;
  /** Frames per second; 250 when missing (WFDB DEFFREQ). */
  samplingFrequency: number;
  counterFrequency?: number;
  baseCounter?: number;
  /** Samples per signal; undefined when missing or 0 (then the signal file's length decides). */
  samplesPerSignal?: number;
  /** As written: `HH:MM:SS[.sss]`. */
  baseTime?: string;
  /** As written: `DD/MM/YYYY`. */
  baseDate?: string;
  signals: WfdbSignalSpec[];
  segments: WfdbSegmentSpec[];
  /** Comment lines without the `#`, trimmed, in order. */
  comments: string[];
}
