import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeIdPart } from '../../src/fhir/mapping/resource-ids';
import { hl7Fixture, withControlId } from '../../test/helpers/hl7-messages';
import { fixture } from '../../test/helpers/paths';

/** One ECG of the soak: the id its sender retries under, and the key its FHIR resources are identified by. */
export interface SoakEcg {
  /** MSH-10 or SOP Instance UID (the store's source_id). */
  id: string;
  kind: 'hl7' | 'dicom';
  /** resource-ids.ts ecgKeyFor(): the value of the ECG Observation's identifier. */
  ecgKey: string;
}

// dcmjs ships no types; only the calls used here (as test/ecg/decode/dicom/build-waveform-dicom.ts does).
interface DcmjsElement {
  vr: string;
  Value: unknown[];
}
interface DcmjsDict {
  meta: Record<string, DcmjsElement>;
  dict: Record<string, DcmjsElement>;
  write: () => ArrayBuffer;
}
const { data: dcmjsData } = require('dcmjs') as { data: { DicomMessage: { readFile: (buffer: ArrayBuffer) => DcmjsDict } } };

export const HL7_FIXTURE = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
export const DICOM_FIXTURE = fixture('dicom', 'waveform_ecg.dcm');

/** The MA 12-lead ORU^R01 under a new MSH-10 per ECG, as an interface engine would send distinct orders. */
export class Hl7Ecgs {
  private readonly fixtureText = hl7Fixture(HL7_FIXTURE);
  private readonly msh = this.fixtureText.slice(0, this.fixtureText.indexOf('\r')).split('|');

  make(id: string): SoakEcg {
    return { id, kind: 'hl7', ecgKey: `hl7:${safeIdPart(this.msh[2] ?? '')}/${safeIdPart(this.msh[3] ?? '')}/${safeIdPart(id)}` };
  }

  /** The same bytes on every retry of one id: a resend is the same message, not a new version. */
  text(id: string): string {
    return withControlId(this.fixtureText, id);
  }
}

/**
 * Copies of one DICOM 12-lead waveform, each under its own SOP Instance UID (2.25.<UUID>,
 * PS3.5 B.2), written with dcmjs into a scratch folder: the gateway's own DIMSE client sends a
 * file. A copy stays until its C-STORE is answered with success (a retry resends the very same
 * file) and is then removed, so the folder holds only what is in flight.
 */
export class DicomEcgs {
  private readonly dict: DcmjsDict;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const bytes = readFileSync(DICOM_FIXTURE);
    this.dict = dcmjsData.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }

  make(): SoakEcg {
    const uid = `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10)}`;
    return { id: uid, kind: 'dicom', ecgKey: `dicom:${safeIdPart(uid)}` };
  }

  /** Writes the copy for this UID (once) and returns its path. */
  file(uid: string): string {
    const path = join(this.dir, `${uid}.dcm`);
    // SOP Instance UID in the dataset and Media Storage SOP Instance UID in the File Meta must agree.
    this.dict.dict['00080018'] = { vr: 'UI', Value: [uid] };
    this.dict.meta['00020003'] = { vr: 'UI', Value: [uid] };
    writeFileSync(path, Buffer.from(this.dict.write()), { flag: 'w' });
    return path;
  }

  done(uid: string): void {
    rmSync(join(this.dir, `${uid}.dcm`), { force: true });
  }
}
