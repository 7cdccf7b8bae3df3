import { ConfigurationError } from '../../../lambda/core/errors';
import { envBoolean, envEnum, envList, envNumber, envOptional, envSetting, envString } from '../../../lambda/core/env';
import { int } from '../../../lambda/settings/parse';

describe('envString and envOptional', () => {
  it('returns the trimmed value', () => {
    expect(envString({ A: '  x  ' }, 'A', 'd')).toBe('x');
    expect(envOptional({ A: ' x ' }, 'A')).toBe('x');
  });

  it('returns the fallback (or undefined) for an absent or blank variable', () => {
    expect(envString({}, 'A', 'd')).toBe('d');
    expect(envString({ A: '   ' }, 'A', 'd')).toBe('d');
    expect(envOptional({ A: '' }, 'A')).toBeUndefined();
  });
});

describe('envNumber', () => {
  it('parses a number and returns the fallback when absent', () => {
    expect(envNumber({ N: '0.25' }, 'N', 1)).toBe(0.25);
    expect(envNumber({}, 'N', 7)).toBe(7);
  });

  it.each<[string, { min?: number; max?: number; integer?: boolean }]>([
    ['abc', {}],
    ['NaN', {}],
    ['Infinity', {}],
    ['2.5', { integer: true }],
    ['0', { min: 1 }],
    ['11', { max: 10 }],
  ])('rejects %s against %j, naming the variable and the value', (value, check) => {
    expect(() => envNumber({ N: value }, 'N', 1, check)).toThrow(new ConfigurationError(`N=${value} is invalid: expected a number in ${check.min ?? '-inf'}..${check.max ?? 'inf'}${check.integer ? ', integer' : ''}`));
  });

  it('accepts the bounds themselves', () => {
    expect(envNumber({ N: '1' }, 'N', 5, { min: 1, max: 1 })).toBe(1);
  });
});

describe('envEnum', () => {
  it('returns an allowed value or the fallback', () => {
    expect(envEnum({ E: 'b' }, 'E', ['a', 'b'], 'a')).toBe('b');
    expect(envEnum({}, 'E', ['a', 'b'], 'a')).toBe('a');
  });

  it('rejects anything else, listing the allowed values', () => {
    expect(() => envEnum({ E: 'c' }, 'E', ['a', 'b'], 'a')).toThrow('E=c is invalid: expected one of a, b');
  });
});

describe('envBoolean', () => {
  it.each(['1', 'true', 'TRUE', 'yes', 'on'])('reads %s as true', (value) => {
    expect(envBoolean({ B: value }, 'B', false)).toBe(true);
  });

  it.each(['0', 'false', 'No', 'off'])('reads %s as false', (value) => {
    expect(envBoolean({ B: value }, 'B', true)).toBe(false);
  });

  it('returns the fallback when absent', () => {
    expect(envBoolean({}, 'B', true)).toBe(true);
  });

  it('rejects other words', () => {
    expect(() => envBoolean({ B: 'enabled' }, 'B', false)).toThrow(ConfigurationError);
  });
});

describe('envList', () => {
  it('splits on commas, trims and drops empty items', () => {
    expect(envList({ L: ' a, b ,,c ' }, 'L')).toEqual(['a', 'b', 'c']);
  });

  it('is empty when absent', () => {
    expect(envList({}, 'L')).toEqual([]);
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
