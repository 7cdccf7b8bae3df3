import { ConfigurationError } from '../../../lambda/core/errors';
import { envOptional, envSetting } from '../../../lambda/core/env';
import { int } from '../../../lambda/settings/parse';

describe('envOptional', () => {
  it('returns the trimmed value', () => {
    expect(envOptional({ A: ' x ' }, 'A')).toBe('x');
  });

  it('returns undefined for an absent or blank variable', () => {
    expect(envOptional({}, 'A')).toBeUndefined();
    expect(envOptional({ A: '' }, 'A')).toBeUndefined();
    expect(envOptional({ A: '   ' }, 'A')).toBeUndefined();
  });
});

describe('envSetting', () => {
  const ttl = int({ env: 'TTL', context: 'ttl', default: 60, doc: 'a TTL' }, { min: 1, max: 100 });

  it('gives the row default when unset or blank, or the fallback passed', () => {
    expect(envSetting({}, ttl)).toBe(60);
    expect(envSetting({ TTL: '  ' }, ttl)).toBe(60);
    expect(envSetting({}, ttl, 30)).toBe(30);
  });

  it('parses a set value by the row rule', () => {
    expect(envSetting({ TTL: ' 100 ' }, ttl)).toBe(100);
  });

  it('refuses a bad value with a ConfigurationError naming the variable and the valid values', () => {
    expect(() => envSetting({ TTL: '101' }, ttl)).toThrow(ConfigurationError);
    expect(() => envSetting({ TTL: '101' }, ttl)).toThrow('TTL=101 is invalid; valid values: a number >= 1 and <= 100');
  });
});
