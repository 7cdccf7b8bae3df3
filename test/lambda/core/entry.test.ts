import { decodeValue, encodeEntry, encodeLock, ENTRY_VERSION, isStorable, toEntry, type CacheEntry } from '../../../lambda/core/entry';
import type { ModelAnswer } from '../../../lambda/core/types';

const ANSWER: ModelAnswer = {
  text: 'In Nevada.',
  stopReason: 'end_turn',
  usage: { inputTokens: 12, outputTokens: 4 },
  modelId: 'model-a',
  latencyMs: 321,
};

describe('isStorable', () => {
  it.each(['end_turn', 'stop_sequence'])('stores a complete answer that stopped with %s', (stopReason) => {
    expect(isStorable({ ...ANSWER, stopReason })).toBe(true);
  });

  it.each(['max_tokens', 'content_filtered', 'guardrail_intervened', 'tool_use', ''])('never stores an answer that stopped with "%s"', (stopReason) => {
    expect(isStorable({ ...ANSWER, stopReason })).toBe(false);
  });

  it('never stores an empty answer', () => {
    expect(isStorable({ ...ANSWER, text: '' })).toBe(false);
  });
});

describe('toEntry', () => {
  it('keeps text, stop reason, usage, model, latency, the scope and the time given', () => {
    const entry = toEntry(ANSWER, 'scope-1', 1_700_000_000_000);

    expect(entry).toEqual({
      v: ENTRY_VERSION,
      text: 'In Nevada.',
      stopReason: 'end_turn',
      usage: { inputTokens: 12, outputTokens: 4 },
      modelId: 'model-a',
      createdAt: 1_700_000_000_000,
      latencyMs: 321,
      scope: 'scope-1',
    });
  });

  it('copies only the token counts out of the usage object', () => {
    const usage = { inputTokens: 1, outputTokens: 2, cacheReadInputTokens: 7 };

    const entry = toEntry({ ...ANSWER, usage }, 's', 0);

    expect(entry.usage).toEqual({ inputTokens: 1, outputTokens: 2 });
  });
});

describe('encodeEntry and decodeValue', () => {
  const entry: CacheEntry = toEntry(ANSWER, 'scope-1', 42);

  it('round-trips an entry', () => {
    expect(decodeValue(encodeEntry(entry), 'scope-1')).toEqual({ kind: 'entry', entry });
  });

  it('accepts any scope when none is expected', () => {
    expect(decodeValue(encodeEntry(entry)).kind).toBe('entry');
  });

  it('reads an entry of another scope as corrupt (wrong-scope)', () => {
    expect(decodeValue(encodeEntry(entry), 'scope-2')).toEqual({ kind: 'corrupt', reason: 'wrong-scope' });
  });

  it('reads a lock marker as a lock with its token', () => {
    expect(decodeValue(encodeLock('token-1'), 'scope-1')).toEqual({ kind: 'lock', token: 'token-1' });
  });

  it('encodes a lock marker as a JSON object with a lock member', () => {
    expect(JSON.parse(encodeLock('t'))).toEqual({ lock: 't' });
  });

  it.each<[string, string, string]>([
    ['text that is not JSON', 'not json{', 'not-json'],
    ['a JSON string', '"text"', 'not-object'],
    ['JSON null', 'null', 'not-object'],
    ['a JSON array', '[1,2]', 'not-object'],
    ['an unknown version', JSON.stringify({ ...entry, v: 2 }), 'unknown-version'],
    ['no version', JSON.stringify({ ...entry, v: undefined }), 'unknown-version'],
    ['a missing text', JSON.stringify({ ...entry, text: undefined }), 'bad-shape'],
    ['a numeric text', JSON.stringify({ ...entry, text: 5 }), 'bad-shape'],
    ['a missing usage', JSON.stringify({ ...entry, usage: undefined }), 'bad-shape'],
    ['a null usage', JSON.stringify({ ...entry, usage: null }), 'bad-shape'],
    ['usage without output tokens', JSON.stringify({ ...entry, usage: { inputTokens: 1 } }), 'bad-shape'],
    ['a string createdAt', JSON.stringify({ ...entry, createdAt: '42' }), 'bad-shape'],
    ['a missing scope', JSON.stringify({ ...entry, scope: undefined }), 'bad-shape'],
  ])('reads %s as corrupt and never throws', (_name, raw, reason) => {
    expect(decodeValue(raw, 'scope-1')).toEqual({ kind: 'corrupt', reason });
  });
});
