import { configSchema, type Config } from './config.schema';
import { GatewayError } from '../errors/gateway-error';

/**
 * Validates the environment once into a frozen, typed config.
 * Throws CONFIG_INVALID listing every bad variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined) relevant[key] = value;
  }
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new GatewayError('CONFIG_INVALID', `invalid configuration: ${problems}`, {
      field: parsed.error.issues.map((i) => i.path.join('.')).join(','),
    });
  }
  return Object.freeze(parsed.data);
}
