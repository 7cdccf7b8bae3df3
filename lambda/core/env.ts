import { ConfigurationError } from './errors';
import { parseValue, type Setting } from '../settings/parse';

/** An environment map; settings are read from it through their table rows (`envSetting`). */
export type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function envOptional(env: Env, name: string): string | undefined {
  return raw(env, name);
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
