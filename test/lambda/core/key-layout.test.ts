import { clientIndexKeys } from '../../../lambda/backends/redis/client-index/keys';
import { documentKey, indexNames } from '../../../lambda/backends/redis/search/index-naming';
import { namespaceOfKey } from '../../../lambda/core/key-layout';
import { exactKey, toConverseRequest } from '../../../lambda/core/keys';
import type { CacheRequest } from '../../../lambda/core/types';

const DIGEST = 'ab'.repeat(32);
const SCOPE = 'cd'.repeat(32);
const MODEL = 'amazon.titan-embed-text-v2:0';

const REQUEST: CacheRequest = {
  prompt: 'Where is Las Vegas?', mode: 'semantic', modelId: 'model-a', maxTokens: 512, temperature: 0, ttlSeconds: 3600, threshold: 0.9, namespace: 'tenant-a',
};

describe('namespaceOfKey', () => {
  it('reads the namespace of every key the runtime writes for an entry, from the real key builders', () => {
    const exact = exactKey('tenant-a', toConverseRequest(REQUEST));
    const client = clientIndexKeys(MODEL, 1024);

    expect(namespaceOfKey(exact)).toBe('tenant-a');
    expect(namespaceOfKey(`${exact}:refresh`)).toBe('tenant-a');
    expect(namespaceOfKey(documentKey(indexNames(MODEL, 1024), 'tenant-a', DIGEST))).toBe('tenant-a');
    expect(namespaceOfKey(client.log('tenant-a', SCOPE))).toBe('tenant-a');
    expect(namespaceOfKey(client.document('tenant-a', SCOPE, DIGEST))).toBe('tenant-a');
    expect(namespaceOfKey(client.rejections('tenant-a', SCOPE, DIGEST))).toBe('tenant-a');
  });

  it('takes every namespace the request rule allows, including ones that look like other key parts', () => {
    for (const namespace of ['a', 'Tenant_1.prod-eu', 'v1', 'sem', 'cv', 'x'.repeat(64)]) {
      expect(namespaceOfKey(`llmcache:v1:${namespace}:${DIGEST}`)).toBe(namespace);
      expect(namespaceOfKey(clientIndexKeys(MODEL, 256).document(namespace, SCOPE, DIGEST))).toBe(namespace);
      expect(namespaceOfKey(documentKey(indexNames(MODEL, 256), namespace, DIGEST))).toBe(namespace);
    }
  });

  it('reads the namespace of a version-2 FT document, which had the same shape', () => {
    expect(namespaceOfKey(documentKey(indexNames(MODEL, 1024, 2), 'tenant-a', DIGEST))).toBe('tenant-a');
  });

  it.each([
    ['an index name', indexNames(MODEL, 1024).index],
    ['a version-1 client-index key (no namespace in it)', `llmcache:cv:v1:m:4:{${SCOPE}}:log`],
    ['a key of another application', `other:v1:tenant-a:${DIGEST}`],
    ['an exact key whose id is not a digest', 'llmcache:v1:tenant-a:not-a-digest'],
    ['a key with more segments than its form', `llmcache:v1:tenant-a:${DIGEST}:other`],
    ['a namespace longer than 64 characters', `llmcache:v1:${'x'.repeat(65)}:${DIGEST}`],
    ['a client-index key of an unknown kind', `llmcache:cv:v2:m:4:tenant-a:{${SCOPE}}:z:${DIGEST}`],
  ])('answers undefined for %s', (_name, key) => {
    expect(namespaceOfKey(key)).toBeUndefined();
  });
});
