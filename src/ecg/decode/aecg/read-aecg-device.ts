import type { EcgSource } from '../../record';
import { attr, child, descend, text, type XmlElement } from './xml-element';

type DeviceFields = Pick<EcgSource, 'manufacturer' | 'deviceModel' | 'deviceSerial' | 'softwareVersion'>;

/**
 * The device that recorded the RHYTHM series (`author/seriesAuthor`): manufacturer, model, software,
 * and serial from `manufacturedSeriesDevice/id/@extension` or Mindray's own `SerialNumber` element.
 */
export function readAecgDevice(series: XmlElement): DeviceFields {
  const author = descend(series, 'author', 'seriesAuthor');
  const device = child(author, 'manufacturedSeriesDevice');
  const found: Array<[keyof DeviceFields, string | undefined]> = [
    ['manufacturer', text(descend(author, 'manufacturerOrganization', 'name'))],
    ['deviceModel', text(child(device, 'manufacturerModelName'))],
    ['deviceSerial', text(child(device, 'SerialNumber')) || attr(child(device, 'id'), 'extension')],
    ['softwareVersion', text(child(device, 'softwareName'))],
  ];
  const out: DeviceFields = {};
  for (const [key, value] of found) if (value !== undefined && value !== '') out[key] = value;
  return out;
}
