import type { Device } from '@medplum/fhirtypes';
import type { FhirMappings } from './fhir-mappings';
import type { MappableModel } from './mapping-input';
import { notesFor } from './model-resources';
import type { ResourceKeys } from './resource-ids';

/** The model as a Device (standards.md §5.2): name, version, and the sha256 of its ONNX file as identifier. */
export function modelDevice(model: MappableModel, mappings: FhirMappings, keys: ResourceKeys): Device {
  const d = mappings['fhir-vocabulary'].device;
  return {
    resourceType: 'Device',
    identifier: [keys.modelDevice(model.sha256).identifier, keys.modelIdentifier(model.id, model.version)],
    status: 'active',
    deviceName: [
      { name: model.name, type: d.modelNameType },
      { name: model.id, type: d.otherNameType },
    ],
    type: { coding: [d.softwareType] },
    version: [{ value: model.version }],
    note: notesFor(model, undefined, mappings),
  };
}

/** The gateway itself as a Device: the assembler of every resource it writes. */
export function gatewayDevice(gatewayVersion: string, mappings: FhirMappings, keys: ResourceKeys): Device {
  const d = mappings['fhir-vocabulary'].device;
  return {
    resourceType: 'Device',
    identifier: [keys.gatewayDevice(gatewayVersion).identifier],
    status: 'active',
    deviceName: [{ name: d.gatewayName, type: d.modelNameType }],
    type: { coding: [d.softwareType] },
    version: [{ value: gatewayVersion }],
  };
}
