import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../../lib/config/app-config';
import { allSettings, BACKEND_SETTINGS, SHARED_SETTINGS } from '../../../lambda/settings';
import { formatValue, parseValue, type Setting } from '../../../lambda/settings/parse';

const rows = allSettings();
const name = (s: Setting<unknown>): string => s.env ?? s.context ?? '?';

describe('settings table', () => {
  it.each(rows.map((s) => [name(s), s] as const))('%s has a one-line doc', (_, setting) => {
    expect(setting.doc.trim()).not.toBe('');
    expect(setting.doc).not.toContain('\n');
  });

  it.each(rows.filter((s) => s.default !== undefined).map((s) => [name(s), s] as const))('%s: the default passes its own validator', (_, setting) => {
    expect(parseValue(setting, formatValue(setting.default))).toEqual({ value: setting.default });
  });

  it('names each environment variable once and each context key once', () => {
    const envs = rows.flatMap((s) => (s.env === undefined ? [] : [s.env]));
    const keys = rows.flatMap((s) => (s.context === undefined ? [] : [s.context]));
    expect(new Set(envs).size).toBe(envs.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.every((s) => s.env !== undefined || s.context !== undefined)).toBe(true);
  });

  it('gives every shared row both names, its context key being an LlmCacheConfig field', () => {
    for (const setting of Object.values(SHARED_SETTINGS)) {
      expect(setting.env).toBeDefined();
      expect(Object.keys(DEFAULT_CONFIG)).toContain(setting.context);
    }
  });

  it('has a row behind every field of every backend, the MemoryDB replica count shared by both MemoryDB backends', () => {
    for (const [id, fields] of Object.entries(DEFAULT_CONFIG.backends)) {
      expect(Object.keys(fields).sort()).toEqual(Object.keys(BACKEND_SETTINGS[id as keyof typeof BACKEND_SETTINGS]).sort());
    }
    expect(BACKEND_SETTINGS['memorydb-vector'].replicasPerShard).toBe(BACKEND_SETTINGS.memorydb.replicasPerShard);
  });

  it('refuses a bad value of each kind with the valid values', () => {
    expect(parseValue(SHARED_SETTINGS.ttlSeconds, '1.5')).toEqual({ problem: 'valid values: an integer, a number >= 1 and <= 31536000' });
    expect(parseValue(SHARED_SETTINGS.semanticThreshold, '0')).toEqual({ problem: 'valid values: a number > 0 and <= 1' });
    expect(parseValue(SHARED_SETTINGS.cacheMode, 'exact')).toEqual({ problem: 'valid values: standard, semantic, off' });
    // A request may refresh; a deployment's default may not (every request would call the model).
    expect(parseValue(SHARED_SETTINGS.cacheMode, 'refresh')).toEqual({ problem: 'valid values: standard, semantic, off' });
    expect(parseValue(SHARED_SETTINGS.namespace, 'a:b')).toEqual({ problem: 'expected 1-64 characters of letters, digits, ".", "_" or "-"' });
    expect(parseValue(SHARED_SETTINGS.namespaceFrom, 'header')).toEqual({ problem: 'expected body, iam-principal or jwt-claim:<claim name>' });
  });

  // The table is part of the Lambda bundle: an aws-cdk-lib import would ship the CDK to the function.
  it('imports nothing from aws-cdk-lib or lib/', () => {
    const dir = join(__dirname, '../../../lambda/settings');
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/from '(aws-cdk-lib|constructs|(\.\.\/)+lib\/)/);
    }
  });
});
