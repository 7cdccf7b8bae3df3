import { isActionPayload, parseAction } from '../../../lambda/actions/parse-action';
import { entryRefOfRequest } from '../../../lambda/actions/request-entry';
import { loadConfig } from '../../../lambda/core/config';
import { encodeEntryId } from '../../../lambda/core/entry-id';
import { InvalidRequestError } from '../../../lambda/core/errors';
import { sha256Hex } from '../../../lambda/core/keys';
import { parseRequest } from '../../../lambda/core/request';

const config = loadConfig({ CACHE_BACKEND: 'memory' });
const ENTRY = { namespace: 'tenant-a', scope: sha256Hex('scope'), id: sha256Hex('id') };
const ENTRY_ID = encodeEntryId(ENTRY);

describe('isActionPayload', () => {
  it('tells an action (an "action" field) from a request', () => {
    expect(isActionPayload({ action: 'purge', namespace: 'x' })).toBe(true);
    expect(isActionPayload({ prompt: 'hi' })).toBe(false);
    expect(isActionPayload(null)).toBe(false);
    expect(isActionPayload([{ action: 'purge' }])).toBe(false);
  });
});

describe('parseAction', () => {
  it('reads an invalidate by entryId', () => {
    expect(parseAction({ action: 'invalidate', entryId: ENTRY_ID }, config)).toEqual({ action: 'invalidate', entry: ENTRY });
  });

  it('reads an invalidate by the fields of a request, with the request\'s defaults and rules', () => {
    const action = parseAction({ action: 'invalidate', prompt: 'Where is Las Vegas?', namespace: 'tenant-a', maxTokens: 100 }, config);

    expect(action).toEqual({ action: 'invalidate', request: parseRequest({ prompt: 'Where is Las Vegas?', namespace: 'tenant-a', maxTokens: 100 }, config) });
  });

  it('reads a reject: the entry and the request that got it', () => {
    const action = parseAction({ action: 'reject', entryId: ENTRY_ID, prompt: 'Where is Vegas?', namespace: 'tenant-a', mode: 'semantic' }, config);

    expect(action).toEqual({ action: 'reject', entry: ENTRY, request: parseRequest({ prompt: 'Where is Vegas?', namespace: 'tenant-a', mode: 'semantic' }, config) });
  });

  it('reads a purge of the namespace it names', () => {
    expect(parseAction({ action: 'purge', namespace: 'tenant-a' }, config)).toEqual({ action: 'purge', namespace: 'tenant-a' });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown action', { action: 'delete', entryId: ENTRY_ID }, /"action" must be one of invalidate, reject, purge/],
    ['an action that is not a string', { action: 1 }, /"action" must be one of/],
    ['a malformed entryId', { action: 'invalidate', entryId: 'e1.###' }, /"entryId" is malformed/],
    ['an entryId with request fields', { action: 'invalidate', entryId: ENTRY_ID, prompt: 'hi' }, /"entryId" alone/],
    ['an invalidate by request with a bad field', { action: 'invalidate', prompt: 'hi', threshold: 2 }, /"threshold"/],
    ['an invalidate by request without a prompt', { action: 'invalidate', namespace: 'tenant-a' }, /"prompt" is required/],
    ['a reject without entryId', { action: 'reject', prompt: 'hi' }, /reject needs the "entryId"/],
    ['a reject without the request', { action: 'reject', entryId: ENTRY_ID }, /"prompt" is required/],
    ['a reject whose request is in another namespace', { action: 'reject', entryId: ENTRY_ID, prompt: 'hi', namespace: 'tenant-b' }, /namespace "tenant-a", and the request is in "tenant-b"/],
    ['a purge without a namespace', { action: 'purge' }, /a purge needs "namespace"/],
    ['a purge of an invalid namespace', { action: 'purge', namespace: 'a:*' }, /"namespace" must be 1-64 characters/],
    ['a purge with other fields', { action: 'purge', namespace: 'x', prompt: 'hi' }, /a purge takes "namespace" only/],
    ['a purge with an entryId', { action: 'purge', entryId: ENTRY_ID }, /not "entryId"/],
  ])('refuses %s with InvalidRequest', (_label, payload, message) => {
    expect(() => parseAction(payload, config)).toThrow(InvalidRequestError);
    expect(() => parseAction(payload, config)).toThrow(message);
  });

  describe('with a namespace bound to the caller', () => {
    const bound = 'iam-0123456789abcdef0123456789abcdef';

    it("takes an entryId of the caller's namespace", () => {
      const own = { ...ENTRY, namespace: bound };

      expect(parseAction({ action: 'invalidate', entryId: encodeEntryId(own) }, config, bound)).toEqual({ action: 'invalidate', entry: own });
    });

    it.each<[string, Record<string, unknown>]>([
      ['an invalidate by entryId', { action: 'invalidate', entryId: ENTRY_ID }],
      ['a reject', { action: 'reject', entryId: ENTRY_ID, prompt: 'hi' }],
    ])("refuses %s of another namespace's entry", (_label, payload) => {
      expect(() => parseAction(payload, config, bound)).toThrow(/not the caller's namespace/);
    });

    it.each<[string, Record<string, unknown>]>([
      ['an invalidate by request', { action: 'invalidate', prompt: 'hi', namespace: 'tenant-a' }],
      ['a purge', { action: 'purge', namespace: 'tenant-a' }],
    ])('refuses %s naming another namespace', (_label, payload) => {
      expect(() => parseAction(payload, config, bound)).toThrow(/not the caller's namespace/);
    });

    it("puts an invalidate by request and a purge without a namespace in the caller's", () => {
      const invalidate = parseAction({ action: 'invalidate', prompt: 'hi' }, config, bound);

      expect(invalidate.action === 'invalidate' && 'request' in invalidate && entryRefOfRequest(invalidate.request).namespace).toBe(bound);
      expect(parseAction({ action: 'purge' }, config, bound)).toEqual({ action: 'purge', namespace: bound });
    });
  });
});
