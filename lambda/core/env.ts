import { ConfigurationError } from './errors';
import { parseValue, type Setting } from '../settings/parse';

/** Small typed readers over an environment map; each names its default and rejects bad values. */
export type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function envString(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function envOptional(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function envNumber(
  env: Env,
  name: string,
  fallback: number,
  check: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  const bad =
    !Number.isFinite(parsed) ||
    (check.integer === true && !Number.isInteger(parsed)) ||
    (check.min !== undefined && parsed < check.min) ||
    (check.max !== undefined && parsed > check.max);
  if (bad) {
    const range = `${check.min ?? '-inf'}..${check.max ?? 'inf'}${check.integer ? ', integer' : ''}`;
    throw new ConfigurationError(`${name}=${value} is invalid: expected a number in ${range}`);
  }
  return parsed;
}

export function envEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigurationError(`${name}=${value} is invalid: expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function envBoolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigurationError(`${name}=${value} is invalid: expected true or false`);
}

export function envList(env: Env, name: string): string[] {
  return (raw(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Reads one row of the settings table (`lambda/settings`) from its environment variable: unset
 * or blank gives `fallback` (default: the row's default); a bad value throws `ConfigurationError`
 * naming the variable and the valid values. The same rule parses the row's CDK context key.
 */
export function envSetting<T>(env: Env, setting: Setting<T>, fallback: T = setting.default): T {
  const name = setting.env;
  if (name === undefined) throw new Error('envSetting: this setting has no environment variable');
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = parseValue(setting, value);
  if ('problem' in parsed) throw new ConfigurationError(`${name}=${value} is invalid; ${parsed.problem}`);
  return parsed.value;
}
