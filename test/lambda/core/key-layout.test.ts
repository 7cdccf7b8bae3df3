import { clientIndexKeys } from '../../../lambda/backends/redis/client-index/keys';
import { documentKey, indexNames } from '../../../lambda/backends/redis/search/index-naming';
import { exactKey, toConverseRequest } from '../../../lambda/core/keys';
import type { CacheRequest } from '../../../lambda/core/types';
import { namespaceOfKey, namespaceScanPattern, parseKey, requireNamespace } from '../../../lambda/core/key-layout';

const ID = 'ff662ab5cd8a3ee7d41e0a2e207f1314f9b1ea0816192744799e3bb0569a0077';
const SCOPE = 'dc5e99a9ca1c2eec207e248757dfb66e24f8615c3a7c2a9f87bcb1deee6e4b8f';

/** Redis glob matching for the subset the pattern uses (`*` only), as SCAN MATCH applies it. */
function globMatches(pattern: string, key: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 's').test(key);
}

describe('parseKey', () => {
  it.each([
    [`llmcache:v1:tenant-a:${ID}`, 'entry'],
    [`llmcache:v1:tenant-a:${ID}:refresh`, 'refresh-lock'],
    [`llmcache:sem:v1:s3:amazon-titan-embed-text-v2-0:1024:tenant-a:${ID}`, 'search-document'],
    [`llmcache:sem:v1:s12:amazon-titan-embed-text-v2-0:256:tenant-a:${ID}`, 'search-document'],
    [`llmcache:cv:v2:amazon-titan-embed-text-v2-0:1024:tenant-a:{${SCOPE}}:log`, 'client-index'],
    [`llmcache:cv:v2:amazon-titan-embed-text-v2-0:1024:tenant-a:{${SCOPE}}:d:${ID}`, 'client-index'],
    [`llmcache:cv:v2:amazon-titan-embed-text-v2-0:1024:tenant-a:{${SCOPE}}:r:${ID}`, 'client-index'],
  ])('reads namespace and kind of %s', (key, kind) => {
    expect(parseKey(key)).toEqual({ namespace: 'tenant-a', kind });
  });

  it.each([
    ['another prefix', `app:v1:tenant-a:${ID}`],
    ['another key version', `llmcache:v2:tenant-a:${ID}`],
    ['an exact key with a further segment', `llmcache:v1:tenant-a:${ID}:other`],
    ['a search document of index version 2 (no namespace in it)', `llmcache:sem:v1:s2:amazon-titan-embed-text-v2-0:1024:${ID}`],
    ['a client-index key of layout v1 (no namespace in it)', `llmcache:cv:v1:amazon-titan-embed-text-v2-0:1024:{${SCOPE}}:d:tenant-a:${ID}`],
    ['a client-index key without its hash tag', `llmcache:cv:v2:amazon-titan-embed-text-v2-0:1024:tenant-a:${SCOPE}:log`],
    ['the search index name', 'llmcache:idx:v1:s3:amazon-titan-embed-text-v2-0:1024'],
    ['a namespace with a character no request may use', `llmcache:v1:tenant*a:${ID}`],
  ])('refuses %s', (_label, key) => {
    expect(parseKey(key)).toBeUndefined();
    expect(namespaceOfKey(key)).toBeUndefined();
  });

  it('tells a namespace named like a model slug or a dimension from the segments around it', () => {
    expect(namespaceOfKey(`llmcache:sem:v1:s3:amazon-titan-embed-text-v2-0:1024:256:${ID}`)).toBe('256');
    expect(namespaceOfKey(`llmcache:cv:v2:m:256:1024:{${SCOPE}}:log`)).toBe('1024');
  });
});

describe('namespaceScanPattern', () => {
  const forms = (namespace: string): string[] => [
    `llmcache:v1:${namespace}:${ID}`,
    `llmcache:v1:${namespace}:${ID}:refresh`,
    `llmcache:sem:v1:s3:amazon-titan-embed-text-v2-0:1024:${namespace}:${ID}`,
    `llmcache:cv:v2:amazon-titan-embed-text-v2-0:1024:${namespace}:{${SCOPE}}:log`,
    `llmcache:cv:v2:amazon-titan-embed-text-v2-0:1024:${namespace}:{${SCOPE}}:d:${ID}`,
  ];

  it('matches every key form of the namespace with one pattern', () => {
    const pattern = namespaceScanPattern('tenant.a_1');
    for (const key of forms('tenant.a_1')) expect(globMatches(pattern, key)).toBe(true);
  });

  it('may match keys of another namespace, which the parser then tells apart', () => {
    // Namespace "1024" matches every document of a 1024-dimension model, whatever its namespace.
    const pattern = namespaceScanPattern('1024');
    const foreign = forms('tenant-a').filter((key) => globMatches(pattern, key));

    expect(foreign.length).toBeGreaterThan(0);
    for (const key of foreign) expect(namespaceOfKey(key)).toBe('tenant-a');
  });

  it('refuses a namespace that would carry glob characters into the pattern', () => {
    for (const namespace of ['*', 'a?b', '[ab]', 'a\\b', '', 'x'.repeat(65)]) {
      expect(() => namespaceScanPattern(namespace)).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
      expect(() => requireNamespace(namespace)).toThrow(/namespace must be/);
    }
  });
});

const DIGEST = 'ab'.repeat(32);
const STORE_SCOPE = 'cd'.repeat(32);
const MODEL = 'amazon.titan-embed-text-v2:0';

const REQUEST: CacheRequest = {
  prompt: 'Where is Las Vegas?', mode: 'semantic', modelId: 'model-a', maxTokens: 512, temperature: 0, ttlSeconds: 3600, threshold: 0.9, namespace: 'tenant-a',
};

describe('namespaceOfKey on the keys the runtime writes', () => {
  it('reads the namespace of every key the runtime writes for an entry, from the real key builders', () => {
    const exact = exactKey('tenant-a', toConverseRequest(REQUEST));
    const client = clientIndexKeys(MODEL, 1024);

    expect(namespaceOfKey(exact)).toBe('tenant-a');
    expect(namespaceOfKey(`${exact}:refresh`)).toBe('tenant-a');
    expect(namespaceOfKey(documentKey(indexNames(MODEL, 1024), 'tenant-a', DIGEST))).toBe('tenant-a');
    expect(namespaceOfKey(client.log('tenant-a', STORE_SCOPE))).toBe('tenant-a');
    expect(namespaceOfKey(client.document('tenant-a', STORE_SCOPE, DIGEST))).toBe('tenant-a');
    expect(namespaceOfKey(client.rejections('tenant-a', STORE_SCOPE, DIGEST))).toBe('tenant-a');
  });

  it('takes every namespace the request rule allows, including ones that look like other key parts', () => {
    for (const namespace of ['a', 'Tenant_1.prod-eu', 'v1', 'sem', 'cv', 'x'.repeat(64)]) {
      expect(namespaceOfKey(`llmcache:v1:${namespace}:${DIGEST}`)).toBe(namespace);
      expect(namespaceOfKey(clientIndexKeys(MODEL, 256).document(namespace, STORE_SCOPE, DIGEST))).toBe(namespace);
      expect(namespaceOfKey(documentKey(indexNames(MODEL, 256), namespace, DIGEST))).toBe(namespace);
    }
  });

  it('reads the namespace of a version-2 FT document, which had the same shape', () => {
    expect(namespaceOfKey(documentKey(indexNames(MODEL, 1024, 2), 'tenant-a', DIGEST))).toBe('tenant-a');
  });

  it.each([
    ['an index name', indexNames(MODEL, 1024).index],
    ['a version-1 client-index key (no namespace in it)', `llmcache:cv:v1:m:4:{${STORE_SCOPE}}:log`],
    ['a key of another application', `other:v1:tenant-a:${DIGEST}`],
    ['an exact key whose id is not a digest', 'llmcache:v1:tenant-a:not-a-digest'],
    ['a key with more segments than its form', `llmcache:v1:tenant-a:${DIGEST}:other`],
    ['a namespace longer than 64 characters', `llmcache:v1:${'x'.repeat(65)}:${DIGEST}`],
    ['a client-index key of an unknown kind', `llmcache:cv:v2:m:4:tenant-a:{${STORE_SCOPE}}:z:${DIGEST}`],
  ])('answers undefined for %s', (_name, key) => {
    expect(namespaceOfKey(key)).toBeUndefined();
  });
});