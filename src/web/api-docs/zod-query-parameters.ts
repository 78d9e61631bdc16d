import { applyDecorators } from '@nestjs/common';
import { ApiQuery, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

interface QueryParameter {
  name: string;
  required: boolean;
  schema: SchemaObject;
}

/** The OpenAPI schema of one zod query field: optional/default/transform unwrapped, enums and bounds kept. */
function describe(field: z.ZodTypeAny): { required: boolean; schema: SchemaObject } {
  if (field instanceof z.ZodOptional) return { required: false, schema: describe(field.unwrap()).schema };
  if (field instanceof z.ZodDefault) return { required: false, schema: { ...describe(field.removeDefault()).schema, default: field._def.defaultValue() } };
  if (field instanceof z.ZodEffects) return describe(field.innerType());
  if (field instanceof z.ZodEnum) return { required: true, schema: { type: 'string', enum: [...(field.options as readonly string[])] } };
  if (field instanceof z.ZodNumber) {
    const schema: SchemaObject = { type: field.isInt ? 'integer' : 'number' };
    if (field.minValue !== null) schema.minimum = field.minValue;
    if (field.maxValue !== null) schema.maximum = field.maxValue;
    return { required: true, schema };
  }
  if (field instanceof z.ZodString) {
    const schema: SchemaObject = { type: 'string' };
    if (field.isDatetime) schema.format = 'date-time';
    if (field.isUUID) schema.format = 'uuid';
    if (field.maxLength !== null) schema.maxLength = field.maxLength;
    return { required: true, schema };
  }
  return { required: true, schema: { type: 'string' } };
}

/** One OpenAPI query parameter per field of the zod object the route parses its query with. */
export function zodQueryParameters(schema: z.AnyZodObject): QueryParameter[] {
  return Object.entries(schema.shape as Record<string, z.ZodTypeAny>).map(([name, field]) => ({ name, ...describe(field) }));
}

/** Documents a route's query parameters from the same zod schema that validates them, so the two cannot drift. */
export function ApiQueryFrom(schema: z.AnyZodObject): MethodDecorator {
  return applyDecorators(...zodQueryParameters(schema).map((p) => ApiQuery(p)));
}
