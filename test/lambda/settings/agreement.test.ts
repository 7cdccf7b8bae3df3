import { ConfigError, resolveConfig } from '../../../lib/config/app-config';
import { loadConfig } from '../../../lambda/core/config';
import { ConfigurationError, InvalidRequestError } from '../../../lambda/core/errors';
import { parseRequest } from '../../../lambda/core/request';
import { MAX_TTL_SECONDS } from '../../../lambda/settings/values';

/** Values synth and run time once disagreed about now get the same answer on both sides (and in a request). */
const synth = (context: Record<string, unknown>) => resolveConfig((key) => context[key]).settings;
const defaults = loadConfig({});

describe('synth and run time agree', () => {
  it('accept a namespace with a dot', () => {
    expect(synth({ namespace: 'team.prod' }).namespace).toBe('team.prod');
    expect(loadConfig({ CACHE_NAMESPACE: 'team.prod' }).namespace).toBe('team.prod');
    expect(parseRequest({ prompt: 'hi', namespace: 'team.prod' }, defaults).namespace).toBe('team.prod');
  });

  it('refuse a namespace with a colon', () => {
    expect(() => synth({ namespace: 'a:b' })).toThrow(ConfigError);
    expect(() => loadConfig({ CACHE_NAMESPACE: 'a:b' })).toThrow(ConfigurationError);
    expect(() => parseRequest({ prompt: 'hi', namespace: 'a:b' }, defaults)).toThrow(InvalidRequestError);
  });

  it('refuse a threshold of 0 (it would match any prompt in the scope)', () => {
    expect(() => synth({ semanticThreshold: 0 })).toThrow('semanticThreshold=0 is invalid; valid values: a number > 0 and <= 1');
    expect(() => loadConfig({ SEMANTIC_THRESHOLD: '0' })).toThrow('SEMANTIC_THRESHOLD=0 is invalid; valid values: a number > 0 and <= 1');
    expect(() => parseRequest({ prompt: 'hi', threshold: 0 }, defaults)).toThrow(InvalidRequestError);
  });

  it('accept a TTL of one year and refuse one second more', () => {
    expect(synth({ ttlSeconds: MAX_TTL_SECONDS }).ttlSeconds).toBe(MAX_TTL_SECONDS);
    expect(loadConfig({ CACHE_TTL_SECONDS: String(MAX_TTL_SECONDS) }).ttlSeconds).toBe(MAX_TTL_SECONDS);
    expect(parseRequest({ prompt: 'hi', ttlSeconds: MAX_TTL_SECONDS }, defaults).ttlSeconds).toBe(MAX_TTL_SECONDS);
    expect(() => synth({ ttlSeconds: MAX_TTL_SECONDS + 1 })).toThrow('ttlSeconds=31536001 is invalid');
    expect(() => loadConfig({ CACHE_TTL_SECONDS: String(MAX_TTL_SECONDS + 1) })).toThrow('CACHE_TTL_SECONDS=31536001 is invalid');
    expect(() => parseRequest({ prompt: 'hi', ttlSeconds: MAX_TTL_SECONDS + 1 }, defaults)).toThrow(InvalidRequestError);
  });

  it('refuse a floor above the threshold with the same words', () => {
    expect(() => synth({ semanticThreshold: 0.8, semanticMinThreshold: 0.85 })).toThrow('semanticMinThreshold=0.85 is above semanticThreshold=0.8');
    expect(() => loadConfig({ SEMANTIC_THRESHOLD: '0.8', SEMANTIC_MIN_THRESHOLD: '0.85' })).toThrow('SEMANTIC_MIN_THRESHOLD=0.85 is above SEMANTIC_THRESHOLD=0.8');
  });
});
